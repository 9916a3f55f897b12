"""The kiosk's units under a real systemd: start, stop, restart, the watchdog, the start limit
and the out-of-order screen, and the nightly backup's timer.

These machines run no systemd as PID 1, but a real systemd user manager runs here, with a
journal (tests/deploy/user_manager.py), and runs the units of deploy/systemd changed only
where a user manager cannot do what a kiosk's system manager does (tests/deploy/user_units.py
lists each change and why). cage is the main process, headless, as on a kiosk it is on tty1;
the kiosk is the one install.sh installed (the ``installed`` fixture). Timings are the
units' own unless a test says otherwise in a drop-in of its own.

What still cannot run here (docs/deployment.md, "What was tested where"): ``User=``,
``PAMName=`` and logind's seat, tty1, a real boot.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.deploy.cage import PAINT_TIMEOUT_S, is_painted
from tests.deploy.conftest import Installed
from tests.deploy.units import Unit
from tests.deploy.user_manager import UserManager, unavailable_reason, user_manager
from tests.deploy.user_units import HEADLESS_DROP_IN, Places, for_user_manager

KIOSK = "clinic-kiosk.service"
OUT_OF_ORDER = "clinic-kiosk-out-of-order.service"
BACKUP = "clinic-kiosk-backup.service"
TIMER = "clinic-kiosk-backup.timer"
UNITS = (KIOSK, OUT_OF_ORDER, BACKUP, TIMER)
STATE = ("ActiveState", "SubState", "Result", "MainPID", "NRestarts")

_NO_CAGE = shutil.which("cage") is None or shutil.which("grim") is None
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(_NO_CAGE, reason="cage and grim are not installed (make test does)"),
    pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason())),
]


@dataclass
class Kiosk:
    """The kiosk's units loaded in a running user manager."""

    manager: UserManager
    places: Places
    tmp_path: Path

    def state(self, unit: str = KIOSK) -> dict[str, str]:
        return self.manager.show(unit, *STATE)

    def wait_running(self, unit: str = KIOSK, *, not_pid: str = "") -> dict[str, str]:
        """``unit`` active and running (a notify unit: it said READY), with a main process
        other than ``not_pid``."""

        def running() -> dict[str, str] | None:
            state = self.state(unit)
            up = (state["ActiveState"], state["SubState"]) == ("active", "running")
            return state if up and state["MainPID"] not in ("0", not_pid) else None

        return self.manager.wait_for(f"{unit} running", running, PAINT_TIMEOUT_S)

    def kiosk_pid(self, unit: str = KIOSK) -> int:
        """The kiosk: the process cage (the unit's main process) started."""
        main = self.state(unit)["MainPID"]
        children = [
            pid
            for pid in self.manager.unit_pids(unit)
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] == main
        ]
        assert len(children) == 1, f"cage ({main}) has children {children}"
        assert Path(f"/proc/{children[0]}/comm").read_text().strip() == "kiosk"
        return children[0]

    def wait_painted(self, name: str) -> Path:
        """A screenshot of cage's output, once a client has painted on it."""
        shot = self.tmp_path / name
        env = {**os.environ, "XDG_RUNTIME_DIR": str(self.manager.runtime_dir)}

        def painted() -> bool:
            if not (self.manager.runtime_dir / "wayland-0").exists():
                return False
            done = subprocess.run(["grim", str(shot)], env=env, capture_output=True, timeout=30)
            return done.returncode == 0 and is_painted(shot)

        self.manager.wait_for(f"a painted screen ({name})", painted, PAINT_TIMEOUT_S)
        return shot

    def drop_in(self, unit: str, name: str, text: str) -> None:
        self.manager.write_drop_in(unit, name, text)
        self.manager.systemctl("daemon-reload")

    def said(self, unit: str, text: str) -> list[str]:
        """The journal's lines about or from ``unit`` that hold ``text``."""
        return [line for line in self.manager.journal(unit) if text in line]

    def wait_said(self, unit: str, text: str) -> list[str]:
        """As :meth:`said`, once there is one (journald writes a process's output down a
        moment after it has been written)."""
        return self.manager.wait_for(f"{text!r} in the journal", lambda: self.said(unit, text), 10)


def _gone(pid: str | int) -> bool:
    return not Path(f"/proc/{pid}").exists()


@pytest.fixture
def kiosk(installed: Installed, tmp_path: Path) -> Iterator[Kiosk]:
    data = tmp_path / "var-lib-clinic-kiosk"
    shutil.copytree(installed.root / "var/lib/clinic-kiosk", data)
    backups = tmp_path / "var-backups-clinic-kiosk"
    backups.mkdir(mode=0o700)
    places = Places(installed.root, data, backups)
    with user_manager(tmp_path / "manager", home=data) as manager:
        for name in UNITS:
            manager.write_unit(name, for_user_manager(name, places))
        for name in (KIOSK, OUT_OF_ORDER):
            manager.write_drop_in(name, "headless", HEADLESS_DROP_IN)
        manager.systemctl("daemon-reload")
        yield Kiosk(manager, places, tmp_path)


def test_start_returns_once_the_kiosk_has_painted_and_said_ready(kiosk: Kiosk) -> None:
    """``Type=notify``: ``systemctl start`` waits for the kiosk's READY=1 (sent after its
    first frame, from cage's child: ``NotifyAccess=all``). The journal shows the manager got
    it before it said the unit had started; with ``Type=simple`` it would say so at once."""
    manager = kiosk.manager
    began = time.monotonic()
    manager.systemctl("start", KIOSK)
    returned = time.monotonic() - began

    state = kiosk.state()
    assert (state["ActiveState"], state["SubState"]) == ("active", "running")
    ready = f"Got notification message from PID {kiosk.kiosk_pid()} (READY=1)"
    started = f"Started {KIOSK}"

    def said_both() -> list[str] | None:
        lines = manager.journal(KIOSK)
        both = [line for line in lines if ready in line or line.startswith(started)]
        return both if len(both) == 2 else None

    first, then = manager.wait_for("READY=1 and Started in the journal", said_both, 10)
    assert ready in first, f"the journal said {then!r} before {first!r}"
    to_ready = manager.monotonic_s(KIOSK, "ActiveEnterTimestampMonotonic") - manager.monotonic_s(
        KIOSK, "ExecMainStartTimestampMonotonic"
    )
    print(f"start → READY: {to_ready:.2f} s (systemctl start returned after {returned:.2f} s)")
    kiosk.wait_painted("attract.png")


def test_stop_asks_the_kiosk_first_and_ends_within_the_units_budget(kiosk: Kiosk) -> None:
    """``ExecStop=`` sends the kiosk SIGTERM (it saves the running set and closes), cage
    follows its client: the unit ends cleanly, not by systemd's SIGKILL after
    ``TimeoutStopSec=``, and nothing of it is left."""
    kiosk.manager.systemctl("start", KIOSK)
    pids = kiosk.manager.unit_pids(KIOSK)
    kiosk_pid = kiosk.kiosk_pid()
    began = time.monotonic()
    kiosk.manager.systemctl("stop", KIOSK)
    took = time.monotonic() - began

    state = kiosk.state()
    assert (state["ActiveState"], state["Result"]) == ("inactive", "success")
    assert kiosk.wait_said(KIOSK, "SIGTERM received: the kiosk closes")
    # cage exited by itself, after its client: not aborted by a SIGTERM of its own
    assert kiosk.said(KIOSK, "Main process exited, code=exited, status=0/SUCCESS")
    assert not kiosk.said(KIOSK, "SIGKILL")
    assert kiosk.manager.unit_pids(KIOSK) == []
    assert all(_gone(pid) for pid in pids), (pids, kiosk_pid)
    budget = float(Unit.named(KIOSK).value("TimeoutStopSec"))
    print(f"systemctl stop: {took:.2f} s (TimeoutStopSec={budget:g}; the kiosk's own: 2 s)")
    assert took < budget


def test_restart_starts_a_new_kiosk_that_says_ready_again(kiosk: Kiosk) -> None:
    kiosk.manager.systemctl("start", KIOSK)
    first = kiosk.state()
    first_kiosk = kiosk.kiosk_pid()
    kiosk.manager.systemctl("restart", KIOSK)

    second = kiosk.state()
    assert (second["ActiveState"], second["SubState"]) == ("active", "running")
    assert second["MainPID"] != first["MainPID"]
    second_kiosk = kiosk.kiosk_pid()
    assert _gone(first_kiosk)
    assert kiosk.wait_said(KIOSK, "SIGTERM received: the kiosk closes")  # the first, gently
    kiosk.manager.wait_for(
        "the new kiosk's READY=1",
        lambda: kiosk.said(KIOSK, f"from PID {second_kiosk} (READY=1)"),
        PAINT_TIMEOUT_S,
    )
    kiosk.wait_painted("attract-again.png")


def test_a_frozen_kiosk_is_restarted_by_the_watchdog(kiosk: Kiosk) -> None:
    """SIGSTOP freezes the kiosk's main loop as a hang would: its pings stop, systemd kills
    the unit (Result=watchdog) and starts it again. Drop-in: ``WatchdogSec=3`` (the unit's 30
    s, shortened), ``RestartSec=0.5`` (2 s)."""
    kiosk.drop_in(KIOSK, "faster", "[Service]\nWatchdogSec=3\nRestartSec=0.5\n")
    kiosk.manager.systemctl("start", KIOSK)
    first = kiosk.state()
    assert kiosk.wait_said(KIOSK, "watchdog: a ping every 1500 ms")  # WATCHDOG_USEC reached it
    frozen_at = time.monotonic()
    os.kill(kiosk.kiosk_pid(), signal.SIGSTOP)

    second = kiosk.wait_running(not_pid=first["MainPID"])
    restarted = kiosk.manager.monotonic_s(KIOSK, "ActiveEnterTimestampMonotonic") - frozen_at
    assert second["NRestarts"] == "1"
    assert kiosk.said(KIOSK, "Watchdog timeout (limit 3s)!")
    assert kiosk.said(KIOSK, "Failed with result 'watchdog'")
    print(f"frozen → restarted and READY: {restarted:.2f} s (WatchdogSec=3, RestartSec=0.5)")
    kiosk.wait_painted("attract-after-watchdog.png")


def test_a_kiosk_that_keeps_crashing_ends_on_the_out_of_order_screen(kiosk: Kiosk) -> None:
    """The kiosk is killed (SIGKILL, as a crash) each time it is up: cage exits 0 without its
    client, ``Restart=always`` starts it again, until ``StartLimitBurst=`` starts in
    ``StartLimitIntervalSec=``; then ``OnFailure=`` shows the out-of-order screen. Starting
    the kiosk again (after ``reset-failed``, as docs/deployment.md says) closes it.
    Drop-in: ``RestartSec=0.5`` (the unit's 2 s)."""
    kiosk.drop_in(KIOSK, "faster", "[Service]\nRestartSec=0.5\n")
    began = time.monotonic()
    kiosk.manager.systemctl("start", KIOSK)
    kills = 0
    main = ""

    def up_again_or_given_up() -> dict[str, str] | None:
        state = kiosk.state()
        if state["ActiveState"] == "failed":
            return state
        up = (state["ActiveState"], state["SubState"]) == ("active", "running")
        return state if up and state["MainPID"] not in ("0", main) else None

    while (state := kiosk.manager.wait_for("kiosk", up_again_or_given_up, 60))[
        "ActiveState"
    ] != "failed":
        main = state["MainPID"]
        os.kill(kiosk.kiosk_pid(), signal.SIGKILL)
        kills += 1
        assert kills <= 10, "still restarting after 10 crashes"

    assert kiosk.state()["Result"] == "start-limit-hit"
    assert kills == int(Unit.named(KIOSK).value("StartLimitBurst"))
    # cage exited 0 each time, with its client killed: Restart=on-failure would not restart
    kiosk.manager.wait_for(
        "cage's exits in the journal",
        lambda: (
            len(kiosk.said(KIOSK, "Main process exited, code=exited, status=0/SUCCESS")) == kills
        ),
        10,
    )
    kiosk.wait_running(OUT_OF_ORDER)
    kiosk.wait_painted("out-of-order.png")
    print(f"{kills} crashes → out of order: {time.monotonic() - began:.2f} s (RestartSec=0.5)")

    kiosk.manager.systemctl("reset-failed", KIOSK)
    kiosk.manager.systemctl("start", KIOSK)
    assert kiosk.state(OUT_OF_ORDER)["ActiveState"] == "inactive"
    assert kiosk.state()["ActiveState"] == "active"


def test_the_backup_timer_catches_up_a_missed_night_with_a_backup_that_restores(
    kiosk: Kiosk,
) -> None:
    """The timer, enabled, waits for the coming 02:30 (plus up to ``RandomizedDelaySec=15min``).
    ``Persistent=true``: a kiosk that was off at 02:30 makes the missed backup as soon as its
    timer starts (here: the last run two days ago, in the timer's stamp file; drop-in
    ``RandomizedDelaySec=0``, else the catch-up too waits up to 15 minutes). The backup unit
    runs ``kiosk backup`` under the manager, and ``kiosk restore`` brings its data back."""
    manager, places = kiosk.manager, kiosk.places
    database = f"sqlite:///{places.data / 'kiosk.sqlite3'}"
    program = str(places.installed_root / "opt/clinic-kiosk/venv/bin/kiosk")

    def run_kiosk(*args: str) -> str:
        done = subprocess.run(
            [program, "--db", database, *args],
            env={**os.environ, "HOME": str(places.data)},
            cwd=places.data,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manager.systemctl("enable", "--now", TIMER)
    timer = manager.show(TIMER, "ActiveState", "NextElapseUSecRealtime")
    assert timer["ActiveState"] == "active"
    now = datetime.now()
    tonight = now.replace(hour=2, minute=30, second=0, microsecond=0)
    tonight += timedelta(days=1) if tonight <= now else timedelta(0)
    # "Mon 2026-12-07 02:41:12 UTC", in local time as the test's (the manager's TZ is ours)
    next_run = datetime.strptime(timer["NextElapseUSecRealtime"][:23], "%a %Y-%m-%d %H:%M:%S")
    assert tonight <= next_run <= tonight + timedelta(minutes=15), next_run
    assert not kiosk.said(BACKUP, "Starting")
    manager.systemctl("stop", TIMER)

    run_kiosk("patients", "add", "Maria")
    stamp = places.data / ".local/share/systemd/timers" / f"stamp-{TIMER}"
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stamp, (two_days_ago, two_days_ago))
    kiosk.drop_in(TIMER, "now", "[Timer]\nRandomizedDelaySec=0\n")
    manager.systemctl("start", TIMER)

    def backed_up() -> dict[str, str] | None:
        state = manager.show(BACKUP, "ActiveState", "Result", "ExecMainStatus")
        finished = kiosk.said(BACKUP, f"Finished {BACKUP}")
        return state if finished and state["ActiveState"] == "inactive" else None

    state = manager.wait_for("the missed backup, started by its timer", backed_up, 60)
    assert (state["Result"], state["ExecMainStatus"]) == ("success", "0")
    (backup,) = [path for path in places.backups.rglob("*") if path.is_file()]
    run_kiosk("patients", "add", "Tom")
    run_kiosk("restore", str(backup))
    patients = run_kiosk("patients", "list")
    assert "Maria" in patients
    assert "Tom" not in patients
