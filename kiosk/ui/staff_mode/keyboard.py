"""An on-screen keyboard for the few words staff type: names, a search, a program name.

The kiosk has a touchscreen and usually no keyboard, so every text field on the staff screens
is a button that opens this panel. A physical keyboard works too (the line edit takes the
keys). The owner says what to do with the text: its callback returns None to accept it, or a
sentence saying what is wrong, which is shown while the panel stays open with the text kept.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label

#: Returns None if the text is accepted, else what is wrong with it.
TextHandler = Callable[[str], "str | None"]

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm-.,")


class QtKeyButton(QPushButton):
    """One key; says which character it types (no lambda per key).

    Signals:
        typed(str): the key was tapped.
    """

    typed = Signal(str)

    def __init__(self, char: str, parent: QWidget | None = None) -> None:
        super().__init__(char, parent)
        self.char = char
        self.setProperty("role", "key")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.clicked.connect(self._on_self_clicked)

    def _on_self_clicked(self) -> None:
        self.typed.emit(self.text())


class QtKeyboardOverlay(QtOverlay):
    """A title, the text being typed, a QWERTY keypad, Cancel and OK.

    Signals:
        finished(bool): the panel closed; True if the text was accepted.
    """

    finished = Signal(bool)

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.94)
        self.panel.setProperty("overlay", "Keyboard")
        m = theme.metrics
        self.panel_layout.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        self.panel_layout.setSpacing(m.spacing_small)
        self.title = make_label("", "large", name="KeyboardTitle")
        self.panel_layout.addWidget(self.title)
        self.editor = QLineEdit()
        self.editor.setObjectName("KeyboardEditor")
        self.editor.returnPressed.connect(self._on_editor_return_pressed)
        self.panel_layout.addWidget(self.editor)
        self.problem = make_label("", "body", name="KeyboardProblem")
        self.problem.setProperty("role", "message")
        self.problem.setProperty("kind", "error")
        self.problem.setVisible(False)
        self.panel_layout.addWidget(self.problem)

        grid = QGridLayout()
        grid.setSpacing(m.spacing_small)
        self.keys: dict[str, QtKeyButton] = {}
        for r, row in enumerate(ROWS):
            for c, char in enumerate(row):
                key = QtKeyButton(char)
                key.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
                key.setMinimumHeight(m.touch)
                key.typed.connect(self._on_key_typed)
                grid.addWidget(key, r, c)
                self.keys[char] = key
        for column in range(10):
            grid.setColumnStretch(column, 1)
        self.panel_layout.addLayout(grid)

        bottom = QHBoxLayout()
        bottom.setSpacing(m.spacing_small)
        self.shift_button = make_button(t("staff.key.shift"), "key", name="KeyShift")
        self.shift_button.setCheckable(True)
        self.shift_button.toggled.connect(self._on_shift_button_toggled)
        self.space_button = make_button(t("staff.key.space"), "key", name="KeySpace")
        self.space_button.clicked.connect(self._on_space_button_clicked)
        self.backspace_button = make_button(t("staff.key.backspace"), "key", name="KeyBackspace")
        self.backspace_button.setAutoRepeat(True)
        self.backspace_button.clicked.connect(self._on_backspace_button_clicked)
        self.cancel_button = make_button(t("staff.cancel"), name="KeyboardCancel")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.ok_button = make_button(t("staff.ok"), "primary", name="KeyboardOk")
        self.ok_button.clicked.connect(self._on_ok_button_clicked)
        for button, stretch in (
            (self.shift_button, 1),
            (self.space_button, 4),
            (self.backspace_button, 1),
            (self.cancel_button, 2),
            (self.ok_button, 2),
        ):
            button.setMinimumHeight(m.touch)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            bottom.addWidget(button, stretch)
        self.panel_layout.addLayout(bottom)
        self._handler: TextHandler | None = None

    def ask(self, title: str, text: str, handler: TextHandler, *, max_length: int = 100) -> None:
        """Open with ``text``; ``handler`` gets the text on OK (see the module docstring)."""
        self.title.setText(title)
        self.editor.setMaxLength(max_length)
        self.editor.setText(text)
        self.problem.setVisible(False)
        self.shift_button.setChecked(not text)  # a name starts with a capital
        self._handler = handler
        self.open()
        self.editor.setFocus()
        self.editor.end(False)

    def type_text(self, text: str) -> None:
        """Type as if on the keys (tests, and the keys themselves)."""
        self.editor.insert(text)
        self.problem.setVisible(False)

    def _on_key_typed(self, char: str) -> None:
        self.type_text(char)
        if self.shift_button.isChecked():
            self.shift_button.setChecked(False)  # one capital, like a phone keyboard

    def _on_shift_button_toggled(self, upper: bool) -> None:
        for char, key in self.keys.items():
            key.setText(char.upper() if upper else char)

    def _on_space_button_clicked(self) -> None:
        self.type_text(" ")

    def _on_backspace_button_clicked(self) -> None:
        self.editor.backspace()

    def _on_editor_return_pressed(self) -> None:
        self._on_ok_button_clicked()

    def _on_ok_button_clicked(self) -> None:
        handler = self._handler
        if handler is None:
            return
        problem = handler(self.editor.text())
        if problem:
            self.problem.setText(problem)
            self.problem.setVisible(True)
            self._place_panel()
            return
        self._handler = None
        self.hide()
        self.finished.emit(True)

    def _on_cancel_button_clicked(self) -> None:
        self._handler = None
        self.hide()
        self.finished.emit(False)
