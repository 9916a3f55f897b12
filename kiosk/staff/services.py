"""What staff mode is built on: this kiosk's database, the library and the clinic's day.

Staff pages read and write through the repositories of ``db.repositories`` on
:attr:`StaffServices.database`; this object is how they get it, with the two things staff mode
does once when it opens: sign-in (:class:`~kiosk.staff.auth.StaffGate`) and the program
templates every clinic starts with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Engine

from db.seed_templates import ensure_seed_templates
from kiosk.core.clock import Clock
from kiosk.staff.auth import StaffGate
from media.schema import Library


class StaffServices:
    """The database, library and day staff mode works on."""

    def __init__(
        self, database: Engine, library: Library, *, today: Callable[[], date] = date.today
    ) -> None:
        self.database = database
        self.library = library
        self.today = today

    def gate(self, clock: Clock, wall_clock: Callable[[], datetime]) -> StaffGate:
        """Sign-in, the PIN back-off and the idle lock, audited (:mod:`kiosk.staff.auth`)."""
        return StaffGate(self.database, clock, wall_clock=wall_clock)

    def ensure_templates(self) -> None:
        """The seed programs and groupings as templates, once per database."""
        ensure_seed_templates(self.database, self.library)
