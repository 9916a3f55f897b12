"""Importing a day's schedule: messy files, every error with line and field, all or nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.demo import ensure_demo_data
from db.models import Assignment, ImportBatch, Program
from db.repositories.audit import Action, entries
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from kiosk import text
from kiosk.core.prescription import ProgramItemSpec
from kiosk.staff.importing import (
    ImportRefusedError,
    import_schedule,
    preview_file,
    program_name_for,
)
from kiosk.staff.schedule_import import Preview, ScheduleRow
from kiosk.text import pseudo
from media.loader import load_library
from media.schema import SidePattern
from tests.core.every_field import EVERY_FIELD
from tests.paths import REPO_ROOT

LIBRARY = load_library()
EXAMPLES = REPO_ROOT / "docs" / "examples"
HEADER = "date,code,exercise,sets,reps,hold_s,sides,rest_s,notes"


def preview(engine: Engine, tmp_path: Path, content: str | bytes, name: str = "day.csv") -> Preview:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return preview_file(engine, path, LIBRARY)


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Program, Assignment, ImportBatch)
        )


def problems(p: Preview) -> list[tuple[int, str]]:
    return [(x.line, x.field) for x in p.problems]


@pytest.mark.usefixtures("patients")
def test_a_clean_file_groups_rows_by_date_and_code_in_file_order(
    engine: Engine, tmp_path: Path
) -> None:
    p = preview(engine, tmp_path, "\n".join([
        HEADER,
        "2025-03-03,482913,clamshell,3,10,,alternate,30,go slowly",
        "2025-03-03,716254,standing-wall-press,2,,20,,,",
        "2025-03-03,482913,side-lying-lift-and-sweep,,,,,,",
        "2025-03-04,482913,clamshell,,,,,,",
    ]))  # fmt: skip
    assert p.ok, p.problems
    assert [(g.day, g.code, [r.exercise_id for r in g.rows]) for g in p.groups] == [
        (date(2025, 3, 3), "482913", ["clamshell", "side-lying-lift-and-sweep"]),
        (date(2025, 3, 3), "716254", ["standing-wall-press"]),
        (date(2025, 3, 4), "482913", ["clamshell"]),
    ]
    first = p.rows[0]
    assert (first.sets, first.reps, first.hold_s, first.sides, first.rest_s, first.notes) == (
        3, 10, None, SidePattern.ALTERNATE, 30.0, "go slowly",
    )  # fmt: skip
    assert p.groups[0].display_name == "Maria"


def test_a_rows_spec_is_every_field_of_the_item_it_read() -> None:
    """A row is the one item type with its place in the file; its spec is the item without
    that place, every field kept (the row's own copy of the fields once lost the tempo)."""
    row = ScheduleRow(line=2, day=date(2025, 3, 3), code="482913", **EVERY_FIELD.spec_fields())
    assert row.spec() == EVERY_FIELD.spec()
    assert type(row.spec()) is ProgramItemSpec


@pytest.mark.usefixtures("patients")
def test_messy_but_clear_files_are_read(engine: Engine, tmp_path: Path) -> None:
    content = (
        "\ufeff Date ; CODE ; Exercise ; Sets ; Reps ; Hold_S ; Sides ; Rest_S\r\n"
        "\r\n"
        " 2025-03-03 ; 482913 ; CLAMSHELL ; 3 ; 10 ;  ; EACH ; 30.0 \r\n"
        ";;;;;;;\r\n"
        "2025-03-03;482913;Side_Lying Lift And Sweep;;;;;\r\n"
    )
    p = preview(engine, tmp_path, content.encode("utf-8"))
    assert p.ok, p.problems
    assert [r.exercise_id for r in p.rows] == ["clamshell", "side-lying-lift-and-sweep"]
    assert [r.line for r in p.rows] == [3, 5]
    assert p.rows[0].sides is SidePattern.EACH


@pytest.mark.usefixtures("patients")
def test_windows_1252_and_utf16_text(engine: Engine, tmp_path: Path) -> None:
    text = f"{HEADER}\n2025-03-03,482913,clamshell,,,,,,genou gauche: doucement é\n"
    p = preview(engine, tmp_path, text.encode("cp1252"))
    assert p.ok
    assert p.rows[0].notes == "genou gauche: doucement é"
    assert p.notices
    assert preview(engine, tmp_path, text.encode("utf-16")).ok


@pytest.mark.usefixtures("patients")
def test_every_error_is_reported_with_line_and_field(engine: Engine, tmp_path: Path) -> None:
    p = preview(engine, tmp_path, "\n".join([
        HEADER,
        "03/03/2025,482913,clamshell,3,10,,,,",  # 2: date
        "2025-03-03,999999,clamshell,,,,,,",  # 3: unknown code
        "2025-03-03,305718,clamshell,,,,,,",  # 4: deactivated
        "2025-03-03,482913,clamshel,,,,,,",  # 5: unknown exercise (with a hint)
        "2025-03-03,482913,clamshell,-1,0,,both,-5,",  # 6: sets, reps, sides, rest_s
        "2025-03-03,482913,standing-wall-press,2,10,,,,",  # 7: hold exercise given reps
        "2025-03-03,482913,clamshell,3.5,ten,,,,",  # 8: sets, reps
        "2025-02-30,48-29,,,,,,,",  # 9: date, code, exercise
        "2025-03-03,482913,clamshell,,,,,,,extra",  # 10: too many values
    ]))  # fmt: skip
    assert not p.ok
    assert p.groups == ()
    assert problems(p) == [
        (2, "date"), (3, "code"), (4, "code"), (5, "exercise"),
        (6, "sets"), (6, "reps"), (6, "sides"), (6, "rest_s"),
        (7, "reps"), (8, "sets"), (8, "reps"),
        (9, "date"), (9, "code"), (9, "exercise"), (10, ""),
    ]  # fmt: skip
    text = "\n".join(str(x) for x in p.problems)
    assert "did you mean 'clamshell'" in text
    assert "hold exercise" in text
    assert "deactivated" in text
    assert "YYYY-MM-DD" in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", [(0, "")]),
        ("\n\n", [(0, "")]),
        (HEADER + "\n", [(0, "")]),
        ("date,code\n2025-03-03,482913\n", [(1, "exercise")]),
        ("date,code,exercise,weight\n", [(1, "weight")]),
        ("date,code,exercise,code\n", [(1, "code")]),
        ('date,code,exercise\n"2025-03-03,482913,clamshell\n',
         [(2, "date"), (2, "code"), (2, "exercise")]),
    ],
)  # fmt: skip
@pytest.mark.usefixtures("patients")
def test_broken_csv_files(
    engine: Engine, tmp_path: Path, content: str, expected: list[tuple[int, str]]
) -> None:
    p = preview(engine, tmp_path, content)
    assert not p.ok
    assert problems(p)[: len(expected)] == expected


@pytest.mark.usefixtures("patients")
def test_json_files(engine: Engine, tmp_path: Path) -> None:
    good = [
        {"date": "2025-03-03", "code": "482913", "exercise": "Clamshell", "sets": 3, "reps": 10,
         "hold_s": None, "sides": "alternate", "rest_s": 30, "notes": None},
        {"date": "2025-03-03", "code": 716254, "exercise": "standing-wall-press", "hold_s": 20.5},
    ]  # fmt: skip
    p = preview(engine, tmp_path, json.dumps(good, indent=2), "day.json")
    assert p.ok, p.problems
    assert p.file_format == "json"
    assert [r.line for r in p.rows] == [2, 13]
    assert p.rows[1].hold_s == 20.5
    bad = (
        '[\n  {"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "sets": "3"},\n'
        '  {"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "sets": true,\n'
        '   "reps": NaN},\n'
        '  ["not", "an", "object"],\n'
        '  {"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "colour": "red"}\n'
        "]"
    )
    p = preview(engine, tmp_path, bad, "day.json")
    assert problems(p) == [(2, "sets"), (3, "sets"), (3, "reps"), (5, ""), (6, "colour")]
    assert "JSON: 3, not" in str(p.problems[0])


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("{}", 1),
        ('[{"date": "2025-03-03",}]', 1),
        ('[\n{"date": "2025-03-03"}\n{"date": "2025-03-03"}]', 3),
        ("[1, 2]", 1),
        ('[{"date": "2025-03-03", "code": "482913", "exercise": "clamshell"}] trailing', 1),
    ],
)
@pytest.mark.usefixtures("patients")
def test_broken_json(engine: Engine, tmp_path: Path, content: str, line: int) -> None:
    p = preview(engine, tmp_path, content, "day.json")
    assert not p.ok
    assert (line, "") in problems(p)


@pytest.mark.usefixtures("patients")
def test_unreadable_and_huge_files(engine: Engine, tmp_path: Path) -> None:
    missing = preview_file(engine, tmp_path / "nope.csv", LIBRARY)
    assert "cannot read" in str(missing.problems[0])
    assert "not text" in str(preview(engine, tmp_path, b"\x81\x8d\x8f\x90\x9d" * 10).problems[0])
    huge = preview(engine, tmp_path, b"x" * 2_000_001)
    assert "far smaller" in str(huge.problems[0])


def test_import_writes_one_day_programs_and_is_idempotent(
    engine: Engine, tmp_path: Path, patients: dict[str, int]
) -> None:
    content = "\n".join([
        HEADER,
        "2025-03-03,482913,clamshell,3,10,,alternate,30,",
        "2025-03-03,482913,standing-wall-press,,,20,,,",
        "2025-03-03,716254,clamshell,,,,,,",
    ])  # fmt: skip
    first = import_schedule(engine, preview(engine, tmp_path, content), actor="Anna")
    assert (first.programs_written, first.unchanged) == (2, 0)
    before = counts(engine)
    assert before == (2, 2, 1)
    program = ProgramRepository(engine).program_for(patients["482913"], date(2025, 3, 3))
    assert program is not None
    assert [i.exercise_id for i in program.items] == ["clamshell", "standing-wall-press"]
    assert program.items[0].rest_s == 30
    assert ProgramRepository(engine).program_for(patients["482913"], date(2025, 3, 4)) is None
    # The same schedule again, saved as JSON by another tool: nothing changes.
    again = import_schedule(engine, preview_file(engine, _as_json(tmp_path, content), LIBRARY),
                            actor="Anna")  # fmt: skip
    assert (again.batch_id, again.programs_written, again.unchanged) == (None, 0, 2)
    assert counts(engine) == before
    # A corrected file rewrites only the patient who changed.
    fixed = content.replace("716254,clamshell,,,,,,", "716254,clamshell,2,,,,,")
    outcome = import_schedule(engine, preview(engine, tmp_path, fixed), actor="Anna")
    assert (outcome.programs_written, outcome.unchanged) == (1, 1)
    audit = [e.detail for e in entries(engine, actions=(Action.IMPORT,))]
    assert len(audit) == 3
    assert "nothing new" in (audit[1] or "")


def _as_json(tmp_path: Path, csv_text: str) -> Path:
    lines = csv_text.splitlines()
    keys = lines[0].split(",")
    rows = []
    for line in lines[1:]:
        row: dict[str, object] = {}
        for key, value in zip(keys, line.split(","), strict=True):
            if key in ("sets", "reps"):
                row[key] = int(value) if value else None
            elif key in ("hold_s", "rest_s"):
                row[key] = float(value) if value else None
            else:
                row[key] = value or None
        rows.append(row)
    path = tmp_path / "same.json"
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.usefixtures("patients")
def test_an_invalid_file_is_never_imported(engine: Engine, tmp_path: Path) -> None:
    p = preview(engine, tmp_path, f"{HEADER}\n2025-03-03,482913,clamshell,,,,,,\nbad\n")
    with pytest.raises(ImportRefusedError):
        import_schedule(engine, p, actor="Anna")
    assert counts(engine) == (0, 0, 0)


def test_a_patient_deactivated_after_the_preview_stops_the_whole_import(
    engine: Engine, tmp_path: Path, patients: dict[str, int]
) -> None:
    from db.repositories.imports import ImportConflictError

    content = f"{HEADER}\n2025-03-03,482913,clamshell,,,,,,\n2025-03-03,716254,clamshell,,,,,,\n"
    p = preview(engine, tmp_path, content)
    PatientRepository(engine).set_active(patients["716254"], False)
    with pytest.raises(ImportConflictError):
        import_schedule(engine, p, actor="Anna")
    assert counts(engine) == (0, 0, 0)


def test_a_conflict_names_the_patients_for_staff(
    engine: Engine, tmp_path: Path, patients: dict[str, int]
) -> None:
    from db.repositories.imports import ImportConflictError

    p = preview(engine, tmp_path, f"{HEADER}\n2025-03-03,716254,clamshell,,,,,,\n")
    PatientRepository(engine).set_active(patients["716254"], False)
    with pytest.raises(ImportConflictError) as refused:
        import_schedule(engine, p, actor="Anna")
    assert str(refused.value) == "Tom is no longer active: check the file again"
    assert refused.value.patient_ids == (patients["716254"],)
    assert "are no longer active" in str(refused.value.__cause__)  # the log's English


def _translated(message: str) -> bool:
    return pseudo.is_pseudo(message)


@pytest.mark.usefixtures("patients", "pseudo_language")
def test_problems_and_notices_are_in_the_kiosk_language(engine: Engine, tmp_path: Path) -> None:
    p = preview(engine, tmp_path, "\n".join([
        HEADER + ",colour",
        "03/03/2025,482913,clamshell,3,10,,,,,",
        "2025-03-03,999999,clamshel,,,,,,,",
        "2025-03-03,305718,standing-wall-press,-1,10,,both,,,",
        "2025-03-03,48-29,,,ten,,,,,",
        "2025-03-03,482913,clamshell,,,,,,,,extra",
        "2025-03-03,482913,clamshell,,,,,,caf\xe9,",
    ]).encode("cp1252"))  # fmt: skip
    assert [x.field for x in p.problems if x.line == 1] == ["colour"]
    assert len(p.problems) > 10
    assert [x.message for x in p.problems if not _translated(x.message)] == []
    assert len(p.notices) == 1
    assert _translated(p.notices[0])
    assert "'clamshell'" in next(x.message for x in p.problems if x.field == "exercise")
    file_problems = [
        preview(engine, tmp_path, "").problems,
        preview(engine, tmp_path, b"\x81\x8d\x8f\x90\x9d" * 10).problems,
        preview(engine, tmp_path, "{}", "day.json").problems,
        preview(engine, tmp_path, '[{"date": "2025-03-03", "sets": "3"}, 1] x', "d.json").problems,
        preview_file(engine, tmp_path / "missing.csv", LIBRARY).problems,
    ]
    assert [x.message for ps in file_problems for x in ps if not _translated(x.message)] == []
    with pytest.raises(ImportRefusedError) as refused:
        import_schedule(engine, p, actor="Anna")
    assert _translated(str(refused.value))


@pytest.mark.usefixtures("patients")
def test_an_imported_program_is_named_in_the_kiosk_language(
    engine: Engine, tmp_path: Path, patients: dict[str, int]
) -> None:
    p = preview(engine, tmp_path, f"{HEADER}\n2025-03-03,482913,clamshell,,,,,,\n")
    import_schedule(engine, p, actor="Anna")
    program = ProgramRepository(engine).program_for(patients["482913"], date(2025, 3, 3))
    assert program is not None
    assert program.name == "Program for Mon 3 Mar"
    text.use("pseudo")
    try:
        assert _translated(program_name_for(date(2025, 3, 4)))
    finally:
        text.use(text.REFERENCE)


@pytest.mark.parametrize("name", ["today.csv", "today.json"])
def test_the_documented_examples_import_into_the_demo_database(engine: Engine, name: str) -> None:
    ensure_demo_data(engine, date(2025, 3, 1))
    p = preview_file(engine, EXAMPLES / name, LIBRARY)
    assert p.ok, p.problems
    assert [g.code for g in p.groups] == ["482913", "716254", "551937"]
    assert p.content_sha256 == preview_file(engine, EXAMPLES / "today.csv", LIBRARY).content_sha256


def test_the_documented_bad_example_reports_its_errors(engine: Engine) -> None:
    ensure_demo_data(engine, date(2025, 3, 1))
    p = preview_file(engine, EXAMPLES / "today-with-errors.csv", LIBRARY)
    assert problems(p) == [(2, "date"), (3, "code"), (4, "exercise"), (5, "reps"), (6, "sets"),
                           (6, "sides")]  # fmt: skip


# --- fuzzing ---------------------------------------------------------------------------------

_CELLS = st.sampled_from([
    "", " ", "2025-03-03", "2025-13-01", "482913", "716254", "305718", "000000", "clamshell",
    "CLAMSHELL", "standing-wall-press", "nope", "3", "-1", "0", "10", "1e9", "nan", "inf", "2.5",
    "each", "both", '"', ",", ";", "\ufeff", "é", "\x00",
])  # fmt: skip
_ROW = st.lists(_CELLS, min_size=0, max_size=11).map(",".join)
_CSV = st.lists(_ROW, max_size=6).map(lambda rows: "\r\n".join([HEADER, *rows]))
_JSON_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 100), st.floats(allow_nan=False), _CELLS
)
_JSON = st.lists(
    st.dictionaries(st.sampled_from(["date", "code", "exercise", "sets", "reps", "hold_s",
                                     "sides", "rest_s", "notes", "x"]), _JSON_VALUE),
    max_size=5,
).map(json.dumps)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.one_of(_CSV, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
@pytest.mark.usefixtures("patients")
def test_fuzzed_csv_never_crashes_and_invalid_writes_nothing(
    engine: Engine, tmp_path: Path, content: str
) -> None:
    _check_fuzzed(engine, tmp_path, content, "fuzz.csv")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=_JSON)
@pytest.mark.usefixtures("patients")
def test_fuzzed_json_never_crashes_and_invalid_writes_nothing(
    engine: Engine, tmp_path: Path, content: str
) -> None:
    _check_fuzzed(engine, tmp_path, content, "fuzz.json")


def _check_fuzzed(engine: Engine, tmp_path: Path, content: str, name: str) -> None:
    before = counts(engine)
    p = preview(engine, tmp_path, content.encode("utf-8", "surrogatepass"), name)
    if not p.ok:
        assert p.problems or not p.rows
        with pytest.raises(ImportRefusedError):
            import_schedule(engine, p, actor="fuzz")
        assert counts(engine) == before
        return
    import_schedule(engine, p, actor="fuzz")
    after = counts(engine)
    second = import_schedule(engine, p, actor="fuzz")
    assert second.programs_written == 0
    assert counts(engine) == after


@pytest.mark.usefixtures("patients")
def test_the_optional_language_column_becomes_the_patients_language(
    engine: Engine, tmp_path: Path
) -> None:
    p = preview(engine, tmp_path, "\n".join([
        f"{HEADER},language",
        "2025-03-03,482913,clamshell,,,,,,,ES",
        "2025-03-03,716254,standing-wall-press,,,,,,,",
    ]))  # fmt: skip
    assert p.ok, p.problems
    assert [(g.code, g.language) for g in p.groups] == [("482913", "es"), ("716254", None)]
    import_schedule(engine, p, actor="Anna")
    repo = PatientRepository(engine)
    maria, tom = repo.find_by_code("482913"), repo.find_by_code("716254")
    assert maria is not None
    assert tom is not None
    assert (maria.language, tom.language) == ("es", None)  # an empty cell changes nothing
    bad = preview(engine, tmp_path, f"{HEADER},language\n2025-03-03,482913,clamshell,,,,,,,klingon")
    assert problems(bad) == [(2, "language")]
    assert "en, es" in bad.problems[0].message


@pytest.mark.usefixtures("patients")
def test_a_file_without_the_language_column_digests_as_before(
    engine: Engine, tmp_path: Path
) -> None:
    rows = "2025-03-03,482913,clamshell,3,10,,alternate,30,go slowly"
    without = preview(engine, tmp_path, f"{HEADER}\n{rows}")
    empty = preview(engine, tmp_path, f"{HEADER},language\n{rows},")
    spanish = preview(engine, tmp_path, f"{HEADER},language\n{rows},es")
    assert without.content_sha256 == empty.content_sha256 != spanish.content_sha256
