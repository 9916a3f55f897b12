"""The screen both code pads are: the check-in keypad and the staff PIN pad.

On the left a column — the screen's heading (title, hint), the code typed so far, a notice
line, and its Cancel at the bottom — and on the right the big keypad. The digits are kept by
one :class:`~kiosk.ui.widgets.digit_entry.QtDigitEntry`, whether tapped or typed. Each screen
builds and names its heading, keypad and Cancel (for its own words and QSS rules), listens
to the entry, and keeps its own messages; this class only lays them out and wires them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtScreen, make_label
from kiosk.ui.widgets.digit_entry import CodeRules, QtDigitEntry
from kiosk.ui.widgets.keypad import QtKeypad


class QtCodeScreen(QtScreen):
    """A screen that collects a code by ``rules`` on ``pad``, under its ``heading`` widgets.

    The pad's buttons are also reachable here (:attr:`digit_buttons`, :attr:`clear_button`,
    :attr:`back_button`, :attr:`ok_button`), as are :attr:`display`, :attr:`message` (hidden
    until the screen shows one) and ``cancel`` as :attr:`cancel_button` (the screen connects
    it: leaving is the screen's to decide).
    """

    def __init__(
        self,
        theme: Theme,
        heading: Sequence[QWidget],
        pad: QtKeypad,
        cancel: QPushButton,
        rules: CodeRules,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(theme, parent)
        m = theme.metrics
        root = QHBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        root.setSpacing(m.margin)

        left = QVBoxLayout()
        left.setSpacing(m.spacing)
        for widget in heading:
            left.addWidget(widget)
        left.addSpacing(m.spacing)
        self.display = make_label("", "body", name="CodeDisplay", wrap=False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setMinimumHeight(m.touch_large)
        left.addWidget(self.display)
        self.message = make_label("", "body", name="Notice")
        self.message.setVisible(False)
        left.addWidget(self.message)
        left.addStretch(1)
        self.cancel_button = cancel
        cancel.setMinimumWidth(m.px(260))
        left.addWidget(cancel, 0, Qt.AlignmentFlag.AlignLeft)
        root.addLayout(left, 4)

        self.pad = pad
        self.digit_buttons = pad.digit_buttons
        self.clear_button = pad.clear_button
        self.back_button = pad.back_button
        self.ok_button = pad.ok_button
        root.addWidget(pad, 5)
        self.entry = QtDigitEntry(pad, self.display, rules, self)

    @property
    def digits(self) -> str:
        """The code typed so far."""
        return self.entry.digits

    def handle_key(self, key: int, text: str) -> bool:
        """Digits, Enter, Backspace and Escape go to the entry (a keyboard, or a scanner)."""
        return self.entry.handle_key(key, text)
