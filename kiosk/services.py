"""The kiosk's database and library, opened once, and the two sides that work on them.

:class:`KioskServices` is what the window is handed after its first frame: it opens (and
migrates) the database, loads the library, and builds the patient side
(:class:`~kiosk.patient.services.PatientServices`, for the visit's screens) and the staff side
(:class:`~kiosk.staff.services.StaffServices`, for staff mode) on the same database, library and
day. What the window itself needs — the clinic's settings, its audit line, the voice's
defaults — is here too; everything else is one of the two sides'.

Qt-free, imported only after the first frame (importing it imports SQLAlchemy, the library
loader and the compiler).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine

from db.connection import APP_NAME, open_database, resolve_database_url
from db.demo import ensure_demo_data
from db.in_use import RunningKiosk
from db.repositories.retention import apply_retention
from db.repositories.settings import ClinicSettings, SettingsRepository
from db.repositories.staff import StaffRepository
from kiosk.core.clock import utc_now
from kiosk.patient.journal import Journal, journal_paths, legacy_unsaved_path
from kiosk.patient.services import PatientServices
from kiosk.patient.writer import SessionWriter
from kiosk.patient.writes import AuditNote, from_unsaved_line
from kiosk.text import current
from media.loader import load_library_or_english
from media.schema import Library
from voice.settings import VoiceSettings, clinic_defaults

if TYPE_CHECKING:
    from kiosk.staff.services import StaffServices

log = logging.getLogger(__name__)

#: How long opening waits for records replayed from the journal to reach the database.
REPLAY_WAIT_S = 2.0


class KioskServices:
    """One database and the library, shared by the patient and staff sides.

    Build with :meth:`open` (resolves the URL, migrates, optionally adds the demo patients,
    writes what an earlier run left in the journal); tests may build one on a database they
    opened. The caller closes it: :meth:`close` gives the writer a moment to finish.
    """

    def __init__(
        self,
        database: Engine,
        *,
        library: Library | None = None,
        today: Callable[[], date] = date.today,
        journal: Journal | None = None,
    ) -> None:
        self.database = database
        # In the clinic's language: staff screens and the attract screen show it; a patient's
        # visit takes the library in theirs (PatientServices.library_for).
        self.library = library if library is not None else load_library_or_english(current().code)
        self.today = today
        self.writer = SessionWriter(database, journal)
        self.patient = PatientServices(database, self.library, self.writer, today=today)
        self._staff: StaffServices | None = None
        self._running: RunningKiosk | None = None

    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        create: bool = False,
        demo_data: bool = False,
        library: Library | None = None,
        today: Callable[[], date] = date.today,
    ) -> KioskServices:
        """Open (and migrate) the database; ``create`` makes a new SQLite file if there is none
        (:func:`~db.connection.open_database`); ``demo_data`` fills an empty one with demo
        patients. A database that cannot be used raises
        :class:`~db.problems.DatabaseUnavailableError`."""
        url = resolve_database_url(database_url)
        running = RunningKiosk(url)
        try:
            database = open_database(url, create=create)
            running.hold()  # if its folder did not exist before (a new database)
            if demo_data:
                ensure_demo_data(database, today())
            data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
            journal = Journal(*journal_paths(url, data_dir=data_dir))
            services = cls(database, library=library, today=today, journal=journal)
        except BaseException:
            running.release()
            raise
        services._running = running
        services._import_unsaved(legacy_unsaved_path(journal.primary))
        if services.writer.replay():
            # A moment for them to land, so the first check-in already sees them (a session to
            # carry on); if the database is away they simply keep waiting in the writer.
            services.writer.wait_idle(REPLAY_WAIT_S)
        services.apply_retention()
        return services

    def apply_retention(self) -> None:
        """Delete session records older than the clinic keeps them (at each start; the nightly
        backup does it too). A failure is logged and tried again next time: it must not keep
        the kiosk from starting."""
        try:
            expired = apply_retention(self.database, now=utc_now())
        except Exception:
            log.exception("old session records could not be deleted now; tried again later")
            return
        if expired.total:
            log.info("retention: %d records from before %s deleted", expired.total,
                     f"{expired.cutoff:%Y-%m-%d}")  # fmt: skip

    def _import_unsaved(self, path: Path) -> None:
        """Records an earlier version kept in ``*.unsaved.jsonl`` go to the writer (and its
        journal) like any other; the file is then renamed ``*.imported``."""
        if not path.exists():
            return
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        writes = [from_unsaved_line(line) for line in lines if line.strip()]
        for write in writes:
            if write is not None:
                self.writer.submit(write)
        unread = sum(1 for write in writes if write is None)
        path.rename(path.with_name(path.name + ".imported"))
        log.warning("%d record(s) an earlier version could not save were found in %s and are "
                    "being written now%s", len(writes) - unread, path,
                    f"; {unread} line(s) could not be read" if unread else "")  # fmt: skip

    @property
    def staff(self) -> StaffServices:
        """The staff side, built (and imported) the first time staff mode opens: a kiosk
        nobody signs in to never loads it."""
        if self._staff is None:
            from kiosk.staff.services import StaffServices

            self._staff = StaffServices(self.database, self.library, today=self.today)
        return self._staff

    def clinic_settings(self) -> ClinicSettings:
        """The clinic's settings as stored now (staff may change them at any time)."""
        return SettingsRepository(self.database).load()

    def needs_setup(self) -> bool:
        """No active staff member yet (a new installation): nobody could set programs or look
        after the kiosk, so it shows how to add one instead of taking check-ins."""
        return StaffRepository(self.database).count_active() == 0

    def audit(self, action: str, detail: str | None = None) -> None:
        """Record something the kiosk itself did (actor ``kiosk``), e.g. a wrong check-in
        code's fingerprint: never a code in clear. Through the writer, like a session's
        records: a locked database must not freeze the keypad."""
        self.writer.submit(AuditNote("kiosk", action, detail, utc_now()))

    def voice_defaults(self) -> VoiceSettings | None:
        """The voice defaults staff set on the settings screen (None if they cannot be read:
        the voice then starts from its built-in defaults)."""
        try:
            clinic = self.clinic_settings()
        except Exception:
            log.exception("clinic settings unreadable; the voice uses its built-in defaults")
            return None
        return clinic_defaults(
            enabled=clinic.voice_enabled,
            volume_percent=clinic.voice_volume,
            rate_wpm=clinic.voice_rate_wpm,
            voice_name=clinic.voice_name,
            style=clinic.voice_style,
        )

    def close(self, timeout: float = 3.0) -> None:
        """Stop the writer after at most ``timeout`` seconds of writing what waits (the rest
        stays in the journal for the next start), then the database."""
        self.writer.close(timeout)
        self.database.dispose()
        if self._running is not None:
            self._running.release()
