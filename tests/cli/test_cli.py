"""The ``kiosk`` command, called in-process through ``kiosk.cli.main``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import build_parser, main
from tests.paths import REPO_ROOT


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_library_list_names_every_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "library", "list")
    assert code == 0
    for exercise_id in ("clamshell", "standing-wall-press", "leg-circles-clockwise"):
        assert exercise_id in out


def test_library_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "library", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 15
    assert {"id", "name", "dosage", "sources"} <= set(rows[0])


def test_library_show_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "library", "show", "standing-lateral-leg-raise")
    assert code == 0
    assert "3 sets of 8 reps" in out
    assert "000_a06848ef647bbab3.txt" in out
    code, out, _ = run(capsys, "library", "show", "CLAMSHELL", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "clamshell"
    assert data["dosage"]["sides"] == "alternate"


def test_unknown_exercise_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "library", "show", "no-such-thing")
    assert code == 2
    assert "no exercise with id 'no-such-thing'" in err
    assert out == ""


def test_timeline_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "timeline", "clamshell", "--sets", "2", "--reps", "3", "--sides", "each",
        "--rest", "10", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["exercise"]
    steps = data["steps"]
    assert {s["kind"] for s in steps} <= {
        "intro", "countdown", "rep", "hold", "rest", "switch_side", "done",
    }  # fmt: skip
    reps = [s for s in steps if s["kind"] == "rep"]
    assert len(reps) == 2 * 2 * 3  # sets per side × sides × reps
    assert [s["side"] for s in reps[:6]] == ["left"] * 6
    assert [s["side"] for s in reps[6:]] == ["right"] * 6
    assert steps[-1]["kind"] == "done"
    assert data["total_s"] == pytest.approx(steps[-1]["start_s"] + steps[-1]["duration_s"])
    for step in steps:
        for cue in step["cues"]:
            assert ("text" in cue) != ("tone" in cue)
            assert step["start_s"] <= cue["at_s"] <= step["start_s"] + step["duration_s"]


def test_timeline_hold_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "timeline", "standing-wall-press", "--hold", "12", "--json")
    assert code == 0
    holds = [s for s in json.loads(out)["steps"] if s["kind"] == "hold"]
    assert len(holds) == 6  # 3 sets on each side
    assert {s["duration_s"] for s in holds} == {12}


def test_timeline_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "timeline", "clamshell", "--sets", "1", "--reps", "2")
    assert code == 0
    assert "countdown" in out
    assert "switch_side" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["timeline", "clamshell", "--sets", "0"],
            "argument --sets: must be a whole number from 1 to 10, got 0",
        ),
        (
            ["timeline", "clamshell", "--reps", "ten"],
            "argument --reps: must be a whole number from 1 to 50, got 'ten'",
        ),
        (["timeline", "clamshell", "--sides", "both"], "invalid choice"),
        (
            ["timeline", "clamshell", "--rest", "-5"],
            "argument --rest: must be a number from 0 to 600 s, got -5",
        ),
        (["timeline", "standing-wall-press", "--reps", "5"], "hold exercise"),
        (["timeline"], "required"),
        (["--size", "huge"], "WIDTHxHEIGHT"),
    ],
)
def test_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err


def test_db_upgrade_migrates_a_new_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    code, out, _ = run(capsys, "--db", f"sqlite:///{path}", "db", "upgrade", "--create-db")
    assert code == 0
    assert "up to date" in out
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert {"patients", "set_records", "alembic_version"} <= tables


def test_db_option_after_the_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "after.sqlite3"
    code, _, _ = run(capsys, "db", "upgrade", "--db", f"sqlite:///{path}", "--create-db")
    assert code == 0
    assert path.exists()


def test_demo_data_only_when_asked() -> None:
    parser = build_parser()
    assert parser.parse_args([]).demo is False
    assert parser.parse_args(["--demo"]).demo is True
    assert parser.parse_args(["--no-demo"]).demo is False  # what the default was, still taken
    assert "--no-demo" not in parser.format_help()
    # `make run` asks for it: a newcomer sees the demo patients (README, "What a newcomer sees").
    recipe = (REPO_ROOT / "Makefile").read_text(encoding="utf-8").split("\nrun:", 1)[1]
    assert "main.py --demo $(ARGS)" in recipe.split("\n\n", 1)[0]


def test_the_kiosk_passes_demo_on_to_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.ui.shell.app as app

    started: list[bool] = []

    def run_kiosk(options: app.KioskOptions) -> int:
        started.append(options.demo_data)
        return 0

    monkeypatch.setattr(app, "run", run_kiosk)
    assert main([]) == 0
    assert main(["--demo"]) == 0
    assert started == [False, True]


def test_a_start_up_language_fixes_the_kiosks_language_over_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--language`` or ``KIOSK_LANGUAGE`` override the clinic language from Settings."""
    import kiosk.ui.shell.app as app

    fixed: list[bool] = []

    def run_kiosk(options: app.KioskOptions) -> int:
        fixed.append(options.language_fixed)
        return 0

    monkeypatch.setattr(app, "run", run_kiosk)
    monkeypatch.delenv("KIOSK_LANGUAGE", raising=False)
    assert main([]) == 0
    assert main(["--language", "es"]) == 0
    monkeypatch.setenv("KIOSK_LANGUAGE", "es")
    assert main([]) == 0
    assert fixed == [False, True, True]
