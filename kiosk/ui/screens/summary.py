"""The summary: what the patient did today, then back to the start.

Three big numbers (exercises, sets, minutes) rather than a table: it is a moment of praise,
not a report. It returns to the attract screen by itself, so the next patient never finds
someone else's name on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.events import SessionEnded, SessionState
from kiosk.core.records import SetStatus
from kiosk.ui import strings
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.widgets import QtScreen, make_button, make_label

AUTO_RETURN_MS = 20_000
_CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class SessionSummary:
    name: str
    finished: bool  # the whole program ran (False: stopped early)
    exercises: int
    sets: int
    minutes: int

    @classmethod
    def from_event(cls, name: str, event: SessionEnded, elapsed_s: float) -> SessionSummary:
        """Counts completed sets only; a short session is "1" minute, never "0"."""
        done = [r for r in event.records if r.status is SetStatus.COMPLETED]
        return cls(
            name=name,
            finished=event.state is SessionState.FINISHED,
            exercises=len({r.exercise_index for r in done}),
            sets=len(done),
            minutes=max(1, round(elapsed_s / 60)) if elapsed_s > 0 else 0,
        )


class QtSummaryScreen(QtScreen):
    """Today's totals.

    Signals:
        finished(): the patient tapped, or the screen timed out.
    """

    finished = Signal()

    def __init__(
        self,
        theme: Theme,
        summary: SessionSummary,
        timers: TimerFactory,
        parent: QWidget | None = None,
        *,
        auto_return_ms: int = AUTO_RETURN_MS,
    ) -> None:
        super().__init__(theme, parent)
        self.setObjectName("SummaryScreen")
        self.summary = summary
        m = theme.metrics
        root = QVBoxLayout(self)
        root.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        root.setSpacing(m.spacing)
        root.addStretch(1)
        template = strings.SUMMARY_TITLE if summary.finished else strings.SUMMARY_TITLE_STOPPED
        self.title = make_label(
            template.format(name=summary.name), "display", align=_CENTER, name="SummaryTitle"
        )
        root.addWidget(self.title)
        root.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(m.margin)
        self.figures: dict[str, QWidget] = {}
        for key, (one, many), value in (
            ("exercises", strings.SUMMARY_EXERCISES, summary.exercises),
            ("sets", strings.SUMMARY_SETS, summary.sets),
            ("minutes", strings.SUMMARY_MINUTES, summary.minutes),
        ):
            row.addWidget(self._figure(key, strings.plural(value, one, many), value), 1)
        root.addLayout(row)
        root.addStretch(1)
        root.addWidget(make_label(strings.SUMMARY_SAVED, "large", align=_CENTER))
        root.addStretch(1)
        self.done_button = make_button(strings.SUMMARY_DONE, "primary", name="FinishButton")
        self.done_button.setMinimumWidth(m.px(560))
        self.done_button.clicked.connect(self._on_done_button_clicked)
        root.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.timer = timers.create(self, "summary-auto-return", single_shot=True)
        self.timer.setInterval(auto_return_ms)
        self.timer.timeout.connect(self._on_timer_timeout)

    def _figure(self, key: str, label: str, value: int) -> QFrame:
        card = QFrame()
        card.setObjectName("Card")
        layout = QVBoxLayout(card)
        m = self.theme.metrics
        layout.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        number = make_label(str(value), "figure", align=_CENTER, name=f"Figure_{key}")
        layout.addWidget(number)
        layout.addWidget(make_label(label, "large", align=_CENTER))
        self.figures[key] = number
        return card

    def entered(self) -> None:
        self.timer.start()

    def left(self) -> None:
        self.timer.stop()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._finish()
        event.accept()

    def _finish(self) -> None:
        self.timer.stop()
        self.finished.emit()

    def _on_done_button_clicked(self) -> None:
        self._finish()

    def _on_timer_timeout(self) -> None:
        self._finish()
