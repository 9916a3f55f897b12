"""Today's program, and the welcome before it: greeting, safety, pain, display choices.

The patient checks this is their program (their name — a first name or initials only —, and
exercises they recognise) before anything starts moving; dosage is written out in words ("3
sets of 8 reps on each side, switching sides after every set") because "3×8 L/R alt" means
nothing to most patients. Above the cards: the display toggles first (someone who cannot read
small text needs "Large text" before anything else), the library's "stop if it hurts" note,
and an optional pain rating. Everything but the buttons scrolls, so Start is always in reach
whatever the text size and however long the program.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.describe import describe_prescription
from kiosk.core.prescription import Prescription
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.visit.choices import QtDisplayToggles, QtPainScale
from kiosk.ui.visit.demonstration import thumbnail_pixmap
from kiosk.ui.widgets.base import QtScreen, make_button, make_label, make_scroll_area
from kiosk.ui.widgets.language_button import QtLanguageButton

if TYPE_CHECKING:
    from kiosk.patient.checkin import CheckIn

MinutesFor = Callable[[Prescription], int]


def dose_text(p: Prescription, *, side_series: bool = False) -> str:
    """One card's dosage line. In a side series the program, not the item, switches sides."""
    return describe_prescription(p, side_series=side_series)


class QtExerciseCard(QFrame):
    """One exercise on the program screen: number, name, dosage, minutes, a still."""

    def __init__(
        self,
        theme: Theme,
        number: int,
        prescription: Prescription,
        minutes: int,
        *,
        side_series: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        m = theme.metrics
        layout = QGridLayout(self)
        layout.setContentsMargins(m.spacing, m.spacing * 2 // 3, m.spacing, m.spacing * 2 // 3)
        layout.setHorizontalSpacing(m.spacing)
        layout.setVerticalSpacing(0)
        number_label = make_label(str(number), "accent", wrap=False, name="CardNumber")
        number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        number_label.setMinimumWidth(m.px(70))
        layout.addWidget(number_label, 0, 0, 2, 1)
        # The name gets the card's whole width; the minutes follow the dosage.
        self.name = make_label(prescription.name, "strong", name="CardName")
        layout.addWidget(self.name, 0, 1)
        dose = dose_text(prescription, side_series=side_series)
        self.dose = make_label(
            f"{dose}  ·  {t('card.minutes', minutes=minutes)}", "body", name="CardDose"
        )
        layout.addWidget(self.dose, 1, 1)
        layout.setColumnStretch(1, 1)
        # A still of the exercise's key pose, so the patient recognises it before it starts.
        self.thumbnail = make_label("", "body", name="CardThumbnail", wrap=False)
        pixmap = thumbnail_pixmap(prescription.exercise_id, QSize(m.px(210), m.px(126)), theme)
        if pixmap is not None:
            self.thumbnail.setPixmap(pixmap)
        layout.addWidget(self.thumbnail, 0, 2, 2, 1)


class QtProgramScreen(QtScreen):
    """Shows one check-in's program and takes the welcome's answers.

    ``pain_before`` is the rating tapped (None: skipped); the window logs it when the session
    starts (a session row exists only then). ``voice_on`` None: no voice toggle. Display
    changes are the window's (it rebuilds this screen in the new look, passing the rating on).

    Signals:
        start_requested(): the patient pressed Start.
        back_requested(): the patient pressed Back.
        balance_requested(): the patient pressed "Balance check".
        display_requested(bool, bool): large text, high contrast wanted.
        voice_requested(bool): voice on or off wanted.
        language_requested(str): the patient chose this language ("es").
        listen_requested(bool): voice control on or off wanted, for this visit.
    """

    start_requested = Signal()
    back_requested = Signal()
    balance_requested = Signal()
    display_requested = Signal(bool, bool)
    voice_requested = Signal(bool)
    language_requested = Signal(str)
    listen_requested = Signal(bool)

    def __init__(
        self,
        theme: Theme,
        checkin: CheckIn,
        minutes_for: MinutesFor,
        parent: QWidget | None = None,
        *,
        safety: str | None = None,
        pain_before: int | None = None,
        voice_on: bool | None = None,
        listen_on: bool | None = None,
        balance_check: bool = False,
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("ProgramScreen")
        self.checkin = checkin
        m = theme.metrics
        program = checkin.program

        root = QVBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin * 2 // 3, m.margin, m.margin * 2 // 3)
        root.setSpacing(m.spacing)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, m.spacing, 0)
        column.setSpacing(m.spacing)
        self.greeting = make_label(
            t("program.greeting", name=checkin.display_name), "title", name="Greeting"
        )
        self.toggles = QtDisplayToggles(theme, voice_on=voice_on, listen_on=listen_on)
        self.toggles.display_toggled.connect(self._on_toggles_display_toggled)
        self.toggles.voice_toggled.connect(self._on_toggles_voice_toggled)
        self.toggles.listen_toggled.connect(self._on_toggles_listen_toggled)
        # "Español" / "English" beside the name, where a patient looks first (as on the
        # keypad); the toggles then take a row of their own, like in large text.
        self.language_button = QtLanguageButton(theme)
        self.language_button.language_requested.connect(self._on_language_button_requested)
        header = QHBoxLayout()
        header.setSpacing(m.spacing)
        header.addWidget(self.greeting, 1)
        if theme.large_text or self.language_button.offer is not None:
            header.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignTop)
            column.addLayout(header)
            column.addWidget(self.toggles)
        else:  # one language only: the toggles fit beside the name
            header.addWidget(self.toggles)
            column.addLayout(header)
        reminder = safety or t("welcome.safety")
        self.reminder = make_label(
            f"{t('welcome.safety_mark')}  {reminder}", "body", name="SafetyReminder"
        )
        column.addWidget(self.reminder)
        self.pain_scale = QtPainScale(
            theme, t("pain.before_question"), name="PainBefore", hint=t("pain.optional")
        )
        self.pain_scale.choose(pain_before)
        column.addWidget(self.pain_scale)

        count = len(program.items)
        total_minutes = max(1, round(checkin.timeline.total_s / 60))
        summary = (
            t("program.total_one", minutes=total_minutes)
            if count == 1
            else t("program.total", count=count, minutes=total_minutes)
        )
        column.addSpacing(m.spacing_small)
        self.summary = make_label(f"{t('program.title')}: {summary}", "large", name="Summary")
        column.addWidget(self.summary)
        if program.side_series:
            column.addWidget(make_label(t("program.side_series"), "muted"))
        self.cards: list[QtExerciseCard] = []
        for number, item in enumerate(program.items, start=1):
            card = QtExerciseCard(
                theme, number, item, minutes_for(item), side_series=program.side_series
            )
            column.addWidget(card)
            self.cards.append(card)
        column.addStretch(1)
        self.scroll_area = make_scroll_area(content, "ProgramScroll")
        root.addWidget(self.scroll_area, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(m.margin)
        self.back_button = make_button(t("program.back"), name="BackButton")
        self.back_button.setMinimumWidth(m.px(300))
        self.back_button.clicked.connect(self._on_back_button_clicked)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.balance_button = make_button(t("program.balance"), name="BalanceButton")
        self.balance_button.clicked.connect(self._on_balance_button_clicked)
        if not balance_check:
            self.balance_button.hide()
        buttons.addWidget(self.balance_button)
        self.start_button = make_button(t("program.start"), "primary", name="StartButton")
        self.start_button.setMinimumWidth(m.px(480))
        self.start_button.clicked.connect(self._on_start_button_clicked)
        buttons.addWidget(self.start_button)
        root.addLayout(buttons)

    @property
    def pain_before(self) -> int | None:
        return self.pain_scale.value

    def _on_start_button_clicked(self) -> None:
        self.start_requested.emit()

    def _on_back_button_clicked(self) -> None:
        self.back_requested.emit()

    def _on_balance_button_clicked(self) -> None:
        self.balance_requested.emit()

    def _on_toggles_display_toggled(self, large_text: bool, high_contrast: bool) -> None:
        self.display_requested.emit(large_text, high_contrast)

    def _on_language_button_requested(self, code: str) -> None:
        self.language_requested.emit(code)

    def _on_toggles_voice_toggled(self, on: bool) -> None:
        self.voice_requested.emit(on)

    def _on_toggles_listen_toggled(self, on: bool) -> None:
        self.listen_requested.emit(on)
