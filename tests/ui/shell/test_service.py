"""The kiosk as a service runs it: a real kiosk process (real voice on SDL's dummy driver,
real database) stopped by a real SIGTERM or SIGINT within 2 s with its running set saved as
stopped, and talking to a real notify socket: READY after the first frame, watchdog pings
from the Qt thread that stop while its event loop is frozen, STOPPING at the end."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.records import SetStatus
from kiosk.core.timeline import StepKind
from kiosk.services import KioskServices
from tests.clinic import ANN, saved
from tests.paths import REPO_ROOT
from tests.ui.conftest import OpenWindow, run_until, start_session

# A real kiosk through kiosk.ui.shell.app.run, on a fake clock it moves itself: Ann checks in,
# starts, and her session is held inside its first set of work when "RUNNING" is printed.
KIOSK = """
import sys, time
from PySide6.QtCore import QTimer
from kiosk.core.clock import FakeClock
from kiosk.core.timeline import StepKind
from kiosk.ui.shell import app as app_module
from kiosk.ui.shell.app import KioskOptions, run

clock = FakeClock()
windows = []
create_window = app_module.create_window

def create(options, **kw):
    window = create_window(options, clock=clock, **kw)
    windows.append(window)
    return window

app_module.create_window = create

def when_ready():
    window = windows[0]
    voice = window.voice
    if not window.started_up or window.services is None or voice is None or voice.service is None:
        QTimer.singleShot(20, when_ready)
        return
    for digit in sys.argv[2]:
        window.checkin.type_digit(digit)
    window.checkin.ok_button.click()
    clock.advance(1.0)  # the check-in answer's floor (kiosk/ui/runners/answer_floor.py)
    window.answer.update()
    window.visit.program.start_button.click()
    player = window.visit.player
    while player.engine.current_step().kind is not StepKind.REP:
        clock.advance(max(0.0, player.engine.next_deadline() - clock()))
        player.driver.update()
    print("RUNNING", flush=True)
    if len(sys.argv) > 3:
        QTimer.singleShot(int(sys.argv[3]), freeze)

def freeze():
    print("FROZEN", flush=True)
    time.sleep(1.5)  # the screen stops answering: a stuck Qt thread, as a bug would leave it
    print("THAWED", flush=True)

code = run(KioskOptions(db_url=sys.argv[1], fullscreen=False, size=(800, 600), demo_data=True,
                        create_db=True, first_frame_hook=lambda: QTimer.singleShot(0, when_ready)))
print("EXIT", code, flush=True)
"""


def _start(
    tmp_path: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], Path]:
    database = tmp_path / "kiosk.sqlite3"
    child_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy",
                     PYTHONPATH=str(REPO_ROOT), **(env or {}))  # fmt: skip
    child = subprocess.Popen(
        [sys.executable, "-c", KIOSK, f"sqlite:///{database}", ANN, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT, env=child_env,
    )  # fmt: skip
    return child, database


def _wait_for(child: subprocess.Popen[str], word: str) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == word:
            return
    _, err = child.communicate(timeout=10)
    raise AssertionError(f"the kiosk never said {word}: {err[-1500:]}")


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found |= {child, *_descendants(child)}
    return found


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_closes_the_kiosk_within_two_seconds_and_saves_the_set(
    tmp_path: Path, stop: signal.Signals
) -> None:
    child, database = _start(tmp_path)
    try:
        _wait_for(child, "RUNNING")  # the voice is up: SDL is initialised
        helpers = _descendants(child.pid)  # the speech worker
        started = time.monotonic()
        child.send_signal(stop)
        out, err = child.communicate(timeout=2.0)  # within 2 s, or this raises
        took = time.monotonic() - started
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err[-1500:]
    assert "EXIT 0" in out
    assert took < 2.0
    assert all(not Path(f"/proc/{pid}").exists() for pid in helpers)  # no worker left behind
    with sqlite3.connect(database) as connection:
        sets = connection.execute("SELECT exercise_id, status FROM set_records").fetchall()
        state = connection.execute("SELECT state FROM sessions").fetchall()
        integrity = connection.execute("PRAGMA integrity_check").fetchone()
    assert sets == [("clamshell", "stopped")]  # the set under way, saved as it ended
    assert state == [("stopped",)]
    assert integrity == ("ok",)
    assert not (tmp_path / "kiosk.pending.jsonl").exists()  # all written before the exit


def test_the_service_manager_hears_ready_then_pings_that_stop_while_the_screen_is_frozen(
    tmp_path: Path,
) -> None:
    address = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(15.0)
    child, _ = _start(tmp_path, "800", env={"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "200000"})
    heard: list[tuple[float, str]] = []
    try:
        while not any(message == "STOPPING=1" for _, message in heard):
            message = listener.recv(256).decode()
            heard.append((time.monotonic(), message))
            if message == "WATCHDOG=1" and len(heard) == 25:
                child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=5)
    finally:
        listener.close()
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err[-1500:]
    assert "FROZEN" in out
    messages = [message for _, message in heard]
    assert messages[0] == "READY=1"
    assert messages[-1] == "STOPPING=1"
    pings = [at for at, message in heard if message == "WATCHDOG=1"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(pings)]
    # A ping every 100 ms (half of WATCHDOG_USEC) while the loop runs; none for the 1.5 s it
    # was frozen, long enough for systemd to restart a kiosk whose watchdog is that short.
    assert sorted(gaps)[len(gaps) // 2] < 0.3
    assert max(gaps) > 1.2


def test_closing_a_kiosk_mid_set_saves_that_set_as_stopped(
    open_window: OpenWindow, services: KioskServices, clock: FakeClock, qtbot: QtBot
) -> None:
    window = open_window(fullscreen=True)
    player = start_session(window, ANN)
    run_until(clock, player, lambda: player.engine.current_step().kind is StepKind.REP)
    window.close_now()
    log = SessionLog(saved(services))
    (record,) = log.sets_for(1)
    assert record.status is SetStatus.STOPPED
    info = log.info(1)
    assert info is not None
    assert info.state.value == "stopped"
