"""The attract screen: what the kiosk shows while nobody is using it.

One enormous target — the whole screen — because a first-time patient does not know where
to touch. A scanner read on this screen goes straight to check-in with the digits kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui import strings
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import QtScreen, make_label

_CENTER = Qt.AlignmentFlag.AlignCenter


class QtAttractScreen(QtScreen):
    """Clinic name and "Touch to start".

    Signals:
        touched(): the patient touched anywhere.
        digit_typed(str): a digit arrived from the keyboard (a barcode scanner).
    """

    touched = Signal()
    digit_typed = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self.setObjectName("AttractScreen")
        m = theme.metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        layout.setSpacing(m.spacing)
        layout.addStretch(2)
        layout.addWidget(make_label(strings.ATTRACT_WELCOME, "large", align=_CENTER))
        self.clinic = make_label(strings.CLINIC_NAME, "display", align=_CENTER, name="ClinicName")
        layout.addWidget(self.clinic)
        layout.addStretch(1)
        self.call_to_action = make_label(
            strings.ATTRACT_TOUCH, "cta", align=_CENTER, name="TouchToStart", wrap=False
        )
        layout.addWidget(self.call_to_action, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        layout.addWidget(make_label(strings.ATTRACT_HINT, "muted", align=_CENTER))
        self.status = make_label("", "small", align=_CENTER, name="AttractStatus")
        layout.addWidget(self.status)
        layout.addStretch(1)

    def set_status(self, text: str) -> None:
        """A quiet line at the bottom (e.g. "Getting ready…" while the database opens)."""
        self.status.setText(text)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.touched.emit()
        event.accept()

    def handle_key(self, key: int, text: str) -> bool:
        if text.isdigit():
            self.digit_typed.emit(text)
            return True
        return False
