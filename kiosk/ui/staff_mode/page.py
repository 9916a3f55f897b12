"""The base of the staff home's pages, and the parts every page is laid out with."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.widgets.base import make_label


def make_section(text: str, name: str = "") -> QLabel:
    """A heading inside a page (a group of settings, a part of a patient's progress)."""
    return make_label(text, "section", name=name)


def make_card(name: str = "") -> QFrame:
    """A framed panel (``card`` in ``theme.qss``) that sets a part of a page apart."""
    frame = QFrame()
    frame.setObjectName(name or "Card")
    frame.setProperty("card", True)
    return frame


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
