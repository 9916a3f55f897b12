"""The session writer: every write a visit makes reaches the database from one thread, in
order, each exactly once, and the coaching never waits for it.

The Qt thread (the engine's listeners, the patient's taps) only calls :meth:`SessionWriter.submit`:
the write goes to the journal (``journal.py``: on disk, fsynced, before anything else sees it)
and onto a queue, and the call returns. The writer's thread takes the queue in order and
performs each write (``writes.apply``); one the database will not take yet (locked by a
backup, a full disk, a server that is down) stays at the head and is tried again after a
growing pause (0.2 s doubling to 5 s), for as long as it takes: nothing behind it overtakes
it, nothing is dropped. A write that fails for another reason (a bug, a constraint) is tried
three times, then set aside — still in the journal, still counted as waiting, tried again at
the next start — so it cannot hold up the rest.

:meth:`SessionWriter.status` says how many writes (and how many sets) are waiting and why;
listeners hear every change, so staff see "2 sets waiting to be saved" until they are saved.
At start-up :meth:`SessionWriter.replay` queues whatever a previous run left in the journal;
each write's uid makes a second write of it change nothing.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from db.repositories.sessions import SessionLog, SessionNotFoundError
from kiosk.patient.journal import Journal
from kiosk.patient.writes import (
    ReopenSession,
    SessionRef,
    StartSession,
    Write,
    apply,
    from_entry,
    is_set,
    to_entry,
)

log = logging.getLogger(__name__)

#: Writes waiting beyond which no new session starts (the running ones still write): at a
#: set every ten seconds, about fourteen hours of coaching with the database away.
MAX_WAITING = 5000
RETRY_FIRST_S = 0.2
RETRY_MAX_S = 5.0
#: Tries before a write that fails for a reason other than the database being away is set aside.
ODD_FAILURES = 3
#: Writes between two rewrites of the journal while a backlog drains.
REWRITE_EVERY = 64


@dataclass(frozen=True)
class WriterStatus:
    """What the writer holds that the database does not have yet.

    ``waiting``: writes queued or set aside; ``sets_waiting``: how many of them are sets;
    ``unkept``: how many no journal file would take (memory only: lost if the kiosk stops
    before the database takes them); ``problem``: why the last try failed (None: no problem).
    """

    waiting: int = 0
    sets_waiting: int = 0
    unkept: int = 0
    problem: str | None = None

    @property
    def all_saved(self) -> bool:
        return self.waiting == 0


Listener = Callable[[WriterStatus], None]


class SessionWriter:
    """One writer per kiosk process and database (see the module docstring)."""

    def __init__(
        self,
        database: Engine,
        journal: Journal | None,
        *,
        max_waiting: int | None = None,
        retry_first_s: float | None = None,
        retry_max_s: float | None = None,
    ) -> None:
        """None takes the module's figure (MAX_WAITING, RETRY_FIRST_S, RETRY_MAX_S)."""
        self._database = database
        self._journal = journal
        self._max_waiting = MAX_WAITING if max_waiting is None else max_waiting
        self._retry_first_s = RETRY_FIRST_S if retry_first_s is None else retry_first_s
        self._retry_max_s = RETRY_MAX_S if retry_max_s is None else retry_max_s
        self._queue: deque[Write] = deque()
        self._set_aside: list[Write] = []
        self._unreadable: list[dict[str, object]] = []  # journal lines this version cannot read
        self._unkept: set[str] = set()  # uids of writes no journal file took
        self._session_ids: dict[str, int] = {}
        self._problem: str | None = None
        self._written_since_rewrite = 0
        self._listeners: list[Listener] = []
        self._condition = threading.Condition()
        self._busy = False  # the thread is performing the head of the queue
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="session-writer", daemon=True)
        self._thread.start()

    @property
    def journal(self) -> Journal | None:
        return self._journal

    # -- the Qt thread's side ------------------------------------------------------------------

    def submit(self, *writes: Write) -> None:
        """Keep ``writes`` and queue them; returns at once (the journal's fsync aside).

        Several writes are kept in one journal write: a kiosk killed in between keeps all of
        them or none (a session's last set and its end, say)."""
        with self._condition:
            entries = [to_entry(write) for write in writes]
            kept = self._journal.append(*entries) if self._journal is not None else None
            if kept is None:
                self._unkept.update(write.uid for write in writes)
                log.error(
                    "%d record(s) could not be kept in any journal file: they wait in memory "
                    "only until the database takes them",
                    len(writes),
                )
            self._queue.extend(writes)
            self._condition.notify_all()
        self._tell()

    @property
    def accepting_sessions(self) -> bool:
        """False once so much waits that a new session should not start (see MAX_WAITING)."""
        return self.status().waiting < self._max_waiting

    def status(self) -> WriterStatus:
        with self._condition:
            waiting = [*self._queue, *self._set_aside]
            unreadable_sets = sum(1 for entry in self._unreadable if entry.get("write") == "set")
            return WriterStatus(
                waiting=len(waiting) + len(self._unreadable),
                sets_waiting=sum(1 for write in waiting if is_set(write)) + unreadable_sets,
                unkept=sum(1 for write in waiting if write.uid in self._unkept),
                problem=self._problem,
            )

    def add_listener(self, listener: Listener) -> None:
        """``listener(status)`` after every change, from whichever thread made it."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def replay(self) -> int:
        """Queue what a previous run left in the journal; returns how many writes.

        Lines this version cannot read are left in the journal file (logged), not dropped.
        """
        if self._journal is None:
            return 0
        queued = 0
        with self._condition:
            known = {write.uid for write in self._queue}
            for entry in self._journal.read():
                try:
                    write = from_entry(entry)
                except ValueError as error:
                    log.error("a journal record could not be read and stays there: %s", error)
                    self._unreadable.append(entry)
                    continue
                if write.uid not in known:
                    self._queue.append(write)
                    known.add(write.uid)
                    queued += 1
            self._condition.notify_all()
        if queued:
            log.warning("%d record(s) from an earlier run were waiting in the journal: "
                        "writing them now", queued)  # fmt: skip
        self._tell()
        return queued

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the queue is empty (what is set aside aside); False on timeout."""
        with self._condition:
            return self._condition.wait_for(
                lambda: not self._queue and not self._busy, timeout=timeout
            )

    def close(self, timeout: float = 3.0) -> WriterStatus:
        """Give the queue ``timeout`` seconds to drain, then stop; what is left stays in the
        journal for the next start (and is logged if no journal holds it)."""
        self.wait_idle(timeout)
        with self._condition:
            self._closing = True
            self._condition.notify_all()
        self._thread.join(timeout=1.0)
        status = self.status()
        if status.waiting:
            log.warning("stopping with %d record(s) not yet in the database (%d set(s)); "
                        "the journal keeps them for the next start", status.waiting,
                        status.sets_waiting)  # fmt: skip
        if status.unkept:
            lost = [w for w in [*self._queue, *self._set_aside] if w.uid in self._unkept]
            log.error("%d record(s) were in no journal and are lost: %r", status.unkept, lost)
        return status

    # -- the writer's thread -------------------------------------------------------------------

    def _run(self) -> None:
        failures = 0
        while True:
            with self._condition:
                while not self._queue and not self._closing:
                    self._condition.wait()
                if self._closing:
                    return
                write = self._queue[0]
                self._busy = True
            try:
                session_id = apply(self._database, write, self._session_id)
            except Exception as error:
                failures += 1
                if self._failed(write, error, failures):
                    failures = 0
                    continue
                delay = min(self._retry_max_s, self._retry_first_s * 2 ** (failures - 1))
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()
                    self._condition.wait(timeout=delay)
                continue
            failures = 0
            self._written(write, session_id)

    def _session_id(self, ref: SessionRef) -> int:
        if ref.id is not None:
            return ref.id
        known = self._session_ids.get(ref.uid)
        if known is None:
            known = SessionLog(self._database).session_id_for(ref.uid)
            if known is None:
                raise SessionNotFoundError(f"session {ref.uid} has not been written")
            self._session_ids[ref.uid] = known
        return known

    def _written(self, write: Write, session_id: int | None) -> None:
        with self._condition:
            self._queue.popleft()
            self._busy = False
            self._unkept.discard(write.uid)
            if isinstance(write, StartSession | ReopenSession) and session_id is not None:
                self._session_ids[write.session.uid] = session_id
            self._written_since_rewrite += 1
            had_problem, self._problem = self._problem, None
            if not self._queue or self._written_since_rewrite >= REWRITE_EVERY:
                self._rewrite_journal()
            self._condition.notify_all()
        if had_problem is not None:
            log.info("the database takes records again")
        self._tell()

    def _failed(self, write: Write, error: Exception, failures: int) -> bool:
        """Note a failed try; True if ``write`` was set aside (the queue moves on)."""
        away = _database_away(error)
        problem = _sentence(error)
        if failures == 1 or problem != self._problem:
            log.warning("could not write a %s record (try %d): %s", type(write).__name__,
                        failures, problem, exc_info=failures == 1)  # fmt: skip
        with self._condition:
            self._problem = problem
            set_aside = not away and failures >= ODD_FAILURES
            if set_aside:
                self._queue.popleft()
                self._set_aside.append(write)
                self._busy = False
                log.error("a %s record failed %d times and is set aside (kept in the journal, "
                          "tried again at the next start): %s", type(write).__name__, failures,
                          problem)  # fmt: skip
                self._condition.notify_all()
        self._tell()
        return set_aside

    def _rewrite_journal(self) -> None:
        """Called with the lock held: the journal keeps what is still waiting."""
        if self._journal is None:
            return
        waiting = [*self._set_aside, *self._queue]
        kept = [*self._unreadable, *(to_entry(write) for write in waiting)]
        if self._journal.rewrite(kept):
            self._written_since_rewrite = 0

    def _tell(self) -> None:
        status = self.status()
        for listener in tuple(self._listeners):
            try:
                listener(status)
            except Exception:
                log.exception("a writer status listener failed")


def _database_away(error: Exception) -> bool:
    """Errors that mean "not now" (locked, full, unreachable), not "never"."""
    if isinstance(error, OperationalError | PoolTimeoutError | OSError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _sentence(error: Exception) -> str:
    """The database's own words for what went wrong, without SQL or parameters."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(error).__name__
    return text[:200]
