"""The big digit keypad the check-in screen and the staff PIN pad share.

Only the building is shared: each screen connects the buttons to its own handlers, keeps its
own digits and messages, and names the pad and its buttons for its own QSS rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_button, make_label


class CodeColumn(NamedTuple):
    """The column beside a keypad: what was typed, a notice line, and Cancel at the bottom."""

    layout: QVBoxLayout
    display: QLabel
    message: QLabel
    cancel_button: QPushButton


def code_column(
    theme: Theme, heading: list[QWidget], *, cancel_text: str, cancel_name: str
) -> CodeColumn:
    """Build the column under the screen's own ``heading`` widgets (title, hint)."""
    m = theme.metrics
    left = QVBoxLayout()
    left.setSpacing(m.spacing)
    for widget in heading:
        left.addWidget(widget)
    left.addSpacing(m.spacing)
    display = make_label("", "body", name="CodeDisplay", wrap=False)
    display.setAlignment(Qt.AlignmentFlag.AlignCenter)
    display.setMinimumHeight(m.touch_large)
    left.addWidget(display)
    message = make_label("", "body", name="Notice")
    message.setVisible(False)
    left.addWidget(message)
    left.addStretch(1)
    cancel = make_button(cancel_text, name=cancel_name)
    cancel.setMinimumWidth(m.px(260))
    left.addWidget(cancel, 0, Qt.AlignmentFlag.AlignLeft)
    return CodeColumn(left, display, message, cancel)


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

    ``prefix`` goes before the buttons' object names ("" → ``ClearButton``, "Pin" →
    ``PinClearButton``); ``digit_prefix`` likewise for the digits (``Digit7``, ``PinDigit7``).
    """

    def __init__(
        self,
        theme: Theme,
        *,
        name: str,
        clear_text: str,
        back_text: str,
        ok_text: str,
        prefix: str = "",
        digit_prefix: str = "",
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
            self._add_digit(theme, grid, digit, digit_prefix, index // 3, index % 3)
        self.clear_button = make_button(clear_text, "keyword", name=f"{prefix}ClearButton")
        grid.addWidget(self.clear_button, 3, 0)
        self._add_digit(theme, grid, "0", digit_prefix, 3, 1)
        self.back_button = make_button(back_text, "keyword", name=f"{prefix}BackspaceButton")
        grid.addWidget(self.back_button, 3, 2)
        self.ok_button = make_button(ok_text, "primary", name=f"{prefix}OkButton")
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


_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})


def route_key(
    key: int,
    text: str,
    *,
    digit: Callable[[str], None],
    enter: Callable[[], None],
    delete: Callable[[], None],
    escape: Callable[[], None],
) -> bool:
    """A key typed on a code pad (a keyboard, or a barcode scanner that types digits then
    Enter): a digit types it, Enter submits, Backspace deletes one, Escape leaves or clears.
    Returns whether the key was one of these."""
    if text.isdigit() and len(text) == 1:
        digit(text)
    elif key in _ENTER_KEYS:
        enter()
    elif key == int(Qt.Key.Key_Backspace):
        delete()
    elif key == int(Qt.Key.Key_Escape):
        escape()
    else:
        return False
    return True
