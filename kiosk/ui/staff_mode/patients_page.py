"""Patients: find, add (the new code shown big), rename, give a new code, deactivate, save a
check-in card as PDF, and erase (the patient's name typed to confirm).

The check-in code is the patient's only credential, and a staff screen is read over
shoulders: the list shows names only, and the chosen patient's code stays hidden until staff
touch "Show code" (audited, by patient id), until another patient is chosen. A code staff
just made (a new patient, a new code) is shown at once: they asked for it.

Every edit goes through ``PatientRepository`` with the signed-in staff member as actor, so it
is validated and audited there; a refused name keeps the keyboard open with the text and the
reason. Codes are shown grouped ("482 913"), as on the card.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from db.repositories.audit import Action
from db.repositories.patients import PatientInfo, PatientRepository
from kiosk.text import t
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.exports import write_pdf
from kiosk.ui.staff_mode.page import QtStaffPage, make_scrolled_card
from kiosk.ui.staff_mode.patient_search import QtPatientList
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label
from kiosk.ui.widgets.flow_layout import QtFlowLayout

log = logging.getLogger(__name__)
_CENTER = Qt.AlignmentFlag.AlignCenter


def grouped(code: str) -> str:
    """``482913`` → ``482 913`` (as printed on the card)."""
    if len(code) <= 4:
        return code
    head = len(code) % 3 or 3
    return " ".join([code[:head]] + [code[i : i + 3] for i in range(head, len(code), 3)])


def row_text(patient: PatientInfo) -> str:
    """A patient's row in the list: their name, and whether deactivated (never the code)."""
    if patient.active:
        return patient.display_name
    return t("staff.patients.row_name_inactive", name=patient.display_name)


class QtCodeOverlay(QtOverlay):
    """A new check-in code, very large, with "Save card" and "Done".

    Signals:
        card_requested(): Save card.
    """

    card_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.6)
        self.panel.setProperty("overlay", "Code")
        self.title = make_label("", "title", align=_CENTER, name="CodeOverlayTitle")
        self.code = make_label("", "figure", align=_CENTER, name="CodeOverlayCode", wrap=False)
        self.body = make_label("", "body", align=_CENTER, name="CodeOverlayBody")
        for widget in (self.title, self.code, self.body):
            self.panel_layout.addWidget(widget)
        self.card_button = make_button(t("staff.patients.card"), name="CodeOverlayCardButton")
        self.done_button = make_button(t("staff.done"), "primary", name="CodeOverlayDoneButton")
        self.add_buttons(self.card_button, self.done_button)
        self.card_button.clicked.connect(self._on_card_button_clicked)
        self.done_button.clicked.connect(self.hide)

    def present(self, title: str, code: str, body: str) -> None:
        self.title.setText(title)
        self.code.setText(grouped(code))
        self.body.setText(body)
        self.open()

    def _on_card_button_clicked(self) -> None:
        self.hide()
        self.card_requested.emit()


class QtPatientsPage(QtStaffPage):
    """The patient list and the chosen patient's details."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "PatientsPage", t("staff.tab.patients"))
        self._repo = PatientRepository(context.database)
        m = context.theme.metrics

        body = QHBoxLayout()
        body.setSpacing(m.spacing)
        left = QVBoxLayout()
        left.setSpacing(m.spacing_small)
        names = ("PatientsSearch", "PatientsList")
        self.found = QtPatientList(context.theme, context.ask_text, names, row_text)
        self.found.patient_chosen.connect(self._on_found_patient_chosen)
        self.search_button, self.list = self.found.search_button, self.found.list
        self.search_button.searched.connect(self._on_search_button_searched)
        left.addWidget(self.found, 1)
        self.empty = make_label(t("staff.patients.none"), "muted", name="PatientsEmpty")
        left.addWidget(self.empty)
        self.inactive_button = make_button(
            t("staff.patients.show_inactive"), "toggle", name="PatientsInactive"
        )
        self.inactive_button.setCheckable(True)
        self.inactive_button.toggled.connect(self._on_inactive_button_toggled)
        left.addWidget(self.inactive_button)
        self.add_button = make_button(t("staff.patients.add"), "primary", name="PatientsAddButton")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        left.addWidget(self.add_button)
        body.addLayout(left, 1)

        # The chosen patient's details and what staff can do with them. Nothing may overlap
        # whatever the words' length or the screen's height (Spanish at 1280×800 under the
        # demo-staff banner): the buttons flow onto as many lines as their words need, and
        # the card scrolls up and down when it is taller than the page leaves it.
        self.details = QWidget()
        self.details.setObjectName("PatientDetails")
        details = QVBoxLayout(self.details)
        # Small margins: the card's frame is the border, and every pixel of width lets the
        # code and "Show code" share a line, every pixel of height saves a scroll.
        small = m.spacing_small
        details.setContentsMargins(small, small, small, small)
        details.setSpacing(small)
        name_row = QHBoxLayout()
        name_row.setSpacing(m.spacing)
        self.name = make_label("", "strong", name="PatientName")
        name_row.addWidget(self.name)
        # Active, or why not (a sentence that wraps), beside the name.
        self.status = make_label("", "body", name="PatientStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        name_row.addWidget(self.status, 1)
        details.addLayout(name_row)
        self.code_caption = make_label(t("staff.patients.code"), "muted")
        details.addWidget(self.code_caption)
        # The code's big digits and "Show code" side by side where the card is wide enough,
        # the button under the code where it is not (1280×800).
        code_row = QWidget()
        code_row.setObjectName("PatientCodeRow")
        code_flow = QtFlowLayout(code_row, spacing=small, equal=False)
        self.code = make_label("", "figure", name="PatientCode", wrap=False)
        code_flow.addWidget(self.code)
        self.show_code_button = make_button(t("staff.patients.show_code"), name="PatientShowCode")
        self.show_code_button.clicked.connect(self._on_show_code_button_clicked)
        code_flow.addWidget(self.show_code_button)
        details.addWidget(code_row)
        #: The patient whose code shows now (None: every code hidden).
        self.revealed: int | None = None
        self.rename_button = make_button(t("staff.patients.rename"), name="PatientRenameButton")
        self.recode_button = make_button(t("staff.patients.new_code"), name="PatientNewCodeButton")
        self.active_button = make_button(t("staff.patients.deactivate"), name="PatientActiveButton")
        self.card_button = make_button(t("staff.patients.card"), name="PatientCardButton")
        self.progress_button = make_button(t("staff.tab.progress"), name="PatientProgressButton")
        self.program_button = make_button(t("staff.patients.program"), name="PatientAssignButton")
        self.erase_button = make_button(t("staff.patients.erase"), name="PatientEraseButton")
        # The patient's language at the kiosk and on paper (the clinic's, or their own).
        self.language_button = make_button("", name="PatientLanguageButton")
        actions = QWidget()
        actions.setObjectName("PatientActions")
        action_flow = QtFlowLayout(actions, spacing=m.spacing_small)
        # A deactivated patient is given no program: "Erase…" shows in its place (erasing is
        # for a patient already deactivated, a second deliberate step before the typed name).
        for button in (
            self.rename_button,
            self.recode_button,
            self.card_button,
            self.active_button,
            self.program_button,
            self.erase_button,
            self.progress_button,
            self.language_button,
        ):
            action_flow.addWidget(button)
        details.addWidget(actions)
        details.addStretch(1)
        self.language_button.clicked.connect(self._on_language_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.recode_button.clicked.connect(self._on_recode_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.card_button.clicked.connect(self._on_card_button_clicked)
        self.progress_button.clicked.connect(self._on_progress_button_clicked)
        self.program_button.clicked.connect(self._on_program_button_clicked)
        self.erase_button.clicked.connect(self._on_erase_button_clicked)
        # The list as narrow as its buttons' words allow, the card the rest.
        body.addWidget(make_scrolled_card(self.details, "PatientCard", "PatientCardScroll"), 2)
        self.root.addLayout(body, 1)
        self.message = self.add_footer("PatientsMessage")
        self.code_overlay = QtCodeOverlay(context.theme, self.overlay_host())
        self.code_overlay.card_requested.connect(self._on_code_overlay_card_requested)
        self._show_selected()

    # -- the list --------------------------------------------------------------------------

    def entered(self) -> None:
        self.refresh()

    def left(self) -> None:
        self.revealed = None  # a code shown stays hidden when staff come back
        self._show_selected()

    @property
    def selected(self) -> PatientInfo | None:
        return self.found.selected

    def refresh(self, select_id: int | None = None) -> None:
        inactive = self.inactive_button.isChecked()
        patients = self._repo.search(self.search_button.words, include_inactive=inactive)
        self.found.show_patients(patients, select_id)
        self.empty.setVisible(not patients)
        self._show_selected()

    def select_patient(self, patient_id: int) -> None:
        self.refresh(select_id=patient_id)

    def open_with(self, argument: object) -> None:
        if isinstance(argument, int):
            self.select_patient(argument)

    def row_texts(self) -> list[str]:
        return self.found.row_texts()

    def _on_found_patient_chosen(self, _patient: PatientInfo | None) -> None:
        self.message.clear_message()
        self._show_selected()

    def _show_selected(self) -> None:
        patient = self.selected
        for button in (
            self.rename_button,
            self.recode_button,
            self.active_button,
            self.card_button,
            self.progress_button,
            self.program_button,
            self.erase_button,
            self.language_button,
        ):
            button.setEnabled(patient is not None)
        self.code_caption.setVisible(patient is not None)
        self.program_button.setVisible(patient is None or patient.active)
        self.erase_button.setVisible(patient is not None and not patient.active)
        self.show_code_button.setVisible(patient is not None)
        self.language_button.setVisible(patient is not None)
        self.language_button.setText(
            t(
                "staff.patients.language",
                language=_language_name(patient.language if patient is not None else None),
            )
        )
        if patient is None:
            self.revealed = None
            self.name.setText(t("staff.patients.pick"))
            self.code.setText("")
            self.status.setText("")
            return
        if self.revealed != patient.id:
            self.revealed = None
        self.name.setText(patient.display_name)
        shown = self.revealed == patient.id
        self.code.setText(grouped(patient.code) if shown else t("staff.patients.code_hidden"))
        self.show_code_button.setEnabled(not shown)
        self.status.setText(
            t("staff.patients.active") if patient.active else t("staff.patients.inactive")
        )
        self.active_button.setText(
            t("staff.patients.deactivate") if patient.active else t("staff.patients.reactivate")
        )
        self.card_button.setEnabled(patient.active)
        self.program_button.setEnabled(patient.active)

    def _on_show_code_button_clicked(self) -> None:
        patient = self.selected
        if patient is None:
            return
        self.context.record(Action.CODE_SHOWN, f"patient {patient.id}")
        self.revealed = patient.id
        self._show_selected()

    # -- search ----------------------------------------------------------------------------

    def _on_search_button_searched(self, _words: str) -> None:
        self.refresh()

    def _on_inactive_button_toggled(self, _checked: bool) -> None:
        self.refresh()

    # -- edits -----------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.context.ask_text(t("staff.patients.add_title"), "", self._add, max_length=20)

    def _add(self, text: str) -> str | None:
        try:
            patient = self._repo.register(text, actor=self.context.actor)
        except ValueError as error:
            return str(error)
        self.search_button.clear_words()
        self.revealed = patient.id
        self.refresh(select_id=patient.id)
        self.code_overlay.present(
            t("staff.patients.added_title", name=patient.display_name),
            patient.code,
            t("staff.patients.added_body", name=patient.display_name),
        )
        return None

    def _on_language_button_clicked(self) -> None:
        """The next language for this patient: the clinic's (none of their own), then each
        language the kiosk speaks, round again."""
        from kiosk.ui.widgets.language_button import patient_languages

        patient = self.selected
        if patient is None:
            return
        choices: list[str | None] = [None, *patient_languages()]
        now = patient.language if patient.language in choices else None
        wanted = choices[(choices.index(now) + 1) % len(choices)]
        try:
            changed = self._repo.set_language(patient.id, wanted)
        except (ValueError, LookupError) as error:
            self.message.show_error(str(error))
            return
        self.refresh(select_id=changed.id)
        self.message.show_ok(
            t(
                "staff.patients.language_set",
                name=changed.display_name,
                language=_language_name(changed.language),
            )
        )

    def _on_rename_button_clicked(self) -> None:
        if self.selected is None:
            return
        title = t("staff.patients.rename_title", name=self.selected.display_name)
        self.context.ask_text(title, self.selected.display_name, self._rename, max_length=20)

    def _rename(self, text: str) -> str | None:
        if self.selected is None:
            return None
        try:
            patient = self._repo.rename(self.selected.id, text, actor=self.context.actor)
        except (ValueError, LookupError) as error:
            return str(error)
        self.refresh(select_id=patient.id)
        self.message.show_ok(t("staff.patients.renamed", name=patient.display_name))
        return None

    def _on_recode_button_clicked(self) -> None:
        patient = self.selected
        if patient is None:
            return
        self.context.ask_confirm(
            t("staff.patients.recode_confirm_title", name=patient.display_name),
            t("staff.patients.recode_confirm_body", old=grouped(patient.code)),
            t("staff.patients.new_code"),
            self._recode,
        )

    def _recode(self) -> None:
        old = self.selected
        if old is None:
            return
        try:
            patient = self._repo.regenerate_code(old.id, actor=self.context.actor)
        except (ValueError, LookupError) as error:
            self.message.show_error(str(error))
            return
        self.revealed = patient.id
        self.refresh(select_id=patient.id)
        self.code_overlay.present(
            t("staff.patients.recoded_title", name=patient.display_name),
            patient.code,
            t("staff.patients.recoded_body", old=grouped(old.code)),
        )

    def _on_active_button_clicked(self) -> None:
        patient = self.selected
        if patient is None:
            return
        if patient.active:
            self.context.ask_confirm(
                t("staff.patients.deactivate_title", name=patient.display_name),
                t("staff.patients.deactivate_body"),
                t("staff.patients.deactivate"),
                self._deactivate,
            )
        else:
            self._set_active(True)

    def _deactivate(self) -> None:
        self._set_active(False)

    def _set_active(self, active: bool) -> None:
        patient = self.selected
        if patient is None:
            return
        try:
            self._repo.set_active(patient.id, active, actor=self.context.actor)
        except LookupError as error:
            self.message.show_error(str(error))
            return
        if not active and not self.inactive_button.isChecked():
            self.inactive_button.blockSignals(True)
            self.inactive_button.setChecked(True)  # keep them in sight, marked deactivated
            self.inactive_button.blockSignals(False)
        self.refresh(select_id=patient.id)
        template = t("staff.patients.reactivated") if active else t("staff.patients.deactivated")
        self.message.show_ok(template.format(name=patient.display_name))

    # -- erasure ---------------------------------------------------------------------------

    def _on_erase_button_clicked(self) -> None:
        patient = self.selected
        if patient is None or patient.active:
            return
        status = self.context.writer_status
        if status is not None and not status.status.all_saved:
            # Their records may be among those waiting: erased now, they would come back.
            self.message.show_error(t("staff.patients.erase_waiting"))
            return
        title = t("staff.patients.erase_title", name=patient.display_name)
        self.context.ask_text(title, "", self._erase, max_length=20)

    def _erase(self, typed: str) -> str | None:
        from kiosk.patient.erasure import erase_patient

        patient = self.selected
        if patient is None:
            return None
        if typed.strip().casefold() != patient.display_name.casefold():
            return t("staff.patients.erase_mismatch", name=patient.display_name)
        status = self.context.writer_status
        journal = status.journal if status is not None else None
        try:
            erased = erase_patient(
                self.context.database, patient.id, actor=self.context.actor, journal=journal
            )
        except (LookupError, OSError) as error:
            self.message.show_error(str(error))
            return None
        self.refresh()
        self.message.show_ok(
            t("staff.patients.erased", name=patient.display_name, pseudonym=erased.pseudonym)
        )
        return None

    # -- card ------------------------------------------------------------------------------

    def _on_card_button_clicked(self) -> None:
        self._ask_card_file()

    def _on_code_overlay_card_requested(self) -> None:
        self._ask_card_file()

    def _ask_card_file(self) -> None:
        patient = self.selected
        if patient is None or not patient.active:
            return
        assert self.context.files is not None
        self.context.files.save_file(
            t("staff.save.title"),
            t("staff.patients.card_name", id=patient.id),
            "PDF (*.pdf)",
            self.save_card,
        )

    def save_card(self, path: Path) -> None:
        """Write the selected patient's check-in card to ``path``."""
        from kiosk.printing import card

        patient = self.selected
        if patient is None:
            return
        path = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        try:
            content = card.content_for_patient(self.context.database, patient.code)
            write_pdf(path, content, card.render_card)
        except (OSError, LookupError) as error:
            # Not the error itself: a file name staff typed may hold anything.
            reason = getattr(error, "strerror", None) or error.__class__.__name__
            log.warning("card for patient %s not saved: %s", patient.id, reason)
            self.message.show_error(t("staff.cannot.save", name=path.name, reason=error))
            return
        self.context.record(Action.EXPORT, f"check-in card for patient {patient.id} to {path.name}")
        self.message.show_ok(t("staff.saved.file", name=path))

    # -- elsewhere -------------------------------------------------------------------------

    def _on_progress_button_clicked(self) -> None:
        if self.selected is not None:
            self.page_requested.emit("progress", self.selected.id)

    def _on_program_button_clicked(self) -> None:
        if self.selected is not None:
            self.page_requested.emit("programs", self.selected.id)


def _language_name(code: str | None) -> str:
    """A language by its own name ("Español"); no language of their own: the clinic's."""
    if code is None:
        return t("staff.patients.language_clinic")
    from kiosk import text

    try:
        return text.language(code).name
    except text.UnknownLanguageError:
        return code
