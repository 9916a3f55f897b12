"""The balance check (the library's single-leg stance), as a guided routine.

1. *How to do it*: the library's steps and safety points, Back or Start.
2. *The timed stance*: the check is compiled like an exercise (one hold per side), so the
   engine times it, the voice speaks it (the countdown, "Switch legs.", the last five
   seconds counted) and the ring shows it. "I put my foot down" ends that side's hold early
   (its seconds are kept); Stop ends the check (what was timed is kept).
3. *What did you notice?*: for each side timed, the library's list of what to watch for,
   each a large Yes / No (both optional).
4. *Saved*: held seconds per side; back to where the check was opened from.

The screen has ``driver`` and ``engine`` attributes like the player, so the idle logout
waits while the stance is being timed. It saves through the ``save`` callable it is given
(the window's, which knows the patient and session): it never touches the database itself.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.repositories.assessments import Answer, SideResult
from kiosk.core.clock import Clock
from kiosk.core.engine import ANNOUNCE_AHEAD_S, SessionEngine
from kiosk.core.events import CueDue, SessionEnded, StepStarted
from kiosk.core.records import SetRecord
from kiosk.core.timeline import Side, Step, StepKind
from kiosk.text import t
from kiosk.ui.runners.session_driver import QtSessionDriver
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.visit.demonstration import thumbnail_pixmap
from kiosk.ui.widgets.base import (
    QtScreen,
    make_button,
    make_label,
    make_scroll_area,
    set_style_property,
)
from kiosk.ui.widgets.ring import QtCountdownRing

if TYPE_CHECKING:
    from kiosk.patient.balance import StanceCheck
    from kiosk.ui.runners.voice_bridge import QtVoiceBridge

log = logging.getLogger(__name__)

SAVED_MS = 15_000  # the thank-you page goes back by itself
_CENTER = Qt.AlignmentFlag.AlignCenter
_SIDE_TEXT = {Side.LEFT: "side.left", Side.RIGHT: "side.right"}
Save = Callable[[Sequence[SideResult]], None]


def _side_word(side: Side | None) -> str:
    if side is None:
        return ""
    return t("side.left_word") if side is Side.LEFT else t("side.right_word")


def _capital(sentence: str) -> str:
    """The sentence with a capital first letter: "Left leg: ...", "Pierna izquierda: ..."
    (the side word goes first in one language and later in another)."""
    return sentence[:1].upper() + sentence[1:]


class QtSideQuestions(QWidget):
    """One side's list of what to watch for, each with a Yes and a No."""

    def __init__(self, theme: Theme, side: Side | None, questions: Sequence[str]) -> None:
        super().__init__()
        self.side = side
        m = theme.metrics
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, m.spacing, 0)
        grid.setHorizontalSpacing(m.spacing)
        grid.setVerticalSpacing(m.spacing)
        self.questions = tuple(questions)
        self.answers: list[Answer | None] = [None] * len(self.questions)
        self.buttons: list[dict[Answer, QPushButton]] = []
        for row, question in enumerate(self.questions):
            grid.addWidget(make_label(question, "large", name=f"Question{row}"), row, 0)
            pair: dict[Answer, QPushButton] = {}
            for column, (answer, text) in enumerate(
                ((Answer.YES, t("balance.yes")), (Answer.NO, t("balance.no"))), start=1
            ):
                button = make_button(text, name=f"Answer{row}_{answer.value}")
                button.setProperty("row", row)
                button.setProperty("answer", answer.value)
                button.setMinimumSize(m.px(190), m.touch)
                button.clicked.connect(self._on_button_clicked)
                grid.addWidget(button, row, column)
                pair[answer] = button
            self.buttons.append(pair)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(len(self.questions), 1)

    def answer(self, row: int, answer: Answer) -> None:
        self.answers[row] = answer
        for choice, button in self.buttons[row].items():
            chosen = choice is answer
            text = t("balance.yes") if choice is Answer.YES else t("balance.no")
            button.setText(f"✓ {text}" if chosen else text)  # never colour alone
            set_style_property(button, "chosen", chosen)

    def _on_button_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.answer(int(button.property("row")), Answer(str(button.property("answer"))))


class QtBalanceCheckScreen(QtScreen):
    """The guided balance check.

    Signals:
        finished(): back to the screen it was opened from (saved, left, or timed out).
    """

    finished = Signal()

    def __init__(
        self,
        theme: Theme,
        check: StanceCheck,
        *,
        clock: Clock,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
        save: Save,
        voice: QtVoiceBridge | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("BalanceCheckScreen")
        self.check = check
        self.voice = voice
        self._save = save
        self.engine = SessionEngine(
            check.timeline, clock=clock, wall_clock=wall_clock, lead_s=ANNOUNCE_AHEAD_S
        )
        self.driver = QtSessionDriver(self.engine, clock, timers, parent=self)
        self.driver.event_emitted.connect(self._on_driver_event_emitted)
        self.driver.refreshed.connect(self._on_driver_refreshed)
        self.records: tuple[SetRecord, ...] = ()
        self.sides: list[QtSideQuestions] = []
        self.next_buttons: list[QPushButton] = []  # each side's Next (the last one's Save)
        self._step: Step | None = None
        self._started = False
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        root.addWidget(self.pages)
        self.intro_page = self._build_intro()
        self.run_page = self._build_run()
        self.questions_page = QStackedWidget()
        self.saved_page = self._build_saved()
        for page in (self.intro_page, self.run_page, self.questions_page, self.saved_page):
            self.pages.addWidget(page)
        self.saved_timer = timers.create(self, "balance-saved", single_shot=True)
        self.saved_timer.setInterval(SAVED_MS)
        self.saved_timer.timeout.connect(self._on_saved_timer_timeout)

    # -- pages ---------------------------------------------------------------------------------

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        m = self.theme.metrics
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(m.margin, m.margin * 2 // 3, m.margin, m.margin * 2 // 3)
        layout.setSpacing(m.spacing)
        return page, layout

    def _build_intro(self) -> QWidget:
        m = self.theme.metrics
        assessment = self.check.assessment
        page, layout = self._page()
        self.title = make_label(assessment.name, "title", name="BalanceTitle")
        layout.addWidget(self.title)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, m.spacing, 0)
        column.setSpacing(m.spacing_small)
        column.addWidget(make_label(assessment.summary, "large", name="BalanceSummary"))
        column.addSpacing(m.spacing_small)
        column.addWidget(make_label(t("balance.intro_title"), "strong"))
        for number, step in enumerate(assessment.steps, start=1):
            column.addWidget(make_label(f"{number}.  {step}", "body"))
        column.addSpacing(m.spacing_small)
        for note in assessment.safety:
            label = make_label(f"{t('welcome.safety_mark')}  {note}", "body")
            label.setObjectName("SafetyReminder")
            column.addWidget(label)
        column.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(m.margin)
        middle.addWidget(make_scroll_area(content), 1)
        # The balance check's demonstration, still: standing by the chair, the foot lifted.
        picture = thumbnail_pixmap(assessment.id, QSize(m.px(360), m.px(420)), self.theme)
        if picture is not None:
            self.picture = QLabel()
            self.picture.setObjectName("BalancePicture")
            self.picture.setPixmap(picture)
            middle.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(middle, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(m.margin)
        self.back_button = make_button(t("balance.back"), name="BalanceBackButton")
        self.back_button.setMinimumWidth(m.px(300))
        self.back_button.clicked.connect(self._on_back_button_clicked)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.start_button = make_button(t("balance.start"), "primary", name="BalanceStart")
        self.start_button.setMinimumWidth(m.px(480))
        self.start_button.clicked.connect(self._on_start_button_clicked)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)
        return page

    def _build_run(self) -> QWidget:
        m = self.theme.metrics
        page, layout = self._page()
        header = QHBoxLayout()
        self.run_title = make_label(self.check.assessment.name, "title", name="BalanceRunTitle")
        self.run_title.setMinimumHeight(m.touch)
        header.addWidget(self.run_title, 1)
        self.side_badge = make_label("", "body", name="SideBadge", wrap=False, align=_CENTER)
        self.side_badge.setFixedHeight(m.touch)
        self.side_badge.setProperty("side", "none")
        header.addWidget(self.side_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        body = QHBoxLayout()
        body.setSpacing(m.margin)
        self.ring = QtCountdownRing(self.theme)
        self.ring.set_caption(t("player.seconds"))
        body.addWidget(self.ring, 1)
        info = QVBoxLayout()
        info.addStretch(1)
        self.status = make_label("", "title", name="BalanceStatus")
        info.addWidget(self.status)
        self.next_up = make_label("", "large", name="BalanceNextUp")
        info.addWidget(self.next_up)
        info.addStretch(1)
        body.addLayout(info, 1)
        layout.addLayout(body, 1)
        self.caption = make_label("", "body", name="Caption", align=_CENTER)
        self.caption.setMinimumHeight(int(m.font_large * 1.4))
        layout.addWidget(self.caption)
        buttons = QHBoxLayout()
        buttons.setSpacing(m.margin)
        self.stop_button = make_button(t("balance.stop"), name="BalanceStopButton")
        self.stop_button.setMinimumWidth(m.px(250))
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        self.foot_down_button = make_button(
            t("balance.foot_down"), "primary", name="FootDownButton"
        )
        self.foot_down_button.setMinimumWidth(m.px(560))
        self.foot_down_button.clicked.connect(self._on_foot_down_button_clicked)
        buttons.addWidget(self.foot_down_button)
        layout.addLayout(buttons)
        return page

    def _build_questions(self) -> None:
        """One page per side that was timed (built when the stance part ends)."""
        m = self.theme.metrics
        timed = [r.side for r in self.records]
        for number, side in enumerate(timed):
            page, layout = self._page()
            title = _capital(t("balance.question_title", side=_side_word(side)))
            layout.addWidget(make_label(title, "title", name=f"QuestionTitle{number}"))
            layout.addWidget(make_label(t("balance.question_hint"), "muted"))
            questions = QtSideQuestions(self.theme, side, self.check.questions)
            self.sides.append(questions)
            layout.addWidget(make_scroll_area(questions), 1)
            last = number == len(timed) - 1
            button = make_button(
                t("balance.save") if last else t("balance.next"),
                "primary",
                name=f"QuestionsNext{number}",
            )
            button.setMinimumWidth(m.px(480))
            button.clicked.connect(self._on_questions_next_clicked)
            self.next_buttons.append(button)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
            self.questions_page.addWidget(page)

    def _build_saved(self) -> QWidget:
        m = self.theme.metrics
        page, layout = self._page()
        layout.addStretch(1)
        self.saved_title = make_label(
            t("balance.saved_title"), "display", align=_CENTER, name="BalanceSavedTitle"
        )
        layout.addWidget(self.saved_title)
        self.saved_body = make_label("", "large", align=_CENTER, name="BalanceSavedBody")
        layout.addWidget(self.saved_body)
        self.held = make_label("", "strong", align=_CENTER, name="BalanceHeld")
        layout.addWidget(self.held)
        layout.addStretch(1)
        self.done_button = make_button(t("balance.done"), "primary", name="BalanceDone")
        self.done_button.setMinimumWidth(m.px(480))
        self.done_button.clicked.connect(self._on_done_button_clicked)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        return page

    # -- the page showing ---------------------------------------------------------------------

    @property
    def page(self) -> str:
        """ "intro", "run", "questions" or "saved"."""
        current = self.pages.currentWidget()
        return {
            id(self.intro_page): "intro",
            id(self.run_page): "run",
            id(self.questions_page): "questions",
        }.get(id(current), "saved")

    def left(self) -> None:
        self.driver.shutdown()
        self.saved_timer.stop()
        if self.voice is not None:
            self.voice.detach(reset=False)

    # -- the timed stance --------------------------------------------------------------------

    def _on_start_button_clicked(self) -> None:
        if self._started:
            return
        self._started = True
        self.pages.setCurrentWidget(self.run_page)
        if self.voice is not None:
            self.voice.attach(self.engine)  # before the driver: sound and screen together
        self.driver.start()
        self._show_step(self.engine.current_step())

    def _on_driver_event_emitted(self, event: object) -> None:
        if isinstance(event, StepStarted):
            self.caption.setText("")
            self._show_step(event.step)
        elif isinstance(event, CueDue) and event.cue.text:
            self.caption.setText(event.cue.text)  # every word spoken is shown
        elif isinstance(event, SessionEnded):
            self._on_stance_ended(event)

    def _on_driver_refreshed(self) -> None:
        if self._step is not None:
            self.ring.set_time(self.engine.remaining_in_step_s(), self._step.duration_s)

    def _show_step(self, step: Step) -> None:
        self._step = step
        kind = step.kind
        self.ring.set_mode("work" if kind is StepKind.HOLD else "rest")
        self.ring.set_time(self.engine.remaining_in_step_s(), step.duration_s)
        side = step.side if kind in (StepKind.COUNTDOWN, StepKind.HOLD) else None
        self.side_badge.setText(t(_SIDE_TEXT[side]) if side is not None else "")
        set_style_property(self.side_badge, "side", side.value if side is not None else "none")
        self.side_badge.setVisible(side is not None)
        status = {
            StepKind.INTRO: t("player.get_ready"),
            StepKind.REST: t("cue.rest_title"),
            StepKind.SWITCH_SIDE: t("cue.stance_switch").rstrip("."),
            StepKind.DONE: t("cue.done_title"),
        }.get(kind, "")
        if kind in (StepKind.COUNTDOWN, StepKind.HOLD):
            status = t("balance.on_leg", side=_side_word(step.side))
        self.status.setText(status)
        self.next_up.setText((step.next_up or "") if kind is StepKind.REST else "")
        self.foot_down_button.setEnabled(kind is StepKind.HOLD)

    def _on_foot_down_button_clicked(self) -> None:
        if self.engine.current_step().kind is StepKind.HOLD:
            self.driver.command(self.engine.next)  # the hold ends here: its seconds are kept

    def _on_stop_button_clicked(self) -> None:
        self.driver.command(self.engine.stop)

    def _on_stance_ended(self, event: SessionEnded) -> None:
        self.driver.shutdown()
        if self.voice is not None:
            self.voice.detach(reset=False)
        self.records = event.records
        if not self.records:
            self.finished.emit()  # nothing was timed: nothing to ask or save
            return
        self._build_questions()
        self.pages.setCurrentWidget(self.questions_page)

    # -- questions and saving -----------------------------------------------------------------

    def _on_questions_next_clicked(self) -> None:
        index = self.questions_page.currentIndex()
        if index + 1 < self.questions_page.count():
            self.questions_page.setCurrentIndex(index + 1)
            return
        self._save_results()

    def results(self) -> list[SideResult]:
        """Every timed side: held seconds, the target, and each answer (None: skipped)."""
        return [
            SideResult(
                side=record.side,
                held_s=None if record.hold_done_s is None else round(record.hold_done_s, 2),
                target_s=record.hold_target_s,
                answers=tuple(zip(questions.questions, questions.answers, strict=True)),
            )
            for record, questions in zip(self.records, self.sides, strict=True)
        ]

    def _save_results(self) -> None:
        results = self.results()
        try:
            self._save(results)
        except Exception:  # the patient is told; staff find the reason in the log
            log.exception("the balance check could not be saved")
            self.saved_body.setText(t("balance.not_saved"))
        else:
            self.saved_body.setText(t("balance.saved_body"))
        self.held.setText(
            "\n".join(
                _capital(
                    t(
                        "balance.held",
                        side=_side_word(r.side),
                        seconds=math.floor(r.held_s or 0.0),
                        target=round(r.target_s or 0.0),
                    )
                )
                for r in results
            )
        )
        self.pages.setCurrentWidget(self.saved_page)
        self.saved_timer.start()

    def _on_done_button_clicked(self) -> None:
        self.saved_timer.stop()
        self.finished.emit()

    def _on_saved_timer_timeout(self) -> None:
        self.finished.emit()

    def _on_back_button_clicked(self) -> None:
        self.finished.emit()
