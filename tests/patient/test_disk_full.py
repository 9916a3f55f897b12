"""A full disk, for real: the database on a small filesystem that fills up after the first
set. The session goes on; the next set waits in the writer and in the journal's second place
(another filesystem); nothing says "saved" for it; once space is freed it is written, once.
(It used to lose the set, write a 0-byte journal on the same full disk, and leave the session
"running".)"""

from __future__ import annotations

import json
from pathlib import Path

from tests.patient.faults import run_on_tmpfs

CHILD = """
import json, logging, os, sys
from pathlib import Path
from sqlalchemy import text
from kiosk.core.clock import FakeClock, utc_now
from kiosk.core.events import SessionState, SetFinished
from kiosk.patient import writer as writer_module
from kiosk.services import KioskServices

logging.basicConfig(level=logging.WARNING, format="LOG %(name)s %(message)s")
writer_module.RETRY_MAX_S = 0.2
disk, memory = Path(sys.argv[1]), Path(sys.argv[2])
os.environ["KIOSK_JOURNAL_DIR"] = str(memory)
services = KioskServices.open(f"sqlite:///{disk / 'kiosk.sqlite3'}", demo_data=True,
                               create=True)
checkin = services.patient.check_in("551937")  # Ann: one set on each side
clock = FakeClock()
session = services.patient.begin_session(checkin, clock, utc_now)
filler = disk / "filler"

def fill_after_the_first_set(event):
    if isinstance(event, SetFinished) and not filler.exists():
        assert services.writer.wait_idle(10)  # set 1 is in the database
        with open(filler, "wb") as handle:
            try:
                while True:
                    handle.write(bytes(65536))
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError:
                pass

session.engine.subscribe(fill_after_the_first_set)
session.engine.start()
while session.engine.state is SessionState.RUNNING:
    clock.advance(max(0.0, session.engine.next_deadline() - clock()))
    session.engine.update()

def database():
    with services.database.connect() as connection:
        sets = connection.execute(text("SELECT count(*) FROM set_records")).scalar()
        state = connection.execute(text("SELECT state FROM sessions")).scalar()
    return {"sets": sets, "state": state}

def lines(path):
    return len(path.read_text().splitlines()) if path.exists() else 0

journal = services.writer.journal
services.writer.wait_idle(1.0)  # it cannot: the disk is full
status = services.writer.status()
during = {"engine": session.engine.state.value, "records": len(session.engine.records),
          "waiting_sets": status.sets_waiting, "unkept": status.unkept, "problem": status.problem,
          "primary_lines": lines(journal.primary), "fallback_lines": lines(journal.fallback),
          "fallback_in_memory_dir": journal.fallback.parent == memory, **database()}
filler.unlink()
drained = services.writer.wait_idle(30)
after = {"drained": drained, "all_saved": services.writer.status().all_saved,
         "primary_exists": journal.primary.exists(), "fallback_exists": journal.fallback.exists(),
         **database()}
services.close()
print("REPORT " + json.dumps({"during": during, "after": after}), flush=True)
"""


def test_a_full_disk_keeps_the_set_elsewhere_and_saves_it_once_there_is_room(
    tmp_path: Path,
) -> None:
    child = run_on_tmpfs(CHILD, {"disk": "2m", "memory": "1m"}, tmp_path)
    assert child.returncode == 0, child.stderr[-2000:]
    (line,) = [ln for ln in child.stdout.splitlines() if ln.startswith("REPORT ")]
    report = json.loads(line.removeprefix("REPORT "))
    during, after = report["during"], report["after"]
    # The patient was coached to the end; the second set waits, kept on the other filesystem.
    assert (during["engine"], during["records"]) == ("finished", 2)
    assert (during["sets"], during["state"]) == (1, "running")
    assert (during["waiting_sets"], during["unkept"]) == (1, 0)
    assert "full" in during["problem"]
    assert during["fallback_in_memory_dir"]
    assert during["fallback_lines"] >= 2  # the set and the session's end
    # What was logged: the database and the journal's first place both refused, and why.
    assert "could not write a LogSet record" in child.stderr
    assert "the journal could not be written at" in child.stderr
    assert "No space left on device" in child.stderr
    # Room again: written once, the session finished, the journal emptied.
    assert after == {"drained": True, "all_saved": True, "primary_exists": False,
                     "fallback_exists": False, "sets": 2, "state": "finished"}  # fmt: skip
