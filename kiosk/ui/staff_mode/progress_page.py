"""Progress: one patient over a period (adherence, pain before/after as a chart, difficulty,
"It hurts" presses, assessments), or the whole clinic on one day; CSV export and the
home-exercise handout.

This module is the page: the mode, the patient list and period, and the buttons. What it
shows lives beside it, by meaning: one patient's figures in
:mod:`kiosk.ui.staff_mode.patient_progress`
(with the QtCharts pain chart in :mod:`kiosk.ui.staff_mode.pain_chart`), the clinic day in
:mod:`kiosk.ui.staff_mode.clinic_day`, and the report and handout files in
:mod:`kiosk.ui.staff_mode.progress_exports`. All of it loads when the Progress tab is first opened,
never at start-up.

The figures are read on a worker thread (:class:`QtSlowWork`, its own database session), never
on Qt's: what was shown stays until the new figures are in. Staff who tap through patients
faster than they are read see the last one asked for: a read asked for while another runs
waits for it, replaces any waiting before it, and the older answer is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.repositories.patients import PatientInfo, PatientRepository
from db.repositories.progress import DayRow, ProgressQueries
from kiosk.text import t, tn
from kiosk.ui.staff_mode.choice_row import QtChoiceRow
from kiosk.ui.staff_mode.clinic_day import QtClinicDay
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.page import QtStaffPage, make_scrolled_card
from kiosk.ui.staff_mode.patient_progress import PatientRead, QtPatientProgress, read_patient
from kiosk.ui.staff_mode.patient_search import QtPatientList
from kiosk.ui.staff_mode.progress_exports import ProgressExports
from kiosk.ui.staff_mode.slow_work import QtSlowWork
from kiosk.ui.widgets.base import make_button, make_label

log = logging.getLogger(__name__)
PATIENT, DAY = "patient", "day"
DEFAULT_DAYS = 30
#: The periods staff can choose, in days.
PERIOD_DAYS = (7, 30, 90)


def row_text(patient: PatientInfo) -> str:
    """A patient's row in the list: name and code as typed at the kiosk."""
    return t("staff.patients.row", name=patient.display_name, code=patient.code)


class QtProgressPage(QtStaffPage):
    """Per patient or per clinic day, with export and handout.

    Signals:
        loaded(): the figures asked for last are on the screen (or their failure said).
    """

    loaded = Signal()

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "ProgressPage", t("staff.tab.progress"))
        self.title.setVisible(False)
        theme = context.theme
        m = theme.metrics
        self._queries = ProgressQueries(context.database)
        self._patients = PatientRepository(context.database)
        self.days = DEFAULT_DAYS
        self._reader = QtSlowWork(self)
        self._waiting: tuple[Callable[[], object], Callable[[object], None]] | None = None

        top = QHBoxLayout()
        top.setSpacing(m.spacing_small)
        self.mode = QtChoiceRow(
            theme,
            "ProgressMode",
            [(PATIENT, t("staff.progress.patient")), (DAY, t("staff.progress.day"))],
        )
        self.mode.set_chosen(PATIENT)
        self.mode.changed.connect(self._on_mode_changed)
        top.addWidget(self.mode, 2)
        top.addStretch(1)
        self.export_button = make_button(t("staff.progress.export"), name="ProgressExportButton")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        top.addWidget(self.export_button)
        self.handout_button = make_button(t("staff.progress.handout"), name="ProgressHandoutButton")
        self.handout_button.clicked.connect(self._on_handout_button_clicked)
        top.addWidget(self.handout_button)
        self.root.addLayout(top)

        self.views = QStackedWidget()
        self.root.addWidget(self.views, 1)
        self.message = self.add_footer("ProgressMessage")

        # One patient.
        patient_view = QWidget()
        body = QHBoxLayout(patient_view)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(m.spacing)
        names = ("ProgressSearch", "ProgressPatients")
        self.found = QtPatientList(theme, context.ask_text, names, row_text)
        self.found.patient_chosen.connect(self._on_found_patient_chosen)
        self.search_button, self.list = self.found.search_button, self.found.list
        self.search_button.searched.connect(self._on_search_button_searched)
        body.addWidget(self.found, 3)
        right = QVBoxLayout()
        right.setSpacing(m.spacing_small)
        self.period_row = QtChoiceRow(
            theme,
            "ProgressDays",
            [(str(n), tn("staff.progress.days", n, days=n)) for n in PERIOD_DAYS],
        )
        self.period_row.set_chosen(str(DEFAULT_DAYS))
        self.period_row.changed.connect(self._on_period_row_changed)
        right.addWidget(self.period_row)
        self.detail = QtPatientProgress(context, self._queries)
        card = make_scrolled_card(self.detail, "ProgressCard", "ProgressScroll")
        right.addWidget(card, 1)
        self.pick = make_label(t("staff.patients.pick"), "muted", name="ProgressPick")
        right.addWidget(self.pick)
        body.addLayout(right, 7)
        self.views.addWidget(patient_view)
        self.patient_view = patient_view
        self.detail_card = card

        # One clinic day.
        self.day_view = QtClinicDay(theme, self._queries, context.today())
        self.day_view.day_changed.connect(self._on_day_view_day_changed)
        self.views.addWidget(self.day_view)
        self.day = self.day_view.day
        self.day_totals = self.day_view.totals
        self.day_table = self.day_view.table
        self.exports = ProgressExports(context, self._queries, self.message)
        self._show_mode()

    # -- showing ---------------------------------------------------------------------------

    @property
    def period(self) -> tuple[date, date]:
        end = self.context.today()
        return end - timedelta(days=self.days - 1), end

    def entered(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.mode.chosen == DAY:
            self._show_day()
        else:
            self._load_patients()

    def open_with(self, argument: object) -> None:
        if isinstance(argument, int):
            self.mode.set_chosen(PATIENT)
            self._show_mode()
            self.search_button.clear_words()
            self._load_patients(select_id=argument)

    def select_patient(self, patient_id: int) -> None:
        self.open_with(patient_id)

    def _show_mode(self) -> None:
        day = self.mode.chosen == DAY
        self.views.setCurrentWidget(self.day_view if day else self.patient_view)
        self.handout_button.setVisible(not day)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        day = self.mode.chosen == DAY
        self.export_button.setEnabled(day or self.selected is not None)
        self.handout_button.setEnabled(self.selected is not None and self.selected.active)

    @property
    def selected(self) -> PatientInfo | None:
        return self.found.selected

    def _load_patients(self, select_id: int | None = None) -> None:
        found = self._patients.search(self.search_button.words, include_inactive=True)
        self.found.show_patients(found, select_id)
        self._show_patient()

    def _show_patient(self) -> None:
        patient = self.selected
        self.detail_card.setVisible(patient is not None)
        self.period_row.setVisible(patient is not None)
        self.pick.setVisible(patient is None)
        if patient is not None:
            start, end = self.period
            queries = self._queries
            self._read(partial(read_patient, queries, patient, start, end), self._show_read)
        self._refresh_buttons()

    def _show_read(self, read: object) -> None:
        if isinstance(read, PatientRead) and read.patient == self.selected:
            self.detail.show_read(read)

    def _show_day(self) -> None:
        self._read(self.day_view.read_day, self._show_rows)

    def _show_rows(self, rows: object) -> None:
        if isinstance(rows, tuple):
            self.day_view.show_rows(rows)

    # -- reading, off the UI thread ---------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Figures are being read (or wait to be) on the worker."""
        return self._reader.busy or self._waiting is not None

    def _read(self, read: Callable[[], object], show: Callable[[object], None]) -> None:
        self._waiting = (read, show)
        if not self._reader.busy:
            self._read_waiting()

    def _read_waiting(self) -> None:
        assert self._waiting is not None
        (read, show), self._waiting = self._waiting, None
        self._reader.start(read, partial(self._on_read, show))

    def _on_read(self, show: Callable[[object], None], result: object, error: object) -> None:
        if self._waiting is not None:  # staff asked for something else meanwhile: read that
            self._read_waiting()
            return
        if error is not None:
            self.message.show_error(t("staff.progress.read_failed"))
        else:
            show(result)
        self.loaded.emit()

    def _on_day_view_day_changed(self) -> None:
        self._show_day()

    @property
    def day_rows(self) -> tuple[DayRow, ...]:
        """The clinic day's rows as last shown."""
        return self.day_view.rows

    # -- input -----------------------------------------------------------------------------

    def _on_mode_changed(self) -> None:
        self.message.clear_message()
        self._show_mode()
        self.refresh()

    def _on_period_row_changed(self) -> None:
        self.days = int(self.period_row.chosen or DEFAULT_DAYS)
        self._show_patient()

    def discard(self) -> None:
        """Reads and a report in flight are let end (answers dropped) before the page goes."""
        super().discard()
        self._waiting = None
        self._reader.wait()
        self.exports.work.wait()

    def _on_found_patient_chosen(self, _patient: PatientInfo | None) -> None:
        self.message.clear_message()
        self._show_patient()

    def _on_search_button_searched(self, _words: str) -> None:
        self._load_patients()

    # -- files -----------------------------------------------------------------------------

    def _report_span(self) -> tuple[date, date, PatientInfo | None]:
        if self.mode.chosen == DAY:
            return self.day.day, self.day.day, None
        start, end = self.period
        return start, end, self.selected

    def _on_export_button_clicked(self) -> None:
        start, end, patient = self._report_span()
        self.exports.ask_report(start, end, patient, self.export_csv)

    def export_csv(self, path: Path) -> None:
        start, end, patient = self._report_span()
        self.exports.write_report(path, start, end, patient)

    def _on_handout_button_clicked(self) -> None:
        patient = self.selected
        if patient is None:
            return
        self.exports.ask_handout(patient, self.save_handout)

    def save_handout(self, path: Path) -> None:
        patient = self.selected
        if patient is None:
            return
        self.exports.write_handout(path, patient)
