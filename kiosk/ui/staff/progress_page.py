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

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
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
from kiosk.core.timeline import Side
from kiosk.text import t, tn
from kiosk.text.dates import day_month, day_short, day_short_year, day_time
from kiosk.ui.staff.context import StaffContext
from kiosk.ui.staff.exports import write_pdf
from kiosk.ui.staff.page import QtStaffPage
from kiosk.ui.staff.widgets import (
    QtChoiceRow,
    QtDayStepper,
    QtMessage,
    add_list_row,
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
#: The periods staff can choose, in days.
PERIOD_DAYS = (7, 30, 90)
#: The chart's x axis names at most this many days.
AXIS_LABELS = 6
#: A difficulty answer (the value stored) in words, by catalog key.
RATING_KEYS = {
    "easy": "staff.progress.rating.easy",
    "just right": "staff.progress.rating.just_right",
    "hard": "staff.progress.rating.hard",
}
#: Where in a set a pain was, and which leg a balance check stood on, by catalog key.
PAIN_SIDE_KEYS = {
    Side.LEFT: "staff.progress.pain_side.left",
    Side.RIGHT: "staff.progress.pain_side.right",
}
LEG_KEYS = {Side.LEFT: "staff.progress.leg.left", Side.RIGHT: "staff.progress.leg.right"}


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100)} %"


def _days_since(moment: datetime, first: datetime) -> float:
    """Where ``moment`` goes on the chart's x axis: days since the period began."""
    return (moment - first).total_seconds() / 86_400


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
        self.before = self._series(
            t("staff.progress.before"), p.left, Qt.PenStyle.SolidLine, m.px(6)
        )
        self.after = self._series(t("staff.progress.after"), p.right, Qt.PenStyle.DashLine, m.px(6))
        # Days since the period's start, named by the catalog (a date axis would name the
        # months in Qt's locale, not the kiosk's language).
        self.x_axis = QCategoryAxis()
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
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
        first = datetime.combine(start, time.min).astimezone()
        for point in points:
            x = _days_since(point.started_at, first)
            if point.before is not None:
                self.before.append(x, point.before)
            if point.after is not None:
                self.after.append(x, point.after)
        days = (end - start).days + 1
        for label in self.x_axis.categoriesLabels():
            self.x_axis.remove(label)
        self.x_axis.setStartValue(0)
        step = -(-days // AXIS_LABELS)  # rounded up: never more labels than fit
        for offset in range(0, days, step):
            self.x_axis.append(day_month(start + timedelta(days=offset)), offset)
        self.x_axis.setRange(0, days)


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
        self.chart_title = make_section(t("staff.progress.chart_title"))
        layout.addWidget(self.chart_title)
        self.chart = QtPainChart(context.theme)
        layout.addWidget(self.chart)
        self.no_pain = make_label(t("staff.progress.no_pain"), "muted", name="ProgressNoPain")
        layout.addWidget(self.no_pain)
        self.adherence = make_label("", "body", name="ProgressAdherence")
        layout.addWidget(self.adherence)
        self.sessions = make_label("", "body", name="ProgressSessions")
        layout.addWidget(self.sessions)
        layout.addWidget(make_section(t("staff.progress.difficulty")))
        self.difficulty = make_label("", "body", name="ProgressDifficulty")
        layout.addWidget(self.difficulty)
        layout.addWidget(make_section(t("staff.progress.pain_events")))
        self.pain_events = make_label("", "body", name="ProgressPainEvents")
        layout.addWidget(self.pain_events)
        layout.addWidget(make_section(t("staff.progress.assessments")))
        self.assessments = make_label("", "body", name="ProgressChecks")
        layout.addWidget(self.assessments)
        layout.addStretch(1)
        self.points: tuple[PainPoint, ...] = ()
        self.adherence_figures: Adherence | None = None

    def show_patient(self, patient: PatientInfo, start: date, end: date) -> None:
        q = self._queries
        self.name.setText(patient.display_name)
        self.period.setText(
            t("staff.progress.period", start=day_short_year(start), end=day_short_year(end))
        )
        a = self.adherence_figures = q.adherence(patient.id, start, end)
        self.adherence.setText(
            tn(
                "staff.progress.adherence",
                a.prescribed_days,
                done=a.days_done,
                prescribed=a.prescribed_days,
                percent=percent(a.ratio),
            )
            if a.prescribed_days
            else t("staff.progress.adherence_none")
        )
        self.sessions.setText(
            t("staff.progress.sessions", finished=a.sessions_finished, extra=a.unscheduled_sessions)
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
            return t("staff.progress.no_difficulty")
        lines = []
        for r in ratings[-12:]:
            exercise = self._exercise_name(r.exercise_id)
            key = RATING_KEYS.get(r.value)
            rating = t(key) if key is not None else r.value
            when = day_short(r.at.astimezone())
            lines.append(
                t("staff.progress.rating_row", when=when, exercise=exercise, rating=rating)
                if exercise
                else t("staff.progress.rating_row_session", when=when, rating=rating)
            )
        return "\n".join(lines)

    def _assessments(self, reports: tuple[AssessmentReport, ...]) -> str:
        """One line per side: held of target seconds, and what the patient noticed."""
        if not reports:
            return t("staff.progress.no_assessments")
        lines = []
        for r in reports[-12:]:
            when = r.at.astimezone()
            noticed = (
                t("staff.progress.assessment_noticed", what="; ".join(r.noticed))
                if r.noticed
                else t("staff.progress.assessment_nothing")
            )
            unanswered = sum(1 for _, answer in r.answers if answer is None)
            if unanswered:
                noticed += " " + t("staff.progress.assessment_unanswered", count=unanswered)
            lines.append(
                t(
                    "staff.progress.assessment_row",
                    when=day_time(when),
                    leg=t(LEG_KEYS[r.side])
                    if r.side is not None
                    else t("staff.progress.leg.unknown"),
                    held="–" if r.held_s is None else f"{r.held_s:.0f}",
                    target="–" if r.target_s is None else f"{r.target_s:.0f}",
                    noticed=noticed,
                )
            )
        return "\n".join(lines)

    def _pains(self, reports: tuple[PainReport, ...]) -> str:
        if not reports:
            return t("staff.progress.no_pain_events")
        lines = []
        for r in reports[-12:]:
            when = r.at.astimezone()
            parts = []
            if r.set_number is not None:
                parts.append(t("staff.progress.pain_set", set=r.set_number))
            if r.side is not None:
                parts.append(t(PAIN_SIDE_KEYS[r.side]))
            if r.rep is not None:
                parts.append(t("staff.progress.pain_rep", rep=r.rep))
            where = "".join(t("staff.progress.pain_part", part=part) for part in parts)
            lines.append(
                t(
                    "staff.progress.pain_event_row",
                    when=day_time(when),
                    exercise=self._exercise_name(r.exercise_id),
                    where=where,
                )
            )
        return "\n".join(lines)


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


class QtProgressPage(QtStaffPage):
    """Per patient or per clinic day, with export and handout."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "ProgressPage", t("staff.tab.progress"))
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
        self.message = QtMessage("ProgressMessage")
        self.root.addWidget(self.message)

        # One patient.
        patient_view = QWidget()
        body = QHBoxLayout(patient_view)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(m.spacing)
        left = QVBoxLayout()
        left.setSpacing(m.spacing_small)
        self.search_button = make_button(t("staff.patients.search_empty"), name="ProgressSearch")
        self.search_button.clicked.connect(self._on_search_button_clicked)
        left.addWidget(self.search_button)
        self.list = make_list(theme, "ProgressPatients")
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        left.addWidget(self.list, 1)
        body.addLayout(left, 3)
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
        self.pick = make_label(t("staff.patients.pick"), "muted", name="ProgressPick")
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
            self.search_button.setText(t("staff.patients.search_empty"))
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
            row = t("staff.patients.row", name=patient.display_name, code=patient.code)
            item = add_list_row(self.list, self.theme, row, patient.id)
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
        sessions = sum(r.sessions_started for r in self.day_rows)
        sets = sum(r.sets_completed for r in self.day_rows)
        self.day_totals.setText(
            t(
                "staff.progress.day_totals",
                scheduled=len(scheduled),
                done=len(done),
                percent=percent(len(done) / len(scheduled) if scheduled else None),
                sessions=tn("staff.progress.sessions_count", sessions, count=sessions),
                sets=tn("staff.progress.sets_count", sets, count=sets),
                pains=sum(r.pain_events for r in self.day_rows),
            )
            if self.day_rows
            else t("staff.progress.day_empty")
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
        self.context.ask_text(t("staff.patients.search_title"), self._search, self._search_for)

    def _search_for(self, text: str) -> str | None:
        self._search = text.strip()
        self.search_button.setText(
            t("staff.patients.search", text=self._search)
            if self._search
            else t("staff.patients.search_empty")
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
        name = t(
            "staff.progress.report_name",
            start=start.isoformat(),
            end=end.isoformat(),
            who=f"-{code}" if code else "",
        )
        assert self.context.files is not None
        self.context.files.save_file(t("staff.save.title"), name, "CSV (*.csv)", self.export_csv)

    def export_csv(self, path: Path) -> None:
        from kiosk.staff.reports import write_report_csv

        start, end, code = self._report_span()
        path = path if path.suffix.lower() == ".csv" else path.with_suffix(".csv")
        try:
            rows = self._queries.day_rows(start, end, code=code)
            count = write_report_csv(rows, path)
        except OSError as error:
            self.message.show_error(
                t("staff.cannot.save", name=path.name, reason=error.strerror or error)
            )
            return
        who = f" for {code}" if code else ""
        self.context.record(
            Action.EXPORT, f"report {start} to {end}{who}: {count} rows to {path.name}"
        )
        self.message.show_ok(tn("staff.progress.exported", count, rows=count, name=path))

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
            self.message.show_error(t("staff.progress.no_program", name=patient.display_name))
            return
        assert self.context.files is not None
        self.context.files.save_file(
            t("staff.save.title"),
            t("staff.progress.handout_name", code=patient.code),
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
            self.message.show_error(t("staff.cannot.save", name=path.name, reason=error))
            return
        ctx.record(
            Action.EXPORT, f"handout for patient {patient.id}, {pages} pages, to {path.name}"
        )
        self.message.show_ok(tn("staff.progress.handout_saved", pages, pages=pages, name=path))
