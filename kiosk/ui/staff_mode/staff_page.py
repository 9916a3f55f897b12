"""Staff accounts: who can enter staff mode, adding one, closing one, PINs, and the sign-in
lock.

Every change goes through ``StaffRepository`` with the signed-in staff member as actor, so it
is checked and audited there. A PIN is never shown: it is typed on the PIN overlay (masked),
hashed on a worker (:class:`QtSlowWork`; a hash takes about a third of a second, and keeping
PINs unique costs one per active staff member), and forgotten. Changing any PIN, or letting
a deactivated member back, first asks for the signed-in member's own PIN: whoever stands at
an open staff screen is not necessarily who signed in. Deactivating takes effect on every
kiosk at once; the lock line says whether PIN sign-in is locked, with Unlock.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QListWidgetItem, QVBoxLayout

from db.repositories.staff import (
    LastStaffError,
    PinInUseError,
    StaffInfo,
    StaffNameError,
    StaffNotFoundError,
    StaffRepository,
    WrongPinError,
    validate_staff_name,
)
from kiosk.core.pin import InvalidPinError, validate_pin
from kiosk.text import t
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.staff_mode.page import QtStaffPage, make_card
from kiosk.ui.staff_mode.pin_overlay import QtPinOverlay
from kiosk.ui.staff_mode.slow_work import QtSlowWork
from kiosk.ui.staff_mode.tables import fill_list, make_list
from kiosk.ui.widgets.base import make_button, make_label

#: InvalidPinError.rule → what staff read.
PIN_RULE_KEYS = {
    "digits": "staff.accounts.pin_digits",
    "length": "staff.accounts.pin_length",
    "trivial": "staff.accounts.pin_trivial",
}


def new_pin_problem(pins: list[str], first: int) -> str | None:
    """What is wrong with the new PIN typed at ``pins[first]`` and again after it, or None."""
    try:
        validate_pin(pins[first])
    except InvalidPinError as error:
        return t(PIN_RULE_KEYS.get(error.rule, "staff.accounts.pin_length"))
    if pins[first] != pins[first + 1]:
        return t("staff.accounts.pin_differ")
    return None


def row_text(member: StaffInfo) -> str:
    if member.active:
        return member.name
    return t("staff.accounts.row_inactive", name=member.name)


class QtStaffAccountsPage(QtStaffPage):
    """The staff list, the chosen member's actions, and the sign-in lock."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "StaffAccountsPage", t("staff.tab.staff"))
        self._repo = StaffRepository(context.database, context.gate.pin_params)
        self.work = QtSlowWork(self)
        m = context.theme.metrics

        lock_row = QHBoxLayout()
        lock_row.setSpacing(m.spacing)
        self.lock_text = QtMessage("StaffLockText")
        lock_row.addWidget(self.lock_text, 1)
        self.unlock_button = make_button(t("staff.accounts.unlock"), name="StaffUnlockButton")
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        lock_row.addWidget(self.unlock_button)
        self.audit_button = make_button(t("staff.accounts.audit"), name="StaffAuditButton")
        self.audit_button.clicked.connect(self._on_audit_button_clicked)
        lock_row.addWidget(self.audit_button)
        self.root.addLayout(lock_row)

        body = QHBoxLayout()
        body.setSpacing(m.spacing)
        left = QVBoxLayout()
        left.setSpacing(m.spacing_small)
        self.list = make_list(context.theme, "StaffList")
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        left.addWidget(self.list, 1)
        self.inactive_button = make_button(
            t("staff.accounts.show_inactive"), "toggle", name="StaffShowInactive"
        )
        self.inactive_button.setCheckable(True)
        self.inactive_button.toggled.connect(self._on_inactive_button_toggled)
        left.addWidget(self.inactive_button)
        self.add_button = make_button(t("staff.accounts.add"), "primary", name="StaffAddButton")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        left.addWidget(self.add_button)
        body.addLayout(left, 4)

        card = make_card("StaffCard")
        details = QVBoxLayout(card)
        details.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        details.setSpacing(m.spacing_small)
        self.name = make_label("", "strong", name="StaffName")
        self.status = make_label("", "body", name="StaffStatus")
        details.addWidget(self.name)
        details.addWidget(self.status)
        details.addStretch(1)
        grid = QGridLayout()
        grid.setSpacing(m.spacing_small)
        self.pin_button = make_button("", name="StaffPinButton")
        self.active_button = make_button("", name="StaffActiveButton")
        grid.addWidget(self.pin_button, 0, 0)
        grid.addWidget(self.active_button, 0, 1)
        self.pin_button.clicked.connect(self._on_pin_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        details.addLayout(grid)
        body.addWidget(card, 5)
        self.root.addLayout(body, 1)
        self.message = self.add_footer("StaffMessage")
        self.pins = QtPinOverlay(context.theme, self.overlay_host())
        self.members: tuple[StaffInfo, ...] = ()
        self._show_selected()

    # -- reading ---------------------------------------------------------------------------

    def entered(self) -> None:
        self.refresh()

    def left(self) -> None:
        if self.pins.isVisible() and not self.pins.checking:
            self.pins.finish()

    @property
    def selected(self) -> StaffInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        staff_id = item.data(Qt.ItemDataRole.UserRole)
        return next((s for s in self.members if s.id == staff_id), None)

    @property
    def me(self) -> StaffInfo:
        staff = self.context.gate.current
        if staff is None:
            raise PermissionError("staff mode is locked")
        return staff

    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected, "id", None)
        self.members = self._repo.list(include_inactive=self.inactive_button.isChecked())
        fill_list(self.list, self.theme, [(row_text(s), s.id) for s in self.members], keep)
        self._show_lock()
        self._show_selected()

    def _show_lock(self) -> None:
        state = self.context.gate.sign_in_state()
        if state.locked:
            self.lock_text.show_error(t("staff.accounts.locked", failures=state.failures))
        else:
            self.lock_text.show_ok(t("staff.accounts.unlocked"))
        self.unlock_button.setVisible(state.locked)

    def _show_selected(self) -> None:
        member = self.selected
        for button in (self.pin_button, self.active_button):
            button.setEnabled(member is not None)
        if member is None:
            self.name.setText(t("staff.accounts.pick"))
            self.status.setText("")
            self.pin_button.setText(t("staff.accounts.set_pin"))
            self.active_button.setText(t("staff.accounts.deactivate"))
            return
        mine = member.id == self.me.id
        self.name.setText(member.name)
        if not member.active:
            self.status.setText(t("staff.accounts.inactive"))
        else:
            self.status.setText(t("staff.accounts.you") if mine else t("staff.accounts.active"))
        self.pin_button.setText(t("staff.accounts.my_pin") if mine else t("staff.accounts.set_pin"))
        self.pin_button.setEnabled(member.active)
        self.active_button.setText(
            t("staff.accounts.deactivate") if member.active else t("staff.accounts.reactivate")
        )
        self.active_button.setEnabled(not mine)

    def _on_list_current_item_changed(
        self, _current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self.message.clear_message()
        self._show_selected()

    def _on_inactive_button_toggled(self, _checked: bool) -> None:
        self.refresh()

    # -- adding ----------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.context.ask_text(t("staff.accounts.add_title"), "", self._add_named, max_length=64)

    def _add_named(self, text: str) -> str | None:
        try:
            name = validate_staff_name(text)
        except StaffNameError:
            return t("staff.accounts.bad_name")
        if any(s.name == name for s in self._repo.list(include_inactive=True)):
            return t("staff.accounts.name_taken", name=name)
        self.pins.ask(
            t("staff.accounts.add_pin_title", name=name),
            [t("staff.accounts.new_pin", name=name), t("staff.accounts.new_pin_again")],
            lambda pins: self._add(name, pins),
        )
        return None

    def _add(self, name: str, pins: list[str]) -> None:
        problem = new_pin_problem(pins, 0)
        if problem is not None:
            self.pins.problem(problem, 0)
            return
        actor, repo, pin = self.context.actor, self._repo, pins[0]
        self.work.start(lambda: repo.add(name, pin, actor=actor), self._on_added)

    def _on_added(self, result: object, error: BaseException | None) -> None:
        if not self._answered(error, new_pin_step=0) or not isinstance(result, StaffInfo):
            return
        self.refresh(select_id=result.id)
        self.message.show_ok(t("staff.accounts.added", name=result.name))

    # -- PINs ------------------------------------------------------------------------------

    def _on_pin_button_clicked(self) -> None:
        member = self.selected
        if member is None or not member.active:
            return
        if member.id == self.me.id:
            prompts = [
                t("staff.accounts.old_pin"),
                t("staff.accounts.new_pin", name=member.name),
                t("staff.accounts.new_pin_again"),
            ]
        else:
            prompts = [
                t("staff.accounts.your_pin", name=self.me.name),
                t("staff.accounts.new_pin", name=member.name),
                t("staff.accounts.new_pin_again"),
            ]
        title = t("staff.accounts.pin_title", name=member.name)
        self.pins.ask(title, prompts, lambda pins: self._change_pin(member, pins))

    def _change_pin(self, member: StaffInfo, pins: list[str]) -> None:
        problem = new_pin_problem(pins, 1)
        if problem is not None:
            self.pins.problem(problem, 1)
            return
        me, gate, repo = self.me, self.context.gate, self._repo
        confirm, new = pins[0], pins[1]

        def change() -> StaffInfo:
            if member.id == me.id:
                return repo.change_own_pin(me.id, confirm, new)
            if not gate.confirm_pin(me, confirm):
                raise WrongPinError("not the signed-in staff member's PIN")
            if member.active:
                return repo.set_pin(member.id, new, actor=me.name)
            return repo.reactivate(member.id, new, actor=me.name)

        self.work.start(change, self._on_pin_changed)

    def _on_pin_changed(self, result: object, error: BaseException | None) -> None:
        if not self._answered(error, new_pin_step=1) or not isinstance(result, StaffInfo):
            return
        self.refresh(select_id=result.id)
        self.message.show_ok(t("staff.accounts.pin_changed", name=result.name))

    def _answered(self, error: BaseException | None, *, new_pin_step: int) -> bool:
        """True if the work succeeded (the overlay closes); else say why on the overlay."""
        if error is None:
            self.pins.finish()
            return True
        if isinstance(error, WrongPinError):
            self.pins.problem(t("staff.accounts.wrong_pin"), 0)
        elif isinstance(error, PinInUseError):
            self.pins.problem(t("staff.accounts.pin_in_use"), new_pin_step)
        elif isinstance(error, InvalidPinError):
            self.pins.problem(t(PIN_RULE_KEYS.get(error.rule, "staff.accounts.pin_length")), 0)
        elif isinstance(error, StaffNameError):
            self.pins.finish()
            self.message.show_error(t("staff.accounts.bad_name"))
        else:
            self.pins.finish()
            self.message.show_error(t("staff.accounts.failed"))
        return False

    # -- closing and reopening ----------------------------------------------------------

    def _on_active_button_clicked(self) -> None:
        member = self.selected
        if member is None or member.id == self.me.id:
            return
        if member.active:
            self.context.ask_confirm(
                t("staff.accounts.deactivate_title", name=member.name),
                t("staff.accounts.deactivate_body", name=member.name),
                t("staff.accounts.deactivate"),
                lambda: self._deactivate(member),
            )
            return
        self.pins.ask(
            t("staff.accounts.reactivate_title", name=member.name),
            [
                t("staff.accounts.your_pin", name=self.me.name),
                t("staff.accounts.new_pin", name=member.name),
                t("staff.accounts.new_pin_again"),
            ],
            lambda pins: self._change_pin(member, pins),
        )

    def _deactivate(self, member: StaffInfo) -> None:
        try:
            self._repo.deactivate(member.id, actor=self.context.actor)
        except LastStaffError:
            self.message.show_error(t("staff.accounts.last"))
            return
        except StaffNotFoundError:
            self.refresh()
            return
        if not self.inactive_button.isChecked():
            self.inactive_button.blockSignals(True)
            self.inactive_button.setChecked(True)  # keep them in sight, marked deactivated
            self.inactive_button.blockSignals(False)
        self.refresh(select_id=member.id)
        self.message.show_ok(t("staff.accounts.deactivated", name=member.name))

    # -- the sign-in lock ------------------------------------------------------------------

    def _on_audit_button_clicked(self) -> None:
        self.page_requested.emit("audit", "sign_in" if self.unlock_button.isVisible() else None)

    def _on_unlock_button_clicked(self) -> None:
        before = self.context.gate.unlock_sign_in()
        self._show_lock()
        if before is not None:
            self.message.show_ok(t("staff.accounts.unlocked_now"))
