"""The builder's dose editor: the chosen item's sets, reps (or hold), rest and — for a
repetition exercise — one stepper per tempo phase, the sides, Easier/Harder along the
exercise's ladder, a note, and Library dose to undo changes.

Like the page around it, the editor is a view of a :class:`QtDraftModel`: a stepper or button
asks the model for a change and the editor redraws when the model says the draft or the
selection changed. Every stepper is bounded by ``LIMITS``, and a value left at the library's
default is shown as such.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.program_builder import LIMITS, TEMPO_STEP_S, DraftItem
from kiosk.text import t
from kiosk.ui.staff_mode.builder_model import QtDraftModel
from kiosk.ui.staff_mode.choice_row import QtChoiceRow
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.dose_text import dose_words
from kiosk.ui.staff_mode.steppers import QtStepper, format_number
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_button, make_label
from kiosk.ui.widgets.flow_layout import QtFlowLayout
from media.schema import Phase, SidePattern

#: A side pattern in the dose editor.
_SIDES_WORDS = {
    SidePattern.ALTERNATE: "staff.sides.alternate",
    SidePattern.EACH: "staff.sides.each",
    SidePattern.NONE: "staff.sides.none",
}


class QtPhaseStepper(QtStepper):
    """One tempo phase's seconds, shown with the phase's word: ``[−] Lift 2 s [+]``.

    Signals:
        phase_value_chosen(int, float): the phase's index and its new seconds.
    """

    phase_value_chosen = Signal(int, float)
    word = ""  # the phase's word; a class default, as the base's __init__ already formats

    def __init__(self, theme: Theme, phase: int) -> None:
        limit = LIMITS["tempo_s"]
        super().__init__(
            theme,
            f"ItemTempo{phase}",
            minimum=limit.low,
            maximum=limit.high,
            step=TEMPO_STEP_S,
            formatter=self._format,
        )
        self.phase = phase
        self.value_chosen.connect(self._on_self_value_chosen)

    def show_phase(self, word: str, value: float | None, default: float) -> None:
        """``value`` None: the library's seconds (``default``), marked as such."""
        self.word = word
        self.set_value(value, default)

    def _format(self, seconds: float) -> str:
        return t("staff.programs.tempo_phase", word=self.word, seconds=format_number(seconds))

    def _on_self_value_chosen(self, seconds: float) -> None:
        self.phase_value_chosen.emit(self.phase, seconds)


class QtItemEditor(QWidget):
    """The chosen item's dose: steppers within ``LIMITS`` (the tempo one per phase), sides,
    version, note."""

    def __init__(self, context: StaffContext, model: QtDraftModel) -> None:
        super().__init__()
        self.setObjectName("ItemEditor")
        self.context = context
        self.model = model
        theme = context.theme
        m = theme.metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(m.spacing, m.spacing_small, m.spacing, m.spacing_small)
        layout.setSpacing(m.spacing_small)
        self.name = make_label("", "strong", name="ItemName")
        layout.addWidget(self.name)
        self.dose = make_label("", "muted", name="ItemDose")
        layout.addWidget(self.dose)
        # The dose controls show only once an exercise is chosen.
        self.controls = QWidget()
        self.controls.setObjectName("ItemControls")
        controls = QVBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(m.spacing_small)
        layout.addWidget(self.controls)

        version_row = QWidget()
        version = QtFlowLayout(version_row, spacing=m.spacing_small)  # wraps if words are long
        self.regress_button = make_button(t("staff.programs.regress"), name="ItemRegressButton")
        self.progress_button = make_button(t("staff.programs.progress"), name="ItemProgressButton")
        self.regress_button.clicked.connect(self._on_regress_button_clicked)
        self.progress_button.clicked.connect(self._on_progress_button_clicked)
        version.addWidget(self.regress_button)
        version.addWidget(self.progress_button)
        controls.addWidget(version_row)
        self.variation = make_label("", "small", name="ItemVariation")
        controls.addWidget(self.variation)

        grid = QGridLayout()
        grid.setHorizontalSpacing(m.spacing)
        grid.setVerticalSpacing(m.spacing_small)
        sets, reps, hold, rest = (LIMITS[k] for k in ("sets", "reps", "hold_s", "rest_s"))
        self.sets = QtStepper(theme, "ItemSets", minimum=sets.low, maximum=sets.high)
        self.reps = QtStepper(theme, "ItemReps", minimum=reps.low, maximum=reps.high)
        self.hold = QtStepper(theme, "ItemHold", minimum=hold.low, maximum=hold.high, step=5)
        self.rest = QtStepper(theme, "ItemRest", minimum=rest.low, maximum=rest.high, step=5)
        self.reps_label = make_label(t("staff.programs.reps"), "body")
        self.hold_label = make_label(t("staff.programs.hold"), "body")
        # Each name above its stepper: the stepper gets the card's whole width.
        for row, (label, stepper) in enumerate(
            (
                (make_label(t("staff.programs.sets"), "body"), self.sets),
                (self.reps_label, self.reps),
                (self.hold_label, self.hold),
                (make_label(t("staff.programs.rest"), "body"), self.rest),
            )
        ):
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(stepper, 2 * row + 1, 0)
        controls.addLayout(grid)
        self.sets.value_chosen.connect(self._on_sets_value_chosen)
        self.reps.value_chosen.connect(self._on_reps_value_chosen)
        self.hold.value_chosen.connect(self._on_hold_value_chosen)
        self.rest.value_chosen.connect(self._on_rest_value_chosen)
        # A repetition exercise's tempo: one stepper per phase, made as an exercise needs them.
        self.tempo_label = make_label(t("staff.programs.tempo"), "body", name="ItemTempoLabel")
        controls.addWidget(self.tempo_label)
        self.tempo_rows = QVBoxLayout()
        self.tempo_rows.setSpacing(m.spacing_small)
        controls.addLayout(self.tempo_rows)
        self.tempo: list[QtPhaseStepper] = []

        controls.addWidget(make_label(t("staff.programs.sides"), "body"))
        self.sides = QtChoiceRow(
            theme,
            "ItemSides",
            [(p.value, t(_SIDES_WORDS[p])) for p in SidePattern],
            by_text=True,
        )
        self.sides.changed.connect(self._on_sides_changed)
        controls.addWidget(self.sides)

        extra = QHBoxLayout()
        extra.setSpacing(m.spacing_small)
        self.notes_button = make_button(t("staff.programs.notes_empty"), name="ItemNotesButton")
        # A long note must not widen the editor: the button shows its start.
        self.notes_button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.notes_button.clicked.connect(self._on_notes_button_clicked)
        extra.addWidget(self.notes_button, 2)
        self.reset_button = make_button(t("staff.programs.reset"), name="ItemResetButton")
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        extra.addWidget(self.reset_button, 1)
        controls.addLayout(extra)
        layout.addStretch(1)
        model.draft_changed.connect(self._on_model_draft_changed)
        model.selection_changed.connect(self._on_model_selection_changed)
        self.refresh()

    def refresh(self) -> None:
        item = self.model.selected_item()
        self.controls.setVisible(item is not None)
        if item is None:
            self.name.setText(t("staff.programs.pick_item"))
            for widget in (self.dose, self.variation):
                widget.setText("")
            return
        exercise = self.model.exercise(item)
        d = exercise.dosage
        self.name.setText(exercise.name)
        self.dose.setText(dose_words(item, self.model.library))
        self.variation.setText(
            t("staff.programs.variation", name=item.variation)
            if item.variation
            else t("staff.programs.base_version")
        )
        self.sets.set_value(item.sets, d.sets.low)
        is_hold = d.is_hold
        self.reps_label.setVisible(not is_hold)
        self.reps.setVisible(not is_hold)
        self.hold_label.setVisible(is_hold)
        self.hold.setVisible(is_hold)
        if is_hold:
            assert d.hold_s is not None
            self.hold.set_value(item.hold_s, d.hold_s.low)
        else:
            assert d.reps is not None
            self.reps.set_value(item.reps, d.reps.low)
        self.rest.set_value(item.rest_s, d.rest_s)
        self.sides.set_chosen((item.sides or d.sides).value)
        self._show_tempo(item, () if is_hold else d.tempo)
        notes = item.notes or ""
        if len(notes) > 24:
            notes = notes[:23].rstrip() + "…"
        self.notes_button.setText(
            t("staff.programs.notes", notes=notes) if notes else t("staff.programs.notes_empty")
        )

    def _show_tempo(self, item: DraftItem, phases: tuple[Phase, ...]) -> None:
        """A stepper per phase; a phase at the library's seconds is marked "(library)"."""
        while len(self.tempo) < len(phases):
            stepper = QtPhaseStepper(self.context.theme, len(self.tempo))
            stepper.phase_value_chosen.connect(self._on_tempo_phase_value_chosen)
            self.tempo_rows.addWidget(stepper)
            self.tempo.append(stepper)
        self.tempo_label.setVisible(bool(phases))
        chosen = item.tempo_s or ()
        for index, stepper in enumerate(self.tempo):
            stepper.setVisible(index < len(phases))
            if index < len(phases):
                phase = phases[index]
                seconds = chosen[index] if index < len(chosen) else None
                stepper.show_phase(
                    phase.word or phase.name,
                    None if seconds == phase.seconds else seconds,
                    phase.seconds,
                )

    def _on_model_draft_changed(self) -> None:
        self.refresh()

    def _on_model_selection_changed(self) -> None:
        self.refresh()

    def _on_tempo_phase_value_chosen(self, phase: int, seconds: float) -> None:
        index = self.model.selected
        if index is not None:
            self.model.set_tempo(index, phase, float(seconds))

    def _set(self, **changes: object) -> None:
        index = self.model.selected
        if index is not None:
            self.model.set_dose(index, **changes)

    def _on_sets_value_chosen(self, value: float) -> None:
        self._set(sets=int(value))

    def _on_reps_value_chosen(self, value: float) -> None:
        self._set(reps=int(value))

    def _on_hold_value_chosen(self, value: float) -> None:
        self._set(hold_s=float(value))

    def _on_rest_value_chosen(self, value: float) -> None:
        self._set(rest_s=float(value))

    def _on_sides_changed(self) -> None:
        chosen = self.sides.chosen
        if chosen is not None:
            self._set(sides=SidePattern(chosen))

    def _on_reset_button_clicked(self) -> None:
        self._set(sets=None, reps=None, hold_s=None, rest_s=None, sides=None, tempo_s=None)

    def _on_progress_button_clicked(self) -> None:
        if self.model.selected is not None:
            self.model.progress(self.model.selected)

    def _on_regress_button_clicked(self) -> None:
        if self.model.selected is not None:
            self.model.regress(self.model.selected)

    def _on_notes_button_clicked(self) -> None:
        item = self.model.selected_item()
        if item is not None:
            self.context.ask_text(
                t("staff.programs.notes_title"), item.notes or "", self._set_notes, max_length=500
            )

    def _set_notes(self, text: str) -> str | None:
        index = self.model.selected
        if index is None:
            return None
        return self.model.set_dose(index, notes=text.strip() or None)
