"""The loader: defaults, caching, speed, and a clear error naming file and field."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from media.loader import DEFAULT_ROOT, LibraryError, load_library

CLAM = "exercises/clamshell.toml"
WALL = "exercises/standing-wall-press.toml"


def edit(root: Path, file: str, pattern: str, replacement: str) -> None:
    """Replace exactly one match of ``pattern`` (a regex, multi-line) in ``file``."""
    path = root / file
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1, f"{pattern!r} matched {count} times in {file}"
    path.write_text(text, encoding="utf-8")


def expect_error(root: Path, file: str, field: str) -> LibraryError:
    with pytest.raises(LibraryError) as info:
        load_library(root)
    err = info.value
    assert (err.file, err.field) == (file, field), str(err)
    assert str(err).startswith(f"{file}: {field}: " if field else f"{file}: ")
    return err


def test_default_library_is_cached() -> None:
    assert load_library() is load_library()
    assert load_library(DEFAULT_ROOT / "exercises" / "..") is load_library()


def test_loading_is_fast(library_copy: Path) -> None:
    load_library(library_copy)  # warm the file system cache
    start = time.perf_counter()
    load_library(library_copy)  # not the default root, so not cached
    assert time.perf_counter() - start < 0.1  # a few ms on a laptop; generous for CI


def test_a_copy_loads_like_the_original(library_copy: Path) -> None:
    copy = load_library(library_copy)
    assert copy == load_library()
    assert copy is not load_library()


def test_the_example_message(library_copy: Path) -> None:
    edit(library_copy, CLAM, r"^reps = .*$", 'reps = "ten"')
    err = expect_error(library_copy, CLAM, "dosage.reps")
    assert str(err) == (
        "exercises/clamshell.toml: dosage.reps: expected an integer or [low, high], got 'ten'"
    )


BAD_CASES = [
    # (file, regex to replace, replacement, field named in the error)
    (CLAM, r"^name = \"Clamshell\"$", 'name = "Clamshell"\ncolour = "red"', "colour"),
    (CLAM, r"^summary = .*\n", "", "summary"),
    (CLAM, r"^name = \"Clamshell\"$", "name = 5", "name"),
    (CLAM, r"^position = .*$", 'position = "sitting"', "position"),
    (CLAM, r"^equipment = .*$", 'equipment = "mat"', "equipment"),
    (CLAM, r'^    "Keep your feet together.",$', '    "  ",', "key_points[0]"),
    (CLAM, r"^key_points = \[(.|\n)*?^\]$", "key_points = []", "key_points"),
    (CLAM, r"^id = .*$", 'id = "clam-shell"', "id"),
    (CLAM, r"^id = .*$", 'id = "Clamshell"', "id"),
    (CLAM, r"^\[dosage\]\n", "[dosage]\nspeed = 2\n", "dosage.speed"),
    (CLAM, r'^sides = "alternate".*$', 'sides = "both"', "dosage.sides"),
    (CLAM, r"^sets = 3$", "sets = true", "dosage.sets"),
    (CLAM, r"^sets = 3$", "sets = 0", "dosage.sets"),
    (CLAM, r"^reps = .*$", "reps = [12, 10]", "dosage.reps"),
    (CLAM, r"^reps = .*$", "reps = [10, 12, 15]", "dosage.reps"),
    (CLAM, r"^reps = .*$", "reps = 10.5", "dosage.reps"),
    (CLAM, r"^rest_s = 30$", "rest_s = -5", "dosage.rest_s"),
    (CLAM, r"^rest_s = 30$", 'rest_s = "30"', "dosage.rest_s"),
    (CLAM, r"^tempo = \[(.|\n)*?^\]\n", "", "dosage.tempo"),
    (
        CLAM,
        r"seconds = 2, word = \"Open\"",
        'seconds = 0, word = "Open"',
        "dosage.tempo[0].seconds",
    ),
    (CLAM, r"seconds = 2, word = \"Open\"", "seconds = 2", "dosage.tempo[0].word"),
    (CLAM, r"word = \"Open\"", 'wrod = "Open"', "dosage.tempo[0].wrod"),
    (CLAM, r"^defaults = .*$", 'defaults = ["speed"]', "dosage.defaults[0]"),
    (CLAM, r"^defaults = .*$", 'defaults = ["final_hold_s"]', "dosage.defaults[0]"),
    (CLAM, r"^rest_s = 30$", "rest_s = 30\nhold_s = 5", "dosage.hold_s"),
    (CLAM, r'^source = "003_.*$', 'source = "999_unknown.txt"', "progressions[0].source"),
    (CLAM, r'^description = "Put a light.*\n', "", "progressions[0].description"),
    (WALL, r"^hold_s = .*$", "", "dosage.reps"),
    (WALL, r"^rest_s = 30$", "rest_s = 30\nfinal_hold_s = 10", "dosage.final_hold_s"),
    ("assessments.toml", r"^hold_s = .*$", 'hold_s = "30"', "assessments[0].hold_s"),
    ("assessments.toml", r'^sides = "each"$', 'sides = "left"', "assessments[0].sides"),
    ("assessments.toml", r"^watch_for = \[(.|\n)*?^\]\n", "", "assessments[0].watch_for"),
    ("routines.toml", r'"big-leg-lifts"', '"big-leg-lift"', "routines[0].exercise_ids[2]"),
    ("routines.toml", r"^side_series = true$", 'side_series = "yes"', "routines[0].side_series"),
    ("routines.toml", r"^\[\[routines\]\]$", "[[routine]]", "routine"),
    ("safety.toml", r'^source = "002_.*$', "", "notes[5].source"),
    ("safety.toml", r"^text = \"None.*$", "text = ''", "notes[0].text"),
]


@pytest.mark.parametrize(("file", "pattern", "replacement", "field"), BAD_CASES)
def test_a_bad_file_names_file_and_field(
    library_copy: Path, file: str, pattern: str, replacement: str, field: str
) -> None:
    edit(library_copy, file, pattern, replacement)
    expect_error(library_copy, file, field)


def test_duplicate_routine_ids(library_copy: Path) -> None:
    path = library_copy / "routines.toml"
    text = path.read_text(encoding="utf-8")
    body = text[text.index("[[routines]]") :]
    path.write_text(text + "\n" + body, encoding="utf-8")
    expect_error(library_copy, "routines.toml", "routines[1].id")


def test_toml_syntax_error_names_the_file(library_copy: Path) -> None:
    edit(library_copy, CLAM, r"^name = \"Clamshell\"$", 'name = "Clamshell')
    err = expect_error(library_copy, CLAM, "")
    assert "not valid TOML" in str(err)


def test_missing_file(library_copy: Path) -> None:
    (library_copy / "safety.toml").unlink()
    err = expect_error(library_copy, "safety.toml", "")
    assert "not found" in str(err)


def test_stray_file_in_exercises(library_copy: Path) -> None:
    (library_copy / "exercises" / "notes.txt").write_text("hello", encoding="utf-8")
    expect_error(library_copy, "exercises/notes.txt", "")


def test_no_exercises_folder(tmp_path: Path) -> None:
    expect_error(tmp_path, "exercises", "")


def test_unknown_key_suggests_the_right_one(library_copy: Path) -> None:
    edit(library_copy, CLAM, r"^key_points = ", "keypoints = ")
    err = expect_error(library_copy, CLAM, "keypoints")
    assert "did you mean 'key_points'" in str(err)


def test_unknown_routine_exercise_suggests_the_right_one(library_copy: Path) -> None:
    edit(library_copy, "routines.toml", r'"big-leg-lifts"', '"big-leg-lift"')
    err = expect_error(library_copy, "routines.toml", "routines[0].exercise_ids[2]")
    assert "did you mean 'big-leg-lifts'" in str(err)
