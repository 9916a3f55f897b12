"""A program item's own tempo on the staff paths: ``kiosk today``, the handout, and an
import (which has no tempo column: imported items run at the library's tempo)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from db.repositories.programs import ProgramRepository
from kiosk.core.program_builder import DraftItem, ProgramDraft
from kiosk.printing.handout import handout_content
from kiosk.staff.importing import import_schedule, preview_file
from media.loader import load_library
from tests.cli.test_cli import run

LIBRARY = load_library()
DAY = date(2025, 3, 3)
SLOW_HIPS = ProgramDraft(
    name="Slow hips",
    items=(
        DraftItem("clamshell", tempo_s=(3.0, 4.0)),
        DraftItem("big-leg-lifts"),
        DraftItem("standing-wall-press"),
    ),
)


@pytest.fixture
def maria_slow(engine: Engine, patients: dict[str, int]) -> int:
    """Maria has "Slow hips" on DAY; returns the program id."""
    store = ProgramStore(engine)
    return store.assign(SLOW_HIPS, patients["482913"], DAY, DAY, actor="Anna").program_id


@pytest.mark.usefixtures("maria_slow")
def test_today_shows_the_tempo_and_whether_staff_changed_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.setenv("KIOSK_DATABASE_URL", db_url)
    code, out, _ = run(capsys, "today", "--date", DAY.isoformat(), "--json")
    assert code == 0
    (maria,) = json.loads(out)["patients"]
    tempos = [(i["exercise"], i["tempo_s"], i["tempo_from_library"]) for i in maria["items"]]
    assert tempos == [
        ("clamshell", [3.0, 4.0], False),
        ("big-leg-lifts", [2.0, 2.0], True),  # the library's, filled in like the doses
        ("standing-wall-press", None, True),  # a hold has no tempo
    ]
    code, out, _ = run(capsys, "today", "--date", DAY.isoformat())
    lines = out.splitlines()
    assert lines[1].endswith("; tempo Open 3 s · Close 4 s")
    assert "tempo" not in lines[2]


def test_the_handout_says_the_pace_only_when_staff_set_it() -> None:
    content = handout_content(SLOW_HIPS, LIBRARY, clinic_name="C", patient_name="M", day=DAY)
    clam, legs, _wall = content.items
    assert clam.rest.endswith("Each repetition: Open 3 seconds, Close 4 seconds.")
    assert "Each repetition" not in legs.rest


def test_an_import_replaces_a_paced_program_with_the_librarys_tempo(
    engine: Engine, maria_slow: int, tmp_path: Path
) -> None:
    """Same exercises and doses as Maria's paced program, but an import has no tempo: it is a
    different program, so it is written (once: the second import changes nothing)."""
    path = tmp_path / "day.csv"
    path.write_text(
        "date,code,exercise,sets,reps,hold_s,sides,rest_s\n"
        + "".join(
            f"{DAY},482913,{e},,,,,\n"
            for e in ("clamshell", "big-leg-lifts", "standing-wall-press")
        )
    )
    first = import_schedule(engine, preview_file(engine, path, LIBRARY), actor="Anna")
    assert (first.programs_written, first.unchanged) == (1, 0)
    program = ProgramRepository(engine).program_for(_maria(engine), DAY)
    assert program is not None
    assert program.id != maria_slow
    assert [i.tempo_s for i in program.items] == [None, None, None]
    again = import_schedule(engine, preview_file(engine, path, LIBRARY), actor="Anna")
    assert (again.programs_written, again.unchanged) == (0, 1)


def _maria(engine: Engine) -> int:
    patient = PatientRepository(engine).find_by_code("482913")
    assert patient is not None
    return patient.id
