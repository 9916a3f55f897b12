"""The staff PIN pad: the patients' keypad, but the digits are masked and the answer is slow.

Checking a PIN takes about 0.4 s (scrypt), so it runs on a worker thread (see ``mode.py``)
while the pad says "Checking…" and takes no input. After wrong PINs the pad waits (the gate's
back-off) and says how long. On a kiosk with no staff member yet it explains how to add one.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QWidget,
)

from kiosk.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.widgets.base import QtScreen, make_label
from kiosk.ui.widgets.keypad import QtKeypad, code_column, route_key

#: Back to the attract screen after this long without a key on the pad.
PAD_TIMEOUT_MS = 60_000


class QtStaffPinScreen(QtScreen):
    """Collects a staff PIN.

    Signals:
        pin_entered(str): OK or Enter with enough digits.
        cancelled(): Back, or nobody touched the pad for a minute.
    """

    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme, timers: TimerFactory, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self.setObjectName("StaffPinScreen")
        self.setProperty("staff", True)
        self._digits = ""
        self._accepting = True
        self.checking = False  # a PIN is on its way through the worker thread
        m = theme.metrics

        root = QHBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        root.setSpacing(m.margin)

        self.hint = make_label(t("staff.pin.hint"), "muted", name="PinHint")
        column = code_column(
            theme,
            [make_label(t("staff.pin.title"), "title", name="PinTitle"), self.hint],
            cancel_text=t("staff.pin.cancel"),
            cancel_name="PinCancelButton",
        )
        self.display, self.message = column.display, column.message
        self.cancel_button = column.cancel_button
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        root.addLayout(column.layout, 4)

        self.pad = QtKeypad(
            theme,
            name="PinPad",
            clear_text=t("staff.pin.clear"),
            back_text=t("staff.pin.backspace"),
            ok_text=t("staff.pin.ok"),
            prefix="Pin",
            digit_prefix="Pin",
        )
        self.digit_buttons = self.pad.digit_buttons
        for button in self.digit_buttons.values():
            button.digit_clicked.connect(self._on_digit_button_digit_clicked)
        self.clear_button = self.pad.clear_button
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.back_button = self.pad.back_button
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.ok_button = self.pad.ok_button
        self.ok_button.clicked.connect(self._on_ok_button_clicked)
        root.addWidget(self.pad, 5)

        self.idle_timer = timers.create(self, "staff-pin-idle", single_shot=True)
        self.idle_timer.setInterval(PAD_TIMEOUT_MS)
        self.idle_timer.timeout.connect(self._on_idle_timer_timeout)
        self._refresh()

    # -- states ------------------------------------------------------------------------------

    @property
    def digits(self) -> str:
        return self._digits

    @property
    def accepting(self) -> bool:
        """False while a PIN is being checked, during a back-off, or with no staff."""
        return self._accepting

    def reset(self) -> None:
        """Empty and ready, with no message: what the next staff member should see."""
        self._digits = ""
        self.pad.setVisible(True)
        self.hint.setVisible(True)
        self._set_message("")
        self.set_accepting(True)

    def show_checking(self) -> None:
        self.checking = True
        self._set_message(t("staff.pin.checking"))
        self.set_accepting(False)

    def show_wrong(self, wait_s: int) -> None:
        """A wrong PIN: the digits go, and the pad waits ``wait_s`` seconds if it must."""
        self._digits = ""
        if wait_s > 0:
            self.show_wait(wait_s)
        else:
            self._set_message(t("staff.pin.wrong"))
            self.set_accepting(True)

    def show_wait(self, wait_s: int) -> None:
        self._digits = ""
        self._set_message(t("staff.pin.wait", seconds=wait_s))
        self.set_accepting(False)

    def show_ready(self) -> None:
        """The back-off is over."""
        self._set_message("")
        self.set_accepting(True)

    def show_no_staff(self) -> None:
        self._show_only_message(t("staff.pin.no_staff"))

    def show_unavailable(self) -> None:
        self._show_only_message(t("staff.pin.unavailable"))

    def show_error(self) -> None:
        self._digits = ""
        self._set_message(t("staff.pin.error"))
        self.set_accepting(True)

    def _show_only_message(self, text: str) -> None:
        self._digits = ""
        self.pad.setVisible(False)
        self.hint.setVisible(False)
        self._set_message(text)
        self.set_accepting(False)

    def set_accepting(self, accepting: bool) -> None:
        self._accepting = accepting
        for button in (*self.digit_buttons.values(), self.clear_button, self.back_button):
            button.setEnabled(accepting)
        self._refresh()

    def _set_message(self, text: str) -> None:
        self.checking = text == t("staff.pin.checking")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _refresh(self) -> None:
        self.display.setText(" ".join("●" * len(self._digits)))
        self.ok_button.setEnabled(self._accepting and len(self._digits) >= PIN_MIN_DIGITS)

    # -- input -------------------------------------------------------------------------------

    def entered(self) -> None:
        self.idle_timer.start()

    def left(self) -> None:
        self.idle_timer.stop()

    def type_digit(self, digit: str) -> None:
        self.idle_timer.start()
        if not self._accepting or len(self._digits) >= PIN_MAX_DIGITS:
            return
        self._digits += digit
        if self.message.text() == t("staff.pin.wrong"):
            self._set_message("")
        self._refresh()

    def submit(self) -> None:
        if not self._accepting:
            return
        if len(self._digits) < PIN_MIN_DIGITS:
            self._set_message(t("staff.pin.too_short", digits=PIN_MIN_DIGITS))
            return
        pin = self._digits
        self.show_checking()
        self.pin_entered.emit(pin)

    def handle_key(self, key: int, text: str) -> bool:
        return route_key(
            key,
            text,
            digit=self.type_digit,
            enter=self.submit,
            delete=self._on_back_button_clicked,
            escape=self._on_cancel_button_clicked,
        )

    def _on_digit_button_digit_clicked(self, digit: str) -> None:
        self.type_digit(digit)

    def _on_ok_button_clicked(self) -> None:
        self.submit()

    def _on_clear_button_clicked(self) -> None:
        self.idle_timer.start()
        self._digits = ""
        self._refresh()

    def _on_back_button_clicked(self) -> None:
        self.idle_timer.start()
        if self._accepting:
            self._digits = self._digits[:-1]
            self._refresh()

    def _on_cancel_button_clicked(self) -> None:
        self.cancelled.emit()

    def _on_idle_timer_timeout(self) -> None:
        if self.checking:
            self.idle_timer.start()  # the answer is on its way: wait for it
        else:
            self.cancelled.emit()
