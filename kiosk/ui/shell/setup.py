"""A kiosk with no staff member yet: "Set up this kiosk" instead of "Touch to start".

An installed kiosk starts on an empty database with nobody who could set programs, look after
the kiosk or quit it (the demo staff member, whose PIN the README prints, is made only by
``kiosk --demo``). Instead of inviting patients to a check-in that could only fail, the window
shows :class:`QtSetupScreen`: a calm page for the clinic's IT that says how to add the first
member of staff from a shell, with this kiosk's own database in the command (on a kiosk
installed as a service, the command of the admin helper the installer put on the PATH, which
knows the database and the user). Check-in takes nothing meanwhile (the screen has no keypad
and ignores a scanner's digits).

:class:`QtSetupWatch` decides, once the services have loaded, and looks again at every touch
and every :data:`CHECK_EVERY_MS`: as soon as a staff member appears (``kiosk staff add``, run
while the kiosk runs) the attract screen returns. Built by the window after its first frame;
the window's "back to the start" asks it which screen that is (:meth:`QtSetupWatch.start_screen`).
"""

from __future__ import annotations

import logging
import shlex
import shutil
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory
from kiosk.ui.widgets.base import QtScreen, make_label

if TYPE_CHECKING:
    from kiosk.services import KioskServices

log = logging.getLogger(__name__)

#: How often the setup screen looks for a staff member added from a shell (a touch looks too).
CHECK_EVERY_MS = 30_000

#: The admin helper ``deploy/install.sh`` installs: a ``kiosk`` command as the kiosk's user,
#: on the kiosk's database.
ADMIN_HELPER = "clinic-kiosk-admin"

#: The smallest the command's words get to fit a long database path on one line.
COMMAND_MIN_PX = 12

_CENTER = Qt.AlignmentFlag.AlignCenter


def instructions(database: str) -> tuple[str, str]:
    """What to do, and the command to type: the admin helper's when it is on the PATH (a kiosk
    installed as a service), else ``kiosk staff add`` on ``database`` (this kiosk's URL)."""
    if shutil.which(ADMIN_HELPER) is not None:
        helper = f"sudo {ADMIN_HELPER}"
        return t("setup.how_installed"), t("setup.command_installed", helper=helper)
    return t("setup.how"), t("setup.command", database=shlex.quote(database))


class QtSetupScreen(QtScreen):
    """How to add the first member of staff, for the clinic's IT (no buttons, no keypad).

    Signals:
        check_requested(): touched, or time to look again for a staff member.
    """

    check_requested = Signal()

    def __init__(
        self, theme: Theme, database: str, timers: TimerFactory, parent: QWidget | None = None
    ) -> None:
        """``database``: this kiosk's database URL (password hidden), for the command."""
        super().__init__(theme, parent)
        self.setObjectName("SetupScreen")
        self.setProperty("staff", True)  # for staff, not patients: no "Still there?" here
        m = theme.metrics
        layout = QVBoxLayout(self)
        layout.setContentsMargins(m.margin * 2, m.margin, m.margin * 2, m.margin)
        layout.setSpacing(m.spacing)
        layout.addStretch(1)
        self.title = make_label(t("setup.title"), "display", align=_CENTER, name="SetupTitle")
        layout.addWidget(self.title)
        self.lead = make_label(t("setup.no_staff"), "large", align=_CENTER, name="SetupLead")
        layout.addWidget(self.lead)
        layout.addSpacing(m.spacing)
        how, command = instructions(database)
        self.how = make_label(how, name="SetupHow")
        layout.addWidget(self.how)
        # Typed as shown, so never wrapped where the catalog did not break it: the font
        # shrinks to fit instead (_fit_command).
        self.command = make_label(command, name="SetupCommand", wrap=False)
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.command)
        self.then = make_label(t("setup.then"), name="SetupThen")
        layout.addWidget(self.then)
        layout.addSpacing(m.spacing)
        self.patients = make_label(t("setup.patients"), "muted", align=_CENTER)
        layout.addWidget(self.patients)
        layout.addStretch(1)
        self.check_timer = timers.create(self, "setup-check", interval_ms=CHECK_EVERY_MS)
        self.check_timer.timeout.connect(self.check_requested)  # time to look again

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_command()

    def _fit_command(self) -> None:
        """The command's font: the theme's large size, or smaller until its longest line fits
        the screen (a long database path), down to :data:`COMMAND_MIN_PX` (IT reads it up
        close)."""
        layout = self.layout()
        assert layout is not None
        margins = self.contentsMargins() + layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        size = self.theme.metrics.font_large
        # Measured as the label itself lays it out (its padding, border and bold monospace),
        # not estimated: a 2-pixel miss cut the end off the database's path.
        while True:
            self.command.setStyleSheet(f"font-size: {size}px;")
            if size <= COMMAND_MIN_PX or self.command.sizeHint().width() <= room:
                break
            size -= 1

    def entered(self) -> None:
        self.check_timer.start()

    def left(self) -> None:
        self.check_timer.stop()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.check_requested.emit()
        event.accept()


class SetupHost(Protocol):
    """What the setup watch asks of the window (the window is one)."""

    def current_screen(self) -> QtScreen: ...

    def show_screen(self, screen: QtScreen) -> None: ...

    def remove_screen(self, screen: QtScreen) -> None: ...

    def go_to_attract(self) -> None:
        """Back to the start, wherever :meth:`QtSetupWatch.start_screen` says it is."""
        ...

    def isVisible(self) -> bool: ...

    services_loaded: SignalInstance
    services: KioskServices | None


class QtSetupWatch(QObject):
    """Shows :class:`QtSetupScreen` while the database has no staff member, then the start."""

    def __init__(
        self,
        window: SetupHost,
        attract: QtScreen,
        *,
        theme: Theme,
        timers: TimerFactory,
        parent: QObject,
    ) -> None:
        """``attract``: the screen the setup screen stands in for; ``theme``: the standard
        look (a patient's large text is never this screen's)."""
        super().__init__(parent)
        self._window = window
        self._attract, self._theme, self._timers = attract, theme, timers
        self.screen: QtSetupScreen | None = None  # built when it is first needed
        window.services_loaded.connect(self._on_window_services_loaded)

    @property
    def showing(self) -> bool:
        """The setup screen is up: the kiosk takes no check-ins."""
        return self.screen is not None and self._window.current_screen() is self.screen

    def start_screen(self) -> QtScreen:
        """Where "back to the start" goes: the setup screen until a staff member is found."""
        return self._attract if self.screen is None else self.screen

    def _needs_setup(self) -> bool | None:
        """True with no staff member; None when the database cannot say (the kiosk then
        carries on as it is: check-in finds a database that is away, and says so)."""
        services = self._window.services
        if services is None:
            return None
        try:
            return services.needs_setup()
        except Exception as error:
            log.warning("could not look for a staff member: %s", error.__class__.__name__)
            return None

    def check(self) -> None:
        """Look for a staff member now: without one, the setup screen replaces the attract
        screen; with one, the setup screen (if it shows) gives way to the start."""
        needed = self._needs_setup()
        if needed is None:
            return
        if not needed:
            if self.screen is not None:
                self._set_up(self.screen)
            return
        if self.screen is None:
            services = self._window.services
            assert services is not None
            from db.problems import redact

            database = redact(services.database.url.render_as_string(hide_password=False))
            self.screen = QtSetupScreen(self._theme, database, self._timers)
            self.screen.check_requested.connect(self._on_screen_check_requested)
        if self._window.current_screen() is self._attract:
            log.warning(
                "this kiosk has no staff member yet: it shows how to add one (kiosk staff "
                "add NAME) and takes no check-ins until then"
            )
            self._window.show_screen(self.screen)

    def _set_up(self, screen: QtSetupScreen) -> None:
        """A staff member is there: back to the start, and the setup screen goes for good (a
        kiosk's staff are not all removed: ``kiosk staff remove`` keeps the last one)."""
        log.info("a staff member has been set up: the kiosk takes check-ins")
        self.screen = None
        if self._window.current_screen() is screen:
            self._window.go_to_attract()
        self._window.remove_screen(screen)
        screen.deleteLater()

    def _on_window_services_loaded(self, ok: bool) -> None:
        if ok and self._window.isVisible():  # (not a window closed as its services loaded)
            self.check()

    def _on_screen_check_requested(self) -> None:
        self.check()
