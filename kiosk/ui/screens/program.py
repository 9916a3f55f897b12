"""Today's program: a greeting, one card per exercise, a big Start.

The patient checks this is their program (their name, exercises they recognise) before
anything starts moving; dosage is written out in words ("3 sets of 8 reps on each side, switching
sides after every set") because "3×8 L/R alt" means nothing to most patients.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.describe import describe_dose
from kiosk.core.prescription import Prescription
from kiosk.services import CheckIn
from kiosk.ui import strings
from kiosk.ui.demonstration import thumbnail_pixmap
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import QtScreen, make_button, make_label
from media.schema import SidePattern

MinutesFor = Callable[[Prescription], int]


def dose_text(p: Prescription, *, side_series: bool = False) -> str:
    """One card's dosage line. In a side series the program, not the item, switches sides."""
    return describe_dose(
        sets=p.sets,
        reps=p.reps,
        hold_s=p.hold_s,
        sides=SidePattern.NONE if side_series else p.sides,
        rep_hold_s=p.rep_hold_s,
        final_hold_s=p.final_hold_s,
    )


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
            f"{dose}  ·  {strings.CARD_MINUTES.format(minutes=minutes)}", "body", name="CardDose"
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
    """Shows one check-in's program.

    Signals:
        start_requested(): the patient pressed Start.
        back_requested(): the patient pressed Back.
    """

    start_requested = Signal()
    back_requested = Signal()

    def __init__(
        self,
        theme: Theme,
        checkin: CheckIn,
        minutes_for: MinutesFor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("ProgramScreen")
        self.checkin = checkin
        m = theme.metrics
        program = checkin.program

        root = QVBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        root.setSpacing(m.spacing)

        self.greeting = make_label(
            strings.PROGRAM_GREETING.format(name=checkin.display_name), "title", name="Greeting"
        )
        root.addWidget(self.greeting)
        root.addSpacing(-m.spacing // 2)
        count = len(program.items)
        total_minutes = max(1, round(checkin.timeline.total_s / 60))
        summary = (
            strings.PROGRAM_TOTAL_ONE.format(minutes=total_minutes)
            if count == 1
            else strings.PROGRAM_TOTAL.format(count=count, minutes=total_minutes)
        )
        self.summary = make_label(f"{strings.PROGRAM_TITLE}: {summary}", "large", name="Summary")
        root.addWidget(self.summary)
        if program.side_series:
            root.addWidget(make_label(strings.PROGRAM_SIDE_SERIES, "muted"))

        content = QWidget()
        cards = QVBoxLayout(content)
        cards.setContentsMargins(0, 0, m.spacing, 0)
        cards.setSpacing(m.spacing)
        self.cards: list[QtExerciseCard] = []
        for number, item in enumerate(program.items, start=1):
            card = QtExerciseCard(
                theme, number, item, minutes_for(item), side_series=program.side_series
            )
            cards.addWidget(card)
            self.cards.append(card)
        cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        root.addWidget(scroll, 1)

        buttons = QHBoxLayout()
        buttons.setSpacing(m.margin)
        self.back_button = make_button(strings.PROGRAM_BACK, name="BackButton")
        self.back_button.setMinimumWidth(m.px(300))
        self.back_button.clicked.connect(self._on_back_button_clicked)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.start_button = make_button(strings.PROGRAM_START, "primary", name="StartButton")
        self.start_button.setMinimumWidth(m.px(560))
        self.start_button.clicked.connect(self._on_start_button_clicked)
        buttons.addWidget(self.start_button)
        root.addLayout(buttons)

    def _on_start_button_clicked(self) -> None:
        self.start_requested.emit()

    def _on_back_button_clicked(self) -> None:
        self.back_requested.emit()
