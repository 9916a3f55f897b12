"""The "Still there?" overlay: the patient's chance to keep their screen (WCAG 2.2.1).

It covers the whole window, above every screen and the player's own overlays, so it is seen
from across the room and nothing underneath can be pressed while it shows. The seconds left
are the largest text on it; the button is the whole width of the panel. Any touch on it
answers — on release, so the touch that answers does not also land on whatever the panel
was covering once it closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label

_CENTER = Qt.AlignmentFlag.AlignCenter


class QtStillThereOverlay(QtOverlay):
    """Asks whether the patient is still there, with the seconds counting down.

    Signals:
        answered(): "I'm still here", or a touch anywhere on the overlay.
    """

    answered = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.72)
        self.theme = theme
        self.panel.setProperty("overlay", "StillThere")
        m = theme.metrics
        self.title = make_label(t("idle.title"), "display", align=_CENTER, name="StillThereTitle")
        self.panel_layout.addWidget(self.title)
        self.body = make_label(t("idle.body"), "large", align=_CENTER, name="StillThereBody")
        self.panel_layout.addWidget(self.body)
        self.count = make_label("", "figure", align=_CENTER, name="StillThereCount", wrap=False)
        self.panel_layout.addWidget(self.count)
        self.unit = make_label("", "large", align=_CENTER, name="StillThereUnit")
        self.panel_layout.addWidget(self.unit)
        self.panel_layout.addSpacing(m.spacing)
        self.button = make_button(t("idle.still_here"), "primary", name="StillHereButton")
        self.button.setMinimumHeight(m.touch_large)
        self.button.clicked.connect(self._on_button_clicked)
        self.panel_layout.addWidget(self.button)
        parent.installEventFilter(self)  # follow the window's size

    def set_seconds(self, seconds: int) -> None:
        self.count.setText(str(seconds))
        self.unit.setText(t("idle.seconds_one") if seconds == 1 else t("idle.seconds"))

    def open(self) -> None:
        super().open()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            parent = self.parentWidget()
            if parent is not None and self.isVisible():
                self.setGeometry(parent.rect())
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing beneath gets it

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.answered.emit()

    def _on_button_clicked(self) -> None:
        self.answered.emit()
