"""Today: the live board of who is scheduled, checked in, in progress, done or stopped, and
who pressed "It hurts" or called staff. Read again every few seconds while it is showing.

Statuses are words with a coloured chip, never colour alone; an alert is a red chip with its
words. Touching a row opens that patient's progress.

The board is read on a worker thread (:class:`QtSlowWork`, its own database session), never on
Qt's: a busy clinic's day is hundreds of rows, read again every five seconds. Meanwhile the
board keeps showing what it last read, with a quiet "Updating…" under it; a refresh due while
one is still reading is left to the next tick.

While wrong codes keep check-in paused (for the whole clinic: ``kiosk/core/lockout.py``) the
board says so above the table, after how many and until when, with **Open check-in now**
(audited as the signed-in staff member; the next pause is a first one again).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QTableWidgetItem

from db.repositories.checkin_lockout import CheckInLockoutStore
from db.repositories.progress import BoardEntry, DayStatus, ProgressQueries
from kiosk.core.lockout import LockoutState
from kiosk.text import t
from kiosk.text.dates import day_long, time_seconds, time_short
from kiosk.ui.runners.writer_status import waiting_text
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.staff_mode.page import QtStaffPage
from kiosk.ui.staff_mode.slow_work import QtSlowWork
from kiosk.ui.staff_mode.tables import make_table
from kiosk.ui.widgets.base import make_button, make_label

log = logging.getLogger(__name__)

REFRESH_MS = 5_000
_CENTER = Qt.AlignmentFlag.AlignCenter
#: The board's columns, by key (looked up when the board is built).
_HEADERS = (
    "staff.today.col_code",
    "staff.today.col_name",
    "staff.today.col_program",
    "staff.today.col_status",
    "staff.today.col_alerts",
    "staff.today.col_last_seen",
)
_COLUMNS = len(_HEADERS)
#: A day's status in words.
STATUS_KEYS = {
    "scheduled": "staff.status.scheduled",
    "checked in": "staff.status.checked_in",
    "in progress": "staff.status.in_progress",
    "done": "staff.status.done",
    "stopped": "staff.status.stopped",
}


def when_text(entry: BoardEntry) -> str:
    if entry.last_activity is None:
        return ""
    return time_short(entry.last_activity.astimezone())


@dataclass(frozen=True)
class BoardRead:
    """What one refresh read, on the worker: the board and check-in's pause (None: unknown)."""

    day: date
    entries: tuple[BoardEntry, ...]
    lockout: LockoutState | None


class QtTodayPage(QtStaffPage):
    """The "today" board (``ProgressQueries.day_board``), read off the UI thread.

    Signals:
        loaded(): a refresh's answer is on the screen (or its failure said).
    """

    loaded = Signal()

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "TodayPage", "")
        self._queries = ProgressQueries(context.database)
        self.counts = make_label("", "body", name="TodayCounts")
        self.root.addWidget(self.counts)
        # Sets this kiosk has kept but the database has not taken yet (kiosk/patient/writer.py).
        self.waiting = QtMessage("TodayWaiting")
        self.root.addWidget(self.waiting)
        # Check-in paused by wrong codes, and the way to open it again.
        self._lockout = CheckInLockoutStore(context.database)
        paused_row = QHBoxLayout()
        paused_row.setSpacing(context.theme.metrics.spacing)
        self.checkin_paused = QtMessage("TodayCheckinPaused")
        paused_row.addWidget(self.checkin_paused, 1)
        self.reopen_button = make_button(t("staff.today.reopen"), name="TodayReopenButton")
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.reopen_button.setVisible(False)
        paused_row.addWidget(self.reopen_button)
        self.root.addLayout(paused_row)
        if context.writer_status is not None:
            context.writer_status.changed.connect(self._on_writer_status_changed)
        self.table = make_table(context.theme, "TodayBoard", [t(k) for k in _HEADERS], stretch=2)
        self.table.cellClicked.connect(self._on_table_cell_clicked)
        self.root.addWidget(self.table, 1)
        self.empty = QtMessage("TodayEmpty")
        self.root.addWidget(self.empty)
        self.updated = make_label("", "small", name="TodayUpdated")
        self.root.addWidget(self.updated)
        self.entries: tuple[BoardEntry, ...] = ()
        self._reopened = False  # "check-in is open again" stays said until the page is left
        self._reader = QtSlowWork(self)
        self.timer = context.timers.create(self, "staff-board-refresh", interval_ms=REFRESH_MS)
        self.timer.timeout.connect(self._on_timer_timeout)

    @property
    def loading(self) -> bool:
        """A refresh is being read on the worker."""
        return self._reader.busy

    def entered(self) -> None:
        self.refresh()
        self.timer.start()

    def _on_writer_status_changed(self, _status: object) -> None:
        self._show_waiting()

    def _show_waiting(self) -> None:
        watcher = self.context.writer_status
        status = watcher.status if watcher is not None else None
        if status is None or status.all_saved:
            self.waiting.clear_message()
            return
        why = t("writer.why", problem=status.problem) if status.problem else ""
        self.waiting.show_error(f"{waiting_text(status)}. {why}".strip())

    def left(self) -> None:
        """Stop refreshing; a read in flight is let end (one board read: tens of ms) and its
        answer dropped, so a closing staff mode never deletes the page under it."""
        self.timer.stop()
        self._reopened = False
        self._reader.wait()

    def refresh(self) -> None:
        """Read the board again on the worker; the old one stays until the new one is in."""
        day = self.context.today()
        self.title.setText(t("staff.today.title", day=day_long(day)))
        queries, lockout = self._queries, self._lockout

        def read() -> BoardRead:  # on the worker thread: no widget is touched here
            try:
                state: LockoutState | None = lockout.load()
            except Exception:  # the board's other lines say what the database is doing
                state = None
            return BoardRead(day, queries.day_board(day), state)

        if self._reader.start(read, self._on_board_read):
            self.updated.setText(t("staff.today.updating"))

    def _on_board_read(self, result: object, error: BaseException | None) -> None:
        if error is not None or not isinstance(result, BoardRead):
            log.error("the board could not be read: %s", error.__class__.__name__)
            self.updated.setText(t("staff.today.updated_failed"))
            self.loaded.emit()
            return
        self.entries = result.entries
        counts = Counter(entry.status for entry in self.entries)
        self.counts.setText(
            t(
                "staff.today.counts",
                scheduled=counts[DayStatus.SCHEDULED],
                checked_in=counts[DayStatus.CHECKED_IN],
                in_progress=counts[DayStatus.IN_PROGRESS],
                done=counts[DayStatus.DONE],
                stopped=counts[DayStatus.STOPPED],
            )
        )
        self._fill()
        self._show_waiting()
        self._show_checkin_paused(result.lockout)
        if self.entries:
            self.empty.clear_message()
        else:
            self.empty.show_ok(t("staff.today.empty"))
        now = self.context.wall_clock().astimezone()
        self.updated.setText(t("staff.today.updated", time=time_seconds(now)))
        self.loaded.emit()

    def _show_checkin_paused(self, state: LockoutState | None) -> None:
        now = self.context.wall_clock()
        if state is None or not state.is_paused(now) or state.paused_until is None:
            if self._reopened:
                self.checkin_paused.show_ok(t("staff.today.reopened"))
            else:
                self.checkin_paused.clear_message()
            self.reopen_button.setVisible(False)
            return
        self._reopened = False
        until = time_short(state.paused_until.astimezone())
        self.checkin_paused.show_error(
            t("staff.today.checkin_paused", count=state.paused_after, time=until)
        )
        self.reopen_button.setVisible(True)

    def _on_reopen_button_clicked(self) -> None:
        try:
            self._lockout.reopen(self.context.actor, self.context.wall_clock())
        except PermissionError:
            raise
        except Exception:
            log.exception("check-in could not be opened again")
            self.checkin_paused.show_error(t("staff.today.reopen_failed"))
            return
        self._reopened = True
        self.checkin_paused.show_ok(t("staff.today.reopened"))
        self.reopen_button.setVisible(False)
        self.refresh()

    def _fill(self) -> None:
        # Alerts first (someone needs a person now), then by status, then by name.
        order = list(DayStatus)
        rows = sorted(
            self.entries,
            key=lambda e: (
                not (e.hurt or e.called_staff),
                order.index(e.status),
                e.display_name.lower(),
            ),
        )
        self.entries = tuple(rows)
        table = self.table
        table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            key = STATUS_KEYS.get(entry.status.value)
            status_text = t(key) if key is not None else entry.status.value
            alerts = " · ".join(
                [
                    *([t("staff.today.hurt")] if entry.hurt else []),
                    *([t("staff.today.called")] if entry.called_staff else []),
                ]
            )
            # The chips are labels over the cells; the cells hold the same words underneath.
            cells = (
                entry.code,
                entry.display_name,
                entry.program_name or "",
                status_text,
                alerts,
                when_text(entry),
            )
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
            status = make_label(
                status_text, "status", name=f"TodayStatus{r}", wrap=False, align=_CENTER
            )
            status.setProperty("status", entry.status.value.replace(" ", "-"))
            table.setCellWidget(r, 3, status)
            if alerts:
                alert = make_label(
                    alerts, "alert", name=f"TodayAlert{r}", wrap=False, align=_CENTER
                )
                table.setCellWidget(r, 4, alert)
        self._fit_chip_columns()

    def _fit_chip_columns(self) -> None:
        """The chip columns as wide as their widest chip (the table's own sizing does not
        measure cell widgets)."""
        header = self.table.horizontalHeader()
        for column in (3, 4):
            widest = header.sectionSizeHint(column)
            for row in range(self.table.rowCount()):
                widget = self.table.cellWidget(row, column)
                if widget is not None:
                    widget.ensurePolished()
                    widest = max(widest, widget.sizeHint().width())
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, widest + self.theme.metrics.spacing)

    def _on_timer_timeout(self) -> None:
        self.refresh()

    def _on_table_cell_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.entries):
            self.page_requested.emit("progress", self.entries[row].patient_id)
