"""Helpers for the patient's flow: what the database holds after each tap.

The window, the demo database, the fake clock and the timer check come from
``tests/ui/conftest.py``; these read back what the screens wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ExerciseSession, FeedbackEventRow, SessionStatus
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.visit.player_screen import QtPlayerScreen
from kiosk.ui.widgets.base import QtScreen
from tests.clinic import saved
from tests.ui.shell.conftest import flush_deletes

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Feedback:
    session_id: int
    kind: str
    value: str
    exercise_index: int | None
    exercise_id: str | None
    set_number: int | None
    side: Side | None
    rep: int | None


def feedback(services: KioskServices, kind: str | None = None) -> list[Feedback]:
    """Every feedback event, oldest first (of one kind if given)."""
    query = select(FeedbackEventRow).order_by(FeedbackEventRow.id)
    if kind is not None:
        query = query.where(FeedbackEventRow.kind == kind)
    with Session(saved(services)) as session:
        return [
            Feedback(
                r.session_id,
                r.kind,
                r.value,
                r.exercise_index,
                r.exercise_id,
                r.set_number,
                r.side,
                r.rep,
            )
            for r in session.scalars(query)
        ]


def sessions(services: KioskServices) -> list[tuple[int, SessionStatus]]:
    """(id, state) of every session row."""
    query = select(ExerciseSession.id, ExerciseSession.state).order_by(ExerciseSession.id)
    with Session(saved(services)) as session:
        return [(i, s) for i, s in session.execute(query)]


def player_of(window: QtKioskWindow) -> QtPlayerScreen:
    assert window.visit.player is not None
    return window.visit.player


def screens_in(window: QtKioskWindow, kind: type[QtScreen]) -> list[QtScreen]:
    """The screens of ``kind`` the window still holds, once the deletions due have run."""
    flush_deletes()
    return list(window.findChildren(kind))


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The clinic's day in UTC, so "today" means the fake wall clock's day on any machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
