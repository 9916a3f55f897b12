"""``KioskServices.open`` on a database having a bad day: one ``DatabaseUnavailableError``
(what the window turns into its out-of-order state), nothing created, the file as it was; and
a new database only when asked for. A running kiosk and ``kiosk restore``: refused while one
runs (in this process or another), a kiosk that starts meanwhile waits, and what the journal
holds reaches the restored database once."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import in_use
from db.backup import back_up
from db.connection import open_database
from db.in_use import FolderLock
from db.models import SessionStatus
from db.problems import DatabaseUnavailableError, Problem
from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.sessions import SessionLog
from db.restore import RestoreRefusedError, restore, restore_latest
from db.types import new_uid
from kiosk.core.clock import FakeClock, utc_now
from kiosk.core.records import SetRecord, SetStatus
from kiosk.core.timeline import Side
from kiosk.patient.journal import Journal, journal_paths
from kiosk.patient.writes import (
    FinishSession,
    LogSet,
    SessionRef,
    StartSession,
    Write,
    to_entry,
)
from kiosk.services import KioskServices
from tests.clinic import ANN, TODAY, TOM
from tests.db.faults import FAULTS, damage_a_page, patients_in, python, url_of
from tests.db.patient_records import visit
from tests.paths import REPO_ROOT


@pytest.mark.parametrize("fault", FAULTS)
def test_a_database_that_cannot_be_used_is_one_clear_error(tmp_path: Path, fault: str) -> None:
    make, problem = FAULTS[fault]
    folder = tmp_path / "clinic"
    folder.mkdir()
    url = make(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(DatabaseUnavailableError) as caught:
        KioskServices.open(url, demo_data=True, today=lambda: TODAY)
    assert caught.value.problem is problem
    assert "Traceback" not in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_create_makes_a_new_demo_clinic(tmp_path: Path) -> None:
    path = tmp_path / "new" / "kiosk.sqlite3"
    services = KioskServices.open(url_of(path), create=True, demo_data=True, today=lambda: TODAY)
    services.close()
    assert ("Maria", "482913") in patients_in(path)


# -- a running kiosk and kiosk restore ------------------------------------------------------

NIGHT = datetime(2026, 3, 2, 2, 15)

# A kiosk in another process: open, then wait until told to close (or be killed).
_KIOSK_IN_A_CHILD = """
import sys
from kiosk.services import KioskServices
services = KioskServices.open(sys.argv[1])
print("running", flush=True)
sys.stdin.readline()
services.close()
"""


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A demo clinic's database, closed, and its backup of last night."""
    path = tmp_path / "clinic" / "kiosk.sqlite3"
    KioskServices.open(url_of(path), create=True, demo_data=True, today=lambda: TODAY).close()
    back_up(path, now=NIGHT)
    return path


def test_a_restore_is_refused_while_a_kiosk_runs_in_this_process(clinic: Path) -> None:
    services = KioskServices.open(url_of(clinic), today=lambda: TODAY)
    try:
        with pytest.raises(RestoreRefusedError, match="A kiosk is running on the database"):
            restore_latest(clinic)
    finally:
        services.close()
    restore_latest(clinic)  # closed: it may


def test_a_restore_is_refused_while_a_kiosk_runs_in_another_process(clinic: Path) -> None:
    with subprocess.Popen(
        python(_KIOSK_IN_A_CHILD, url_of(clinic)), stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT,
    ) as kiosk:  # fmt: skip
        assert kiosk.stdout is not None
        assert kiosk.stdout.readline().strip() == "running"
        with pytest.raises(RestoreRefusedError, match="A kiosk is running on the database"):
            restore_latest(clinic)
        kiosk.kill()  # however a kiosk ends, the kernel lets go of its lock
        kiosk.wait()
    restore_latest(clinic)


def test_a_kiosk_that_could_not_open_its_database_holds_nothing(clinic: Path) -> None:
    damage_a_page(clinic)
    with pytest.raises(DatabaseUnavailableError):
        KioskServices.open(url_of(clinic))  # the out-of-order kiosk: IT may restore under it
    restore_latest(clinic)
    KioskServices.open(url_of(clinic)).close()


def test_a_kiosk_starting_while_a_restore_runs_waits_then_says_why(
    clinic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(in_use, "RESTORE_WAIT_S", 0.2)
    restoring = FolderLock(clinic, exclusive=True)  # what a restore holds while it runs
    try:
        with pytest.raises(DatabaseUnavailableError) as caught:
            KioskServices.open(url_of(clinic))
    finally:
        restoring.release()
    assert caught.value.problem is Problem.BUSY
    assert str(caught.value).startswith(
        f"The database file {clinic} is locked by another program (a restore is under way)."
    )
    KioskServices.open(url_of(clinic)).close()


def _journal(path: Path) -> Journal:
    return Journal(*journal_paths(url_of(path), data_dir=path.parent / "user-data"))


def _counts(path: Path) -> tuple[int, int]:
    import sqlite3

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sessions, sets = connection.execute(
            "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM set_records)"
        ).fetchone()
    finally:
        connection.close()
    return int(sessions), int(sets)


def test_records_waiting_in_the_journal_reach_the_restored_database_once(clinic: Path) -> None:
    # A session the database never took (it was damaged under the kiosk): only in the journal.
    session = SessionRef(new_uid())
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    writes: list[Write] = [
        StartSession(session, 1, 1, at),
        *(LogSet(session, SetRecord(0, "clamshell", 1, side, 3, 3, None, None, at, at, 0.0,
                                    SetStatus.COMPLETED)) for side in (Side.LEFT, Side.RIGHT)),
        FinishSession(session, SessionStatus.FINISHED, at),
    ]  # fmt: skip
    lines = [to_entry(write) for write in writes]
    _journal(clinic).append(*lines)
    damage_a_page(clinic)
    with pytest.raises(DatabaseUnavailableError):
        KioskServices.open(url_of(clinic))
    assert _journal(clinic).read() == lines  # a kiosk that cannot open leaves it be

    restore_latest(clinic)
    assert _journal(clinic).read() == lines  # so does the restore
    services = KioskServices.open(url_of(clinic))  # replays it into the restored database
    try:
        assert services.writer.wait_idle(10.0)
    finally:
        services.close()
    assert _counts(clinic) == (1, 2)
    assert _journal(clinic).read() == []

    # A backup that already holds them, restored with the same records in the journal: each
    # uid is written once.
    again = back_up(clinic, now=NIGHT + timedelta(days=1)).written
    _journal(clinic).append(*lines)
    restore(again, clinic)
    KioskServices.open(url_of(clinic)).close()
    assert _counts(clinic) == (1, 2)


@pytest.mark.usefixtures("fast_retries")
def test_a_carried_on_sessions_records_never_land_in_another_session_after_a_restore(
    clinic: Path,
) -> None:
    """Ann's session began after last night's backup, and was carried on while the database
    would not take writes (locked here; damaged, say): its records wait in the journal. Once
    the backup is restored, its row id goes to the next new session (Tom's); Ann's records,
    tried at every start, must never become Tom's."""
    url = url_of(clinic)
    services = KioskServices.open(url, today=lambda: TODAY)
    ann = services.patient.check_in(ANN)
    assert ann is not None
    first = SessionRef(new_uid())
    now = utc_now()
    services.writer.submit(StartSession(first, ann.patient.id, ann.program_id, now))
    services.writer.submit(LogSet(first, _set(Side.LEFT, now)))
    services.writer.submit(FinishSession(first, SessionStatus.STOPPED, now))
    assert services.writer.wait_idle(10.0)
    offer = services.patient.resume_offer(ann, utc_now())
    assert offer is not None
    blocker = sqlite3.connect(clinic)
    blocker.execute("BEGIN EXCLUSIVE")  # the database takes nothing now
    carried = services.patient.begin_session(ann, FakeClock(), utc_now, resume=offer)
    services.writer.submit(LogSet(carried.session, _set(Side.RIGHT, utc_now())))
    services.close(timeout=0.5)
    blocker.rollback()
    blocker.close()
    waiting = _journal(clinic).read()
    assert len(waiting) == 3  # carried on, "resumed", the right side

    damage_a_page(clinic)
    restore_latest(clinic)  # last night's: no session of Ann's today
    services = KioskServices.open(url, today=lambda: TODAY)
    tom = services.patient.check_in(TOM)
    assert tom is not None
    second = SessionRef(new_uid())
    services.writer.submit(StartSession(second, tom.patient.id, tom.program_id, utc_now()))
    assert services.writer.wait_idle(10.0)  # Ann's records set aside, Tom's session written
    assert services.writer.status().waiting == len(waiting)
    services.close()
    services = KioskServices.open(url, today=lambda: TODAY)  # Ann's records tried again
    services.close()

    with sqlite3.connect(f"file:{clinic}?mode=ro", uri=True) as connection:
        ((tom_session, state),) = connection.execute(
            "SELECT id, state FROM sessions WHERE uid = ?", (second.uid,)
        ).fetchall()
        assert state == "running"  # not reopened, not finished by Ann's records
        for table in ("set_records", "feedback_events"):
            rows = connection.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?",
                                      (tom_session,)).fetchone()  # fmt: skip
            assert rows == (0,), table
    assert len(_journal(clinic).read()) == len(waiting)  # still kept, still counted


def _set(side: Side, at: datetime) -> SetRecord:
    return SetRecord(0, "clamshell", 1, side, 3, 3, None, None, at, at, 0.0, SetStatus.COMPLETED)


def test_opening_the_kiosk_deletes_session_records_past_the_clinics_retention(
    tmp_path: Path,
) -> None:
    path = tmp_path / "clinic" / "kiosk.sqlite3"
    engine = open_database(url_of(path), create=True)
    maria = PatientRepository(engine).add("Maria", "482913").id
    now = utc_now()
    old = visit(engine, maria, now - timedelta(days=11 * 366))
    recent = visit(engine, maria, now - timedelta(days=30))
    engine.dispose()
    services = KioskServices.open(url_of(path))
    try:
        kept = SessionLog(services.database)
        assert kept.info(old.session_id) is None
        assert kept.info(recent.session_id) is not None
        assert [e.actor for e in entries(services.database, actions=(Action.RETENTION,))] == [
            "system"
        ]
    finally:
        services.close()
