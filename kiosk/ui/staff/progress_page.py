"""Progress: one patient over a period (adherence, pain before/after as a chart, difficulty,
"It hurts" presses, assessments), or the whole clinic on one day; CSV export and the
home-exercise handout.

QtCharts is imported here and nowhere before: this module loads when the Progress tab is
first opened, never at start-up. The chart tells the two lines apart by name, marker and
dash as well as colour.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidgetItem,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.repositories.audit import Action
from db.repositories.patients import PatientInfo, PatientRepository
from db.repositories.progress import (
    Adherence,
    AssessmentReport,
    DayRow,
    PainPoint,
    PainReport,
    ProgressQueries,
    Rating,
)
from kiosk.ui.staff import strings
from kiosk.ui.staff.context import StaffContext
from kiosk.ui.staff.exports import write_pdf
from kiosk.ui.staff.page import QtStaffPage
from kiosk.ui.staff.widgets import (
    QtChoiceRow,
    QtDayStepper,
    QtMessage,
    add_list_row,
    day_text,
    fill_table,
    make_card,
    make_list,
    make_section,
    make_table,
)
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

log = logging.getLogger(__name__)
PATIENT, DAY = "patient", "day"
DEFAULT_DAYS = 30


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100)} %"


def _moment_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class QtPainChart(QChartView):
    """Pain before and after each session, 0–10, over the period's days."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setObjectName("PainChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        p, m = theme.palette, theme.metrics
        chart = self.chart_
        chart.setBackgroundBrush(QColor(p.surface))
        chart.setBackgroundRoundness(m.radius)
        chart.setMargins(
            QMargins(m.spacing_small, m.spacing_small, m.spacing_small, m.spacing_small)
        )
        # The title is a label above the chart (it wraps); ticks a size below body text.
        self._font = QFont()
        self._font.setPixelSize(max(16, m.px(26)))
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        legend.setFont(self._font)
        legend.setLabelColor(QColor(p.text))
        self.before = self._series(strings.PROGRESS_BEFORE, p.left, Qt.PenStyle.SolidLine, m.px(6))
        self.after = self._series(strings.PROGRESS_AFTER, p.right, Qt.PenStyle.DashLine, m.px(6))
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("d MMM")
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 10)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        for axis, where in (
            (self.x_axis, Qt.AlignmentFlag.AlignBottom),
            (self.y_axis, Qt.AlignmentFlag.AlignLeft),
        ):
            axis.setLabelsFont(self._font)
            axis.setLabelsColor(QColor(p.text))
            axis.setGridLineColor(QColor(p.surface_border))
            axis.setLinePenColor(QColor(p.muted))
            chart.addAxis(axis, where)
        for series in (self.before, self.after):
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setMinimumHeight(m.px(460))

    def _series(self, name: str, color: str, style: Qt.PenStyle, width: int) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        pen = QPen(QColor(color))
        pen.setWidth(width)
        pen.setStyle(style)
        series.setPen(pen)
        series.setPointsVisible(True)
        series.setMarkerSize(width * 3)
        return series

    def show_points(self, points: tuple[PainPoint, ...], start: date, end: date) -> None:
        self.before.clear()
        self.after.clear()
        for point in points:
            x = _moment_ms(point.started_at)
            if point.before is not None:
                self.before.append(x, point.before)
            if point.after is not None:
                self.after.append(x, point.after)
        first = datetime.combine(start, time.min).astimezone()
        last = datetime.combine(end + timedelta(days=1), time.min).astimezone()
        self.x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(_moment_ms(first)),
            QDateTime.fromMSecsSinceEpoch(_moment_ms(last)),
        )
        self.x_axis.setTickCount(min(6, (end - start).days + 2))


class QtPatientProgress(QWidget):
    """One patient's figures for one period (read when shown)."""

    def __init__(self, context: StaffContext, queries: ProgressQueries) -> None:
        super().__init__()
        self.setObjectName("PatientProgress")
        self.context = context
        self._queries = queries
        m = context.theme.metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(m.spacing, m.spacing_small, m.spacing, m.spacing)
        layout.setSpacing(m.spacing_small)
        self.name = make_label("", "strong", name="ProgressName")
        layout.addWidget(self.name)
        self.period = make_label("", "muted", name="ProgressPeriod")
        layout.addWidget(self.period)
        # The chart first: how pain changes is what staff look for.
        self.chart_title = make_section(strings.PROGRESS_CHART_TITLE)
        layout.addWidget(self.chart_title)
        self.chart = QtPainChart(context.theme)
        layout.addWidget(self.chart)
        self.no_pain = make_label(strings.PROGRESS_NO_PAIN, "muted", name="ProgressNoPain")
        layout.addWidget(self.no_pain)
        self.adherence = make_label("", "body", name="ProgressAdherence")
        layout.addWidget(self.adherence)
        self.sessions = make_label("", "body", name="ProgressSessions")
        layout.addWidget(self.sessions)
        layout.addWidget(make_section(strings.PROGRESS_DIFFICULTY))
        self.difficulty = make_label("", "body", name="ProgressDifficulty")
        layout.addWidget(self.difficulty)
        layout.addWidget(make_section(strings.PROGRESS_PAIN_EVENTS))
        self.pain_events = make_label("", "body", name="ProgressPainEvents")
        layout.addWidget(self.pain_events)
        layout.addWidget(make_section(strings.PROGRESS_ASSESSMENTS))
        self.assessments = make_label("", "body", name="ProgressChecks")
        layout.addWidget(self.assessments)
        layout.addStretch(1)
        self.points: tuple[PainPoint, ...] = ()
        self.adherence_figures: Adherence | None = None

    def show_patient(self, patient: PatientInfo, start: date, end: date) -> None:
        q = self._queries
        self.name.setText(patient.display_name)
        self.period.setText(
            strings.PROGRESS_PERIOD.format(start=day_text(start), end=day_text(end))
        )
        a = self.adherence_figures = q.adherence(patient.id, start, end)
        self.adherence.setText(
            strings.PROGRESS_ADHERENCE.format(
                done=a.days_done, prescribed=a.prescribed_days, percent=percent(a.ratio)
            )
            if a.prescribed_days
            else strings.PROGRESS_ADHERENCE_NONE
        )
        self.sessions.setText(
            strings.PROGRESS_SESSIONS.format(
                finished=a.sessions_finished, extra=a.unscheduled_sessions
            )
        )
        self.points = q.pain_trend(patient.id, start, end)
        self.chart.show_points(self.points, start, end)
        self.chart.setVisible(bool(self.points))
        self.chart_title.setVisible(bool(self.points))
        self.no_pain.setVisible(not self.points)
        self.difficulty.setText(self._ratings(q.difficulty(patient.id, start, end)))
        self.pain_events.setText(self._pains(q.pain_events(patient.id, start, end)))
        self.assessments.setText(self._assessments(q.assessments(patient.id, start, end)))

    def _exercise_name(self, exercise_id: str | None) -> str:
        if exercise_id is None:
            return ""
        exercise = self.context.library.exercises.get(exercise_id)
        return exercise.name if exercise else exercise_id

    def _ratings(self, ratings: tuple[Rating, ...]) -> str:
        if not ratings:
            return strings.PROGRESS_NO_DIFFICULTY
        lines = []
        for r in ratings[-12:]:
            where = self._exercise_name(r.exercise_id)
            when = r.at.astimezone()
            lines.append(
                f"{when:%a} {when.day} {when:%b} · {where + ' · ' if where else ''}{r.value}"
            )
        return "\n".join(lines)

    def _assessments(self, reports: tuple[AssessmentReport, ...]) -> str:
        """One line per side: held of target seconds, and what the patient noticed."""
        if not reports:
            return strings.PROGRESS_NO_ASSESSMENTS
        lines = []
        for r in reports[-12:]:
            when = r.at.astimezone()
            noticed = (
                strings.PROGRESS_ASSESSMENT_NOTICED.format(what="; ".join(r.noticed))
                if r.noticed
                else strings.PROGRESS_ASSESSMENT_NOTHING
            )
            unanswered = sum(1 for _, answer in r.answers if answer is None)
            if unanswered:
                noticed += " " + strings.PROGRESS_ASSESSMENT_UNANSWERED.format(count=unanswered)
            lines.append(
                strings.PROGRESS_ASSESSMENT_ROW.format(
                    when=f"{when:%a} {when.day} {when:%b} {when:%H:%M}",
                    side=r.side.value.capitalize() if r.side is not None else "",
                    held="–" if r.held_s is None else f"{r.held_s:.0f}",
                    target="–" if r.target_s is None else f"{r.target_s:.0f}",
                    noticed=noticed,
                )
            )
        return "\n".join(lines)

    def _pains(self, reports: tuple[PainReport, ...]) -> str:
        if not reports:
            return strings.PROGRESS_NO_PAIN_EVENTS
        lines = []
        for r in reports[-12:]:
            when = r.at.astimezone()
            parts = []
            if r.set_number is not None:
                parts.append(f"set {r.set_number}")
            if r.side is not None:
                parts.append(f"{r.side.value} side")
            if r.rep is not None:
                parts.append(f"rep {r.rep}")
            where = f", {', '.join(parts)}" if parts else ""
            lines.append(
                strings.PROGRESS_PAIN_EVENT_ROW.format(
                    when=f"{when:%a} {when.day} {when:%b} {when:%H:%M}",
                    exercise=self._exercise_name(r.exercise_id),
                    where=where,
                )
            )
        return "\n".join(lines)


def day_cells(row: DayRow) -> tuple[str, ...]:
    """Sessions as "finished of started"; pain as "before → after" (0-10)."""
    pain = ""
    if row.pain_before is not None or row.pain_after is not None:
        pain = strings.PROGRESS_PAIN_SPAN.format(
            before="–" if row.pain_before is None else row.pain_before,
            after="–" if row.pain_after is None else row.pain_after,
        )
    return (
        f"{row.display_name} · {row.code}",
        row.program_name or "—",
        f"{row.sessions_finished} of {row.sessions_started}",
        str(row.sets_completed),
        str(row.pain_events),
        pain,
        ("yes" if row.done else "no") if row.scheduled else "—",
    )


class QtProgressPage(QtStaffPage):
    """Per patient or per clinic day, with export and handout."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "ProgressPage", strings.TAB_PROGRESS)
        self.title.setVisible(False)
        theme = context.theme
        m = theme.metrics
        self._queries = ProgressQueries(context.engine)
        self._patients = PatientRepository(context.engine)
        self.patients: tuple[PatientInfo, ...] = ()
        self.selected: PatientInfo | None = None
        self.days = DEFAULT_DAYS
        self._search = ""

        top = QHBoxLayout()
        top.setSpacing(m.spacing_small)
        self.mode = QtChoiceRow(
            theme,
            "ProgressMode",
            [(PATIENT, strings.PROGRESS_PATIENT), (DAY, strings.PROGRESS_DAY)],
        )
        self.mode.set_chosen(PATIENT)
        self.mode.changed.connect(self._on_mode_changed)
        top.addWidget(self.mode, 2)
        top.addStretch(1)
        self.export_button = make_button(strings.PROGRESS_EXPORT, name="ProgressExportButton")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        top.addWidget(self.export_button)
        self.handout_button = make_button(strings.PROGRESS_HANDOUT, name="ProgressHandoutButton")
        self.handout_button.clicked.connect(self._on_handout_button_clicked)
        top.addWidget(self.handout_button)
        self.root.addLayout(top)

        self.views = QStackedWidget()
        self.root.addWidget(self.views, 1)
        self.message = QtMessage("ProgressMessage")
        self.root.addWidget(self.message)

        # One patient.
        patient_view = QWidget()
        body = QHBoxLayout(patient_view)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(m.spacing)
        left = QVBoxLayout()
        left.setSpacing(m.spacing_small)
        self.search_button = make_button(strings.PATIENTS_SEARCH_EMPTY, name="ProgressSearch")
        self.search_button.clicked.connect(self._on_search_button_clicked)
        left.addWidget(self.search_button)
        self.list = make_list(theme, "ProgressPatients")
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        left.addWidget(self.list, 1)
        body.addLayout(left, 3)
        right = QVBoxLayout()
        right.setSpacing(m.spacing_small)
        self.period_row = QtChoiceRow(
            theme, "ProgressDays", [(str(n), text) for n, text in strings.PROGRESS_DAYS]
        )
        self.period_row.set_chosen(str(DEFAULT_DAYS))
        self.period_row.changed.connect(self._on_period_row_changed)
        right.addWidget(self.period_row)
        card = make_card("ProgressCard")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QtPatientProgress(context, self._queries)
        scroll = QScrollArea()
        scroll.setObjectName("ProgressScroll")
        scroll.setWidget(self.detail)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        card_layout.addWidget(scroll)
        right.addWidget(card, 1)
        self.pick = make_label(strings.PATIENTS_PICK, "muted", name="ProgressPick")
        right.addWidget(self.pick)
        body.addLayout(right, 7)
        self.views.addWidget(patient_view)
        self.patient_view = patient_view
        self.detail_card = card

        # One clinic day.
        day_view = QWidget()
        day_layout = QVBoxLayout(day_view)
        day_layout.setContentsMargins(0, 0, 0, 0)
        day_layout.setSpacing(m.spacing_small)
        self.day = QtDayStepper(theme, "ProgressDay", context.today())
        self.day.day_changed.connect(self._on_day_day_changed)
        day_layout.addWidget(self.day)
        self.day_totals = make_label("", "body", name="ProgressDayTotals")
        day_layout.addWidget(self.day_totals)
        self.day_table = make_table(
            theme, "ProgressDayTable", strings.PROGRESS_DAY_HEADERS, stretch=1
        )
        day_layout.addWidget(self.day_table, 1)
        self.views.addWidget(day_view)
        self.day_view = day_view
        self.day_rows: tuple[DayRow, ...] = ()
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
            self._search = ""
            self.search_button.setText(strings.PATIENTS_SEARCH_EMPTY)
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

    def _load_patients(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (self.selected.id if self.selected else None)
        self.patients = self._patients.search(self._search, include_inactive=True)
        self.list.blockSignals(True)
        self.list.clear()
        chosen: QListWidgetItem | None = None
        for patient in self.patients:
            item = add_list_row(
                self.list, self.theme, f"{patient.display_name}  ·  {patient.code}", patient.id
            )
            if patient.id == keep:
                chosen = item
        self.list.blockSignals(False)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
            self.list.scrollToItem(chosen)
        self.selected = next((p for p in self.patients if p.id == keep), None)
        self._show_patient()

    def _show_patient(self) -> None:
        patient = self.selected
        self.detail_card.setVisible(patient is not None)
        self.period_row.setVisible(patient is not None)
        self.pick.setVisible(patient is None)
        if patient is not None:
            start, end = self.period
            self.detail.show_patient(patient, start, end)
        self._refresh_buttons()

    def _show_day(self) -> None:
        day = self.day.day
        self.day_rows = self._queries.day_rows(day, day)
        fill_table(self.day_table, [day_cells(row) for row in self.day_rows])
        scheduled = [r for r in self.day_rows if r.scheduled]
        done = [r for r in scheduled if r.done]
        self.day_totals.setText(
            strings.PROGRESS_DAY_TOTALS.format(
                scheduled=len(scheduled),
                done=len(done),
                percent=percent(len(done) / len(scheduled) if scheduled else None),
                sessions=sum(r.sessions_started for r in self.day_rows),
                sets=sum(r.sets_completed for r in self.day_rows),
                pains=sum(r.pain_events for r in self.day_rows),
            )
            if self.day_rows
            else strings.PROGRESS_DAY_EMPTY
        )

    # -- input -----------------------------------------------------------------------------

    def _on_mode_changed(self) -> None:
        self.message.clear_message()
        self._show_mode()
        self.refresh()

    def _on_period_row_changed(self) -> None:
        self.days = int(self.period_row.chosen or DEFAULT_DAYS)
        self._show_patient()

    def _on_day_day_changed(self, _day: object) -> None:
        self._show_day()

    def _on_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: object
    ) -> None:
        patient_id = None if current is None else current.data(Qt.ItemDataRole.UserRole)
        self.selected = next((p for p in self.patients if p.id == patient_id), None)
        self.message.clear_message()
        self._show_patient()

    def _on_search_button_clicked(self) -> None:
        self.context.ask_text(strings.PATIENTS_SEARCH_TITLE, self._search, self._search_for)

    def _search_for(self, text: str) -> str | None:
        self._search = text.strip()
        self.search_button.setText(
            strings.PATIENTS_SEARCH.format(text=self._search)
            if self._search
            else strings.PATIENTS_SEARCH_EMPTY
        )
        self._load_patients()
        return None

    # -- files -----------------------------------------------------------------------------

    def _report_span(self) -> tuple[date, date, str | None]:
        if self.mode.chosen == DAY:
            return self.day.day, self.day.day, None
        start, end = self.period
        return start, end, self.selected.code if self.selected else None

    def _on_export_button_clicked(self) -> None:
        start, end, code = self._report_span()
        name = strings.PROGRESS_REPORT_NAME.format(
            start=start.isoformat(), end=end.isoformat(), who=f"-{code}" if code else ""
        )
        assert self.context.files is not None
        self.context.files.save_file(strings.SAVE_TITLE, name, "CSV (*.csv)", self.export_csv)

    def export_csv(self, path: Path) -> None:
        from kiosk.staff.reports import write_report_csv

        start, end, code = self._report_span()
        path = path if path.suffix.lower() == ".csv" else path.with_suffix(".csv")
        try:
            rows = self._queries.day_rows(start, end, code=code)
            count = write_report_csv(rows, path)
        except OSError as error:
            self.message.show_error(
                strings.CANNOT_SAVE.format(name=path.name, reason=error.strerror or error)
            )
            return
        who = f" for {code}" if code else ""
        self.context.record(
            Action.EXPORT, f"report {start} to {end}{who}: {count} rows to {path.name}"
        )
        self.message.show_ok(strings.PROGRESS_EXPORTED.format(rows=count, name=path))

    def _on_handout_button_clicked(self) -> None:
        patient = self.selected
        if patient is None:
            return
        from kiosk.printing.handout import HandoutError, content_for_patient

        try:
            content_for_patient(
                self.context.engine, patient.code, self.context.library, self.context.today()
            )
        except HandoutError:
            self.message.show_error(strings.PROGRESS_NO_PROGRAM.format(name=patient.display_name))
            return
        assert self.context.files is not None
        self.context.files.save_file(
            strings.SAVE_TITLE,
            strings.PROGRESS_HANDOUT_NAME.format(code=patient.code),
            "PDF (*.pdf)",
            self.save_handout,
        )

    def save_handout(self, path: Path) -> None:
        from kiosk.printing.handout import HandoutError, content_for_patient, render_handout

        patient = self.selected
        if patient is None:
            return
        path = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        ctx = self.context
        try:
            content = content_for_patient(ctx.engine, patient.code, ctx.library, ctx.today())
            pages = write_pdf(path, content, render_handout)
        except (HandoutError, OSError) as error:
            self.message.show_error(strings.CANNOT_SAVE.format(name=path.name, reason=error))
            return
        ctx.record(
            Action.EXPORT, f"handout for patient {patient.id}, {pages} pages, to {path.name}"
        )
        self.message.show_ok(strings.PROGRESS_HANDOUT_SAVED.format(pages=pages, name=path))
