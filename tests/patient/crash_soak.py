"""Kill a real kiosk session with SIGKILL at random moments, many times, and check after each
kill what a power cut would leave: an intact database, every set the session had finished,
none twice, and a next check-in that offers to carry on from the first set not logged.

Each run is a child process doing what the kiosk does (``KioskServices.open`` replays the
journal, check-in, "carry on?", the session with the real writer and journal on a real SQLite
file), on a clock running ``SPEED`` times faster so a whole program takes a couple of seconds.
It prints each set the moment the session finishes it (its listener is subscribed after the
logger's, so a printed set has already been handed to the journal). ``make test`` runs a
few dozen kills (``tests/patient/test_crash_safety.py``); ``make soak`` runs many more:

    python -m tests.patient.crash_soak --kills 300
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from db.repositories.sessions import SessionLog
from kiosk.core.clock import utc_now
from kiosk.core.resume import resume_point
from kiosk.core.schedule import set_spans
from kiosk.patient.carry_on import done_keys
from kiosk.services import KioskServices
from tests.paths import REPO_ROOT

CODE = "551937"  # Ann: one set on each side, about a minute
SPEED = 30.0

CHILD = """
import sys, time
from db.repositories.sessions import SessionLog
from kiosk.core.clock import utc_now
from kiosk.core.events import SessionState, SetFinished
from kiosk.services import KioskServices

speed = float(sys.argv[2])
def clock():
    return time.monotonic() * speed

services = KioskServices.open(sys.argv[1])
checkin = services.patient.check_in(sys.argv[3])
offer = services.patient.resume_offer(checkin, utc_now())
session = services.patient.begin_session(checkin, clock, utc_now, resume=offer)
print("SESSION", session.session.uid, flush=True)

def report(event):
    if isinstance(event, SetFinished):
        r = event.record
        print("SET", r.exercise_index, r.set_number, r.side, flush=True)

engine = session.engine
engine.subscribe(report)
engine.start(session.from_step)
while engine.state is SessionState.RUNNING:
    wait = (engine.next_deadline() - clock()) / speed
    if wait > 0:
        time.sleep(wait)  # the session's own real-time driver, like the kiosk's timer
    engine.update()
services.close()
print("DONE", flush=True)
"""


@dataclass
class Counts:
    kills: int = 0
    runs_finished: int = 0
    sets_printed: int = 0
    sets_lost: int = 0
    sets_twice: int = 0
    integrity_failures: int = 0
    offers_checked: int = 0
    offers_wrong: int = 0
    unfinished_complete_sessions: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.kills} kills, {self.runs_finished} runs to the end; {self.sets_printed} "
            f"finished sets seen: {self.sets_lost} lost, {self.sets_twice} written twice; "
            f"{self.integrity_failures} integrity failures; {self.offers_checked} resume offers "
            f"checked, {self.offers_wrong} wrong; {self.unfinished_complete_sessions} sessions "
            f"with every set logged but not finished"
        )

    @property
    def clean(self) -> bool:
        return not (
            self.sets_lost
            or self.sets_twice
            or self.integrity_failures
            or self.offers_wrong
            or self.unfinished_complete_sessions
        )


def _child_env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", SDL_AUDIODRIVER="dummy",
                PYTHONPATH=str(REPO_ROOT))  # fmt: skip


def _side(text: str) -> str | None:
    return None if text == "None" else text.split(".")[-1].lower()


def run_kills(folder: Path, kills: int, *, seed: int, speed: float = SPEED) -> Counts:
    """``kills`` runs killed at random moments (and the runs that end on their own), with
    every check after each; the database and journal live in ``folder``."""
    url = f"sqlite:///{folder / 'kiosk.sqlite3'}"
    KioskServices.open(url, demo_data=True, create=True).close()
    rng = random.Random(seed)
    counts = Counts()
    while counts.kills < kills:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(speed), CODE],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT,
            env=_child_env(),
        )  # fmt: skip
        try:
            out, err = child.communicate(timeout=rng.uniform(0.2, 3.0))
            killed = False
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
            killed = True
        if not killed and child.returncode != 0:
            counts.problems.append(f"a run failed: {err[-600:]}")
            break
        counts.kills += killed
        counts.runs_finished += not killed
        _check(folder, url, out, counts)
    return counts


def _check(folder: Path, url: str, out: str, counts: Counts) -> None:
    database = folder / "kiosk.sqlite3"
    with sqlite3.connect(database) as connection:
        if connection.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            counts.integrity_failures += 1
    # Only whole lines: a kill can cut the last one short as it is printed.
    whole = out.split("\n")[:-1]
    lines = [line.split() for line in whole]
    sessions = [line for line in lines if line and line[0] == "SESSION"]
    printed = [(int(i), int(n), _side(side)) for tag, i, n, side in
               (line for line in lines if line and line[0] == "SET")]  # fmt: skip
    counts.sets_printed += len(printed)
    # The next start: the journal replayed, then a check-in, as the patient coming back.
    services = KioskServices.open(url)
    try:
        services.writer.wait_idle(10.0)
        checkin = services.patient.check_in(CODE)
        assert checkin is not None
        with sqlite3.connect(database) as connection:
            if sessions:
                uid = sessions[0][1]  # a session carried on keeps its uid
                row = connection.execute("SELECT id FROM sessions WHERE uid = ?", (uid,)).fetchone()
                session_id = row[0] if row else None
            else:
                session_id = None  # killed before the session began
            if session_id is None:
                counts.sets_lost += len(printed)
                return
            rows = connection.execute(
                "SELECT exercise_index, set_number, side FROM set_records WHERE session_id = ?",
                (session_id,),
            ).fetchall()
            state = connection.execute(
                "SELECT state FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()[0]
        logged = [(i, n, None if side is None else side.lower()) for i, n, side in rows]
        counts.sets_twice += sum(c - 1 for c in Counter(logged).values() if c > 1)
        counts.sets_lost += len(set(printed) - set(logged))
        total = len(set_spans(checkin.timeline))
        if len(set(logged)) == total and state != "finished":
            counts.unfinished_complete_sessions += 1
        offer = services.patient.resume_offer(checkin, utc_now())
        done = SessionLog(services.database).sets_for(session_id)
        expected = resume_point(checkin.timeline, done_keys(done))
        counts.offers_checked += 1
        if state == "finished" or not logged:
            wrong = offer is not None
        else:
            wrong = offer is None or offer.point != expected
        if wrong:
            counts.offers_wrong += 1
            counts.problems.append(f"offer {offer} after {len(logged)} set(s), state {state}")
    finally:
        services.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--seed", type=int, default=int(datetime.now(UTC).timestamp()))
    parser.add_argument("--speed", type=float, default=SPEED)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as folder:
        counts = run_kills(Path(folder), args.kills, seed=args.seed, speed=args.speed)
    print(f"seed {args.seed}: {counts.line()}")
    for problem in counts.problems[:10]:
        print("  ", problem)
    return 0 if counts.clean and not counts.problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
