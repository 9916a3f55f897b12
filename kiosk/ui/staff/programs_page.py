"""Programs: the builder (exercises from the library, each with its dose), templates, and
assigning a program to a patient.

The page is a view of a :class:`QtDraftModel`: every button asks the model for a change and
every refusal comes back as a sentence under the builder, with the draft unchanged. Saving
makes a new template and assigning gives the patient their own copy (``ProgramStore``), so a
template opened here is never changed in place.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from kiosk.core.describe import describe_dose
from kiosk.core.prescription import Prescription, PrescriptionError
from kiosk.core.program_builder import LIMITS, TEMPO_STEP_S, DraftItem
from kiosk.text import t
from kiosk.ui.staff.builder_model import QtDraftModel
from kiosk.ui.staff.context import StaffContext
from kiosk.ui.staff.page import QtStaffPage
from kiosk.ui.staff.program_overlays import QtAssignOverlay, QtLibraryOverlay, QtTemplatesOverlay
from kiosk.ui.staff.widgets import (
    QtChoiceRow,
    QtMessage,
    QtStepper,
    add_list_row,
    format_number,
    make_card,
    make_list,
)
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label
from media.schema import Library, Phase, SidePattern

log = logging.getLogger(__name__)

#: A side pattern in the dose editor, and in a program row's short dose.
_SIDES_WORDS = {
    SidePattern.ALTERNATE: "staff.sides.alternate",
    SidePattern.EACH: "staff.sides.each",
    SidePattern.NONE: "staff.sides.none",
}
_SIDES_SHORT = {
    SidePattern.ALTERNATE: "staff.sides_short.alternate",
    SidePattern.EACH: "staff.sides_short.each",
    SidePattern.NONE: "staff.sides_short.none",
}


def dose_words(item: DraftItem, library: Library, *, side_series: bool = False) -> str:
    """The dose in words with the library's defaults filled in; in a side series the program,
    not the item, switches sides (as on the patient's program screen)."""
    try:
        p = Prescription.from_exercise(
            library.exercise(item.exercise_id),
            sets=item.sets,
            reps=item.reps,
            hold_s=item.hold_s,
            sides=item.sides,
            rest_s=item.rest_s,
            tempo_s=item.tempo_s,
        )
    except (KeyError, PrescriptionError) as error:
        return str(error)
    return describe_dose(
        sets=p.sets,
        reps=p.reps,
        hold_s=p.hold_s,
        sides=SidePattern.NONE if side_series else p.sides,
        rep_hold_s=p.rep_hold_s,
        final_hold_s=p.final_hold_s,
    )


def short_dose(item: DraftItem, library: Library, *, side_series: bool = False) -> str:
    """ "3 × 10 reps · alternating sides": the list's line (the editor has the words)."""
    try:
        p = Prescription.from_exercise(
            library.exercise(item.exercise_id),
            sets=item.sets,
            reps=item.reps,
            hold_s=item.hold_s,
            sides=item.sides,
            rest_s=item.rest_s,
            tempo_s=item.tempo_s,
        )
    except (KeyError, PrescriptionError) as error:
        return str(error)
    if p.reps is None:
        dose = t("staff.programs.short_hold", sets=p.sets, hold=format_number(p.hold_s or 0))
    else:
        dose = t("staff.programs.short_reps", sets=p.sets, reps=p.reps)
    sides = "" if side_series else t(_SIDES_SHORT[p.sides])
    return f"{dose} · {sides}" if sides else dose


def item_text(number: int, item: DraftItem, library: Library, side_series: bool) -> str:
    """Two lines: "1. Clamshell (Light band)" and the dose, short."""
    exercise = library.exercises.get(item.exercise_id)
    name = (exercise.name if exercise else item.exercise_id) + (
        f" ({item.variation})" if item.variation else ""
    )
    dose = short_dose(item, library, side_series=side_series)
    return f"{t('staff.programs.item', number=number, name=name)}\n{dose}"


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

        version = QHBoxLayout()
        version.setSpacing(m.spacing_small)
        self.regress_button = make_button(t("staff.programs.regress"), name="ItemRegressButton")
        self.progress_button = make_button(t("staff.programs.progress"), name="ItemProgressButton")
        self.regress_button.clicked.connect(self._on_regress_button_clicked)
        self.progress_button.clicked.connect(self._on_progress_button_clicked)
        version.addWidget(self.regress_button, 1)
        version.addWidget(self.progress_button, 1)
        controls.addLayout(version)
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


class QtProgramsPage(QtStaffPage):
    """The builder, with templates and assignment."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "ProgramsPage", "")
        self.title.setVisible(False)  # the program's name is the first row instead
        theme = context.theme
        m = theme.metrics
        self.model = QtDraftModel(context.library, self)
        self._store = ProgramStore(context.engine)
        self._patient_for_assign: int | None = None

        top = QHBoxLayout()
        top.setSpacing(m.spacing_small)
        self.name_button = make_button("", name="ProgramNameButton")
        self.name_button.clicked.connect(self._on_name_button_clicked)
        top.addWidget(self.name_button, 3)
        self.side_series_button = make_button(
            t("staff.programs.side_series"), "toggle", name="ProgramSideSeries"
        )
        self.side_series_button.setCheckable(True)
        self.side_series_button.clicked.connect(self._on_side_series_button_clicked)
        top.addWidget(self.side_series_button, 1)
        self.new_button = make_button(t("staff.programs.new"), name="ProgramNewButton")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        top.addWidget(self.new_button, 1)
        self.templates_button = make_button(
            t("staff.programs.templates"), name="ProgramTemplatesButton"
        )
        self.templates_button.clicked.connect(self._on_templates_button_clicked)
        top.addWidget(self.templates_button, 1)
        self.root.addLayout(top)

        middle = QHBoxLayout()
        middle.setSpacing(m.spacing)
        left = QVBoxLayout()
        left.setSpacing(m.spacing_small)
        self.items = make_list(theme, "ProgramItems")
        self.items.currentRowChanged.connect(self._on_items_current_row_changed)
        left.addWidget(self.items, 1)
        self.empty = make_label(t("staff.programs.empty"), "muted", name="ProgramEmpty")
        left.addWidget(self.empty)
        moves = QHBoxLayout()
        moves.setSpacing(m.spacing_small)
        self.up_button = make_button(t("staff.programs.up"), name="ItemUpButton")
        self.down_button = make_button(t("staff.programs.down"), name="ItemDownButton")
        self.remove_button = make_button(t("staff.programs.remove"), name="ItemRemoveButton")
        for button in (self.up_button, self.down_button, self.remove_button):
            moves.addWidget(button, 1)
        self.up_button.clicked.connect(self._on_up_button_clicked)
        self.down_button.clicked.connect(self._on_down_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        left.addLayout(moves)
        self.add_button = make_button(t("staff.programs.add"), name="ProgramAddButton")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        left.addWidget(self.add_button)
        middle.addLayout(left, 5)

        card = make_card("ItemCard")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QtItemEditor(context, self.model)
        scroll = QScrollArea()
        scroll.setObjectName("ItemScroll")
        scroll.setWidget(self.editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        card_layout.addWidget(scroll)
        middle.addWidget(card, 6)
        self.root.addLayout(middle, 1)

        self.message = QtMessage("ProgramsMessage")
        self.root.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.setSpacing(m.spacing)
        bottom.addStretch(1)
        self.save_button = make_button(t("staff.programs.save_template"), name="ProgramSaveButton")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        bottom.addWidget(self.save_button)
        self.assign_button = make_button(
            t("staff.programs.assign"), "primary", name="ProgramAssignButton"
        )
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        bottom.addWidget(self.assign_button)
        self.root.addLayout(bottom)

        host = self._overlay_host()
        self.library_overlay = QtLibraryOverlay(theme, host, context.library)
        self.library_overlay.add_requested.connect(self._on_library_overlay_add_requested)
        self.templates_overlay = QtTemplatesOverlay(theme, host)
        self.templates_overlay.open_requested.connect(self._on_templates_overlay_open_requested)
        self.assign_overlay = QtAssignOverlay(
            theme, host, PatientRepository(context.engine), self._store
        )
        self.assign_overlay.assign_requested.connect(self._on_assign_overlay_assign_requested)

        self.model.draft_changed.connect(self._on_model_draft_changed)
        self.model.selection_changed.connect(self._on_model_selection_changed)
        self.model.problem_raised.connect(self._on_model_problem_raised)
        self._render()

    def _overlay_host(self) -> QWidget:
        assert self.context.keyboard is not None
        host = self.context.keyboard.parentWidget()
        assert host is not None
        return host

    # -- showing the draft ------------------------------------------------------------------

    def _render(self) -> None:
        draft = self.model.draft
        self.name_button.setText(t("staff.programs.name", name=draft.name))
        self.side_series_button.setChecked(draft.side_series)
        self.items.blockSignals(True)
        self.items.clear()
        for number, item in enumerate(draft.items, 1):
            row = add_list_row(
                self.items,
                self.theme,
                item_text(number, item, self.model.library, draft.side_series),
                number - 1,
            )
            row.setSizeHint(QSize(0, self.theme.metrics.touch_large))
        if self.model.selected is not None:
            self.items.setCurrentRow(self.model.selected)
        self.items.blockSignals(False)
        self.empty.setVisible(not draft.items)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        count = len(self.model.draft.items)
        index = self.model.selected
        self.up_button.setEnabled(index is not None and index > 0)
        self.down_button.setEnabled(index is not None and index < count - 1)
        self.remove_button.setEnabled(index is not None)
        self.save_button.setEnabled(count > 0)
        self.assign_button.setEnabled(count > 0)

    def item_texts(self) -> list[str]:
        return [self.items.item(i).text() for i in range(self.items.count())]

    def _on_model_draft_changed(self) -> None:
        self._render()

    def _on_model_selection_changed(self) -> None:
        if self.model.selected is not None and self.items.currentRow() != self.model.selected:
            self.items.blockSignals(True)
            self.items.setCurrentRow(self.model.selected)
            self.items.blockSignals(False)
        self._refresh_buttons()

    def _on_model_problem_raised(self, problem: str) -> None:
        self.message.show_error(problem)

    def _on_items_current_row_changed(self, row: int) -> None:
        self.message.clear_message()
        self.model.select(row if row >= 0 else None)

    # -- the whole program ----------------------------------------------------------------

    def _on_name_button_clicked(self) -> None:
        self.context.ask_text(
            t("staff.programs.name_title"), self.model.draft.name, self.model.rename, max_length=100
        )

    def _on_side_series_button_clicked(self, checked: bool) -> None:
        self.model.set_side_series(checked)

    def _on_new_button_clicked(self) -> None:
        self.message.clear_message()
        self.model.new()

    def _on_templates_button_clicked(self) -> None:
        self.templates_overlay.present(self._store.templates())

    def _on_templates_overlay_open_requested(self, program_id: int) -> None:
        draft = self._store.load(program_id)
        if draft is None:
            self.message.show_error(t("staff.programs.template_gone"))
            return
        self.model.load(draft, source=draft.name)
        self.message.show_ok(t("staff.programs.loaded", name=draft.name))

    # -- items ----------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.library_overlay.present()

    def _on_library_overlay_add_requested(self, exercise_id: str) -> None:
        self.message.clear_message()
        self.model.add(exercise_id)

    def _on_up_button_clicked(self) -> None:
        index = self.model.selected
        if index is not None:
            self.model.move(index, index - 1)

    def _on_down_button_clicked(self) -> None:
        index = self.model.selected
        if index is not None:
            self.model.move(index, index + 1)

    def _on_remove_button_clicked(self) -> None:
        index = self.model.selected
        if index is not None:
            self.model.remove(index)

    # -- saving and assigning -----------------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        problem = self.model.problem()
        if problem is not None:
            self.message.show_error(problem)
            return
        draft = self.model.draft
        try:
            self._store.save(draft, actor=self.context.actor, template=True)
        except ValueError as error:
            self.message.show_error(str(error))
            return
        self.message.show_ok(t("staff.programs.saved_template", name=draft.name))

    def _on_assign_button_clicked(self) -> None:
        problem = self.model.problem()
        if problem is not None:
            self.message.show_error(problem)
            return
        self.assign_overlay.present(
            self.model.draft.name, self.context.today(), self._patient_for_assign
        )

    def _on_assign_overlay_assign_requested(
        self, patient_id: int, start: date, end: date | None, weekdays: int | None
    ) -> None:
        span = self.assign_overlay.span_text()
        try:
            self._store.assign(
                self.model.draft, patient_id, start, end, weekdays, actor=self.context.actor
            )
        except ValueError as error:
            self.assign_overlay.message.show_error(str(error))
            return
        self.assign_overlay.hide()
        patient = next((p for p in self.assign_overlay.patients if p.id == patient_id), None)
        name = patient.display_name if patient else str(patient_id)
        self.message.show_ok(
            t("staff.programs.assigned", program=self.model.draft.name, name=name, span=span)
        )

    def open_with(self, argument: object) -> None:
        """From a patient's page: their name is chosen when Assign opens."""
        if isinstance(argument, int):
            self._patient_for_assign = argument
