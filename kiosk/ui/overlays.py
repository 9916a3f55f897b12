"""The two overlays of the session player: "It hurts" and "End today's session?".

Both cover the whole player so nothing underneath can be pressed by accident, and both have
exactly two large choices. The pain overlay is calm on purpose: no red, no alarm, one plain
instruction first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui import strings
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import QtOverlay, make_button, make_label

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


class QtPainOverlay(_QtChoiceOverlay):
    """Shown while the session is paused for pain.

    Signals:
        resume_requested(): the patient feels fine and wants to continue.
        end_requested(): the patient wants to stop for today.
    """

    resume_requested = Signal()
    end_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(
            theme,
            parent,
            name="Pain",
            title=strings.PAIN_TITLE,
            body=strings.PAIN_BODY,
            first=(strings.PAIN_END, "secondary", "PainEndButton"),
            second=(strings.PAIN_RESUME, "secondary", "PainResumeButton"),
        )
        self.first_button.clicked.connect(self._on_end_button_clicked)
        self.second_button.clicked.connect(self._on_resume_button_clicked)

    def _on_resume_button_clicked(self) -> None:
        self.resume_requested.emit()

    def _on_end_button_clicked(self) -> None:
        self.end_requested.emit()


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
            title=strings.STOP_TITLE,
            body=strings.STOP_BODY,
            first=(strings.STOP_END, "secondary", "StopEndButton"),
            second=(strings.STOP_KEEP_GOING, "primary", "StopKeepGoingButton"),
        )
        self.first_button.clicked.connect(self._on_end_button_clicked)
        self.second_button.clicked.connect(self._on_keep_going_button_clicked)
        self.backdrop_clicked.connect(self._on_keep_going_button_clicked)

    def _on_keep_going_button_clicked(self) -> None:
        self.keep_going_requested.emit()

    def _on_end_button_clicked(self) -> None:
        self.end_requested.emit()
