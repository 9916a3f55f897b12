"""The two overlays of the session player: "It hurts" and "End today's session?".

Both cover the whole player so nothing underneath can be pressed by accident. The pain overlay
is calm on purpose: no red, no alarm, one plain instruction first, then large choices; the
stop overlay has exactly two.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label

_CENTER = Qt.AlignmentFlag.AlignCenter


class _QtChoiceOverlay(QtOverlay):
    """A title, a message and two buttons side by side."""

    def __init__(
        self,
        theme: Theme,
        parent: QWidget,
        *,
        name: str,
        title: str,
        body: str,
        first: tuple[str, str, str],
        second: tuple[str, str, str],
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("Overlay")
        self.panel.setProperty("overlay", name)
        self.title = make_label(title, "title", align=_CENTER, name=f"{name}Title")
        self.panel_layout.addWidget(self.title)
        self.body = make_label(body, "large", align=_CENTER, name=f"{name}Body")
        self.panel_layout.addWidget(self.body)
        self.panel_layout.addSpacing(theme.metrics.spacing)
        row = QHBoxLayout()
        row.setSpacing(theme.metrics.margin)
        self.first_button = make_button(first[0], first[1], name=first[2])
        self.second_button = make_button(second[0], second[1], name=second[2])
        for button in (self.first_button, self.second_button):
            button.setMinimumHeight(theme.metrics.touch_large)
            row.addWidget(button, 1)
        self.panel_layout.addLayout(row)


class QtPainOverlay(QtOverlay):
    """Shown while the session is paused for pain: stop, don't push through, then a choice.

    Four large choices, two by two (they fit at 1280×800 in large text too): skip this
    exercise, end the session, call staff, or carry on when the pain has gone. After "Call
    staff" the instructions make way for a banner readable across the room ("Help is on the
    way") that stays until the patient makes another choice.

    Signals:
        resume_requested(): the pain has gone; carry on where it stopped.
        skip_requested(): leave this exercise, go on with the next.
        end_requested(): stop for today.
        call_staff_requested(): the patient asks for a member of staff.
    """

    resume_requested = Signal()
    skip_requested = Signal()
    end_requested = Signal()
    call_staff_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.86)
        self.setObjectName("Overlay")
        self.panel.setProperty("overlay", "Pain")
        m = theme.metrics
        self.title = make_label(t("pain.title"), "title", align=_CENTER, name="PainTitle")
        self.panel_layout.addWidget(self.title)
        self.body = make_label(t("pain.body"), "large", align=_CENTER, name="PainBody")
        self.panel_layout.addWidget(self.body)
        self.banner = QFrame()
        self.banner.setObjectName("CallStaffBanner")
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        self.banner_title = make_label(
            t("call.staff_banner"), "display", align=_CENTER, name="CallStaffTitle"
        )
        self.banner_detail = make_label(
            t("call.staff_detail"), "title", align=_CENTER, name="CallStaffDetail"
        )
        banner_layout.addWidget(self.banner_title)
        banner_layout.addWidget(self.banner_detail)
        self.banner.hide()
        self.panel_layout.addWidget(self.banner)
        self.panel_layout.addSpacing(m.spacing_small)
        grid = QGridLayout()
        grid.setSpacing(m.spacing)
        self.skip_button = make_button(t("pain.skip"), name="PainSkipButton")
        self.end_button = make_button(t("pain.end"), name="PainEndButton")
        self.call_button = make_button(t("pain.call_staff"), "primary", name="PainCallButton")
        self.resume_button = make_button(t("pain.resume"), name="PainResumeButton")
        for i, button in enumerate(
            (self.skip_button, self.end_button, self.call_button, self.resume_button)
        ):
            button.setMinimumHeight(m.touch_large)
            # Two equal columns whatever the words: the choices line up as a grid.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            grid.addWidget(button, i // 2, i % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.panel_layout.addLayout(grid)
        self.skip_button.clicked.connect(self._on_skip_button_clicked)
        self.end_button.clicked.connect(self._on_end_button_clicked)
        self.call_button.clicked.connect(self._on_call_button_clicked)
        self.resume_button.clicked.connect(self._on_resume_button_clicked)

    def _place_panel(self) -> None:
        """As tall as its wrapped words need (large text wraps the banner's second line)."""
        width = int(self.width() * self._width_ratio)
        self.panel.setFixedWidth(width)
        needed = max(self.panel.heightForWidth(width), self.panel.sizeHint().height())
        height = min(needed, self.height())
        self.panel.setGeometry(
            (self.width() - width) // 2, (self.height() - height) // 2, width, height
        )

    @property
    def staff_called(self) -> bool:
        return not self.banner.isHidden()

    def open(self) -> None:
        """A fresh press of "It hurts": the instructions, no banner."""
        self.show_staff_called(False)
        super().open()

    def show_staff_called(self, called: bool = True) -> None:
        """The banner instead of the instructions (they were read and said already)."""
        self.banner.setVisible(called)
        self.body.setVisible(not called)
        self.call_button.setEnabled(not called)
        self.call_button.setText(t("pain.staff_called") if called else t("pain.call_staff"))
        if self.isVisible():
            self._place_panel()

    def _on_resume_button_clicked(self) -> None:
        self.resume_requested.emit()

    def _on_skip_button_clicked(self) -> None:
        self.skip_requested.emit()

    def _on_end_button_clicked(self) -> None:
        self.end_requested.emit()

    def _on_call_button_clicked(self) -> None:
        self.call_staff_requested.emit()


class QtStopOverlay(_QtChoiceOverlay):
    """Asks before ending the session, so a brushed Stop button does not end it.

    Signals:
        keep_going_requested(): back to the exercise.
        end_requested(): end the session now.
    """

    keep_going_requested = Signal()
    end_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(
            theme,
            parent,
            name="Stop",
            title=t("stop.title"),
            body=t("stop.body"),
            first=(t("stop.end"), "secondary", "StopEndButton"),
            second=(t("stop.keep_going"), "primary", "StopKeepGoingButton"),
        )
        self.first_button.clicked.connect(self._on_end_button_clicked)
        self.second_button.clicked.connect(self._on_keep_going_button_clicked)
        self.backdrop_clicked.connect(self._on_keep_going_button_clicked)

    def _on_keep_going_button_clicked(self) -> None:
        self.keep_going_requested.emit()

    def _on_end_button_clicked(self) -> None:
        self.end_requested.emit()
