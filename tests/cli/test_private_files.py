"""What the kiosk writes is its user's alone, whatever umask it was started with.

The real ``kiosk`` command runs in a child process whose umask lets everyone read what it
makes (0o022, a common default): the kiosk on a new database in a new folder, a patient checked
in with the voice preparing her cues and her session started, then a report and a check-in card
saved. Every file it made must be 0600 and every folder 0700 (``PRIVATE_UMASK`` in
``kiosk/cli/__init__.py``, set before anything else runs).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clinic import ANN
from tests.paths import REPO_ROOT

# The kiosk as `kiosk --db URL --create-db --demo` starts it, watched from inside: once the
# voice is ready, Ann checks in, her cues are rendered into the voice cache, her session
# starts (its first record goes to the journal, kept there by a moment's lock on the
# database), and the modes of what exists then (the
# database's -wal and -shm only live while it is open) are printed before the window closes.
KIOSK = """
import json, os, sqlite3, stat, sys
from datetime import date
from pathlib import Path
os.umask(0o022)
from PySide6.QtCore import QTimer
import kiosk.ui.shell.app as app

database = Path(sys.argv[1])
real_run, real_create = app.run, app.create_window
kept = []

def modes():
    found = {}
    for path in [database.parent, *database.parent.iterdir()]:
        found[path.name] = oct(stat.S_IMODE(path.stat().st_mode))
    return found

def when(done, then):
    def poll():
        if done():
            then()
        else:
            QTimer.singleShot(50, poll)
    poll()

def watch(window):
    def check_in():
        window.go_to_checkin()
        for digit in sys.argv[2]:
            window.checkin.digit_buttons[digit].click()
        window.checkin.ok_button.click()
        voice = window.voice
        when(lambda: window.visit.program is not None and voice.progress[1] > 0
             and voice.progress[0] == voice.progress[1], start)

    def start():
        busy = sqlite3.connect(database, isolation_level=None)
        busy.execute("BEGIN IMMEDIATE")  # the session's first record waits in the journal
        window.visit.program.start_button.click()
        print("MODES", json.dumps(modes()), flush=True)
        busy.execute("ROLLBACK")
        busy.close()
        window.close_now()

    when(lambda: window.voice is not None and window.voice.service is not None, check_in)

def create_window(options, **kwargs):
    window = real_create(options, **kwargs)
    kept.append(window)
    window.services_loaded.connect(lambda ok: watch(window))
    return window

app.create_window = create_window
app.run = lambda options: real_run(options._replace(size=(1280, 800)))
from kiosk.cli import main
url = f"sqlite:///{database}"
code = main(["--db", url, "--create-db", "--demo", "--windowed", "--log-file", sys.argv[3]])
assert code == 0, code
# Then what staff save: a report and a check-in card (each command starts at 0o022 again).
os.umask(0o022)
today = date.today().isoformat()
assert main(["--db", url, "report", "--from", today, "--to", today, "--csv", sys.argv[4]]) == 0
os.umask(0o022)
assert main(["--db", url, "patients", "card", sys.argv[2], "--out", sys.argv[5]]) == 0
"""


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.mark.slow
def test_everything_the_kiosk_makes_is_private_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "kiosk"  # made by --create-db
    exports = tmp_path / "usb"
    exports.mkdir()
    log = tmp_path / "logs" / "kiosk.log"
    report, card = exports / "report.csv", exports / "card.pdf"
    cache = Path(os.environ["KIOSK_VOICE_CACHE_DIR"])  # the test's own (tests/conftest.py)
    (tmp_path / "run").mkdir(mode=0o700)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy",
               XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_RUNTIME_DIR=str(tmp_path / "run"))  # fmt: skip
    child = subprocess.run(
        [sys.executable, "-c", KIOSK, str(folder / "kiosk.sqlite3"), ANN, str(log), str(report),
         str(card)],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr[-3000:]
    (line,) = [line for line in child.stdout.splitlines() if line.startswith("MODES ")]
    while_running = json.loads(line.removeprefix("MODES "))
    assert while_running == {
        "kiosk": "0o700",
        "kiosk.sqlite3": "0o600",
        "kiosk.sqlite3-wal": "0o600",
        "kiosk.sqlite3-shm": "0o600",
        "kiosk.pending.jsonl": "0o600",
    }
    assert _mode(folder) == "0o700"
    assert _mode(folder / "kiosk.sqlite3") == "0o600"
    # The voice cache: its folders and every rendered cue.
    wavs = list(cache.rglob("*.wav"))
    assert wavs, "no cue was rendered"
    assert {_mode(path) for path in [cache, *cache.rglob("*")] if path.is_dir()} == {"0o700"}
    assert {_mode(path) for path in wavs} == {"0o600"}
    # The log (and its folder), the report and the card.
    assert (_mode(log.parent), _mode(log)) == ("0o700", "0o600")
    assert log.read_text(encoding="utf-8")  # the kiosk's log went there, not to stderr
    assert (_mode(report), _mode(card)) == ("0o600", "0o600")
