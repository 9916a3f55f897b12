"""What the clinic-day soak counts in its own process, and how it tells a leak from a plateau.

A kiosk left on all day must end the day as it began it: the same open files, the same
threads, the same widgets, and memory that has stopped growing. :func:`take` reads them the
cheap way, from ``/proc/self`` and Qt's and Python's own lists, after the deferred deletions
have run and the garbage collector has had its turn (:func:`settle`), so what is counted is
what is really kept, not what merely waits to go.

:func:`judge` compares samples taken at the same point of the day's repeating round of visits
(a sample in the middle of a round would count the one staff page that happens to be open).
The first round is the warm-up: caches fill, staff mode is built, every kind of screen is made
once. After it, resident memory may grow by at most :data:`RSS_BUDGET_MB` (the budget of
``docs/architecture.md``); a count may step up once (the lockout's dimmed keypad, say) or
come and go (a pool thread Qt ends after 30 idle seconds) but must not reach a new high in
the last third of the day: still growing then is a leak, whatever its size.

The database's own files are counted apart from the other open files: SQLAlchemy's pool opens
a second connection (the file and its WAL) the first time the writer's thread and the screen
need one at the same moment, which may happen late in the day, and keeps up to five. A leaked
connection shows as one still checked out between visits (``db_in_use``), which must stay 0.

Resident memory is read twice. As it stands (``rss_raw_kb``) it swings by up to ten
megabytes from one sample to the next on the same visits: memory the allocator keeps after
Python and Qt freed it (glibc's per-thread heaps, given back only from their top) and Qt's
font and glyph caches, which empty on a real-time timer. Budgeted is the second reading
(``rss_kb``), taken once ``malloc_trim`` has given the freed heap back: memory in use, which
is what a leak adds to. The peak (``VmHWM``) is kept too, to see what the swings cost.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QGesture
from sqlalchemy import Engine

#: Resident memory may grow by this much from the end of the warm-up to the end of the day.
RSS_BUDGET_MB = 10.0


@dataclass(frozen=True)
class Sample:
    """The process after ``visits`` visits (``at``: the clinic's time of day, HH:MM)."""

    visits: int
    at: str
    rss_kb: int  # resident, once the allocator has given back what was freed
    rss_raw_kb: int  # resident as it stood
    peak_kb: int  # the most ever resident (VmHWM)
    files: int  # open file descriptors (/proc/self/fd), but the database's
    db_files: int  # the database's: its file, WAL and shared memory, for each connection
    db_in_use: int  # connections checked out of SQLAlchemy's pool
    threads: int  # Python's threads (threading.active_count())
    tasks: int  # the kernel's threads of the process (/proc/self/task): Qt's and SDL's too
    widgets: int  # QApplication.allWidgets()
    qobjects: int  # QObjects under the application and its top-level widgets (not gestures)
    gestures: int  # Qt's gesture objects among them: its gesture manager drops them lazily
    timers: int  # QTimers among them, running or not
    py_objects: int  # objects the garbage collector tracks
    py_blocks: int  # memory blocks Python's allocator holds (sys.getallocatedblocks())

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)


@dataclass(frozen=True)
class Measure:
    """One thing counted in a :class:`Sample`. Its growth after the warm-up may be
    ``budget`` at most; a ``flat`` one fails the day if it still grows in its last third."""

    key: str
    label: str
    unit: str = ""
    scale: float = 1.0  # from the sample's unit to ``unit``
    flat: bool = True
    budget: float | None = None


_MB = 1 / 1024
MEASURES = (
    Measure("rss_kb", "RSS", "MB", _MB, flat=False, budget=RSS_BUDGET_MB),
    Measure("rss_raw_kb", "RSS as it stood", "MB", _MB, flat=False),
    Measure("peak_kb", "peak RSS", "MB", _MB, flat=False),
    Measure("files", "open files"),
    Measure("db_files", "database files open", flat=False),
    Measure("db_in_use", "connections in use"),
    Measure("threads", "Python threads"),
    Measure("tasks", "native threads"),
    Measure("widgets", "widgets"),
    Measure("qobjects", "QObjects"),
    Measure("gestures", "Qt gesture objects", flat=False),
    Measure("timers", "QTimers"),
    # Python's own caches (SQLAlchemy's compiled statements, sqlite3's statements and cursors)
    # fill up over the first visits of each kind; shown to help find a leak, but RSS is what
    # is budgeted.
    Measure("py_objects", "Python objects", flat=False),
    Measure("py_blocks", "Python memory blocks", flat=False),
)


def settle() -> None:
    """What the event loop would do before idling: run what is posted, delete what was
    ``deleteLater``-ed (``processEvents`` from outside a loop does not), collect garbage."""
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()


def status_kb(field: str = "VmRSS") -> int:
    """A memory figure of ``/proc/self/status``, in kB (VmRSS: resident now; VmHWM: peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def give_back_freed_heap() -> None:
    """glibc's ``malloc_trim(0)``: return the free parts of every heap to the system (a no-op
    where there is no glibc)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


def _qobjects() -> list[QObject]:
    app = QCoreApplication.instance()
    assert app is not None
    found: list[QObject] = [app, *app.findChildren(QObject)]
    for widget in QApplication.topLevelWidgets():
        found += [widget, *widget.findChildren(QObject)]
    return found


def _open_files(database: Path) -> tuple[int, int]:
    """(open files but the database's, the database's own files)."""
    others = own = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, closed by now
            continue
        if target.startswith(str(database)):
            own += 1
        else:
            others += 1
    return others, own


def _in_use(database: Engine) -> int:
    checked_out = getattr(database.pool, "checkedout", None)
    return int(checked_out()) if callable(checked_out) else 0


def take(visits: int, at: str, database: Engine) -> Sample:
    """Count everything now (call :func:`settle` first); ``database`` is the kiosk's."""
    raw = status_kb()
    files, db_files = _open_files(Path(str(database.url.database)))
    give_back_freed_heap()
    qobjects = _qobjects()
    gestures = sum(1 for o in qobjects if isinstance(o, QGesture))
    return Sample(
        visits=visits,
        at=at,
        rss_kb=status_kb(),
        rss_raw_kb=raw,
        peak_kb=status_kb("VmHWM"),
        files=files,
        db_files=db_files,
        db_in_use=_in_use(database),
        threads=threading.active_count(),
        tasks=len(os.listdir("/proc/self/task")),
        widgets=len(QApplication.allWidgets()),
        qobjects=len(qobjects) - gestures,
        gestures=gestures,
        timers=sum(1 for o in qobjects if isinstance(o, QTimer)),
        py_objects=len(gc.get_objects()),
        py_blocks=sys.getallocatedblocks(),
    )


@dataclass(frozen=True)
class Growth:
    """How one measure went from the warm-up to the end of the day."""

    key: str
    label: str
    unit: str
    start: float  # after start-up, before the first visit
    warm: float  # at the end of the warm-up
    end: float
    late: float  # the end above the highest value before the last third of the day
    problem: str | None = None  # why this fails the day (None: it does not)

    @property
    def growth(self) -> float:
        return self.end - self.warm


def judge(samples: Sequence[Sample], warm_up: int) -> list[Growth]:
    """Every measure of :data:`MEASURES`, from the sample at ``warm_up`` visits to the last.

    ``samples`` are taken at the same point of each round of visits, the first before any
    visit. A measure with a budget fails past it; a flat one fails if its last value is above
    every value it had from the warm-up to two thirds of the way to the end.
    """
    after = [s for s in samples if s.visits >= warm_up]
    if len(after) < 2:
        raise ValueError(f"need samples after the warm-up ({warm_up} visits) to judge a day")
    first, warm, end = samples[0], after[0], after[-1]
    before_late = after[: (2 * (len(after) - 1)) // 3 + 1]
    late = before_late[-1]
    found = []
    for m in MEASURES:

        def value(sample: Sample, m: Measure = m) -> float:
            return float(getattr(sample, m.key)) * m.scale

        high = max(value(s) for s in before_late)
        growth = Growth(
            m.key, m.label, m.unit, value(first), value(warm), value(end), value(end) - high
        )
        unit = f" {m.unit}" if m.unit else ""
        if m.budget is not None and growth.growth > m.budget:
            growth = replace(
                growth,
                problem=f"{m.label} grew by {growth.growth:.1f}{unit} after the warm-up "
                f"(budget {m.budget:g}{unit})",
            )
        elif m.flat and growth.late > 0:
            growth = replace(
                growth,
                problem=f"{m.label} keep growing: at most {high:g} until {late.visits} visits, "
                f"{growth.end:g} after {end.visits}",
            )
        found.append(growth)
    return found
