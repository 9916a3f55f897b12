"""The check-in keypad: big digits, Clear, Back, OK — or a card held under the scanner.

A barcode/QR scanner is a keyboard that types the digits and presses Enter, so the window
forwards its keys here (:meth:`handle_key`). The digits, tapped or typed, are kept by the
code screen's entry (``kiosk/ui/widgets/digit_entry.py``), by the same rules as the staff PIN
pad's. A wrong code gets one kind message that is the same for "no such code" and "nothing
today", and the digits are cleared. After too many wrong codes check-in pauses
(``kiosk/ui/runners/checkin_lock.py``): the keypad is disabled, the code box counts the
seconds down and a kind message says why; Cancel still works. Between OK and the answer the
code box says "Checking…" (the answer waits for the same moment whatever it is:
``kiosk/ui/runners/answer_floor.py``). Typed digits turn to ``●`` after
:data:`HIDE_AFTER_MS` without a key and are cleared after :data:`CLEAR_AFTER_MS`, so the next
person cannot read a code left on the keypad. When the kiosk is out of order
(its database cannot be used) the keypad is dimmed and disabled the same way, and the message
asks the patient to tell a member of staff.

Above the title, the "Español" / "English" button (``kiosk/ui/widgets/language_button.py``)
switches the keypad at once (:meth:`retranslate`) and the whole visit after it; the window
remembers the choice for the patient who checks in.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGraphicsOpacityEffect, QHBoxLayout, QWidget

from kiosk.core.codes import CODE_MAX_DIGITS
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_button, make_label
from kiosk.ui.widgets.code_screen import QtCodeScreen
from kiosk.ui.widgets.digit_entry import CodeRules
from kiosk.ui.widgets.keypad import KeypadWords, QtKeypad
from kiosk.ui.widgets.language_button import QtLanguageButton

MAX_DIGITS = CODE_MAX_DIGITS  # the longest code there is (kiosk/core/codes.py)
PAUSED_OPACITY = 0.3  # the keypad while check-in is paused
#: Digits show this long after the last key, then as ●; all go this long after it.
HIDE_AFTER_MS = 3_000
CLEAR_AFTER_MS = 30_000


def pause_text(seconds: int) -> str:
    """A pause's countdown as the code box shows it: seconds, then minutes, then hours."""
    if seconds < 120:
        return t("checkin.paused_count", seconds=seconds)
    if seconds < 2 * 3600:
        return t("checkin.paused_minutes", minutes=-(-seconds // 60))
    return t("checkin.paused_hours", hours=-(-seconds // 3600))


class QtCheckInScreen(QtCodeScreen):
    """Collects a check-in code.

    Signals:
        code_entered(str): OK or Enter with at least one digit.
        cancelled(): the patient went back to the start.
        language_requested(str): the patient tapped "Español" / "English" (the code).
    """

    code_entered = Signal(str)
    cancelled = Signal()
    language_requested = Signal(str)

    def __init__(
        self,
        theme: Theme,
        parent: QWidget | None = None,
        *,
        hide_after_ms: int = HIDE_AFTER_MS,
        clear_after_ms: int = CLEAR_AFTER_MS,
    ) -> None:
        self.language_button = QtLanguageButton(theme)
        languages = QWidget()
        row = QHBoxLayout(languages)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.language_button)
        row.addStretch(1)
        self.title = make_label("", "title")
        self.hint = make_label("", "muted")
        heading = [languages, self.title, self.hint]
        pad = QtKeypad(theme, KeypadWords("", "", ""), name="Keypad")
        cancel = make_button("", name="CancelButton")
        rules = CodeRules(MAX_DIGITS, hide_after_ms=hide_after_ms, clear_after_ms=clear_after_ms)
        super().__init__(theme, heading, pad, cancel, rules, parent)
        self.setObjectName("CheckInScreen")
        self.language_button.language_requested.connect(self._on_language_button_requested)
        self._words()
        self._paused_s = 0
        self._out_of_order = False
        self._checking = False
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.entry.typed.connect(self._on_entry_typed)
        self.entry.cleared.connect(self._on_entry_cleared)
        self.entry.submitted.connect(self._on_entry_submitted)
        self.entry.escaped.connect(self._on_entry_escaped)
        # The keypad dims as a whole while check-in is paused: it must look as unavailable as
        # it is, in every theme (greyed words alone are easy to miss).
        self._dim = QGraphicsOpacityEffect(self.pad)
        self._dim.setOpacity(PAUSED_OPACITY)
        self._dim.setEnabled(False)
        self.pad.setGraphicsEffect(self._dim)
        self._refresh()

    def _words(self) -> None:
        self.title.setText(t("checkin.title"))
        self.hint.setText(t("checkin.hint"))
        self.clear_button.setText(t("checkin.clear"))
        self.back_button.setText(t("checkin.backspace"))
        self.ok_button.setText(t("checkin.ok"))
        self.cancel_button.setText(t("checkin.cancel"))
        self.language_button.refresh()

    def retranslate(self) -> None:
        """Every word again in the kiosk's language now (the patient switched); the digits
        typed stay."""
        self._words()
        if self.message.isVisible() and not (self._out_of_order or self.paused):
            self.message.setVisible(False)  # a message in the other language: gone
        self._refresh()

    # -- state --------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._paused_s > 0

    def reset(self) -> None:
        """Empty, with no message: what the next patient should see (a pause stays shown)."""
        self._checking = False
        self.entry.clear()
        self.message.setVisible(False)
        self._refresh()

    @property
    def out_of_order(self) -> bool:
        return self._out_of_order

    def set_out_of_order(self, out_of_order: bool) -> None:
        """The kiosk cannot check anyone in until staff see to it (False: it can again)."""
        was = self._out_of_order
        self._out_of_order = out_of_order
        self._checking = False
        if out_of_order:
            self.entry.clear()
        elif was:
            self.message.setVisible(False)
        self._refresh()

    def set_paused(self, seconds: int) -> None:
        """Check-in is paused for ``seconds`` more (0: open again)."""
        was_paused = self.paused
        self._paused_s = max(0, seconds)
        if self.paused:
            self._checking = False
            self.entry.clear()
        elif was_paused:
            self.message.setVisible(False)
        self._refresh()

    def type_digit(self, digit: str) -> None:
        """A digit typed before this screen showed (on the attract screen), or tapped here."""
        self.entry.type_digit(digit)

    @property
    def checking(self) -> bool:
        """A code has been sent and its answer is on its way."""
        return self._checking

    def show_checking(self) -> None:
        """OK was pressed: no input until the answer, which the code box waits for."""
        self._checking = True
        self.message.setVisible(False)
        self._refresh()

    def show_not_found(self) -> None:
        self._show_message(t("checkin.not_found"))

    def show_unavailable(self) -> None:
        self._show_message(t("checkin.unavailable"))

    def show_wait(self) -> None:
        self._show_message(t("checkin.wait"), clear=False)

    def _show_message(self, text: str, *, clear: bool = True) -> None:
        self._checking = False
        if clear:
            self.entry.clear()
        self.message.setText(text)
        self.message.setVisible(True)
        self._refresh()

    def _refresh(self) -> None:
        if self._out_of_order:
            self.entry.set_accepting(False)
            self.message.setText(t("checkin.out_of_order"))
            self.message.setVisible(True)
        elif self.paused:
            self.entry.set_accepting(False, note=pause_text(self._paused_s))
            self.message.setText(t("checkin.paused"))
            self.message.setVisible(True)
        elif self._checking:
            self.entry.set_accepting(False, note=t("checkin.checking"))
        else:
            self.entry.set_accepting(True)
        self._dim.setEnabled(self.paused or self._out_of_order)

    def left(self) -> None:
        """Another screen shows: the code goes with it (a checked-in patient's, too)."""
        self.entry.clear()

    # -- input --------------------------------------------------------------------------------

    def _on_entry_typed(self, digit: str) -> None:
        self.message.setVisible(False)

    def _on_entry_cleared(self) -> None:
        self.reset()

    def _on_entry_submitted(self, code: str) -> None:
        self.code_entered.emit(code)

    def _on_entry_escaped(self) -> None:
        self.reset()

    def _on_language_button_requested(self, code: str) -> None:
        self.language_requested.emit(code)

    def _on_cancel_button_clicked(self) -> None:
        self.reset()
        self.cancelled.emit()
