"""The base of the staff home's pages."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.widgets.base import make_label


class QtStaffPage(QWidget):
    """One tab of the staff home, built with the staff context.

    Signals:
        page_requested(str, object): show another page with an argument (e.g. Today →
            a patient's Progress), see :meth:`open_with`.
    """

    page_requested = Signal(str, object)

    def __init__(self, context: StaffContext, name: str, title: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("staff", True)
        self.context = context
        self.theme = context.theme
        m = context.theme.metrics
        self.root = QVBoxLayout(self)
        self.root.setContentsMargins(0, 0, 0, 0)
        self.root.setSpacing(m.spacing)
        self.title = make_label(title, "strong", name=f"{name}Title")
        self.root.addWidget(self.title)

    def entered(self) -> None:
        """Shown: read the database again (it may have changed since)."""

    def left(self) -> None:
        """Hidden, or staff mode closed: stop timers."""

    def open_with(self, argument: object) -> None:
        """Shown because another page asked (``page_requested``) with ``argument``."""
