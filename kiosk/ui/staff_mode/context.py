"""What every staff page is built with: the database, the library, the day, who is signed in,
and the shared overlays (keyboard, confirm, files) of the staff home.

A plain object handed to each page's constructor, so a page never reaches into the window or
a global; tests build pages on the same context the real staff home makes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from kiosk.core.clock import Clock
from kiosk.ui.theme import Theme
from kiosk.ui.timers import TimerFactory

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from db.repositories.settings import ClinicSettings
    from kiosk.staff.auth import StaffGate
    from kiosk.staff.file_places import FilePlaces
    from kiosk.ui.runners.writer_status import QtWriterStatus
    from kiosk.ui.staff_mode.confirm import QtConfirmOverlay
    from kiosk.ui.staff_mode.files import QtFileOverlay
    from kiosk.ui.staff_mode.keyboard import QtKeyboardOverlay
    from media.schema import Library


class StaffContext:
    """``gate`` says who is signed in and audits; ``today`` is the clinic's day."""

    def __init__(
        self,
        *,
        theme: Theme,
        database: Engine,
        library: Library,
        gate: StaffGate,
        today: Callable[[], date],
        clock: Clock,
        wall_clock: Callable[[], datetime],
        timers: TimerFactory,
        writer_status: QtWriterStatus | None = None,
    ) -> None:
        self.theme = theme
        # Records the database has not taken yet (the Today board says how many).
        self.writer_status = writer_status
        self.database = database
        self.library = library
        self.gate = gate
        self.today = today
        self.clock = clock
        self.wall_clock = wall_clock
        self.timers = timers
        # Set by the staff home once it has built them.
        self.keyboard: QtKeyboardOverlay | None = None
        self.confirm: QtConfirmOverlay | None = None
        self.files: QtFileOverlay | None = None
        # Set by staff mode: new settings that apply at once (the staff idle time, back-off).
        self.settings_applied: Callable[[ClinicSettings], None] | None = None
        # Set by staff mode when the kiosk has a voice: say a sample in the kind of voice
        # named ("natural" or "classic"); False when nothing would be heard. The callable is
        # called (on the Qt thread) if another voice spoke it.
        self.listen: Callable[[str, Callable[[], None]], bool] | None = None
        # Set by staff mode: the kiosk's voice-control file changed; apply it now.
        self.voice_control_changed: Callable[[], None] | None = None

    @property
    def actor(self) -> str:
        """The signed-in staff member's name, for ``actor=`` of every edit."""
        staff = self.gate.current
        if staff is None:
            raise PermissionError("staff mode is locked")
        return staff.name

    def record(self, action: str, detail: str | None = None) -> None:
        """Audit an action (exports, handouts, cards) as the signed-in staff member."""
        self.gate.record(action, detail)

    def file_places(self) -> FilePlaces:
        """Where staff may open and save files now: the sticks mounted and the export folder,
        never the database's folder or the kiosk's data directory."""
        from db.connection import APP_NAME
        from db.problems import sqlite_path
        from kiosk.patient.journal import journal_paths
        from kiosk.staff.file_places import FilePlaces

        url = self.database.url.render_as_string(hide_password=False)
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        journals = tuple(p for p in journal_paths(url, data_dir=data_dir) if p is not None)
        return FilePlaces.for_kiosk(
            database_file=sqlite_path(url), data_dir=data_dir, private_files=journals
        )

    def apply_settings(self, settings: ClinicSettings) -> None:
        if self.settings_applied is not None:
            self.settings_applied(settings)

    def ask_text(
        self, title: str, text: str, handler: Callable[[str], str | None], *, max_length: int = 100
    ) -> None:
        assert self.keyboard is not None
        self.keyboard.ask(title, text, handler, max_length=max_length)

    def ask_confirm(
        self, title: str, body: str, confirm_text: str, on_confirmed: Callable[[], None]
    ) -> None:
        """Ask "Are you sure?" before what a page cannot undo (its action shown as dangerous)."""
        assert self.confirm is not None
        self.confirm.ask(title, body, confirm_text, on_confirmed)
