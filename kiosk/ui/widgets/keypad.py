"""The big digit keypad the check-in screen and the staff PIN pad share.

Only buttons: the digits they type are kept by
:class:`~kiosk.ui.widgets.digit_entry.QtDigitEntry`, and the screen around them is
:class:`~kiosk.ui.widgets.code_screen.QtCodeScreen`. Each screen names the pad and its
buttons for its own QSS rules.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_button


class KeypadWords(NamedTuple):
    """The words on a keypad's three other keys (each screen's own, from the catalog)."""

    clear: str
    back: str  # takes away one digit: not "Back", which leaves the screen
    ok: str


class QtDigitButton(QPushButton):
    """One keypad digit; says which digit it is, so the keypad needs no lambda per button.

    Signals:
        digit_clicked(str): the button was tapped.
    """

    digit_clicked = Signal(str)

    def __init__(self, digit: str, parent: QWidget | None = None) -> None:
        super().__init__(digit, parent)
        self.setObjectName(f"Digit{digit}")
        self.setProperty("role", "digit")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self._digit = digit
        self.clicked.connect(self._on_self_clicked)

    def _on_self_clicked(self) -> None:
        self.digit_clicked.emit(self._digit)


class QtKeypad(QWidget):
    """1–9, then Clear, 0, Backspace, then a wide OK: equal columns, touch-sized rows.

    ``prefix`` goes before the buttons' object names, for the screen's QSS rules and tests
    ("" → ``ClearButton``, ``Digit7``; "Pin" → ``PinClearButton``, ``PinDigit7``).
    """

    def __init__(
        self,
        theme: Theme,
        words: KeypadWords,
        *,
        name: str,
        prefix: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        m = theme.metrics
        self.setObjectName(name)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(m.spacing)
        self.digit_buttons: dict[str, QtDigitButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_digit(theme, grid, digit, prefix, index // 3, index % 3)
        self.clear_button = make_button(words.clear, "keyword", name=f"{prefix}ClearButton")
        grid.addWidget(self.clear_button, 3, 0)
        self._add_digit(theme, grid, "0", prefix, 3, 1)
        self.back_button = make_button(words.back, "keyword", name=f"{prefix}BackspaceButton")
        grid.addWidget(self.back_button, 3, 2)
        self.ok_button = make_button(words.ok, "primary", name=f"{prefix}OkButton")
        grid.addWidget(self.ok_button, 4, 0, 1, 3)
        for button in (self.clear_button, self.back_button, self.ok_button):
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
            button.setMinimumHeight(m.touch_large)
        for column in range(3):
            grid.setColumnStretch(column, 1)  # equal columns whatever the labels' widths

    def _add_digit(
        self, theme: Theme, grid: QGridLayout, digit: str, prefix: str, row: int, column: int
    ) -> None:
        button = QtDigitButton(digit)
        if prefix:
            button.setObjectName(f"{prefix}Digit{digit}")
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        button.setMinimumSize(theme.metrics.touch, theme.metrics.touch_large)
        grid.addWidget(button, row, column)
        self.digit_buttons[digit] = button
