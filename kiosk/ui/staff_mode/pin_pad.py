"""The staff PIN pad: the patients' keypad, but the digits are masked and the answer is slow.

Checking a PIN takes about 0.4 s (scrypt), so it runs on a worker thread (see ``mode.py``)
while the pad says "Checking…" and takes no input. After wrong PINs the pad waits (the gate's
back-off) and says how long. On a kiosk with no staff member yet it explains how to add one.

The digits follow the same rules as on the check-in keypad (``kiosk/ui/widgets/digit_entry.py``);
what the pad is doing is its :class:`PinPadState`, from which its message, whether it takes
digits, and whether the keypad shows all follow.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.widgets.base import make_button, make_label
from kiosk.ui.widgets.code_screen import QtCodeScreen
from kiosk.ui.widgets.digit_entry import CodeRules
from kiosk.ui.widgets.keypad import KeypadWords, QtKeypad

#: Back to the attract screen after this long without a key on the pad.
PAD_TIMEOUT_MS = 60_000
#: A PIN's digits, shown masked.
PIN_RULES = CodeRules(PIN_MAX_DIGITS, PIN_MIN_DIGITS, mask="●")


class PinPadState(Enum):
    """What the PIN pad is doing."""

    READY = "ready"  # waiting for a PIN, no message
    TOO_SHORT = "too_short"  # OK/Enter with too few digits; the digits stay
    CHECKING = "checking"  # a PIN is on its way through the worker thread
    WRONG = "wrong"  # the last PIN was wrong (without a wait); the next digit hides it
    WAITING = "waiting"  # the back-off after wrong PINs: no input until it is over
    ERROR = "error"  # the check itself failed; another try is allowed
    NO_STAFF = "no_staff"  # nobody can sign in on this kiosk yet: no keypad, how to add one
    UNAVAILABLE = "unavailable"  # staff mode cannot open here now: no keypad


#: The states in which the pad takes digits.
TAKES_DIGITS = frozenset(
    {PinPadState.READY, PinPadState.TOO_SHORT, PinPadState.WRONG, PinPadState.ERROR}
)
#: The states that only explain, without the keypad (and its hint).
WITHOUT_KEYPAD = frozenset({PinPadState.NO_STAFF, PinPadState.UNAVAILABLE})


class QtStaffPinScreen(QtCodeScreen):
    """Collects a staff PIN.

    Signals:
        pin_entered(str): OK or Enter with enough digits.
        cancelled(): Back, Escape, or nobody touched the pad for a minute.
    """

    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme, timers: TimerFactory, parent: QWidget | None = None) -> None:
        title = make_label(t("staff.pin.title"), "title", name="PinTitle")
        hint = make_label(t("staff.pin.hint"), "muted", name="PinHint")
        words = KeypadWords(t("staff.pin.clear"), t("staff.pin.backspace"), t("staff.pin.ok"))
        pad = QtKeypad(theme, words, name="PinPad", prefix="Pin")
        cancel = make_button(t("staff.pin.cancel"), name="PinCancelButton")
        super().__init__(theme, [title, hint], pad, cancel, PIN_RULES, parent)
        self.setObjectName("StaffPinScreen")
        self.setProperty("staff", True)
        self.hint = hint
        self._state = PinPadState.READY
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.entry.pressed.connect(self._on_entry_pressed)
        self.entry.typed.connect(self._on_entry_typed)
        self.entry.submitted.connect(self._on_entry_submitted)
        self.entry.fell_short.connect(self._on_entry_fell_short)
        self.entry.escaped.connect(self._on_entry_escaped)
        self.idle_timer = timers.create(self, "staff-pin-idle", single_shot=True)
        self.idle_timer.setInterval(PAD_TIMEOUT_MS)
        self.idle_timer.timeout.connect(self._on_idle_timer_timeout)

    # -- states ------------------------------------------------------------------------------

    @property
    def state(self) -> PinPadState:
        """What the pad is doing: its message, input and keypad follow (see :meth:`_enter`)."""
        return self._state

    @property
    def accepting(self) -> bool:
        """False while a PIN is being checked, during a back-off, or with no staff."""
        return self.entry.accepting

    @property
    def checking(self) -> bool:
        """A PIN is on its way through the worker thread."""
        return self._state is PinPadState.CHECKING

    def reset(self) -> None:
        """Empty and ready, with no message: what the next staff member should see."""
        self.entry.clear()
        self._enter(PinPadState.READY)

    def show_checking(self) -> None:
        self._enter(PinPadState.CHECKING, t("staff.pin.checking"))

    def show_wrong(self, wait_s: int) -> None:
        """A wrong PIN: the digits go, and the pad waits ``wait_s`` seconds if it must."""
        if wait_s > 0:
            self.show_wait(wait_s)
            return
        self.entry.clear()
        self._enter(PinPadState.WRONG, t("staff.pin.wrong"))

    def show_wait(self, wait_s: int) -> None:
        self.entry.clear()
        self._enter(PinPadState.WAITING, t("staff.pin.wait", seconds=wait_s))

    def show_ready(self) -> None:
        """The back-off is over."""
        self._enter(PinPadState.READY)

    def show_no_staff(self) -> None:
        self.entry.clear()
        self._enter(PinPadState.NO_STAFF, t("staff.pin.no_staff"))

    def show_unavailable(self) -> None:
        self.entry.clear()
        self._enter(PinPadState.UNAVAILABLE, t("staff.pin.unavailable"))

    def show_error(self) -> None:
        self.entry.clear()
        self._enter(PinPadState.ERROR, t("staff.pin.error"))

    def _enter(self, state: PinPadState, message: str = "") -> None:
        """Be in ``state``, saying ``message`` (none: the message line hides)."""
        self._state = state
        self.message.setText(message)
        self.message.setVisible(bool(message))
        keypad = state not in WITHOUT_KEYPAD
        self.pad.setVisible(keypad)
        self.hint.setVisible(keypad)
        self.entry.set_accepting(state in TAKES_DIGITS)

    # -- input -------------------------------------------------------------------------------

    def entered(self) -> None:
        self.idle_timer.start()

    def left(self) -> None:
        self.idle_timer.stop()

    def _on_entry_pressed(self) -> None:
        self.idle_timer.start()  # someone is at the pad: another minute

    def _on_entry_typed(self, digit: str) -> None:
        if self._state is PinPadState.WRONG:
            self._enter(PinPadState.READY)  # trying again: "wrong" no longer applies

    def _on_entry_submitted(self, pin: str) -> None:
        self.show_checking()
        self.pin_entered.emit(pin)

    def _on_entry_fell_short(self) -> None:
        self._enter(PinPadState.TOO_SHORT, t("staff.pin.too_short", digits=PIN_MIN_DIGITS))

    def _on_entry_escaped(self) -> None:
        self.cancelled.emit()

    def _on_cancel_button_clicked(self) -> None:
        self.cancelled.emit()

    def _on_idle_timer_timeout(self) -> None:
        if self.checking:
            self.idle_timer.start()  # the answer is on its way: wait for it
        else:
            self.cancelled.emit()
