"""The audit log: who did what and when, newest first, by kind and by a span of days, a page
at a time.

It is how wrong PINs, a locked sign-in and check-in pauses reach someone: staff choose a kind
(sign-in, check-in, staff accounts, patients...) and the days, and read the entries 50 to a
page (``db.repositories.audit_view``). Days are the kiosk's local days; the entries' own
details are shown as they were written (they hold no PIN and no check-in code).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtWidgets import QHBoxLayout

from db.repositories.audit import Action
from db.repositories.audit_view import PAGE_SIZE, AuditPage, audit_page
from kiosk.text import t
from kiosk.text.dates import day_short_year, time_short
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.page import QtStaffPage
from kiosk.ui.staff_mode.steppers import QtChoiceStepper, QtDayStepper
from kiosk.ui.staff_mode.tables import fill_table, make_table
from kiosk.ui.widgets.base import make_button, make_label

#: The kinds offered, "all" first and "other" last (keys of AUDIT_KINDS between), in words.
KIND_KEYS = {
    "all": "staff.audit.kind_all",
    "sign_in": "staff.audit.kind_sign_in",
    "checkin": "staff.audit.kind_checkin",
    "staff": "staff.audit.kind_staff",
    "patients": "staff.audit.kind_patients",
    "programs": "staff.audit.kind_programs",
    "exports": "staff.audit.kind_exports",
    "settings": "staff.audit.kind_settings",
    "other": "staff.audit.kind_other",
}
KINDS = tuple(KIND_KEYS)
#: Each action the kiosk writes, in staff's words.
ACTION_KEYS = {
    Action.STAFF_ADDED: "staff.audit.action.staff_added",
    Action.STAFF_PIN_CHANGED: "staff.audit.action.staff_pin_changed",
    Action.STAFF_DEACTIVATED: "staff.audit.action.staff_deactivated",
    Action.STAFF_REACTIVATED: "staff.audit.action.staff_reactivated",
    Action.STAFF_REMOVED: "staff.audit.action.staff_removed",
    Action.LOGIN: "staff.audit.action.login",
    Action.PIN_FAILED: "staff.audit.action.pin_failed",
    Action.LOCKED: "staff.audit.action.locked",
    Action.SIGN_IN_LOCKED: "staff.audit.action.sign_in_locked",
    Action.UNLOCK_FAILED: "staff.audit.action.unlock_failed",
    Action.SIGN_IN_UNLOCKED: "staff.audit.action.sign_in_unlocked",
    Action.PATIENT_ADDED: "staff.audit.action.patient_added",
    Action.PATIENT_RENAMED: "staff.audit.action.patient_renamed",
    Action.CODE_REGENERATED: "staff.audit.action.code_regenerated",
    Action.CODE_SHOWN: "staff.audit.action.code_shown",
    Action.PATIENT_DEACTIVATED: "staff.audit.action.patient_deactivated",
    Action.PATIENT_REACTIVATED: "staff.audit.action.patient_reactivated",
    Action.PROGRAM_SAVED: "staff.audit.action.program_saved",
    Action.TEMPLATE_SAVED: "staff.audit.action.template_saved",
    Action.PROGRAM_ASSIGNED: "staff.audit.action.program_assigned",
    Action.IMPORT: "staff.audit.action.import",
    Action.EXPORT: "staff.audit.action.export",
    Action.SETTINGS_CHANGED: "staff.audit.action.settings_changed",
    Action.QUIT: "staff.audit.action.quit",
}
#: How many days back the page starts from.
DEFAULT_DAYS = 7
_HEADERS = (
    "staff.audit.col_when",
    "staff.audit.col_who",
    "staff.audit.col_what",
    "staff.audit.col_detail",
)


def when_text(moment: datetime) -> str:
    local = moment.astimezone()
    return t("staff.audit.when", day=day_short_year(local.date()), time=time_short(local))


def action_text(action: str) -> str:
    """An entry's action in staff's words (the kiosk's language); one this version does not
    know (a newer kiosk's, or another part's) as it was written."""
    key = ACTION_KEYS.get(action)  # type: ignore[call-overload]
    return action if key is None else t(key)


def local_midnight(day: date) -> datetime:
    """The start of ``day`` on this kiosk's clock, as an aware datetime."""
    return datetime.combine(day, time.min).astimezone()


class QtAuditPage(QtStaffPage):
    """The audit viewer."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "AuditPage", t("staff.audit.title"))
        theme = context.theme
        m = theme.metrics
        # Two rows of filters, the pages' buttons beside the kind: the table needs the height.
        self.kinds = QtChoiceStepper(
            theme, "AuditKind", [(k, t(key)) for k, key in KIND_KEYS.items()]
        )
        self.kinds.choice_changed.connect(self._on_kinds_choice_changed)
        self.newer_button = make_button(t("staff.audit.newer"), name="AuditNewerButton")
        self.older_button = make_button(t("staff.audit.older"), name="AuditOlderButton")
        self.newer_button.clicked.connect(self._on_newer_button_clicked)
        self.older_button.clicked.connect(self._on_older_button_clicked)
        first_row = QHBoxLayout()
        first_row.setSpacing(m.spacing)
        first_row.addWidget(make_label(t("staff.audit.show"), "body", wrap=False))
        first_row.addWidget(self.kinds, 1)
        first_row.addWidget(self.newer_button)
        first_row.addWidget(self.older_button)
        self.root.addLayout(first_row)
        today = context.today()
        self.first_day = QtDayStepper(theme, "AuditFrom", today - timedelta(days=DEFAULT_DAYS - 1))
        self.last_day = QtDayStepper(theme, "AuditTo", today)
        self.first_day.day_changed.connect(self._on_first_day_day_changed)
        self.last_day.day_changed.connect(self._on_last_day_day_changed)
        second_row = QHBoxLayout()
        second_row.setSpacing(m.spacing)
        second_row.addWidget(self.first_day, 1)
        second_row.addWidget(make_label(t("staff.audit.to"), "body", wrap=False))
        second_row.addWidget(self.last_day, 1)
        self.root.addLayout(second_row)
        self.table = make_table(theme, "AuditTable", [t(k) for k in _HEADERS])
        self.root.addWidget(self.table, 1)
        self.status = make_label("", "small", name="AuditStatus")
        self.root.addWidget(self.status)
        self.message = self.add_footer("AuditMessage")
        self.page_number = 0
        self.shown = AuditPage((), more=False)

    # -- reading ---------------------------------------------------------------------------

    def entered(self) -> None:
        self.refresh()

    @property
    def kind(self) -> str | None:
        chosen = self.kinds.chosen
        return None if chosen == "all" else chosen

    def refresh(self) -> None:
        first, last = self.first_day.day, self.last_day.day
        try:
            self.shown = audit_page(
                self.context.database,
                kind=self.kind,
                since=local_midnight(first),
                until=local_midnight(last + timedelta(days=1)),
                page=self.page_number,
            )
        except Exception:  # the database went away: say so, keep the page usable
            self.message.show_error(t("staff.audit.unreadable"))
            return
        self.message.clear_message()
        fill_table(
            self.table,
            [
                (when_text(e.at), e.actor, action_text(e.action), e.detail or "")
                for e in self.shown.entries
            ],
        )
        start = self.page_number * PAGE_SIZE
        if self.shown.entries:
            self.status.setText(
                t("staff.audit.showing", first=start + 1, last=start + len(self.shown.entries))
            )
        else:
            self.status.setText(t("staff.audit.none"))
        self.newer_button.setEnabled(self.page_number > 0)
        self.older_button.setEnabled(self.shown.more)

    def open_with(self, argument: object) -> None:
        """Shown for one kind of entry (e.g. "sign_in" from the failed-PINs banner), or all."""
        self.kinds.set_chosen(
            argument if isinstance(argument, str) and argument in KINDS else "all"
        )
        self._from_the_newest()

    def _from_the_newest(self) -> None:
        self.page_number = 0
        self.refresh()

    # -- filters ---------------------------------------------------------------------------

    def _on_kinds_choice_changed(self, _kind: str) -> None:
        self._from_the_newest()

    def _on_first_day_day_changed(self, day: date) -> None:
        if day > self.last_day.day:
            self.last_day.set_day(day)
        self._from_the_newest()

    def _on_last_day_day_changed(self, day: date) -> None:
        if day < self.first_day.day:
            self.first_day.set_day(day)
        self._from_the_newest()

    # -- pages -----------------------------------------------------------------------------

    def _on_newer_button_clicked(self) -> None:
        self.page_number = max(0, self.page_number - 1)
        self.refresh()

    def _on_older_button_clicked(self) -> None:
        if self.shown.more:
            self.page_number += 1
            self.refresh()
