"""The staff PIN pad: the patients' keypad, but the digits are masked and the answer is slow.

Checking a PIN takes about 0.4 s (scrypt), so it runs on a worker thread (see ``mode.py``)
while the pad says "Checking…" and takes no input. After wrong PINs the pad waits (the gate's
back-off) and says how long. On a kiosk with no staff member yet it explains how to add one.
After too many wrong PINs (on any kiosk) sign-in is locked: the pad says so without its
keypad, and offers Unlock — a staff member picks their name and types their own PIN (a few
tries, then only IT's ``kiosk staff unlock`` or a signed-in kiosk can open it).

The digits follow the same rules as on the check-in keypad (``kiosk/ui/widgets/digit_entry.py``);
what the pad is doing is its :class:`PinPadState`, from which its message, whether it takes
digits, and whether the keypad shows all follow.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from kiosk.text import t, tn
from kiosk.ui.staff_mode.choice_row import QtChoiceRow
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label
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
    LOCKED = "locked"  # sign-in locked after too many wrong PINs: no keypad; maybe Unlock
    UNLOCKING = "unlocking"  # a staff member chose their name to unlock: their PIN, please
    UNLOCK_WRONG = "unlock_wrong"  # that PIN was not theirs (tries left); the next digit hides it


#: The states in which the pad takes digits.
TAKES_DIGITS = frozenset(
    {
        PinPadState.READY,
        PinPadState.TOO_SHORT,
        PinPadState.WRONG,
        PinPadState.ERROR,
        PinPadState.UNLOCKING,
        PinPadState.UNLOCK_WRONG,
    }
)
#: The states in which the pad asks for the PIN of the staff member named to unlock.
NAMED = frozenset({PinPadState.UNLOCKING, PinPadState.UNLOCK_WRONG, PinPadState.CHECKING})
#: The states that only explain, without the keypad (and its hint).
WITHOUT_KEYPAD = frozenset({PinPadState.NO_STAFF, PinPadState.UNAVAILABLE, PinPadState.LOCKED})


class QtNameOverlay(QtOverlay):
    """ "Who are you?": the active staff members' names, to unlock sign-in as one of them.

    Signals:
        named(int, str): a name was touched (the staff member's id and name).
    """

    named = Signal(int, str)

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.6)
        self.panel.setProperty("overlay", "StaffNames")
        self._theme = theme
        self.title = make_label(t("staff.pin.unlock_who"), "title", name="UnlockWhoTitle")
        self.panel_layout.addWidget(self.title)
        self.names: QtChoiceRow | None = None
        self._ids: dict[str, int] = {}
        self.cancel_button = make_button(t("staff.cancel"), name="UnlockWhoCancelButton")
        self.cancel_button.clicked.connect(self.hide)
        self.backdrop_clicked.connect(self.hide)
        self.add_buttons(self.cancel_button)

    def ask(self, staff: list[tuple[int, str]]) -> None:
        if self.names is not None:
            self.names.deleteLater()
        self._ids = {str(staff_id): staff_id for staff_id, _ in staff}
        names = [(str(staff_id), name) for staff_id, name in staff]
        self.names = QtChoiceRow(self._theme, "UnlockName", names, by_text=True)
        self.names.changed.connect(self._on_names_changed)
        self.panel_layout.insertWidget(1, self.names)
        self.open()

    def _on_names_changed(self) -> None:
        assert self.names is not None
        key = self.names.chosen
        if key is None:
            return
        self.hide()
        self.named.emit(self._ids[key], self.names.buttons[key].text())


class QtStaffPinScreen(QtCodeScreen):
    """Collects a staff PIN.

    Signals:
        pin_entered(str): OK or Enter with enough digits (to unlock as :attr:`unlocking_as`
            when that is set).
        cancelled(): Back, Escape, or nobody touched the pad for a minute.
        unlock_requested(): Unlock, on a locked sign-in (staff mode then offers the names).
    """

    pin_entered = Signal(str)
    cancelled = Signal()
    unlock_requested = Signal()

    def __init__(self, theme: Theme, timers: TimerFactory, parent: QWidget | None = None) -> None:
        title = make_label(t("staff.pin.title"), "title", name="PinTitle")
        hint = make_label(t("staff.pin.hint"), "muted", name="PinHint")
        words = KeypadWords(t("staff.pin.clear"), t("staff.pin.backspace"), t("staff.pin.ok"))
        pad = QtKeypad(theme, words, name="PinPad", prefix="Pin")
        cancel = make_button(t("staff.pin.cancel"), name="PinCancelButton")
        self.unlock_button = make_button(t("staff.pin.unlock"), "primary", name="PinUnlockButton")
        super().__init__(theme, [title, hint, self.unlock_button], pad, cancel, PIN_RULES, parent)
        self.title = title
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.names = QtNameOverlay(theme, self)
        self.names.named.connect(self._on_names_named)
        #: (id, name) of the staff member unlocking sign-in, while UNLOCKING.
        self.unlocking_as: tuple[int, str] | None = None
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
        self.names.hide()
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

    def show_locked(self, unlock_tries_left: int) -> None:
        """Sign-in is locked: why, and Unlock while named unlocks are left."""
        self.entry.clear()
        self.unlocking_as = None
        key = "staff.pin.locked" if unlock_tries_left > 0 else "staff.pin.locked_for_good"
        self._enter(PinPadState.LOCKED, t(key))
        self.unlock_button.setVisible(unlock_tries_left > 0)

    def show_names(self, staff: list[tuple[int, str]]) -> None:
        """Whose PIN will unlock: the active staff members' names."""
        self.names.ask(staff)

    def show_unlock_wrong(self, unlock_tries_left: int) -> None:
        self.entry.clear()
        words = tn("staff.pin.unlock_wrong", unlock_tries_left, count=unlock_tries_left)
        self._enter(PinPadState.UNLOCK_WRONG, words)

    def _enter(self, state: PinPadState, message: str = "") -> None:
        """Be in ``state``, saying ``message`` (none: the message line hides)."""
        if state not in NAMED:
            self.unlocking_as = None
        if self.unlocking_as is not None:
            self.title.setText(t("staff.pin.unlock_title", name=self.unlocking_as[1]))
        else:
            self.title.setText(t("staff.pin.title"))
        self.unlock_button.setVisible(state is PinPadState.LOCKED)
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
        elif self._state is PinPadState.UNLOCK_WRONG:
            self._enter(PinPadState.UNLOCKING)

    def _on_entry_submitted(self, pin: str) -> None:
        self.show_checking()
        self.pin_entered.emit(pin)

    def _on_unlock_button_clicked(self) -> None:
        self.idle_timer.start()
        self.unlock_requested.emit()

    def _on_names_named(self, staff_id: int, name: str) -> None:
        self.idle_timer.start()
        self.entry.clear()
        self.unlocking_as = (staff_id, name)
        self._enter(PinPadState.UNLOCKING)

    def _on_entry_fell_short(self) -> None:
        state = PinPadState.UNLOCKING if self.unlocking_as else PinPadState.TOO_SHORT
        self._enter(state, t("staff.pin.too_short", digits=PIN_MIN_DIGITS))

    def _on_entry_escaped(self) -> None:
        self.cancelled.emit()

    def _on_cancel_button_clicked(self) -> None:
        self.cancelled.emit()

    def _on_idle_timer_timeout(self) -> None:
        if self.checking:
            self.idle_timer.start()  # the answer is on its way: wait for it
        else:
            self.cancelled.emit()
