"""The search field over a patient list (the Patients and Progress pages)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from kiosk.text import t


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
