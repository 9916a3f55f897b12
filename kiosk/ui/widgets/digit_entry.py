"""The digits typed on a code pad, and the rules the check-in keypad and the staff PIN pad share.

A digit arrives two ways: tapped on the keypad (:class:`~kiosk.ui.widgets.keypad.QtKeypad`),
or typed on a keyboard — which is also what a barcode/QR scanner is: it types the digits and
presses Enter. Both ways go through the same methods here, so the rules cannot drift apart:

- a digit is added while the entry accepts input and holds fewer than ``max_digits``;
- Delete (⌫ on the pad, Backspace on a keyboard) takes away the last digit, Clear all of them;
- OK or Enter submits with at least ``min_digits`` (OK stays disabled until then);
- Escape is the screen's to decide (leave, or start again);
- while the entry does not accept input (a paused check-in, a PIN being checked) the digit
  keys, Clear and Delete are disabled, typed keys are ignored, and the display may show a
  note instead of the digits.

The screen keeps its own messages and states and listens to the signals.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel

from kiosk.ui.widgets.keypad import QtKeypad

_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})


class CodeRules(NamedTuple):
    """What a code is: how many digits it may have, how few it needs, and how it shows."""

    max_digits: int
    min_digits: int = 1
    mask: str = ""  # shown for each digit instead of the digit (a PIN's "●"); "": the digits


class QtDigitEntry(QObject):
    """The digits of one code pad, by ``rules``: wired to ``pad``'s buttons, shown in
    ``display`` (spaced out, so a code is easy to read back).

    Signals:
        pressed(): a key of the pad was used — a digit, Delete, Clear, OK or Enter, tapped or
            typed, taken or not (Escape excepted): someone is at the pad.
        typed(str): a digit was added.
        cleared(): Clear was tapped (not sent by :meth:`clear`, the screen's own reset).
        submitted(str): OK or Enter with at least ``min_digits``; the digits.
        fell_short(): Enter with fewer than ``min_digits`` (OK is disabled then).
        escaped(): Escape was typed.
    """

    pressed = Signal()
    typed = Signal(str)
    cleared = Signal()
    submitted = Signal(str)
    fell_short = Signal()
    escaped = Signal()

    def __init__(
        self, pad: QtKeypad, display: QLabel, rules: CodeRules, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.pad, self.display, self.rules = pad, display, rules
        self._digits = ""
        self._accepting = True
        self._note = ""  # shown instead of the digits while not accepting
        for button in pad.digit_buttons.values():
            button.digit_clicked.connect(self.type_digit)
        pad.clear_button.clicked.connect(self._on_clear_button_clicked)
        pad.back_button.clicked.connect(self.delete)
        pad.ok_button.clicked.connect(self.submit)
        self._refresh()

    # -- state -------------------------------------------------------------------------------

    @property
    def digits(self) -> str:
        """The code so far (what OK would submit)."""
        return self._digits

    def clear(self) -> None:
        """No digits (without a signal: for the screen's own reset, a wrong code, a wait)."""
        self._digits = ""
        self._refresh()

    @property
    def accepting(self) -> bool:
        """Whether digits, Delete, Clear and OK are taken now."""
        return self._accepting

    def set_accepting(self, accepting: bool, *, note: str = "") -> None:
        """Take input or not; while not, the display shows ``note`` if there is one (e.g. the
        seconds a paused check-in has left), else the digits. The digits stay either way."""
        self._accepting = accepting
        self._note = "" if accepting else note
        self._refresh()

    # -- input -------------------------------------------------------------------------------

    def type_digit(self, digit: str) -> None:
        """A digit, tapped or typed; dropped while not accepting or when the code is full."""
        self.pressed.emit()
        if not self._accepting or len(self._digits) >= self.rules.max_digits:
            return
        self._digits += digit
        self._refresh()
        self.typed.emit(digit)

    def delete(self) -> None:
        """The last digit goes (⌫ or Backspace)."""
        self.pressed.emit()
        if self._accepting and self._digits:
            self._digits = self._digits[:-1]
            self._refresh()

    def submit(self) -> None:
        """OK or Enter: the digits, if there are enough; nothing while not accepting."""
        self.pressed.emit()
        if not self._accepting:
            return
        if len(self._digits) < self.rules.min_digits:
            self.fell_short.emit()
        else:
            self.submitted.emit(self._digits)

    def handle_key(self, key: int, text: str) -> bool:
        """A key typed on the window: a digit, Enter, Backspace or Escape. True if it was one
        of these (the window then does nothing else with it)."""
        if text.isdigit() and len(text) == 1:
            self.type_digit(text)
        elif key in _ENTER_KEYS:
            self.submit()
        elif key == int(Qt.Key.Key_Backspace):
            self.delete()
        elif key == int(Qt.Key.Key_Escape):
            self.escaped.emit()
        else:
            return False
        return True

    def _refresh(self) -> None:
        if self._note:
            self.display.setText(self._note)
        else:
            mask = self.rules.mask
            shown = mask * len(self._digits) if mask else self._digits
            self.display.setText(" ".join(shown))
        pad = self.pad
        for button in (*pad.digit_buttons.values(), pad.clear_button, pad.back_button):
            button.setEnabled(self._accepting)
        enough = len(self._digits) >= self.rules.min_digits
        pad.ok_button.setEnabled(self._accepting and enough)

    def _on_clear_button_clicked(self) -> None:
        self.pressed.emit()
        self.clear()
        self.cleared.emit()
