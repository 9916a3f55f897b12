"""The check-in keypad: big digits, Clear, Back, OK — or a card held under the scanner.

A barcode/QR scanner is a keyboard that types the digits and presses Enter, so the window
forwards its keys here (see :meth:`handle_key`). A wrong code gets one kind message that is
the same for "no such code" and "nothing today", and the digits are cleared. After too many
wrong codes check-in pauses (``kiosk/ui/runners/checkin_lock.py``): the keypad is disabled,
the code box counts the seconds down and a kind message says why; Cancel still works.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QWidget,
)

from kiosk.core.codes import CODE_MAX_DIGITS
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtScreen, make_label
from kiosk.ui.widgets.keypad import QtKeypad, code_column, route_key

MAX_DIGITS = CODE_MAX_DIGITS  # the longest code there is (kiosk/core/codes.py)
PAUSED_OPACITY = 0.3  # the keypad while check-in is paused


class QtCheckInScreen(QtScreen):
    """Collects a check-in code.

    Signals:
        code_entered(str): OK or Enter with at least one digit.
        cancelled(): the patient went back to the start.
    """

    code_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self.setObjectName("CheckInScreen")
        self._digits = ""
        self._paused_s = 0
        m = theme.metrics

        root = QHBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        root.setSpacing(m.margin)

        column = code_column(
            theme,
            [make_label(t("checkin.title"), "title"), make_label(t("checkin.hint"), "muted")],
            cancel_text=t("checkin.cancel"),
            cancel_name="CancelButton",
        )
        self.display, self.message = column.display, column.message
        self.cancel_button = column.cancel_button
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        root.addLayout(column.layout, 4)

        # The keypad in a box of its own, so a pause can dim it as a whole: it must look as
        # unavailable as it is, in every theme (greyed words alone are easy to miss).
        self.pad = QtKeypad(
            theme,
            name="Keypad",
            clear_text=t("checkin.clear"),
            back_text=t("checkin.backspace"),
            ok_text=t("checkin.ok"),
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
        self._dim = QGraphicsOpacityEffect(self.pad)
        self._dim.setOpacity(PAUSED_OPACITY)
        self._dim.setEnabled(False)
        self.pad.setGraphicsEffect(self._dim)
        self._refresh()

    # -- state --------------------------------------------------------------------------------

    @property
    def digits(self) -> str:
        return self._digits

    @property
    def paused(self) -> bool:
        return self._paused_s > 0

    def reset(self) -> None:
        """Empty, with no message: what the next patient should see (a pause stays shown)."""
        self._digits = ""
        self.message.setVisible(False)
        self._refresh()

    def set_paused(self, seconds: int) -> None:
        """Check-in is paused for ``seconds`` more (0: open again)."""
        was_paused = self.paused
        self._paused_s = max(0, seconds)
        if self.paused:
            self._digits = ""
        elif was_paused:
            self.message.setVisible(False)
        self._refresh()

    def type_digit(self, digit: str) -> None:
        if len(self._digits) >= MAX_DIGITS or self.paused:
            return
        self._digits += digit
        self.message.setVisible(False)
        self._refresh()

    def show_not_found(self) -> None:
        self._show_message(t("checkin.not_found"))

    def show_unavailable(self) -> None:
        self._show_message(t("checkin.unavailable"))

    def show_wait(self) -> None:
        self._show_message(t("checkin.wait"), clear=False)

    def _show_message(self, text: str, *, clear: bool = True) -> None:
        if clear:
            self._digits = ""
        self.message.setText(text)
        self.message.setVisible(True)
        self._refresh()

    def _refresh(self) -> None:
        if self.paused:
            self.display.setText(t("checkin.paused_count", seconds=self._paused_s))
            self.message.setText(t("checkin.paused"))
            self.message.setVisible(True)
        else:
            self.display.setText(" ".join(self._digits) if self._digits else "")
        for button in (*self.digit_buttons.values(), self.clear_button, self.back_button):
            button.setEnabled(not self.paused)
        self._dim.setEnabled(self.paused)
        self.ok_button.setEnabled(bool(self._digits) and not self.paused)

    def _submit(self) -> None:
        if self._digits and not self.paused:
            self.code_entered.emit(self._digits)

    # -- input --------------------------------------------------------------------------------

    def handle_key(self, key: int, text: str) -> bool:
        return route_key(
            key,
            text,
            digit=self.type_digit,
            enter=self._submit,
            delete=self._on_back_button_clicked,
            escape=self.reset,
        )

    def _on_digit_button_digit_clicked(self, digit: str) -> None:
        self.type_digit(digit)

    def _on_ok_button_clicked(self) -> None:
        self._submit()

    def _on_clear_button_clicked(self) -> None:
        self.reset()

    def _on_back_button_clicked(self) -> None:
        if self.paused:
            return
        self._digits = self._digits[:-1]
        self._refresh()

    def _on_cancel_button_clicked(self) -> None:
        self.reset()
        self.cancelled.emit()
