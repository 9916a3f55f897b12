"""The staff home: a header (who is signed in, Lock, Quit), big tabs down the left, one page.

Pages are built the first time their tab is opened, so opening staff mode does not pay for
QtCharts or the PDF writer until Progress or a card is wanted. A page refreshes from the
database each time it is shown (another kiosk, or a patient at this one, may have changed
things) and stops its timers when it is hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.repositories.staff import DEMO_STAFF_NAME, DEMO_STAFF_PIN
from kiosk.text import t, tn
from kiosk.ui.staff_mode.choice_row import QtChoiceButton
from kiosk.ui.staff_mode.confirm import QtConfirmOverlay
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.files import QtFileOverlay
from kiosk.ui.staff_mode.keyboard import QtKeyboardOverlay
from kiosk.ui.staff_mode.page import QtStaffPage
from kiosk.ui.staff_mode.pin_overlay import QtPinOverlay
from kiosk.ui.widgets.base import QtScreen, make_button, make_label

TABS = (
    ("today", "staff.tab.today"),
    ("import", "staff.tab.import"),
    ("patients", "staff.tab.patients"),
    ("programs", "staff.tab.programs"),
    ("progress", "staff.tab.progress"),
    ("staff", "staff.tab.staff"),
    ("settings", "staff.tab.settings"),
)
#: Pages without a tab of their own, reached from another page: the audit log (from Staff,
#: and from the "wrong PINs since your last visit" banner). Eight tabs do not fit on 800 px.


def _today_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.today_page import QtTodayPage

    return QtTodayPage(context)


def _import_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.import_page import QtImportPage

    return QtImportPage(context)


def _patients_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.patients_page import QtPatientsPage

    return QtPatientsPage(context)


def _programs_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.programs_page import QtProgramsPage

    return QtProgramsPage(context)


def _progress_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.progress_page import QtProgressPage

    return QtProgressPage(context)


def _settings_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.settings_page import QtSettingsPage

    return QtSettingsPage(context)


def _staff_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.staff_page import QtStaffAccountsPage

    return QtStaffAccountsPage(context)


def _audit_page(context: StaffContext) -> QtStaffPage:
    from kiosk.ui.staff_mode.audit_page import QtAuditPage

    return QtAuditPage(context)


PAGE_FACTORIES: dict[str, Callable[[StaffContext], QtStaffPage]] = {
    "today": _today_page,
    "import": _import_page,
    "patients": _patients_page,
    "programs": _programs_page,
    "progress": _progress_page,
    "staff": _staff_page,
    "audit": _audit_page,
    "settings": _settings_page,
}


class QtStaffHome(QtScreen):
    """Staff mode's screen.

    Signals:
        lock_requested(): the Lock button.
        quit_confirmed(): Quit, then its confirmation.
    """

    lock_requested = Signal()
    quit_confirmed = Signal()

    def __init__(
        self,
        context: StaffContext,
        staff_name: str,
        parent: QWidget | None = None,
        *,
        demo_staff: bool = False,
        failed_since_last_visit: int = 0,
    ) -> None:
        """``demo_staff``: the demo staff member, whose PIN the README prints, can still sign
        in here; a banner above every page says so, and how to remove it, until it is gone
        (:meth:`kiosk.staff.auth.StaffGate.try_pin` finds out). ``failed_since_last_visit``:
        wrong PINs on any kiosk since this staff member last signed in; if any, a warning in the
        header says how many, and opens the audit log at them."""
        super().__init__(context.theme, parent)
        self.setObjectName("StaffHome")
        self.setProperty("staff", True)
        self.context = context
        m = context.theme.metrics

        root = QVBoxLayout(self)
        root.setContentsMargins(m.spacing, m.spacing, m.spacing, m.spacing)
        root.setSpacing(m.spacing)

        header = QHBoxLayout()
        header.setSpacing(m.spacing)
        header.addWidget(make_label(t("staff.home.title"), "strong", name="StaffTitle", wrap=False))
        self.who = make_label(
            t("staff.home.who", name=staff_name), "muted", name="StaffWho", wrap=False
        )
        header.addWidget(self.who)
        # In the header, not above the page: the page needs the height on 800 px.
        self.failed_warning: QPushButton | None = None
        if failed_since_last_visit > 0:
            self.failed_warning = make_button(
                tn(
                    "staff.home.failed_pins", failed_since_last_visit, count=failed_since_last_visit
                ),
                name="FailedPinsButton",
            )
            self.failed_warning.clicked.connect(self._on_failed_warning_clicked)
            header.addWidget(self.failed_warning)
        header.addStretch(1)
        self.lock_button = make_button(t("staff.home.lock"), name="StaffLockButton")
        self.lock_button.setMinimumWidth(m.px(220))
        self.lock_button.clicked.connect(self._on_lock_button_clicked)
        header.addWidget(self.lock_button)
        self.quit_button = make_button(t("staff.home.quit"), "danger", name="StaffQuitButton")
        self.quit_button.setMinimumWidth(m.px(260))
        self.quit_button.clicked.connect(self._on_quit_button_clicked)
        header.addWidget(self.quit_button)
        root.addLayout(header)

        body = QHBoxLayout()
        body.setSpacing(m.spacing)
        tabs = QVBoxLayout()
        tabs.setSpacing(m.spacing_small)
        self.tab_buttons: dict[str, QtChoiceButton] = {}
        for key, words in TABS:
            button = QtChoiceButton(key, t(words), f"StaffTab_{key}")
            button.setProperty("role", "tab")
            button.setMinimumHeight(m.touch)
            button.chosen.connect(self._on_tab_chosen)
            tabs.addWidget(button)
            self.tab_buttons[key] = button
        tabs.addStretch(1)
        tab_column = QWidget()
        tab_column.setObjectName("StaffTabs")
        tab_column.setLayout(tabs)
        tab_column.setFixedWidth(m.px(330))
        body.addWidget(tab_column)
        self.stack = QStackedWidget()
        self.stack.setObjectName("StaffPages")
        # Above the page, beside the tabs (which keep their height): until it is removed.
        column = QVBoxLayout()
        column.setSpacing(m.spacing_small)
        self.demo_warning: QLabel | None = None
        if demo_staff:
            self.demo_warning = make_label(
                t("staff.home.demo_staff", pin=DEMO_STAFF_PIN, name=DEMO_STAFF_NAME),
                name="DemoStaffWarning",
            )
            column.addWidget(self.demo_warning)
        column.addWidget(self.stack, 1)
        body.addLayout(column, 1)
        root.addLayout(body, 1)

        # Shared overlays, above everything on this screen.
        self.keyboard = QtKeyboardOverlay(context.theme, self)
        self.confirm = QtConfirmOverlay(context.theme, self)
        self.files = QtFileOverlay(
            context.theme, self, places=context.file_places, confirm=self.confirm.ask
        )
        context.keyboard, context.confirm, context.files = self.keyboard, self.confirm, self.files

        self.pages: dict[str, QtStaffPage] = {}
        self._current: str | None = None
        self.show_page("today")

    def _on_failed_warning_clicked(self) -> None:
        """The wrong PINs, in the audit log; seen, the warning goes."""
        if self.failed_warning is not None:
            self.failed_warning.hide()
        self._close_overlays()
        self.show_page("audit").open_with("sign_in")

    # -- pages -----------------------------------------------------------------------------

    @property
    def current_page_key(self) -> str | None:
        return self._current

    def page(self, key: str) -> QtStaffPage:
        """The page for ``key``, built on first use."""
        page = self.pages.get(key)
        if page is None:
            page = PAGE_FACTORIES[key](self.context)
            page.page_requested.connect(self._on_page_page_requested)
            self.pages[key] = page
            self.stack.addWidget(page)
        return page

    def show_page(self, key: str) -> QtStaffPage:
        previous = self.pages.get(self._current or "")
        page = self.page(key)
        if previous is not None and previous is not page:
            previous.left()
        self._current = key
        for name, button in self.tab_buttons.items():
            button.setChecked(name == key)
        self.stack.setCurrentWidget(page)
        if self.isVisible() or previous is None:
            page.entered()
        return page

    def _on_tab_chosen(self, key: str) -> None:
        self._close_overlays()
        self.show_page(key)

    def _on_page_page_requested(self, key: str, argument: object) -> None:
        page = self.show_page(key)
        page.open_with(argument)

    # -- screen ----------------------------------------------------------------------------

    def entered(self) -> None:
        page = self.pages.get(self._current or "")
        if page is not None:
            page.entered()

    def left(self) -> None:
        page = self.pages.get(self._current or "")
        if page is not None:
            page.left()
        self._close_overlays()

    def discard(self) -> None:
        """Staff mode closed: stop every page's timers (the screen is deleted next)."""
        for page in self.pages.values():
            page.discard()
        self._close_overlays()

    def _close_overlays(self) -> None:
        for overlay in self.findChildren(
            QWidget, "Overlay", Qt.FindChildOption.FindDirectChildrenOnly
        ):
            overlay.hide()
        self.files.cancel()

    def handle_key(self, key: int, text: str) -> bool:
        """A physical keyboard's digits, Enter, Backspace and Escape reach a PIN being typed
        on a page's PIN overlay (the on-screen keyboard takes its own keys by focus)."""
        for overlay in self.findChildren(QtPinOverlay):
            if overlay.isVisible():
                return overlay.handle_key(key, text)
        return False

    # -- header ----------------------------------------------------------------------------

    def _on_lock_button_clicked(self) -> None:
        self.lock_requested.emit()

    def _on_quit_button_clicked(self) -> None:
        self.confirm.ask(
            t("staff.quit.title"),
            t("staff.quit.body"),
            t("staff.quit.confirm"),
            self._on_quit_confirmed,
        )

    def _on_quit_confirmed(self) -> None:
        self.quit_confirmed.emit()
