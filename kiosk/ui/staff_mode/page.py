"""The base of the staff home's pages, and the parts every page is laid out with.

A page is a column (:attr:`QtStaffPage.root`): its title, its body, and at the bottom its
footer (:meth:`QtStaffPage.add_footer`: the message line, then the page's buttons at the
right). A long body scrolls by finger inside a card (:func:`make_scrolled_card`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.widgets.base import make_label, make_scroll_area


def make_section(text: str, name: str = "") -> QLabel:
    """A heading inside a page (a group of settings, a part of a patient's progress)."""
    return make_label(text, "section", name=name)


def make_card(name: str = "") -> QFrame:
    """A framed panel (``card`` in ``theme.qss``) that sets a part of a page apart."""
    frame = QFrame()
    frame.setObjectName(name or "Card")
    frame.setProperty("card", True)
    return frame


def make_scrolled_card(widget: QWidget, card_name: str, scroll_name: str) -> QFrame:
    """A card filled by ``widget``, which scrolls up and down by finger when it is taller."""
    card = make_card(card_name)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(make_scroll_area(widget, scroll_name))
    return card


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

    def add_footer(self, message_name: str, *buttons: QPushButton) -> QtMessage:
        """End the page with its message line (named ``message_name``), then ``buttons`` in a
        row at the right, in order (the main action last). Returns the message line."""
        message = QtMessage(message_name)
        self.root.addWidget(message)
        if buttons:
            row = QHBoxLayout()
            row.setSpacing(self.theme.metrics.spacing)
            row.addStretch(1)
            for button in buttons:
                row.addWidget(button)
            self.root.addLayout(row)
        return message

    def overlay_host(self) -> QWidget:
        """The widget a page's own overlays cover: the staff home (the keyboard's parent)."""
        assert self.context.keyboard is not None
        host = self.context.keyboard.parentWidget()
        assert host is not None
        return host

    def entered(self) -> None:
        """Shown: read the database again (it may have changed since)."""

    def left(self) -> None:
        """Hidden, or staff mode closed: stop timers."""

    def discard(self) -> None:
        """Staff mode closed (the page is deleted next): stop timers, let work in flight end."""
        self.left()

    def open_with(self, argument: object) -> None:
        """Shown because another page asked (``page_requested``) with ``argument``."""
