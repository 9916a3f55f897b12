"""After check-in, when today's session was interrupted: carry on, or start again?

A patient who walked away, or whose kiosk restarted, checks in again and is asked one plain
question, "Continue with Clamshell, set 2?", with two large answers. Carrying on starts the
player at the first set not yet done (the sets logged before are not repeated); starting
again goes to today's program as usual. The display toggles are here too, because this
screen replaces the welcome for a patient who carries on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.visit.choices import QtDisplayToggles
from kiosk.ui.widgets.base import QtScreen, make_button, make_label
from kiosk.ui.widgets.language_button import QtLanguageButton

if TYPE_CHECKING:
    from kiosk.patient.carry_on import ResumeOffer

_CENTER = Qt.AlignmentFlag.AlignCenter


def question_text(offer: ResumeOffer) -> str:
    """ "Continue with Clamshell, set 2, right leg?" (no side for exercises without one)."""
    point = offer.point
    if point.side is None:
        return t("resume.question", exercise=point.exercise_name, set=point.set_number)
    return t(
        "resume.question_side",
        exercise=point.exercise_name,
        set=point.set_number,
        side=t("side.left_word") if point.side.value == "left" else t("side.right_word"),
    )


class QtResumePrompt(QtScreen):
    """Continue or start again.

    Signals:
        continue_requested(): carry on where the session stopped.
        start_again_requested(): today's program from the beginning (a new session).
        display_requested(bool, bool): large text, high contrast wanted.
        voice_requested(bool): voice on or off wanted.
        language_requested(str): the patient chose this language ("es").
    """

    continue_requested = Signal()
    start_again_requested = Signal()
    display_requested = Signal(bool, bool)
    voice_requested = Signal(bool)
    language_requested = Signal(str)

    def __init__(
        self,
        theme: Theme,
        name: str,
        offer: ResumeOffer,
        parent: QWidget | None = None,
        *,
        voice_on: bool | None = None,
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("ResumePrompt")
        self.offer = offer
        m = theme.metrics
        root = QVBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin * 2 // 3, m.margin, m.margin * 2 // 3)
        root.setSpacing(m.spacing)
        self.title = make_label(t("resume.title", name=name), "title", name="ResumeTitle")
        # "Español" / "English" beside the greeting, as on the welcome.
        self.language_button = QtLanguageButton(theme)
        self.language_button.language_requested.connect(self._on_language_button_requested)
        header = QHBoxLayout()
        header.setSpacing(m.spacing)
        header.addWidget(self.title, 1)
        header.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(header)
        self.toggles = QtDisplayToggles(theme, voice_on=voice_on)
        self.toggles.display_toggled.connect(self._on_toggles_display_toggled)
        self.toggles.voice_toggled.connect(self._on_toggles_voice_toggled)
        root.addWidget(self.toggles)
        root.addStretch(1)
        self.question = make_label(
            question_text(offer), "title", align=_CENTER, name="ResumeQuestion"
        )
        root.addWidget(self.question)
        self.detail = make_label(t("resume.detail"), "large", align=_CENTER, name="ResumeDetail")
        root.addWidget(self.detail)
        root.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(m.margin)
        self.start_again_button = make_button(t("resume.start_again"), name="StartAgainButton")
        self.start_again_button.setMinimumWidth(m.px(400))
        self.start_again_button.clicked.connect(self._on_start_again_button_clicked)
        buttons.addWidget(self.start_again_button)
        buttons.addStretch(1)
        self.continue_button = make_button(t("resume.continue"), "primary", name="ContinueButton")
        self.continue_button.setMinimumWidth(m.px(480))
        self.continue_button.clicked.connect(self._on_continue_button_clicked)
        buttons.addWidget(self.continue_button)
        root.addLayout(buttons)

    def _on_continue_button_clicked(self) -> None:
        self.continue_requested.emit()

    def _on_start_again_button_clicked(self) -> None:
        self.start_again_requested.emit()

    def _on_toggles_display_toggled(self, large_text: bool, high_contrast: bool) -> None:
        self.display_requested.emit(large_text, high_contrast)

    def _on_language_button_requested(self, code: str) -> None:
        self.language_requested.emit(code)

    def _on_toggles_voice_toggled(self, on: bool) -> None:
        self.voice_requested.emit(on)
