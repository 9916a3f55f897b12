"""The program builder's model on Qt: the current draft, the chosen item, and change events.

``ProgramDraft`` (kiosk.core.program_builder) is immutable and does the checking; this object
only holds the current one, says when it changed, and turns a refused edit into a sentence
for the screen (the draft stays as it was, so nothing is lost). The builder's widgets take
this model, listen to its signals and change the draft only through its methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.core.program_builder import BuilderError, DraftItem, ProgramDraft
from media.schema import Exercise, Library


class _Keep:
    """The selection stays where it is."""


KEEP = _Keep()


class QtDraftModel(QObject):
    """Signals:
    draft_changed(): the draft is another one (items, doses, name, side series).
    selection_changed(): another item is chosen (or none).
    problem_raised(str): an edit was refused; the draft did not change.
    """

    draft_changed = Signal()
    selection_changed = Signal()
    problem_raised = Signal(str)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._draft = ProgramDraft()
        self._selected: int | None = None
        self.source: str | None = None  # the template it was opened from, if any

    @property
    def draft(self) -> ProgramDraft:
        return self._draft

    @property
    def selected(self) -> int | None:
        return self._selected

    def selected_item(self) -> DraftItem | None:
        index = self._selected
        return None if index is None else self._draft.items[index]

    def exercise(self, item: DraftItem) -> Exercise:
        return self.library.exercise(item.exercise_id)

    # -- whole draft -----------------------------------------------------------------------

    def new(self) -> None:
        self.source = None
        self._set(ProgramDraft(), None)

    def load(self, draft: ProgramDraft, source: str | None = None) -> None:
        self.source = source
        self._set(draft, 0 if draft.items else None)

    def rename(self, name: str) -> str | None:
        """None if renamed, else why not."""
        return self._apply(self._draft.renamed, name)

    def set_side_series(self, side_series: bool) -> None:
        self._apply(self._draft.with_side_series, side_series)

    def problem(self) -> str | None:
        """Why the draft cannot be saved or assigned, or None."""
        try:
            self._draft.check(self.library)
        except BuilderError as error:
            return str(error)
        return None

    # -- items -----------------------------------------------------------------------------

    def select(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self._draft.items):
            index = None
        if index != self._selected:
            self._selected = index
            self.selection_changed.emit()

    def add(self, exercise_id: str) -> str | None:
        """Add at the end, at the library's dose, and choose it."""
        return self._apply(
            self._draft.with_added, exercise_id, self.library, select=len(self._draft.items)
        )

    def remove(self, index: int) -> None:
        remaining = len(self._draft.items) - 1
        after = min(index, remaining - 1) if remaining > 0 else None
        self._apply(self._draft.without, index, select=after)

    def move(self, index: int, to: int) -> None:
        to = max(0, min(to, len(self._draft.items) - 1))
        if to != index:
            self._apply(self._draft.moved, index, to, select=to)

    def set_dose(self, index: int, **changes: Any) -> str | None:
        return self._apply(self._draft.with_dose, index, self.library, **changes)

    def set_tempo(self, index: int, phase: int, seconds: float) -> str | None:
        """One tempo phase of item ``index``, in seconds; None if set, else why not."""
        return self._apply(self._draft.with_tempo, index, self.library, phase, seconds)

    def progress(self, index: int) -> str | None:
        return self._apply(self._draft.progressed, index, self.library)

    def regress(self, index: int) -> str | None:
        return self._apply(self._draft.regressed, index, self.library)

    # -- plumbing --------------------------------------------------------------------------

    def _apply(
        self,
        operation: Callable[..., ProgramDraft],
        *args: Any,
        select: int | _Keep | None = KEEP,
        **kwargs: Any,
    ) -> str | None:
        try:
            draft = operation(*args, **kwargs)
        except BuilderError as error:
            self.problem_raised.emit(str(error))
            return str(error)
        self._set(draft, self._selected if isinstance(select, _Keep) else select)
        return None

    def _set(self, draft: ProgramDraft, selected: int | None) -> None:
        changed_selection = selected != self._selected
        self._draft = draft
        self._selected = selected
        self.draft_changed.emit()
        if changed_selection:
            self.selection_changed.emit()
