"""Programs: the builder (exercises from the library, each with its dose), templates, and
assigning a program to a patient.

The page is a view of a :class:`QtDraftModel`: every button asks the model for a change and
every refusal comes back as a sentence under the builder, with the draft unchanged. Saving
makes a new template and assigning gives the patient their own copy (``ProgramStore``), so a
template opened here is never changed in place. The chosen item's dose is edited in
:mod:`kiosk.ui.staff_mode.dose_editor`, the list's rows are worded by
:mod:`kiosk.ui.staff_mode.dose_text`, and the library, templates and assign panels are in
:mod:`kiosk.ui.staff_mode.program_overlays`.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from kiosk.text import t
from kiosk.ui.staff_mode.builder_model import QtDraftModel
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.dose_editor import QtItemEditor
from kiosk.ui.staff_mode.dose_text import item_text
from kiosk.ui.staff_mode.page import QtStaffPage, make_scrolled_card
from kiosk.ui.staff_mode.program_overlays import (
    QtAssignOverlay,
    QtLibraryOverlay,
    QtTemplatesOverlay,
)
from kiosk.ui.staff_mode.tables import add_list_row, make_list
from kiosk.ui.widgets.base import make_button, make_label

log = logging.getLogger(__name__)


class QtProgramsPage(QtStaffPage):
    """The builder, with templates and assignment."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "ProgramsPage", "")
        self.title.setVisible(False)  # the program's name is the first row instead
        theme = context.theme
        m = theme.metrics
        self.model = QtDraftModel(context.library, self)
        self._store = ProgramStore(context.database)
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

        self.editor = QtItemEditor(context, self.model)
        middle.addWidget(make_scrolled_card(self.editor, "ItemCard", "ItemScroll"), 6)
        self.root.addLayout(middle, 1)

        self.save_button = make_button(t("staff.programs.save_template"), name="ProgramSaveButton")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.assign_button = make_button(
            t("staff.programs.assign"), "primary", name="ProgramAssignButton"
        )
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        self.message = self.add_footer("ProgramsMessage", self.save_button, self.assign_button)

        host = self.overlay_host()
        self.library_overlay = QtLibraryOverlay(theme, host, context.library)
        self.library_overlay.add_requested.connect(self._on_library_overlay_add_requested)
        self.templates_overlay = QtTemplatesOverlay(theme, host)
        self.templates_overlay.open_requested.connect(self._on_templates_overlay_open_requested)
        self.assign_overlay = QtAssignOverlay(
            theme, host, PatientRepository(context.database), self._store
        )
        self.assign_overlay.assign_requested.connect(self._on_assign_overlay_assign_requested)

        self.model.draft_changed.connect(self._on_model_draft_changed)
        self.model.selection_changed.connect(self._on_model_selection_changed)
        self.model.problem_raised.connect(self._on_model_problem_raised)
        self._render()

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
