"""The one-tap rating of each exercise, offered in the rest after its last set.

Nobody has to answer: the panel goes when the rest ends and the session never waits for it,
so a hands-free session simply runs past it. The last exercise has no rest after it; the
summary asks about it instead (:meth:`QtRatingPanel.unrated_last`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.core.events import SessionEnded, SessionState
from kiosk.core.prescription import Program
from kiosk.core.records import SetStatus
from kiosk.core.timeline import Step, StepKind, Timeline
from kiosk.ui.theme import Theme
from kiosk.ui.visit.choices import QtRatingChoices

#: (exercise index, exercise id, name) of an exercise to rate.
ToRate = tuple[int, str, str]


def last_work_steps(timeline: Timeline) -> dict[int, int]:
    """Each exercise's last work step: the rest after it is where it is rated."""
    last: dict[int, int] = {}
    for step in timeline.steps:
        if step.kind in (StepKind.REP, StepKind.HOLD) and step.exercise_index is not None:
            last[step.exercise_index] = step.index
    return last


class QtRatingPanel(QFrame):
    """ "How was Clamshell?" for the exercise just finished.

    Signals:
        rated(int, str): exercise index, and the value stored for staff ("easy" ...).
    """

    rated = Signal(int, str)

    def __init__(
        self, theme: Theme, program: Program, timeline: Timeline, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RatingPanel")
        self.theme = theme
        self._program = program
        self._timeline = timeline
        self._last_work = last_work_steps(timeline)
        self._layout = QVBoxLayout(self)
        m = theme.metrics
        edge = m.spacing
        self._layout.setContentsMargins(edge, edge, edge, edge)
        self._layout.addStretch(1)  # the choices go between the two stretches: centred
        self._layout.addStretch(1)
        self.choices: QtRatingChoices | None = None
        self.index: int | None = None  # the exercise on offer
        self.rated_indices: set[int] = set()

    def offer(self, step: Step) -> bool:
        """Prepare the rating if ``step`` is the rest after an exercise's last set (and the
        exercise was not rated yet); False otherwise."""
        index = step.exercise_index
        if (
            step.kind is not StepKind.REST
            or step.set is not None
            or index is None
            or index in self.rated_indices
            or self._last_work.get(index, step.index) >= step.index
        ):
            self.index = None
            return False
        if index != self.index or self.choices is None:
            if self.choices is not None:
                self.choices.deleteLater()
            name = self._program.items[index].name
            self.choices = QtRatingChoices(self.theme, name, name="Rating", prominent=True)
            self.choices.rated.connect(self._on_choices_rated)
            self._layout.insertWidget(1, self.choices)
            self.index = index
        return True

    def _on_choices_rated(self, value: str) -> None:
        if self.index is not None:
            self.rated_indices.add(self.index)
            self.rated.emit(self.index, value)

    def unrated_last(self, event: SessionEnded) -> ToRate | None:
        """The program's last exercise, for the summary to ask about: only in a finished
        session, only if a set of it was completed, and only if it was not rated already."""
        if event.state is not SessionState.FINISHED:
            return None
        last = next((s for s in reversed(self._timeline.steps) if s.exercise_index is not None),
                    None)  # fmt: skip
        if last is None or last.exercise_index is None:
            return None
        index = last.exercise_index
        if index in self.rated_indices:
            return None
        if not any(
            r.exercise_index == index and r.status is SetStatus.COMPLETED for r in event.records
        ):
            return None
        item = self._program.items[index]
        return (index, item.exercise_id, item.name)
