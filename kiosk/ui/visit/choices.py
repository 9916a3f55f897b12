"""One-tap answers a patient gives: pain 0–10, how hard an exercise was, display choices.

Every answer is optional and takes one tap on a large button. The chosen answer is said in
words ("✓ You chose 4. Thank you.") as well as shown by the button's colour, because nothing
may be told by colour alone; buttons never take focus (a barcode scanner's keys must reach
the window).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_button, make_label, set_style_property
from kiosk.ui.widgets.flow_layout import QtFlowLayout

PAIN_MAX = 10
#: The difficulty answers: the value stored for staff, and the key of the words shown.
RATING_CHOICES = (
    ("easy", "rating.easy"),
    ("just right", "rating.just_right"),
    ("hard", "rating.hard"),
)


def _mark(buttons: list[QPushButton], chosen: QPushButton | None) -> None:
    for button in buttons:
        set_style_property(button, "chosen", button is chosen)


class QtPainScale(QWidget):
    """A question and eleven buttons, 0 (no pain) to 10 (the worst pain).

    Signals:
        chosen(int): the patient tapped a number (again: a new answer).
    """

    chosen = Signal(int)

    def __init__(
        self,
        theme: Theme,
        question: str,
        *,
        name: str,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        m = theme.metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(m.spacing_small)
        top = QHBoxLayout()
        top.setSpacing(m.spacing)
        self.question = make_label(question, "strong", name=f"{name}Question")
        top.addWidget(self.question, 1)
        if hint:
            top.addWidget(make_label(hint, "muted", name=f"{name}Hint", wrap=False))
        layout.addLayout(top)
        row = QHBoxLayout()
        # Targets at least 16 px apart (WCAG 2.5.8 asks 24 px of spacing *or* size; we do both).
        row.setSpacing(max(16, m.spacing_small * 2))
        self.buttons: list[QPushButton] = []
        for value in range(PAIN_MAX + 1):
            button = make_button(str(value), "scale", name=f"{name}{value}")
            button.setProperty("value", value)
            button.setMinimumSize(m.touch, m.touch)
            button.clicked.connect(self._on_button_clicked)
            row.addWidget(button, 1)
            self.buttons.append(button)
        layout.addLayout(row)
        ends = QHBoxLayout()
        ends.addWidget(make_label(t("pain.scale_low"), "muted", wrap=False))
        ends.addStretch(1)
        ends.addWidget(make_label(t("pain.scale_high"), "muted", wrap=False))
        layout.addLayout(ends)
        self.answer = make_label("", "body", name=f"{name}Answer")
        self.answer.setVisible(False)
        layout.addWidget(self.answer)
        self.value: int | None = None

    def choose(self, value: int | None) -> None:
        """Show ``value`` as chosen (None: nothing yet); does not emit ``chosen``."""
        self.value = value
        chosen = self.buttons[value] if value is not None else None
        _mark(self.buttons, chosen)
        self.answer.setText(t("pain.scale_chosen", value=value) if chosen else "")
        self.answer.setVisible(chosen is not None)

    def _on_button_clicked(self) -> None:
        button = self.sender()
        if not isinstance(button, QPushButton):
            return
        value = int(button.property("value"))
        self.choose(value)
        self.chosen.emit(value)


class QtRatingChoices(QWidget):
    """ "How was Clamshell?": too easy / just right / too hard, in a row.

    Signals:
        rated(str): the value stored for staff ("easy", "just right", "hard").
    """

    rated = Signal(str)

    def __init__(
        self,
        theme: Theme,
        exercise: str,
        *,
        name: str,
        prominent: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        m = theme.metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(m.spacing if prominent else m.spacing_small)
        self.question = make_label(
            t("rating.question", exercise=exercise),
            "title" if prominent else "strong",  # alone on the player: read from the mat
            name=f"{name}Question",
        )
        layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(max(16, m.spacing_small * 2))  # targets at least 16 px apart
        self.buttons: dict[str, QPushButton] = {}
        for value, key in RATING_CHOICES:
            button = make_button(t(key), name=f"{name}_{value.replace(' ', '_')}")
            button.setProperty("value", value)
            button.setMinimumHeight(m.touch_large if prominent else m.touch)
            button.clicked.connect(self._on_button_clicked)
            row.addWidget(button, 1)
            self.buttons[value] = button
        layout.addLayout(row)
        self.value: str | None = None

    def _on_button_clicked(self) -> None:
        """The thanks replaces the question (in words; no extra line where space is tight)."""
        button = self.sender()
        if not isinstance(button, QPushButton):
            return
        value = str(button.property("value"))
        self.value = value
        _mark(list(self.buttons.values()), button)
        self.question.setText(t("rating.thanks", choice=button.text()))
        self.rated.emit(value)


class QtDisplayToggles(QWidget):
    """Voice, voice control, large text and high contrast for this visit, each one tap, said in
    words.

    The screen keeps no state of its own: it asks the window to change, and the window
    rebuilds the screen in the new look (so every size is recomputed for it).

    Signals:
        voice_toggled(bool): the patient wants the voice on (True) or off.
        listen_toggled(bool): the patient wants voice control on (True) or off.
        display_toggled(bool, bool): large text, high contrast wanted.
    """

    voice_toggled = Signal(bool)
    listen_toggled = Signal(bool)
    display_toggled = Signal(bool, bool)

    def __init__(
        self,
        theme: Theme,
        *,
        voice_on: bool | None,
        listen_on: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DisplayToggles")
        self._listen = listen_on
        m = theme.metrics
        self._large = theme.large_text
        self._contrast = theme.high_contrast
        self._voice = voice_on
        # One line of three while the words fit, more lines when they do not (large text,
        # longer words in another language): never wider than the screen.
        row = QtFlowLayout(self, spacing=m.spacing)
        self.voice_button = make_button("", "toggle", name="VoiceToggle")
        self.large_button = make_button("", "toggle", name="LargeTextToggle")
        self.contrast_button = make_button("", "toggle", name="HighContrastToggle")
        self.listen_button = make_button("", "toggle", name="ListenToggle")
        buttons = [self.large_button, self.contrast_button]
        if listen_on is not None:  # voice control is on for this kiosk: the patient may not want it
            buttons.insert(0, self.listen_button)
        else:
            self.listen_button.hide()
        if voice_on is not None:  # no voice on this kiosk (or not started yet): no toggle
            buttons.insert(0, self.voice_button)
        else:
            self.voice_button.hide()
        for button in buttons:
            button.setCheckable(True)
            button.setMinimumHeight(m.touch)
            row.addWidget(button)
        self.voice_button.clicked.connect(self._on_voice_button_clicked)
        self.listen_button.clicked.connect(self._on_listen_button_clicked)
        self.large_button.clicked.connect(self._on_large_button_clicked)
        self.contrast_button.clicked.connect(self._on_contrast_button_clicked)
        self._show()

    def _show(self) -> None:
        for button, label, on in (
            (self.voice_button, t("display.voice"), bool(self._voice)),
            (self.listen_button, t("display.voice_control"), bool(self._listen)),
            (self.large_button, t("display.large_text"), self._large),
            (self.contrast_button, t("display.high_contrast"), self._contrast),
        ):
            template = t("display.on") if on else t("display.off")
            button.setText(template.format(label=label))
            button.setChecked(on)

    def _on_voice_button_clicked(self) -> None:
        self._voice = not self._voice
        self._show()
        self.voice_toggled.emit(self._voice)

    def _on_listen_button_clicked(self) -> None:
        self._listen = not self._listen
        self._show()
        self.listen_toggled.emit(self._listen)

    def _on_large_button_clicked(self) -> None:
        self._large = not self._large
        self._show()
        self.display_toggled.emit(self._large, self._contrast)

    def _on_contrast_button_clicked(self) -> None:
        self._contrast = not self._contrast
        self._show()
        self.display_toggled.emit(self._large, self._contrast)
