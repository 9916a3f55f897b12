"""The staff screens' feedback line under an action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.widgets.base import set_style_property


class QtMessage(QLabel):
    """One line of feedback under an action: ``ok`` (what happened) or ``error`` (why not).

    Hidden when empty, so a page does not keep an empty box around.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "message")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setVisible(False)

    def show_ok(self, text: str) -> None:
        self._show(text, "ok")

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def clear_message(self) -> None:
        self.setText("")
        self.setVisible(False)

    def _show(self, text: str, kind: str) -> None:
        set_style_property(self, "kind", kind)
        self.setText(text)
        self.setVisible(bool(text))

    @property
    def kind(self) -> str:
        return str(self.property("kind") or "")
