"""Small touch widgets and helpers shared by the screens.

Buttons never take keyboard focus: the kiosk has no keyboard, and the check-in screen needs
every key a barcode scanner "types" to reach the window rather than a focused button (where
Enter would press it again).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.theme import Theme


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the stylesheet keys on, and re-apply the style if it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def make_label(
    text: str = "",
    role: str = "body",
    parent: QWidget | None = None,
    *,
    name: str = "",
    wrap: bool = True,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", role)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setAlignment(align)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def make_button(
    text: str, role: str = "secondary", parent: QWidget | None = None, *, name: str = ""
) -> QPushButton:
    button = QPushButton(text, parent)
    button.setProperty("role", role)
    if name:
        button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    return button


def make_scroll_area(widget: QWidget, name: str = "") -> QScrollArea:
    """``widget`` in a frameless area that scrolls up and down only, by finger (kinetic) as
    well as by wheel: ``widget`` is as wide as the area, so nothing ever scrolls sideways."""
    scroll = QScrollArea()
    if name:
        scroll.setObjectName(name)
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll_by_touch(scroll.viewport())
    return scroll


def scroll_by_touch(viewport: QWidget) -> None:
    """Kinetic scrolling by finger for a scroll area's ``viewport`` (Qt's QScroller).

    Qt registers a new gesture type for every widget this is done for (257, 258, ...: never
    used again), and PySide keeps a Python enum member for each value it returns that the
    enum does not name, in ``Qt.GestureType._sbk_missing_``, for the life of the process:
    about 2.6 KB for every screen, list or table built, all day (found by the clinic-day
    soak, ``make soak-day``). The one for this widget is dropped at once; nothing reads it.
    """
    gesture = QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
    made = getattr(Qt.GestureType, "_sbk_missing_", None)
    if isinstance(made, dict):
        made.pop(str(int(gesture)), None)


class QtScreen(QWidget):
    """Base of the full-window screens: themed background, knows the theme.

    Screens receive the window's keys through :meth:`handle_key` (see ``window.py``).
    """

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.setProperty("screen", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def handle_key(self, key: int, text: str) -> bool:
        """A key typed on the window while this screen shows; True if used."""
        return False

    def entered(self) -> None:
        """Called when the screen becomes the visible one."""

    def left(self) -> None:
        """Called when another screen replaces this one; stop timers here."""


class QtOverlay(QWidget):
    """A calm panel over a dimmed window, covering (and blocking) everything beneath.

    Signals: ``backdrop_clicked()`` when the dimmed area outside the panel is touched.
    """

    backdrop_clicked = Signal()

    def __init__(self, theme: Theme, parent: QWidget, *, width_ratio: float = 0.7) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._width_ratio = width_ratio
        self.panel = QFrame(self)
        self.panel.setObjectName("OverlayPanel")
        self._metrics = m = theme.metrics
        self.panel_layout = QVBoxLayout(self.panel)
        self.panel_layout.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        self.panel_layout.setSpacing(m.spacing)
        self.hide()

    def add_buttons(self, *buttons: QPushButton, spacing: int | None = None) -> None:
        """End the panel with ``buttons`` side by side, equally wide and finger-tall (the
        answer last); ``spacing`` between them, else the theme's."""
        m = self._metrics
        row = QHBoxLayout()
        row.setSpacing(m.spacing if spacing is None else spacing)
        for button in buttons:
            button.setMinimumHeight(m.touch)
            row.addWidget(button, 1)
        self.panel_layout.addLayout(row)

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self._place_panel()
        self.show()
        self.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_panel()

    def _place_panel(self) -> None:
        width = int(self.width() * self._width_ratio)
        self.panel.setFixedWidth(width)
        self.panel.adjustSize()
        height = min(self.panel.sizeHint().height(), self.height())
        self.panel.setGeometry(
            (self.width() - width) // 2, (self.height() - height) // 2, width, height
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.backdrop_clicked.emit()
        event.accept()
