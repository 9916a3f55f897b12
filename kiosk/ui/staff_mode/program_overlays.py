"""The builder's three panels: add exercises from the library, open a template, and assign
the program to a patient for a span of days."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QListWidgetItem, QVBoxLayout, QWidget

from db.repositories.patients import PatientInfo, PatientRepository
from db.repositories.program_store import ProgramStore, ProgramSummary
from kiosk.core.program_builder import equipment_names, filter_exercises
from kiosk.text import t, tn
from kiosk.text.dates import ALL_WEEKDAYS, day_short_year, weekday_short, weekdays_text
from kiosk.ui.staff_mode.choice_row import QtChoiceRow
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.staff_mode.steppers import QtDayStepper, QtStepper
from kiosk.ui.staff_mode.tables import add_list_row, make_list
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label
from media.schema import Library, Position

#: A starting position in words, by catalog key (looked up when shown).
POSITION_KEYS = {
    Position.STANDING: "staff.position.standing",
    Position.SIDE_LYING: "staff.position.side_lying",
    Position.PRONE: "staff.position.prone",
    Position.HANDS_AND_KNEES: "staff.position.hands_and_knees",
    Position.WALL: "staff.position.wall",
    Position.ATHLETIC_STANCE: "staff.position.athletic_stance",
}
ALL = "all"


def position_word(position: Position) -> str:
    key = POSITION_KEYS.get(position)
    return t(key) if key is not None else position.value


def span_words(start: date, end: date | None, weekdays: int | None) -> str:
    """When a program is on: "from Mon 2 Mar 2026 to Sun 15 Mar 2026, Mon, Wed, Fri"; the
    weekdays only if not every day."""
    if end is None:
        span = t("staff.programs.span_no_end", start=day_short_year(start))
    elif end == start:
        span = t("staff.programs.span_one_day", day=day_short_year(start))
    else:
        span = t("staff.programs.span", start=day_short_year(start), end=day_short_year(end))
    if weekdays is None or weekdays & ALL_WEEKDAYS == ALL_WEEKDAYS:
        return span
    return t("staff.programs.span_weekdays", span=span, weekdays=weekdays_text(weekdays))


class QtLibraryOverlay(QtOverlay):
    """The library, filtered by position and equipment; Add puts the chosen one in the program.

    Signals:
        add_requested(str): Add, with the chosen exercise's id.
    """

    add_requested = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget, library: Library) -> None:
        super().__init__(theme, parent, width_ratio=0.94)
        self.panel.setProperty("overlay", "Library")
        self.library = library
        m = theme.metrics
        self.panel_layout.setSpacing(m.spacing_small)
        self.panel_layout.addWidget(make_label(t("staff.programs.library_title"), "large"))
        present = {e.position for e in library.exercises.values()}
        positions = [(ALL, t("staff.programs.library_all"))] + [
            (p.value, position_word(p)) for p in Position if p in present
        ]
        self.positions = QtChoiceRow(theme, "LibraryPosition", positions, by_text=True)
        self.positions.set_chosen(ALL)
        self.positions.changed.connect(self._on_filter_changed)
        self.panel_layout.addWidget(self.positions)
        # Equipment as the library names it ("pillow or folded towel"): library content, in
        # the library's words (as on each exercise's second line below).
        kit = [(ALL, t("staff.programs.library_any"))] + [
            (name, name) for name in equipment_names(library)
        ]
        self.equipment = QtChoiceRow(theme, "LibraryEquipment", kit, by_text=True)
        self.equipment.set_chosen(ALL)
        self.equipment.changed.connect(self._on_filter_changed)
        self.panel_layout.addWidget(self.equipment)
        self.list = make_list(theme, "LibraryList")
        self.list.setMinimumHeight(m.touch_large * 3)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        self.panel_layout.addWidget(self.list, 1)
        self.message = QtMessage("LibraryMessage")
        self.panel_layout.addWidget(self.message)
        self.add_button = make_button(
            t("staff.programs.library_add"), "primary", name="LibraryAddButton"
        )
        self.done_button = make_button(t("staff.done"), name="LibraryDoneButton")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.done_button.clicked.connect(self.hide)
        self.add_buttons(self.done_button, self.add_button)
        self._theme = theme
        self.refresh()

    def present(self) -> None:
        self.message.clear_message()
        self.refresh()
        self.open()

    def refresh(self) -> None:
        position = self.positions.chosen
        kit = self.equipment.chosen
        exercises = filter_exercises(
            self.library,
            position=None if position in (None, ALL) else Position(position),
            equipment=None if kit in (None, ALL) else kit,
        )
        self.list.clear()
        for exercise in exercises:
            where = position_word(exercise.position)
            kit_text = ", ".join(exercise.equipment)
            text = f"{exercise.name}\n{where} · {kit_text}" if kit_text else exercise.name
            item = add_list_row(self.list, self._theme, text, exercise.id)
            item.setSizeHint(QSize(0, self._theme.metrics.touch_large))
        if exercises:
            self.list.setCurrentRow(0)
        else:
            self.message.show_error(t("staff.programs.library_empty"))
        self.add_button.setEnabled(bool(exercises))

    def shown_ids(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def choose(self, exercise_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == exercise_id:
                self.list.setCurrentRow(i)
                return
        raise LookupError(f"{exercise_id} is not in the list")

    def _on_filter_changed(self) -> None:
        self.message.clear_message()
        self.refresh()

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self._on_add_button_clicked()

    def _on_add_button_clicked(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        exercise_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.add_requested.emit(exercise_id)
        name = self.library.exercise(exercise_id).name
        self.message.show_ok(t("staff.programs.library_added", name=name))


class QtTemplatesOverlay(QtOverlay):
    """The templates (the seeds' and the clinic's); Open loads one into the builder.

    Signals:
        open_requested(int): Open, with the template's program id.
    """

    open_requested = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.8)
        self.panel.setProperty("overlay", "Templates")
        self._theme = theme
        self.panel_layout.addWidget(make_label(t("staff.programs.templates_title"), "large"))
        self.list = make_list(theme, "TemplatesList")
        self.list.setMinimumHeight(theme.metrics.touch * 5)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        self.panel_layout.addWidget(self.list, 1)
        self.cancel_button = make_button(t("staff.cancel"), name="TemplatesCancelButton")
        self.open_button = make_button(
            t("staff.programs.template_open"), "primary", name="TemplatesOpenButton"
        )
        self.cancel_button.clicked.connect(self.hide)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.add_buttons(self.cancel_button, self.open_button)
        self.templates: tuple[ProgramSummary, ...] = ()

    def present(self, templates: tuple[ProgramSummary, ...]) -> None:
        self.templates = templates
        self.list.clear()
        for template in templates:
            count = len(template.exercise_ids)
            text = tn("staff.programs.template_row", count, name=template.name, count=count)
            add_list_row(self.list, self._theme, text, template.id)
        if templates:
            self.list.setCurrentRow(0)
        self.open_button.setEnabled(bool(templates))
        self.open()

    def names(self) -> list[str]:
        return [t.name for t in self.templates]

    def choose(self, name: str) -> None:
        index = self.names().index(name)
        self.list.setCurrentRow(index)

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self._on_open_button_clicked()

    def _on_open_button_clicked(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.hide()
        self.open_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))


class QtAssignOverlay(QtOverlay):
    """Who gets the program, from which day, for how long, on which weekdays.

    Signals:
        assign_requested(int, object, object, object): patient id, start ``date``, end
            ``date`` or None (open-ended), weekday mask or None (every day).
    """

    assign_requested = Signal(int, object, object, object)

    def __init__(
        self, theme: Theme, parent: QWidget, patients: PatientRepository, store: ProgramStore
    ) -> None:
        super().__init__(theme, parent, width_ratio=0.94)
        self.panel.setProperty("overlay", "Assign")
        self._theme = theme
        self._patients = patients
        self._store = store
        m = theme.metrics
        self.title = make_label("", "large", name="AssignTitle")
        self.panel_layout.addWidget(self.title)
        body = QHBoxLayout()
        body.setSpacing(m.spacing)
        left = QVBoxLayout()
        left.addWidget(make_label(t("staff.programs.assign_patient"), "muted"))
        self.list = make_list(theme, "AssignPatients")
        self.list.setMinimumHeight(m.touch * 4)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        left.addWidget(self.list, 1)
        body.addLayout(left, 4)

        form = QGridLayout()
        form.setHorizontalSpacing(m.spacing)
        form.setVerticalSpacing(m.spacing_small)
        form.addWidget(make_label(t("staff.programs.assign_start"), "body"), 0, 0)
        self.start = QtDayStepper(theme, "AssignStart", date.today())
        self.start.day_changed.connect(self._on_start_day_changed)
        form.addWidget(self.start, 0, 1)
        form.addWidget(make_label(t("staff.programs.assign_weeks"), "body"), 1, 0)
        self.weeks = QtStepper(
            theme, "AssignWeeks", minimum=0, maximum=52, formatter=self._weeks_text
        )
        self.weeks.value_chosen.connect(self._on_weeks_value_chosen)
        form.addWidget(self.weeks, 1, 1)
        self.until = make_label("", "small", name="AssignUntil")
        form.addWidget(self.until, 2, 1)
        form.addWidget(make_label(t("staff.programs.assign_days"), "body"), 3, 0)
        self.days = QtChoiceRow(
            theme,
            "AssignDays",
            [(str(i), weekday_short(i)) for i in range(7)],
            exclusive=False,
        )
        self.days.set_chosen(*(str(i) for i in range(7)))
        self.days.changed.connect(self._on_days_changed)
        form.addWidget(self.days, 4, 0, 1, 2)
        self.current = make_label("", "small", name="AssignCurrent")
        form.addWidget(self.current, 5, 0, 1, 2)
        form.setRowStretch(6, 1)
        form.setColumnStretch(1, 1)
        body.addLayout(form, 6)
        self.panel_layout.addLayout(body, 1)
        self.message = QtMessage("AssignMessage")
        self.panel_layout.addWidget(self.message)
        self.cancel_button = make_button(t("staff.cancel"), name="AssignCancelButton")
        self.assign_button = make_button(
            t("staff.programs.assign_do"), "primary", name="AssignButton"
        )
        self.cancel_button.clicked.connect(self.hide)
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        self.add_buttons(self.cancel_button, self.assign_button)
        self.patients: tuple[PatientInfo, ...] = ()

    def _place_panel(self) -> None:
        super()._place_panel()
        # As tall as the screen allows: the patient list needs the room.
        margin = max(8, self.height() // 40)
        geometry = self.panel.geometry()
        self.panel.setGeometry(geometry.x(), margin, geometry.width(), self.height() - 2 * margin)

    def present(self, program_name: str, today: date, patient_id: int | None) -> None:
        self.title.setText(t("staff.programs.assign_title", program=program_name))
        self.start.minimum = today
        self.start.set_day(today)
        self.weeks.set_value(0)
        self._show_until()
        self.days.set_chosen(*(str(i) for i in range(7)))
        self.message.clear_message()
        self.patients = self._patients.search("")
        self.list.blockSignals(True)
        self.list.clear()
        for patient in self.patients:
            row = t("staff.patients.row", name=patient.display_name, code=patient.code)
            item = add_list_row(self.list, self._theme, row, patient.id)
            if patient.id == patient_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_current()
        self.open()

    def choose_patient(self, patient_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == patient_id:
                self.list.setCurrentRow(i)
                return
        raise LookupError(f"patient {patient_id} is not in the list")

    def chosen_patient(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def end(self) -> date | None:
        weeks = int(self.weeks.shown_value())
        return None if weeks == 0 else self.start.day + timedelta(days=7 * weeks - 1)

    def weekday_mask(self) -> int | None:
        mask = sum(1 << int(key) for key in self.days.chosen_keys)
        return None if mask == ALL_WEEKDAYS else mask

    def span_text(self) -> str:
        return span_words(self.start.day, self.end(), self.weekday_mask())

    @staticmethod
    def _weeks_text(weeks: float) -> str:
        if weeks == 0:
            return t("staff.programs.assign_open_ended")
        return tn("staff.programs.assign_weeks", int(weeks), weeks=int(weeks))

    def _show_until(self) -> None:
        end = self.end()
        self.until.setText(
            t("staff.programs.assign_no_end")
            if end is None
            else t("staff.programs.assign_until", end=day_short_year(end))
        )

    def _show_current(self) -> None:
        """The chosen patient's programs now, newest first (the newest wins a day)."""
        patient_id = self.chosen_patient()
        if patient_id is None:
            self.current.setText("")
            return
        lines = [
            t(
                "staff.programs.assignment_row",
                program=a.program_name,
                span=span_words(a.start, a.end, a.weekdays),
            )
            for a in self._store.assignments_for(patient_id)[:3]
        ]
        self.current.setText("\n".join([t("staff.programs.assignments"), *lines]) if lines else "")

    def _on_list_current_item_changed(self, _current: object, _previous: object) -> None:
        self.message.clear_message()
        self._show_current()

    def _on_start_day_changed(self, _day: object) -> None:
        self._show_until()

    def _on_weeks_value_chosen(self, weeks: float) -> None:
        self.weeks.set_value(weeks)
        self._show_until()

    def _on_days_changed(self) -> None:
        self.message.clear_message()

    def _on_assign_button_clicked(self) -> None:
        patient_id = self.chosen_patient()
        if patient_id is None:
            self.message.show_error(t("staff.programs.assign_no_patient"))
            return
        if not self.days.chosen_keys:
            self.message.show_error(t("staff.programs.assign_no_days"))
            return
        self.assign_requested.emit(patient_id, self.start.day, self.end(), self.weekday_mask())
