"""Every word on every screen comes from the text catalog.

The kiosk runs in the pseudo-language (each catalog text accented and wrapped in ⟦ ⟧) and
``make screenshots``'s own walk takes it through every patient and staff screen and state.
At each stop, what is left of each visible text once the catalog's parts, the clinic's data
and the library's content are taken out must hold no words: anything left would still be
English in a translated kiosk.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import DBAPIError

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.staff.schedule_import import FIELDS
from kiosk.ui.shell.app import KioskOptions, create_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.audit_page import ACTION_KEYS
from tests.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tools"))

from screenshots import walk_everything
from text_audit import foreign_texts, library_texts, visible_texts


class _Auditor:
    """Stands in for the screenshot camera: reads the screen's words instead."""

    def __init__(
        self, qtbot: QtBot, window: QtKioskWindow, allowed: Callable[[], set[str]]
    ) -> None:
        self.qtbot = qtbot
        self.window = window
        self.allowed = allowed
        self.stops: list[str] = []
        self.found: dict[str, list[str]] = {}

    def __call__(self, name: str) -> None:
        self.stops.append(name)
        foreign = foreign_texts(visible_texts(self.window), self.allowed())
        if foreign:
            self.found[name] = foreign

    def settle(self) -> None:
        QApplication.processEvents()

    def wait_for(self, done: Callable[[], bool], limit_s: float = 30.0) -> None:
        self.qtbot.waitUntil(done, timeout=int(limit_s * 1000))


def _clinic_data(services: KioskServices) -> set[str]:
    """Names the clinic chose: patients, staff, programs (not interface text)."""
    from sqlalchemy import select

    from db.models import AuditEntryRow, ClinicSetting, Patient, Program, StaffUser
    from db.repositories.settings import ClinicSettings

    with services.database.connect() as connection:
        names = set(connection.scalars(select(Patient.display_name)))
        names |= set(connection.scalars(select(StaffUser.name)))
        names |= set(connection.scalars(select(Program.name)))
        names |= {str(v) for v in connection.scalars(select(ClinicSetting.value))}
        # The audit log viewer shows each entry as it was written (a record, kept as is);
        # the actions this version knows are shown in the catalog's words, not allowed here.
        entries = connection.execute(
            select(AuditEntryRow.actor, AuditEntryRow.action, AuditEntryRow.detail)
        ).all()
        names |= {actor for actor, _, _ in entries}
        names |= {detail for _, _, detail in entries if detail}
        names |= {action for _, action, _ in entries if action not in ACTION_KEYS}
    names.add(ClinicSettings().clinic_name)  # the default name, until staff set theirs
    names.add("Lena")  # typed on the staff keyboard by the walk, before she is saved
    names.update(FIELDS)  # the schedule file's column names: identifiers of the file format
    # The microphones' names, as the system gives them (the voice-control settings list them).
    from voice.microphone import microphones

    names.update(microphones())
    return names


def test_every_screen_takes_its_words_from_the_catalog(
    qtbot: QtBot, tmp_path: Path, pseudo_language: None
) -> None:
    clock = FakeClock()
    wall_start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def wall_clock() -> datetime:
        return wall_start + timedelta(seconds=clock() - 1000.0)

    services = KioskServices.open(
        f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", create=True, demo_data=True
    )
    options = KioskOptions(fullscreen=False, size=(1280, 800))
    window = create_window(options, clock=clock, wall_clock=wall_clock, services=services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.started_up)
    library = library_texts()
    clinic: list[set[str]] = [set()]  # the clinic's names as last read

    def allowed() -> set[str]:
        # At the walk's out-of-order stops the file is damaged on purpose: the names as before.
        with contextlib.suppress(DBAPIError):
            clinic[0] = _clinic_data(services)
        return library | clinic[0]

    auditor = _Auditor(qtbot, window, allowed)
    try:
        walk_everything(window, clock, services, auditor, tmp_path)
        assert {"attract", "player-pain", "summary-finished", "staff-pin"} <= set(auditor.stops)
        assert {"keypad-out-of-order", "attract-out-of-order", "setup-kiosk"} <= set(auditor.stops)
        for stop, words in auditor.found.items():
            print(f"FOREIGN {stop}: {words!r}")
        assert auditor.found == {}
    finally:
        window.close_now()
        services.close()


def test_the_audit_sees_english_that_bypasses_the_catalog() -> None:
    texts = [
        "⟦Ĥéłłó, Ann⟧",  # a catalog text filled with data
        "⟦ťóďáý.çšʋ: ⟦6 ŕóŵš⟧.⟧",  # a catalog text filled with another
        "LIFT",  # library content, in capitals
        "12:30 · 3 of 4",  # no words at all... but "of" is a word
        "Hello",
        "⟦Šéť 1⟧ and more",
    ]
    assert foreign_texts(texts, {"Ann", "lift"}) == ["12:30 · 3 of 4", "Hello", "⟦Šéť 1⟧ and more"]
