"""No schedule file ends ``kiosk import-programs`` in a traceback.

Thousands of mutated copies of the documented examples (tests/cli/schedule_mutator.py, seeded)
go through the importer staff mode uses and through the real command, in-process, on a real
SQLite database with the demo clinic; hostile files and a sample of the mutants also go through
``python main.py import-programs`` in a child process. Each ends in exit 0 (imported), 1 (every
problem with its line, "nothing imported") or 2 (usage); a refused file changes no row of any
table.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from db.connection import open_database
from db.demo import ensure_demo_data
from db.models import Base
from db.seed_templates import ensure_seed_templates
from kiosk.staff.importing import ImportRefusedError, import_schedule, preview_file
from media.loader import load_library
from tests.cli.schedule_mutator import mutations
from tests.cli.test_cli import run
from tests.db.faults import TRACEBACK, kiosk
from tests.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "docs" / "examples"
SEEDS = [(EXAMPLES / name).read_bytes() for name in ("today.csv", "today.json")]
LIBRARY = load_library()
CASES = 2400
#: What the command prints for each problem, and how it ends when it refuses a file.
PROBLEM_LINE = re.compile(r"(note: .+|[^:]+: (line \d+|file): .+)")
REFUSED = re.compile(r"\d+ problems?: nothing imported|kiosk: .+; nothing imported")


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Engine]]:
    """The demo clinic in a real SQLite file, named by KIOSK_DATABASE_URL for the command."""
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    engine = open_database(url, create=True)
    ensure_demo_data(engine, date(2025, 3, 1))
    ensure_seed_templates(engine, LIBRARY)  # what any staff command does first
    monkeypatch.setenv("KIOSK_DATABASE_URL", url)
    yield url, engine
    engine.dispose()


def every_table(engine: Engine) -> dict[str, int]:
    """The number of rows in every table of the schema."""
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _check_refusal(err: str, code: int) -> None:
    lines = err.strip().splitlines()
    assert TRACEBACK not in err
    if code == 2:
        assert lines[-1].startswith("kiosk: error: "), err
        return
    assert REFUSED.fullmatch(lines[-1]), err
    for line in lines[:-1]:
        assert PROBLEM_LINE.fullmatch(line), line


@pytest.mark.parametrize("suffix", [".csv", ".json", ".txt"])
def test_mutated_files_end_in_a_clear_answer_and_a_refusal_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    clinic: tuple[str, Engine],
    tmp_path: Path,
    suffix: str,
) -> None:
    _, engine = clinic
    path = tmp_path / f"schedule{suffix}"
    answers = {0: 0, 1: 0, 2: 0}
    for case, data in mutations(SEEDS, CASES // 3, seed=13 + len(suffix)):
        path.write_bytes(data)
        preview = preview_file(engine, path, LIBRARY)
        assert all(str(problem) for problem in preview.problems)
        before = every_table(engine)
        if not preview.ok:
            with pytest.raises(ImportRefusedError):
                import_schedule(engine, preview, actor="fuzz")
        code, out, err = run(capsys, "import-programs", str(path))
        assert code in answers, f"case {case}: exit {code}\n{err}"
        answers[code] += 1
        assert (code == 0) == preview.ok, f"case {case}: exit {code}\n{err}"
        if code == 0:
            assert out.strip().splitlines()[-1].startswith(("imported: ", "already imported: "))
        else:
            _check_refusal(err, code)
            assert every_table(engine) == before, f"case {case}: a refused file wrote rows"
    # The mutants reach both answers: the checks behind the parser are exercised, not only it.
    assert answers[0] > 10
    assert answers[1] > CASES // 6


def _number(digits: int) -> str:
    return "9" * digits


HOSTILE = {
    "sets of 4,301 digits.json": (
        '[{"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "sets": '
        + _number(4301)
        + "}]"
    ),
    "code of 4,300 digits.json": (
        '[{"date": "2025-03-03", "code": ' + _number(4300) + ', "exercise": "clamshell"}]'
    ),
    "rest of 4,000 digits.json": (
        '[{"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "rest_s": '
        + _number(4000)
        + "}]"
    ),
    "lone surrogate.json": (
        '[{"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "notes": "a\\ud800"}]'
    ),
    "NUL in notes.json": (
        '[{"date": "2025-03-03", "code": "482913", "exercise": "clamshell", "notes": "\\u0000"}]'
    ),
    "nested 100,000 deep.json": "[" * 100_000 + "]" * 100_000,
    "hold of 5,000 digits.csv": (
        "date,code,exercise,hold_s\n2025-03-03,716254,standing-wall-press," + _number(5000)
    ),
    "escape in notes.csv": "date,code,exercise,notes\n2025-03-03,482913,clamshell,\x1b[2J\n",
    "a cell of 200 kB.csv": (
        "date,code,exercise,notes\n2025-03-03,482913,clamshell," + "a" * 200_000
    ),
}


def test_the_huge_integer_from_the_issue_is_a_problem_not_a_traceback(
    capsys: pytest.CaptureFixture[str], clinic: tuple[str, Engine], tmp_path: Path
) -> None:
    _, engine = clinic
    name = "sets of 4,301 digits.json"
    path = tmp_path / name
    path.write_text(HOSTILE[name])
    before = every_table(engine)
    preview = preview_file(engine, path, LIBRARY)
    assert [str(p) for p in preview.problems] == [
        "line 1: not valid JSON here: a number with more than 4,300 digits"
    ]
    code, out, err = run(capsys, "import-programs", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "1 problem: nothing imported"
    assert every_table(engine) == before


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_by_the_real_command(
    clinic: tuple[str, Engine], tmp_path: Path, name: str
) -> None:
    url, engine = clinic
    path = tmp_path / name
    path.write_bytes(HOSTILE[name].encode("utf-8", "surrogatepass"))
    before = every_table(engine)
    child = subprocess.run(
        kiosk("import-programs", str(path), "--db", url),
        capture_output=True,
        text=True,
        errors="backslashreplace",
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert child.returncode == 1, child.stderr
    _check_refusal(child.stderr, 1)
    assert child.stdout == ""
    assert every_table(engine) == before


def test_mutants_through_the_real_command_in_a_child_process(
    clinic: tuple[str, Engine], tmp_path: Path
) -> None:
    """A sample of the in-process cases, as IT runs them: exit codes and output the same."""
    url, engine = clinic
    for case, data in mutations(SEEDS, 12, seed=1313):
        path = tmp_path / f"case-{case}.json"
        path.write_bytes(data)
        ok = preview_file(engine, path, LIBRARY).ok
        before = every_table(engine)
        child = subprocess.run(
            kiosk("import-programs", str(path), "--db", url),
            capture_output=True,
            text=True,
            errors="backslashreplace",
            cwd=REPO_ROOT,
            timeout=60,
            check=False,
        )
        assert child.returncode == (0 if ok else 1), f"case {case}: {child.stderr}"
        if not ok:
            _check_refusal(child.stderr, 1)
            assert every_table(engine) == before
