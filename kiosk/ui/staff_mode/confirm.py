"""The staff home's "Are you sure?" before anything that cannot be undone from the screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label, set_style_property

_CENTER = Qt.AlignmentFlag.AlignCenter


class QtConfirmOverlay(QtOverlay):
    """ "Are you sure?": a title, what will happen, Cancel and the action.

    One per staff home; :meth:`ask` says what to run on confirmation. Touching outside the
    panel cancels.

    Signals:
        answered(bool): True if confirmed.
    """

    answered = Signal(bool)

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.6)
        self.panel.setProperty("overlay", "StaffConfirm")
        self.title = make_label("", "title", align=_CENTER, name="ConfirmTitle")
        self.body = make_label("", "body", align=_CENTER, name="ConfirmBody")
        self.panel_layout.addWidget(self.title)
        self.panel_layout.addWidget(self.body)
        self.panel_layout.addSpacing(theme.metrics.spacing)
        self.cancel_button = make_button(t("staff.cancel"), name="ConfirmCancelButton")
        self.confirm_button = make_button("", "danger", name="ConfirmButton")
        self.add_buttons(self.cancel_button, self.confirm_button, spacing=theme.metrics.margin)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.backdrop_clicked.connect(self._on_cancel_button_clicked)
        self._on_confirmed: Callable[[], None] | None = None

    def ask(
        self,
        title: str,
        body: str,
        confirm_text: str,
        on_confirmed: Callable[[], None],
        *,
        danger: bool = True,
    ) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.confirm_button.setText(confirm_text)
        set_style_property(self.confirm_button, "role", "danger" if danger else "primary")
        self._on_confirmed = on_confirmed
        self.open()

    def _on_cancel_button_clicked(self) -> None:
        self._on_confirmed = None
        self.hide()
        self.answered.emit(False)

    def _on_confirm_button_clicked(self) -> None:
        action, self._on_confirmed = self._on_confirmed, None
        self.hide()
        if action is not None:
            action()
        self.answered.emit(True)
