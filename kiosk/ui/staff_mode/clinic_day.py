"""The whole clinic on one day, as the Progress page shows it: a day to step through, the
day's totals, and a row per patient (program, sessions, sets, "It hurts" presses, pain
before → after, and whether the prescribed day was done).

The rows are read from :class:`ProgressQueries` each time the day is shown. A patient with
nothing prescribed that day is neither done nor not done, and is counted in no total.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from db.repositories.progress import DayRow, ProgressQueries
from kiosk.text import t, tn
from kiosk.ui.staff_mode.patient_progress import percent
from kiosk.ui.staff_mode.steppers import QtDayStepper
from kiosk.ui.staff_mode.tables import fill_table, make_table
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_label


def day_cells(row: DayRow) -> tuple[str, ...]:
    """Sessions as "finished of started"; pain as "before → after" (0-10)."""
    done = "—"  # nothing was prescribed: neither done nor not
    if row.scheduled:
        done = t("staff.progress.done_yes") if row.done else t("staff.progress.done_no")
    pain = ""
    if row.pain_before is not None or row.pain_after is not None:
        pain = t(
            "staff.progress.pain_span",
            before="–" if row.pain_before is None else row.pain_before,
            after="–" if row.pain_after is None else row.pain_after,
        )
    return (
        f"{row.display_name} · {row.code}",
        row.program_name or "—",
        t(
            "staff.progress.sessions_cell",
            finished=row.sessions_finished,
            started=row.sessions_started,
        ),
        str(row.sets_completed),
        str(row.pain_events),
        pain,
        done,
    )


class QtClinicDay(QWidget):
    """One clinic day's totals and table (read when shown).

    Signals:
        day_changed(): staff stepped to another day (the page reads it on its worker).
    """

    day_changed = Signal()

    def __init__(self, theme: Theme, queries: ProgressQueries, today: date) -> None:
        super().__init__()
        self._queries = queries
        m = theme.metrics
        day_layout = QVBoxLayout(self)
        day_layout.setContentsMargins(0, 0, 0, 0)
        day_layout.setSpacing(m.spacing_small)
        self.day = QtDayStepper(theme, "ProgressDay", today)
        self.day.day_changed.connect(self._on_day_day_changed)
        day_layout.addWidget(self.day)
        self.totals = make_label("", "body", name="ProgressDayTotals")
        day_layout.addWidget(self.totals)
        self.table = make_table(
            theme,
            "ProgressDayTable",
            [
                t("staff.progress.col_patient"),
                t("staff.progress.col_program"),
                t("staff.progress.col_sessions"),
                t("staff.progress.col_sets"),
                t("staff.progress.col_pains"),
                t("staff.progress.col_pain"),
                t("staff.progress.col_done"),
            ],
            stretch=1,
        )
        day_layout.addWidget(self.table, 1)
        self.rows: tuple[DayRow, ...] = ()

    def read_day(self) -> tuple[DayRow, ...]:
        """The day's rows from the database (safe on a worker thread: no widget)."""
        return self._queries.day_rows(self.day.day, self.day.day)

    def show_day(self) -> None:
        """Read and show at once (the page reads on its worker and calls :meth:`show_rows`)."""
        self.show_rows(self.read_day())

    def show_rows(self, rows: tuple[DayRow, ...]) -> None:
        self.rows = rows
        fill_table(self.table, [day_cells(row) for row in self.rows])
        scheduled = [r for r in self.rows if r.scheduled]
        done = [r for r in scheduled if r.done]
        sessions = sum(r.sessions_started for r in self.rows)
        sets = sum(r.sets_completed for r in self.rows)
        self.totals.setText(
            t(
                "staff.progress.day_totals",
                scheduled=len(scheduled),
                done=len(done),
                percent=percent(len(done) / len(scheduled) if scheduled else None),
                sessions=tn("staff.progress.sessions_count", sessions, count=sessions),
                sets=tn("staff.progress.sets_count", sets, count=sets),
                pains=sum(r.pain_events for r in self.rows),
            )
            if self.rows
            else t("staff.progress.day_empty")
        )

    def _on_day_day_changed(self, _day: object) -> None:
        self.day_changed.emit()
