"""One patient's progress over a period, as the Progress page shows it: adherence, sessions,
the pain chart, difficulty answers, "It hurts" presses and balance checks.

The figures are read from :class:`ProgressQueries` each time a patient or period is shown,
never kept between showings; each list shows its latest entries, in words from the catalog.
They are read by :func:`read_patient` (on the Progress page's worker thread: no widget) and
shown by :meth:`QtPatientProgress.show_read` (on Qt's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QVBoxLayout, QWidget

from db.repositories.patients import PatientInfo
from db.repositories.progress import (
    Adherence,
    AssessmentReport,
    PainPoint,
    PainReport,
    ProgressQueries,
    Rating,
)
from kiosk.core.timeline import Side
from kiosk.text import t, tn
from kiosk.text.dates import day_short, day_short_year, day_time
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.page import make_section
from kiosk.ui.staff_mode.pain_chart import QtPainChart
from kiosk.ui.widgets.base import make_label

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


@dataclass(frozen=True)
class PatientRead:
    """Everything one patient's view shows for one period, as read from the database."""

    patient: PatientInfo
    start: date
    end: date
    adherence: Adherence
    points: tuple[PainPoint, ...]
    ratings: tuple[Rating, ...]
    pains: tuple[PainReport, ...]
    checks: tuple[AssessmentReport, ...]


def read_patient(
    queries: ProgressQueries, patient: PatientInfo, start: date, end: date
) -> PatientRead:
    """The database's part of showing a patient (safe on a worker thread: no widget)."""
    pid = patient.id
    return PatientRead(
        patient,
        start,
        end,
        queries.adherence(pid, start, end),
        queries.pain_trend(pid, start, end),
        queries.difficulty(pid, start, end),
        queries.pain_events(pid, start, end),
        queries.assessments(pid, start, end),
    )


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100)} %"


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
        """Read and show at once (the page reads on its worker and calls :meth:`show_read`)."""
        self.show_read(read_patient(self._queries, patient, start, end))

    def show_read(self, read: PatientRead) -> None:
        start, end = read.start, read.end
        self.name.setText(read.patient.display_name)
        self.period.setText(
            t("staff.progress.period", start=day_short_year(start), end=day_short_year(end))
        )
        a = self.adherence_figures = read.adherence
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
        self.points = read.points
        self.chart.show_points(self.points, start, end)
        self.chart.setVisible(bool(self.points))
        self.chart_title.setVisible(bool(self.points))
        self.no_pain.setVisible(not self.points)
        self.difficulty.setText(self._ratings(read.ratings))
        self.pain_events.setText(self._pains(read.pains))
        self.assessments.setText(self._assessments(read.checks))

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
