"""The report's CSV: fixed columns, spreadsheet-safe text, written whole or not at all."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from db.repositories.progress import DayRow
from kiosk.staff.reports import COLUMNS, PROGRESS_EVERY, csv_row, write_report_csv


def _row(**changes: object) -> DayRow:
    values: dict[str, object] = dict(
        day=date(2025, 3, 3), patient_id=1, code="482913", display_name="Maria",
        program_name="Hips", sessions_started=1, sessions_finished=1, sets_completed=6,
        sets_skipped=0, sets_stopped=0, pain_events=0, pain_before=4, pain_after=2,
        difficulty=("easy", "hard"), called_staff=False,
    )  # fmt: skip
    values.update(changes)
    return DayRow(**values)  # type: ignore[arg-type]


def test_columns_and_values(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert write_report_csv([_row(), _row(program_name=None, sessions_finished=0)], out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == COLUMNS
    assert dict(zip(COLUMNS, rows[1], strict=True)) == {
        "date": "2025-03-03", "patient_id": "1", "display_name": "Maria", "scheduled": "yes",
        "program": "Hips", "sessions_started": "1", "sessions_finished": "1", "adherent": "yes",
        "sets_completed": "6", "sets_skipped": "0", "sets_stopped": "0", "pain_events": "0",
        "pain_before": "4", "pain_after": "2", "difficulty": "easy; hard", "called_staff": "no",
    }  # fmt: skip
    unscheduled = dict(zip(COLUMNS, rows[2], strict=True))
    assert (unscheduled["scheduled"], unscheduled["adherent"]) == ("no", "")
    assert not list(tmp_path.glob("*.part"))


def test_the_report_names_the_patient_by_id_never_by_check_in_code(tmp_path: Path) -> None:
    """The code opens the kiosk as the patient: a report on a USB stick must not carry it."""
    out = tmp_path / "r.csv"
    write_report_csv([_row(code="482913", patient_id=17)], out)
    text = out.read_text(encoding="utf-8-sig")
    assert "482913" not in text
    assert "code" not in COLUMNS
    assert COLUMNS[1] == "patient_id"
    assert ",17," in text


def test_text_that_looks_like_a_formula_stays_text() -> None:
    row = dict(zip(COLUMNS, csv_row(_row(program_name="=HYPERLINK(1)")), strict=True))
    assert row["program"] == "'=HYPERLINK(1)"


def test_rows_are_written_as_they_come_with_progress(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    seen: list[int] = []
    handed: list[int] = []

    def rows(n: int) -> Iterator[DayRow]:
        for i in range(n):
            handed.append(i)
            yield _row(patient_id=i)

    count = write_report_csv(rows(PROGRESS_EVERY * 2 + 5), out, seen.append)
    assert count == PROGRESS_EVERY * 2 + 5
    assert seen == [PROGRESS_EVERY, PROGRESS_EVERY * 2]
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == count + 1


def test_a_report_that_fails_halfway_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.write_text("last week's report\n")

    def rows() -> Iterator[DayRow]:
        yield _row()
        raise OSError(5, "Input/output error")

    with pytest.raises(OSError, match="Input/output"):
        write_report_csv(rows(), out)
    assert out.read_text() == "last week's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]  # no .part left
