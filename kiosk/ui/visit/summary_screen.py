"""After the session: pain again, what the patient did today, a goodbye, back to the start.

Three pages, each of them moving on by itself so an unattended kiosk always gets back to the
attract screen and the next patient never finds someone else's name on it:

1. *How much pain now?* 0–10 (and, after a finished session, how the last exercise was: it
   had no rest after it to be rated in). Optional: answering everything moves on at once,
   "Skip" moves on, and so does a minute without a touch.
2. *Well done!* Three big numbers (exercises, sets, minutes) rather than a table: a moment
   of praise, not a report. "Finish", the balance check, or 20 s without a touch.
3. *Goodbye, Ann!* for a few seconds (or a tap), then ``finished``.

Answers go to the session's feedback the moment they are tapped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.events import SessionEnded, SessionState
from kiosk.core.records import FeedbackKind, SetRecord, SetStatus
from kiosk.text import t, tn
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.visit.choices import QtPainScale, QtRatingChoices
from kiosk.ui.widgets.base import QtScreen, make_button, make_label

if TYPE_CHECKING:
    from kiosk.patient.feedback import FeedbackRecorder

AUTO_RETURN_MS = 20_000  # the summary page
PAIN_PAGE_MS = 60_000  # the pain question, unanswered
GOODBYE_MS = 6_000
_CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class SessionSummary:
    name: str
    finished: bool  # the whole program ran (False: stopped early)
    exercises: int
    sets: int
    minutes: int
    rate: tuple[int, str, str] | None = None  # (index, id, name) of an exercise to rate here

    @classmethod
    def from_event(
        cls,
        name: str,
        event: SessionEnded,
        elapsed_s: float,
        *,
        earlier: tuple[SetRecord, ...] = (),
        rate: tuple[int, str, str] | None = None,
    ) -> SessionSummary:
        """Counts completed sets only, today's earlier part of a resumed session included; a
        short session is "1" minute, never "0"."""
        done = [r for r in (*earlier, *event.records) if r.status is SetStatus.COMPLETED]
        if earlier:
            first = min(r.started_at for r in earlier)
            last = max(r.ended_at for r in earlier)
            elapsed_s += (last - first).total_seconds()
        return cls(
            name=name,
            finished=event.state is SessionState.FINISHED,
            exercises=len({r.exercise_index for r in done}),
            sets=len(done),
            minutes=max(1, round(elapsed_s / 60)) if elapsed_s > 0 else 0,
            rate=rate,
        )


class QtSummaryScreen(QtScreen):
    """Pain now, today's totals, goodbye.

    Signals:
        finished(): the goodbye is over (tapped, or timed out): back to the start.
        balance_requested(): the patient chose the balance check from the totals.
    """

    finished = Signal()
    balance_requested = Signal()

    def __init__(
        self,
        theme: Theme,
        summary: SessionSummary,
        timers: TimerFactory,
        parent: QWidget | None = None,
        *,
        auto_return_ms: int = AUTO_RETURN_MS,
        feedback: FeedbackRecorder | None = None,
        balance_check: bool = False,
        all_saved: Callable[[], bool] | None = None,
    ) -> None:
        """``all_saved`` says whether the database has every record of the session yet (the
        writer saves them off the screen's thread): until it does, the screen says they are
        kept, not saved."""
        super().__init__(theme, parent)
        self.setObjectName("SummaryScreen")
        self.summary = summary
        self.feedback = feedback
        self._all_saved = all_saved
        self.saved_notes: list[QLabel] = []
        self._shown = False
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        root.addWidget(self.pages)
        self.pain_page = self._build_pain_page()
        self.totals_page = self._build_totals_page(balance_check)
        self.goodbye_page = self._build_goodbye_page()
        for page in (self.pain_page, self.totals_page, self.goodbye_page):
            self.pages.addWidget(page)

        self.timer = timers.create(self, "summary-auto-return", single_shot=True)
        self.timer.setInterval(auto_return_ms)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.pain_timer = timers.create(self, "summary-pain-page", single_shot=True)
        self.pain_timer.setInterval(PAIN_PAGE_MS)
        self.pain_timer.timeout.connect(self._on_pain_timer_timeout)
        self.goodbye_timer = timers.create(self, "summary-goodbye", single_shot=True)
        self.goodbye_timer.setInterval(GOODBYE_MS)
        self.goodbye_timer.timeout.connect(self._on_goodbye_timer_timeout)

    # -- pages ---------------------------------------------------------------------------------

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        m = self.theme.metrics
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        layout.setSpacing(m.spacing)
        return page, layout

    def _build_pain_page(self) -> QWidget:
        m = self.theme.metrics
        page, layout = self._page()
        self.after_title = make_label(
            t("after.title", name=self.summary.name), "title", name="AfterTitle"
        )
        layout.addWidget(self.after_title)
        layout.addStretch(1)
        self.pain_scale = QtPainScale(
            self.theme, t("pain.after_question"), name="PainAfter", hint=t("pain.optional")
        )
        self.pain_scale.chosen.connect(self._on_pain_scale_chosen)
        layout.addWidget(self.pain_scale)
        self.rating: QtRatingChoices | None = None
        if self.summary.rate is not None:
            layout.addSpacing(m.spacing)
            self.rating = QtRatingChoices(self.theme, self.summary.rate[2], name="LastRating")
            self.rating.rated.connect(self._on_rating_rated)
            layout.addWidget(self.rating)
        layout.addStretch(1)
        self.skip_button = make_button(t("after.skip"), name="AfterSkipButton")
        self.skip_button.setMinimumWidth(m.px(400))
        self.skip_button.clicked.connect(self._on_skip_button_clicked)
        layout.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _build_totals_page(self, balance_check: bool) -> QWidget:
        m = self.theme.metrics
        summary = self.summary
        page, layout = self._page()
        layout.addStretch(1)
        template = t("summary.title") if summary.finished else t("summary.title_stopped")
        self.title = make_label(
            template.format(name=summary.name), "display", align=_CENTER, name="SummaryTitle"
        )
        layout.addWidget(self.title)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(m.margin)
        self.figures: dict[str, QLabel] = {}
        for key, words, value in (
            ("exercises", "summary.exercises", summary.exercises),
            ("sets", "summary.sets", summary.sets),
            ("minutes", "summary.minutes", summary.minutes),
        ):
            row.addWidget(self._figure(key, tn(words, value), value), 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.saved_notes.append(make_label(t("summary.saved"), "large", align=_CENTER))
        layout.addWidget(self.saved_notes[-1])
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(m.margin)
        self.balance_button = make_button(t("summary.balance"), name="SummaryBalanceButton")
        self.balance_button.clicked.connect(self._on_balance_button_clicked)
        self.balance_button.setVisible(balance_check)
        buttons.addWidget(self.balance_button)
        buttons.addStretch(1)
        self.done_button = make_button(t("summary.done"), "primary", name="FinishButton")
        self.done_button.setMinimumWidth(m.px(480))
        self.done_button.clicked.connect(self._on_done_button_clicked)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        return page

    def _figure(self, key: str, label: str, value: int) -> QFrame:
        card = QFrame()
        card.setObjectName("Card")
        layout = QVBoxLayout(card)
        m = self.theme.metrics
        layout.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        number = make_label(str(value), "figure", align=_CENTER, name=f"Figure_{key}")
        layout.addWidget(number)
        layout.addWidget(make_label(label, "large", align=_CENTER))
        self.figures[key] = number
        return card

    def _build_goodbye_page(self) -> QWidget:
        page, layout = self._page()
        layout.addStretch(2)
        self.goodbye = make_label(
            t("goodbye.title", name=self.summary.name),
            "display",
            align=_CENTER,
            name="GoodbyeTitle",
        )
        layout.addWidget(self.goodbye)
        layout.addWidget(make_label(t("goodbye.body"), "large", align=_CENTER))
        self.saved_notes.append(make_label(t("summary.saved"), "muted", align=_CENTER))
        layout.addWidget(self.saved_notes[-1])
        layout.addStretch(3)
        return page

    # -- moving on ---------------------------------------------------------------------------

    @property
    def page(self) -> str:
        """Which page shows: "pain", "totals" or "goodbye"."""
        current = self.pages.currentWidget()
        if current is self.pain_page:
            return "pain"
        return "totals" if current is self.totals_page else "goodbye"

    def entered(self) -> None:
        """First the pain question; back from the balance check, the totals again."""
        self._show_page(self.totals_page if self._shown else self.pain_page)
        self._shown = True

    def left(self) -> None:
        for timer in (self.timer, self.pain_timer, self.goodbye_timer):
            timer.stop()

    def show_totals(self) -> None:
        """The totals (also where the window comes back to after a balance check)."""
        self._show_page(self.totals_page)

    def _show_page(self, page: QWidget) -> None:
        self.left()
        saved = self._all_saved is None or self._all_saved()
        for note in self.saved_notes:
            note.setText(t("summary.saved" if saved else "summary.kept"))
        self.pages.setCurrentWidget(page)
        {
            id(self.pain_page): self.pain_timer,
            id(self.totals_page): self.timer,
            id(self.goodbye_page): self.goodbye_timer,
        }[id(page)].start()

    def _answered_all(self) -> bool:
        rated = self.rating is None or self.rating.value is not None
        return self.pain_scale.value is not None and rated

    def _on_pain_scale_chosen(self, value: int) -> None:
        if self.feedback is not None:
            self.feedback.record(FeedbackKind.PAIN_AFTER, str(value))
        self._after_answer()

    def _on_rating_rated(self, value: str) -> None:
        rate = self.summary.rate
        if self.feedback is not None and rate is not None:
            self.feedback.record(
                FeedbackKind.DIFFICULTY, value, exercise_index=rate[0], exercise_id=rate[1]
            )
        self._after_answer()

    def _after_answer(self) -> None:
        if self._answered_all():
            self.show_totals()
        else:
            self.skip_button.setText(t("after.next"))
            self.pain_timer.start()  # a fresh minute for the other question

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap outside the buttons on the goodbye page ends it at once."""
        if self.pages.currentWidget() is self.goodbye_page:
            self._finish()
        event.accept()

    def _finish(self) -> None:
        self.left()
        self.finished.emit()

    def _on_skip_button_clicked(self) -> None:
        self.show_totals()

    def _on_pain_timer_timeout(self) -> None:
        self.show_totals()

    def _on_done_button_clicked(self) -> None:
        self._show_page(self.goodbye_page)

    def _on_timer_timeout(self) -> None:
        self._show_page(self.goodbye_page)

    def _on_goodbye_timer_timeout(self) -> None:
        self._finish()

    def _on_balance_button_clicked(self) -> None:
        self.left()
        self.balance_requested.emit()
