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
  note instead of the digits;
- a code pad may hide what was typed once nobody types (``hide_after_ms``): the digits show
  as ``●`` from then on (typing more shows only the new ones, so a digit typed by the next
  person never brings the last person's back), and after ``clear_after_ms`` without a key
  they are gone. A check-in code is a credential; it must not wait on the screen.

The screen keeps its own messages and states and listens to the signals.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel

from kiosk.ui import timers
from kiosk.ui.widgets.keypad import QtKeypad

_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})


class CodeRules(NamedTuple):
    """What a code is: how many digits it may have, how few it needs, and how it shows."""

    max_digits: int
    min_digits: int = 1
    mask: str = ""  # shown for each digit instead of the digit (a PIN's "●"); "": the digits
    hide_after_ms: int = 0  # digits masked this long after the last key (0: never)
    clear_after_ms: int = 0  # and cleared this long after the last key (0: never)


#: What a hidden digit shows.
HIDDEN = "●"


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
        self._hidden = 0  # how many of the first digits show as HIDDEN
        self.hide_timer = timers.factory().create(self, "code-hide", single_shot=True)
        self.hide_timer.timeout.connect(self._on_hide_timer_timeout)
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
        self._hidden = 0
        self.hide_timer.stop()
        self._refresh()

    @property
    def hidden(self) -> int:
        """How many of the digits show as ``●`` now."""
        return self._hidden

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
        self._hide_later()
        self.typed.emit(digit)

    def delete(self) -> None:
        """The last digit goes (⌫ or Backspace)."""
        self.pressed.emit()
        if self._accepting and self._digits:
            self._digits = self._digits[:-1]
            self._hidden = min(self._hidden, len(self._digits))
            self._refresh()
            self._hide_later()

    def submit(self) -> None:
        """OK or Enter: the digits, if there are enough; nothing while not accepting."""
        self.pressed.emit()
        if not self._accepting:
            return
        if len(self._digits) < self.rules.min_digits:
            self.fell_short.emit()
        else:
            self.hide_timer.stop()  # the code has gone to be checked; the screen clears it
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
            if mask:
                shown = mask * len(self._digits)
            else:
                shown = HIDDEN * self._hidden + self._digits[self._hidden :]
            self.display.setText(" ".join(shown))
        pad = self.pad
        for button in (*pad.digit_buttons.values(), pad.clear_button, pad.back_button):
            button.setEnabled(self._accepting)
        enough = len(self._digits) >= self.rules.min_digits
        pad.ok_button.setEnabled(self._accepting and enough)

    def _hide_later(self) -> None:
        """A key was used: the digits hide after ``hide_after_ms`` more without one."""
        if self._digits and self.rules.hide_after_ms > 0:
            self.hide_timer.start(self.rules.hide_after_ms)
        else:
            self.hide_timer.stop()

    def _on_hide_timer_timeout(self) -> None:
        if self._hidden < len(self._digits):
            self._hidden = len(self._digits)
            self._refresh()
            wait_ms = self.rules.clear_after_ms - self.rules.hide_after_ms
            if self.rules.clear_after_ms > 0:
                self.hide_timer.start(max(1, wait_ms))
        else:  # hidden for long enough: gone
            self.clear()

    def _on_clear_button_clicked(self) -> None:
        self.pressed.emit()
        self.clear()
        self.cleared.emit()
