"""Finding a patient on the Patients and Progress pages: a search field over the list of the
patients found, the chosen one kept while they are still found.

The page does the searching (it knows whom to include, e.g. deactivated patients) and hands
the result to :meth:`QtPatientList.show_patients`; the list keeps the choice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from db.repositories.patients import PatientInfo
from kiosk.text import t
from kiosk.ui.staff_mode.tables import fill_list, make_list
from kiosk.ui.theme import Theme


class QtPatientSearch(QPushButton):
    """A patient list's search field: a button showing what is searched for; a tap opens the
    on-screen keyboard (``ask_text``: the staff context's).

    Signals:
        searched(str): the words to search for ("" for everyone).
    """

    searched = Signal(str)

    def __init__(
        self, ask_text: Callable[[str, str, Callable[[str], str | None]], None], name: str
    ) -> None:
        super().__init__(t("staff.patients.search_empty"))
        self.setObjectName(name)
        self.setProperty("role", "field")
        self.words = ""
        self._ask_text = ask_text
        self.clicked.connect(self._on_clicked)

    def clear_words(self) -> None:
        """Back to searching for everyone (without a ``searched`` signal)."""
        self._show("")

    def _show(self, words: str) -> None:
        self.words = words
        self.setText(
            t("staff.patients.search", text=words) if words else t("staff.patients.search_empty")
        )

    def _on_clicked(self) -> None:
        self._ask_text(t("staff.patients.search_title"), self.words, self._on_words)

    def _on_words(self, text: str) -> str | None:
        self._show(text.strip())
        self.searched.emit(self.words)
        return None


class QtPatientList(QWidget):
    """The search field (:attr:`search_button`, its ``searched`` for the page to search) over
    the list (:attr:`list`) of the patients found, each row worded by ``row_text``.

    Signals:
        patient_chosen(object): the chosen patient changed (a ``PatientInfo``, or None): a
            tap in the list, or :meth:`show_patients` choosing again.
    """

    patient_chosen = Signal(object)

    def __init__(
        self,
        theme: Theme,
        ask_text: Callable[[str, str, Callable[[str], str | None]], None],
        names: tuple[str, str],
        row_text: Callable[[PatientInfo], str],
    ) -> None:
        """``names``: the object names of the search field and of the list."""
        super().__init__()
        self._theme = theme
        self._row_text = row_text
        self.patients: tuple[PatientInfo, ...] = ()
        self.selected: PatientInfo | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(theme.metrics.spacing_small)
        self.search_button = QtPatientSearch(ask_text, names[0])
        column.addWidget(self.search_button)
        self.list = make_list(theme, names[1])
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        column.addWidget(self.list, 1)

    def show_patients(
        self, patients: tuple[PatientInfo, ...], select_id: int | None = None
    ) -> None:
        """List ``patients``, choosing the one with ``select_id``, else the one chosen before
        (no one if they are not among them)."""
        keep = select_id if select_id is not None else (self.selected.id if self.selected else None)
        self.patients = patients
        rows = [(self._row_text(patient), patient.id) for patient in patients]
        fill_list(self.list, self._theme, rows, keep)
        self.selected = next((p for p in patients if p.id == keep), None)

    def row_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _on_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: object
    ) -> None:
        patient_id = None if current is None else current.data(Qt.ItemDataRole.UserRole)
        self.selected = next((p for p in self.patients if p.id == patient_id), None)
        self.patient_chosen.emit(self.selected)
