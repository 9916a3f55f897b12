"""What the patient's screens ask of the database and the library, in one object.

The visit's screens (kiosk/ui/visit) are handed a :class:`PatientServices` and never see the
database itself: check in, start or carry on a session, the safety reminder, the balance check.
Each method is the module below it that owns the rule, bound to this kiosk's database, library,
day and session writer. Reads (check-in, a session to carry on) ask the database; every write
goes through the writer (``writer.py``), so none of them waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from db.repositories.assessments import SideResult
from db.repositories.checkin_lockout import CheckInLockoutStore
from db.repositories.settings import SettingsRepository
from kiosk.core.clock import Clock
from kiosk.patient.balance import STANCE_CHECK_ID, StanceCheck, stance_check
from kiosk.patient.carry_on import ResumeOffer, find_resume_offer
from kiosk.patient.checkin import CheckIn, find_checkin, in_library
from kiosk.patient.session import RunningSession, begin_session
from kiosk.patient.writer import SessionWriter
from kiosk.patient.writes import SaveCheck, SaveLanguage, SessionRef
from kiosk.text import current
from media.schema import Library

log = logging.getLogger(__name__)

#: How long check-in waits for the writer before looking for a session to carry on.
RESUME_WAIT_S = 1.0


class PatientServices:
    """Check-in and sessions over one database and the exercise library.

    ``today`` is the clinic's day as check-in sees it (tests and tools pass their own).
    ``libraries`` gives the library in another language (default: the translation in
    ``media/library``, or English where there is none).
    """

    def __init__(
        self,
        database: Engine,
        library: Library,
        writer: SessionWriter,
        *,
        today: Callable[[], date] = date.today,
        libraries: Callable[[str], Library] | None = None,
    ) -> None:
        self._database = database
        self.library = library
        self.writer = writer
        self._today = today
        self._libraries = libraries
        #: Wrong codes and pauses, shared with every kiosk on this database.
        self.lockout = CheckInLockoutStore(database)

    def check_in(self, code: str) -> CheckIn | None:
        """The patient with ``code`` and today's program, or None (one neutral answer for an
        unknown code and for nothing today: :mod:`kiosk.patient.checkin`)."""
        return find_checkin(self._database, self.library_for(current().code), code, self._today())

    def library_for(self, language: str) -> Library:
        """The library in ``language`` (the patient's): names, steps and cues in it."""
        if language == self.library.language:
            return self.library
        if self._libraries is not None:
            return self._libraries(language)
        from media.loader import load_library_or_english

        return load_library_or_english(language)

    def in_language(self, checkin: CheckIn) -> CheckIn:
        """``checkin`` again in the kiosk's current language: the patient chose another one
        (its program's words from that library, its cues compiled and spaced for it)."""
        return in_library(checkin, self.library_for(current().code))

    def remember_language(self, patient_id: int, language: str | None) -> None:
        """Keep the language the patient chose for their next visit (through the writer,
        like every write of a visit: the screen never waits for the database)."""
        self.writer.submit(SaveLanguage(patient_id, language))

    def video_folder(self) -> Path | None:
        """The folder of the clinic's own exercise videos staff chose on the settings screen,
        or None when they chose none (``$KIOSK_VIDEO_DIR`` or the default then) or the
        settings cannot be read (logged; the session goes on as without the setting)."""
        try:
            chosen = SettingsRepository(self._database).load().clinic_video_folder
        except Exception:
            log.exception("clinic settings unreadable; videos from the default folder")
            return None
        return Path(chosen).expanduser() if chosen.strip() else None

    def resume_offer(self, checkin: CheckIn, now: datetime) -> ResumeOffer | None:
        """An interrupted session of today's program to carry on, or None.

        The last sets of a session stopped a moment ago may still be on their way to the
        database: the writer gets a moment (it normally needs milliseconds) so the offer
        starts after them. With the database away the offer is made from what it has.
        """
        self.writer.wait_idle(RESUME_WAIT_S)
        return find_resume_offer(
            self._database, checkin.patient.id, checkin.program_id, checkin.timeline, now
        )

    def begin_session(
        self,
        checkin: CheckIn,
        clock: Clock,
        wall_clock: Callable[[], datetime],
        *,
        resume: ResumeOffer | None = None,
    ) -> RunningSession:
        """A session ready to start, logged set by set (:mod:`kiosk.patient.session`)."""
        return begin_session(self.writer, checkin, clock, wall_clock, resume=resume)

    def safety_reminder(self) -> str | None:
        """The library's one-line "stop if it hurts" note for the welcome screen, in the
        kiosk's language (found in the English, whose notes a translation keeps in order)."""
        english = self.library if self.library.language == "en" else self.library_for("en")
        for index, note in enumerate(english.safety):
            text = note.text.lower()
            if "hurt" in text and "stop" in text:
                translated = self.library_for(current().code).safety
                return translated[index].text if index < len(translated) else note.text
        return None

    def stance_check(self) -> StanceCheck | None:
        """The library's balance check, compiled (None if the library has none)."""
        assessment = self.library_for(current().code).assessments.get(STANCE_CHECK_ID)
        return None if assessment is None else stance_check(assessment)

    def save_stance_check(
        self,
        patient_id: int,
        check: StanceCheck,
        results: Sequence[SideResult],
        at: datetime,
        *,
        session: SessionRef | None = None,
    ) -> None:
        """Keep every side of one balance check for the physiotherapist (the writer saves it
        to the database, linked to ``session`` if it followed one)."""
        self.writer.submit(
            SaveCheck(patient_id, check.assessment.id, tuple(results), at, session=session)
        )
