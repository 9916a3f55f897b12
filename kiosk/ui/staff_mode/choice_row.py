"""A row of big toggle buttons: the staff screens' choice (no combo boxes, no tiny check boxes).

Every look is in ``theme.qss``, keyed on ``role="toggle"``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.flow_layout import QtFlowLayout


class QtChoiceButton(QPushButton):
    """A checkable button that says which choice it is (no lambda per button).

    Signals:
        chosen(str): the button was tapped; its key.
    """

    chosen = Signal(str)

    def __init__(self, key: str, text: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(text.replace("&", "&&"), parent)  # "&" is not a shortcut marker here
        self.key = key
        self.setObjectName(name)
        self.setProperty("role", "toggle")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.clicked.connect(self._on_self_clicked)

    def _on_self_clicked(self) -> None:
        self.chosen.emit(self.key)


class QtChoiceRow(QWidget):
    """A row of toggle buttons; ``exclusive``: exactly one chosen (else any number).

    Signals:
        changed(): the staff changed the choice (read :attr:`chosen` / :attr:`chosen_keys`).
    """

    changed = Signal()

    def __init__(
        self,
        theme: Theme,
        name: str,
        choices: Sequence[tuple[str, str]],
        *,
        exclusive: bool = True,
        by_text: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``by_text``: widths follow the words (each button as wide as its words, plus a share
        of what is left), else equal. A row whose words do not fit wraps onto more lines."""
        super().__init__(parent)
        self.setObjectName(name)
        self.exclusive = exclusive
        row = QtFlowLayout(self, spacing=theme.metrics.spacing_small, equal=not by_text)
        self.buttons: dict[str, QtChoiceButton] = {}
        for key, text in choices:
            button = QtChoiceButton(key, text, f"{name}_{key}")
            button.setMinimumHeight(theme.metrics.touch)
            button.chosen.connect(self._on_button_chosen)
            row.addWidget(button)
            self.buttons[key] = button

    @property
    def chosen(self) -> str | None:
        return next((k for k, b in self.buttons.items() if b.isChecked()), None)

    @property
    def chosen_keys(self) -> tuple[str, ...]:
        return tuple(k for k, b in self.buttons.items() if b.isChecked())

    def set_chosen(self, *keys: str) -> None:
        for key, button in self.buttons.items():
            button.setChecked(key in keys)

    def _on_button_chosen(self, key: str) -> None:
        if self.exclusive:
            self.set_chosen(key)
        self.changed.emit()
