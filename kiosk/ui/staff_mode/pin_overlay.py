"""A PIN asked for inside staff mode (changing a PIN, adding or letting back a staff member):
one or more masked entries in a row on a keypad, over the staff home.

Each step has its prompt ("Your PIN", "New PIN", "New PIN again"); OK goes to the next. When
the last is typed the page's ``on_done`` gets them all and usually starts slow work (a hash):
the overlay then says "Checking…" and takes no input until the page calls :meth:`finish` or
:meth:`problem`, which says what is wrong and goes back to a step with the PINs before it
kept. The digits are never shown, and the overlay forgets them when it closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label
from kiosk.ui.widgets.digit_entry import CodeRules, QtDigitEntry
from kiosk.ui.widgets.keypad import KeypadWords, QtKeypad

_CENTER = Qt.AlignmentFlag.AlignCenter
RULES = CodeRules(PIN_MAX_DIGITS, PIN_MIN_DIGITS, mask="●")


class QtPinOverlay(QtOverlay):
    """Asks for PINs, one step after another (no signals: :meth:`ask` takes the callback)."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        # Side by side, like the sign-in pad: a keypad under words would not fit 800 px.
        super().__init__(theme, parent, width_ratio=0.85)
        m = theme.metrics
        self.panel.setProperty("overlay", "StaffPin")
        self.title = make_label("", "title", name="PinOverlayTitle")
        self.prompt = make_label("", "body", name="PinOverlayPrompt")
        self.display = make_label("", "body", align=_CENTER, name="PinOverlayDisplay", wrap=False)
        self.display.setMinimumHeight(m.touch)
        self.message = make_label("", "body", name="PinOverlayMessage")
        self.cancel_button = make_button(t("staff.cancel"), name="PinOverlayCancelButton")
        self.cancel_button.setMinimumHeight(m.touch)
        row = QHBoxLayout()
        row.setSpacing(m.margin)
        words_column = QVBoxLayout()
        words_column.setSpacing(m.spacing)
        for widget in (self.title, self.prompt, self.display, self.message):
            words_column.addWidget(widget)
        words_column.addStretch(1)
        words_column.addWidget(self.cancel_button)
        row.addLayout(words_column, 4)
        words = KeypadWords(t("staff.pin.clear"), t("staff.pin.backspace"), t("staff.pin.ok"))
        self.pad = QtKeypad(theme, words, name="PinOverlayPad", prefix="PinOverlay")
        row.addWidget(self.pad, 5)
        self.panel_layout.addLayout(row)
        self.entry = QtDigitEntry(self.pad, self.display, RULES, self)
        self.entry.submitted.connect(self._on_entry_submitted)
        self.entry.escaped.connect(self.cancel)
        self.cancel_button.clicked.connect(self.cancel)
        self._prompts: tuple[str, ...] = ()
        self._pins: list[str] = []
        self._on_done: Callable[[list[str]], None] | None = None

    @property
    def step(self) -> int:
        """Which prompt is asked now (0: the first)."""
        return len(self._pins)

    @property
    def checking(self) -> bool:
        return self.isVisible() and not self.entry.accepting

    def ask(self, title: str, prompts: Sequence[str], on_done: Callable[[list[str]], None]) -> None:
        self.title.setText(title)
        self._prompts = tuple(prompts)
        self._on_done = on_done
        self._go_to(0, "")
        self.open()

    def type_pin(self, pin: str) -> None:
        """The digits of ``pin`` and OK, as if tapped (for tests and the hardware keyboard)."""
        for digit in pin:
            self.entry.type_digit(digit)
        self.entry.submit()

    def problem(self, message: str, step: int) -> None:
        """Something is wrong: say ``message`` and ask again from ``step`` (the PINs before
        it are kept)."""
        if self.isVisible():
            self._go_to(step, message)

    def finish(self) -> None:
        """Done (or given up): close and forget the PINs."""
        self._pins.clear()
        self._on_done = None
        self.entry.clear()
        self.hide()

    def cancel(self) -> None:
        if not self.checking:
            self.finish()

    def handle_key(self, key: int, text: str) -> bool:
        return self.entry.handle_key(key, text)

    def _go_to(self, step: int, message: str) -> None:
        del self._pins[step:]
        self.entry.clear()
        self.entry.set_accepting(True)
        self.prompt.setText(self._prompts[step])
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.cancel_button.setEnabled(True)

    def _on_entry_submitted(self, pin: str) -> None:
        self._pins.append(pin)
        if self.step < len(self._prompts):
            self._go_to(self.step, "")
            return
        self.entry.clear()
        self.entry.set_accepting(False, note=t("staff.pin.checking"))
        self.cancel_button.setEnabled(False)
        self.message.setVisible(False)
        if self._on_done is not None:
            self._on_done(list(self._pins))
