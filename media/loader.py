"""Loads and validates the exercise library.

The library is a folder of TOML files (see ``docs/library.md``)::

    library/
        exercises/<id>.toml   one exercise per file; the file name is the id
        assessments.toml      [[assessments]] tables
        routines.toml         [[routines]] tables
        safety.toml           [[notes]] tables
        facts.toml            [[facts]] tables (short facts for the attract screen)

Every file is checked against :mod:`media.schema`: unknown or missing keys, wrong types, bad
enum values, bad ranges, ids that do not match their file, routines that name unknown exercises.
Any problem raises :class:`LibraryError`, whose message starts with the file and the field, e.g.
``exercises/clamshell.toml: dosage.reps: expected an integer or [low, high], got 'ten'``.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import NoReturn, TypeGuard, TypeVar

from media.schema import (
    Assessment,
    Dosage,
    Exercise,
    Fact,
    IntRange,
    Library,
    Phase,
    Position,
    Routine,
    SafetyNote,
    SidePattern,
    Variation,
)

__all__ = ["DEFAULT_ROOT", "LibraryError", "load_library"]

DEFAULT_ROOT = Path(__file__).resolve().parent / "library"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DOSAGE_FIELDS = frozenset(
    {"sets", "reps", "hold_s", "sides", "rest_s", "tempo", "rep_hold_s", "final_hold_s"}
)
_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


class LibraryError(ValueError):
    """A library file is missing, is not valid TOML, or does not fit the schema.

    ``file`` is the path relative to the library root; ``field`` the dotted key ("" when the
    problem is the whole file).
    """

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _hint(word: str, options: list[str]) -> str:
    import difflib  # only on the error path: keeps the kiosk's start-up import light

    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class _Table:
    """One TOML table being read; knows its file and dotted path for error messages."""

    def __init__(self, data: Mapping[str, object], file: str, path: str = "") -> None:
        self.data = data
        self.file = file
        self.path = path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> NoReturn:
        raise LibraryError(self.file, self.where(key), message)

    def keys(self, required: str, optional: str = "") -> None:
        """Check the table's keys; both arguments are space-separated key names."""
        allowed = (*required.split(), *optional.split())
        for key in self.data:
            if key not in allowed:
                self.fail(key, f"unknown key{_hint(key, list(allowed))}")
        for key in required.split():
            if key not in self.data:
                self.fail(key, "missing required key")

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str) -> str:
        return self._text(self.data.get(key), key)

    def _text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"expected a non-empty string, got {_show(value)}")
        return value.strip()

    def texts(self, key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"expected a list of strings, got {_show(value)}")
        if not value and not allow_empty:
            self.fail(key, "expected at least one entry, got an empty list")
        items = tuple(self._text(item, f"{key}[{i}]") for i, item in enumerate(value))
        for i, item in enumerate(items):
            if item in items[:i]:
                self.fail(f"{key}[{i}]", f"duplicate entry {_show(item)}")
        return items

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if not _ID.match(value):
            self.fail(key, f"expected lower-case words joined by '-', got {_show(value)}")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value = self.data.get(key)
        if not _is_int(value):
            self.fail(key, f"expected an integer, got {_show(value)}")
        if value < minimum:
            self.fail(key, f"expected at least {minimum}, got {value}")
        return value

    def optional_integer(self, key: str, *, minimum: int = 1) -> int | None:
        return self.integer(key, minimum=minimum) if key in self.data else None

    def int_range(self, key: str, *, minimum: int = 1) -> IntRange:
        value = self.data.get(key)
        expected = "expected an integer or [low, high]"
        if _is_int(value):
            low = high = value
        elif isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value):
            low, high = value
        else:
            self.fail(key, f"{expected}, got {_show(value)}")
        if low < minimum:
            self.fail(key, f"expected at least {minimum}, got {low}")
        if high < low:
            self.fail(key, f"the high end {high} is below the low end {low}")
        return IntRange(low, high)

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_show(value)}")
        return value

    def choice(self, key: str, enum: type[_E]) -> _E:
        value = self.data.get(key)
        try:
            return enum(value if isinstance(value, str) else "")
        except ValueError:
            options = ", ".join(repr(member.value) for member in enum)
            self.fail(key, f"expected one of {options}, got {_show(value)}")

    def table(self, key: str) -> _Table:
        value = self.data.get(key)
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_show(value)}")
        return _Table(value, self.file, self.where(key))

    def tables(self, key: str, *, allow_empty: bool = True) -> list[_Table]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"expected a list of tables ([[{key}]]), got {_show(value)}")
        if not value and not allow_empty:
            self.fail(key, "expected at least one entry, got an empty list")
        return [_Table(v, self.file, self.where(f"{key}[{i}]")) for i, v in enumerate(value)]


# --- exercises ------------------------------------------------------------------------------


def _phase(t: _Table) -> Phase:
    t.keys("name seconds word")
    seconds = t.data["seconds"]
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        t.fail("seconds", f"expected a number of seconds, got {_show(seconds)}")
    if not math.isfinite(seconds) or seconds <= 0:
        t.fail("seconds", f"expected a positive number of seconds, got {_show(seconds)}")
    return Phase(t.text("name"), float(seconds), t.text("word"))


def _dosage(t: _Table) -> Dosage:
    t.keys("sets sides rest_s", "reps hold_s tempo rep_hold_s final_hold_s defaults")
    sets = t.int_range("sets")
    reps = t.int_range("reps") if t.has("reps") else None
    hold_s = t.int_range("hold_s") if t.has("hold_s") else None
    if reps is None and hold_s is None:
        t.fail("reps", "missing: give reps (a repetition exercise) or hold_s (a hold exercise)")
    if reps is not None and hold_s is not None:
        t.fail("hold_s", "a repetition exercise cannot also have hold_s; use rep_hold_s")
    tempo = tuple(_phase(p) for p in t.tables("tempo"))
    if reps is not None and not tempo:
        t.fail("tempo", "a repetition exercise needs at least one [[tempo]] phase")
    rep_hold_s = t.optional_integer("rep_hold_s")
    final_hold_s = t.optional_integer("final_hold_s")
    for key, value in (("rep_hold_s", rep_hold_s), ("final_hold_s", final_hold_s)):
        if value is not None and reps is None:
            t.fail(key, "only a repetition exercise can have this; a hold exercise uses hold_s")
    defaults = t.texts("defaults", allow_empty=True)
    for i, name in enumerate(defaults):
        if name not in _DOSAGE_FIELDS:
            t.fail(f"defaults[{i}]", f"not a dosage field: {_show(name)}")
        if not t.has(name) or (name == "tempo" and not tempo):
            t.fail(f"defaults[{i}]", f"{name!r} is listed as a default but is not given")
    return Dosage(
        sets=sets,
        reps=reps,
        hold_s=hold_s,
        sides=t.choice("sides", SidePattern),
        rest_s=t.integer("rest_s"),
        tempo=tempo,
        rep_hold_s=rep_hold_s,
        final_hold_s=final_hold_s,
        defaults=defaults,
    )


def _variations(t: _Table, key: str, sources: tuple[str, ...]) -> tuple[Variation, ...]:
    found = []
    for v in t.tables(key):
        v.keys("name description source")
        source = v.text("source")
        if source not in sources:
            v.fail("source", f"{source!r} is not one of this exercise's sources")
        found.append(Variation(v.text("name"), v.text("description"), source))
    return tuple(found)


_EXERCISE_REQUIRED = "id name summary position steps key_points dosage safety sources"
_EXERCISE_OPTIONAL = "equipment target_muscles breathing progressions regressions"


def _exercise(t: _Table, stem: str) -> Exercise:
    t.keys(_EXERCISE_REQUIRED, _EXERCISE_OPTIONAL)
    exercise_id = t.ident()
    if exercise_id != stem:
        t.fail("id", f"{exercise_id!r} does not match the file name {stem!r}")
    sources = t.texts("sources")
    return Exercise(
        id=exercise_id,
        name=t.text("name"),
        summary=t.text("summary"),
        position=t.choice("position", Position),
        equipment=t.texts("equipment", allow_empty=True),
        target_muscles=t.texts("target_muscles", allow_empty=True),
        steps=t.texts("steps"),
        key_points=t.texts("key_points"),
        breathing=t.texts("breathing", allow_empty=True),
        dosage=_dosage(t.table("dosage")),
        progressions=_variations(t, "progressions", sources),
        regressions=_variations(t, "regressions", sources),
        safety=t.texts("safety"),
        sources=sources,
    )


# --- assessments, routines, safety ----------------------------------------------------------


def _assessment(t: _Table) -> Assessment:
    t.keys("id name summary position steps hold_s sides watch_for safety sources")
    return Assessment(
        id=t.ident(),
        name=t.text("name"),
        summary=t.text("summary"),
        position=t.choice("position", Position),
        steps=t.texts("steps"),
        hold_s=t.integer("hold_s", minimum=1),
        sides=t.choice("sides", SidePattern),
        watch_for=t.texts("watch_for"),
        safety=t.texts("safety"),
        sources=t.texts("sources"),
    )


def _routine(t: _Table, exercises: Mapping[str, Exercise]) -> Routine:
    t.keys("id name summary exercise_ids side_series rest_s sources", "notes")
    ids = t.texts("exercise_ids")
    for i, exercise_id in enumerate(ids):
        if exercise_id not in exercises:
            hint = _hint(exercise_id, list(exercises))
            t.fail(f"exercise_ids[{i}]", f"no exercise with id {exercise_id!r}{hint}")
    return Routine(
        id=t.ident(),
        name=t.text("name"),
        summary=t.text("summary"),
        exercise_ids=ids,
        side_series=t.flag("side_series"),
        rest_s=t.integer("rest_s"),
        notes=t.texts("notes", allow_empty=True),
        sources=t.texts("sources"),
    )


def _safety_note(t: _Table) -> SafetyNote:
    t.keys("text source")
    return SafetyNote(t.text("text"), t.text("source"))


def _fact(t: _Table) -> Fact:
    t.keys("text source")
    return Fact(t.text("text"), t.text("source"))


# --- files ----------------------------------------------------------------------------------


def _read(root: Path, relative: str) -> _Table:
    path = root / relative
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise LibraryError(relative, "", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(relative, "", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(relative, "", f"cannot read the file: {exc}") from None
    return _Table(data, relative)


def _by_id(file: str, key: str, items: list[tuple[str, _T]]) -> dict[str, _T]:
    found: dict[str, _T] = {}
    for i, (item_id, item) in enumerate(items):
        if item_id in found:
            raise LibraryError(file, f"{key}[{i}].id", f"duplicate id {item_id!r}")
        found[item_id] = item
    return found


def _load(root: Path) -> Library:
    folder = root / "exercises"
    if not folder.is_dir():
        raise LibraryError("exercises", "", f"no exercises folder in {root}")
    exercises: dict[str, Exercise] = {}
    for path in sorted(folder.iterdir()):
        relative = f"exercises/{path.name}"
        if path.name.startswith("."):
            continue
        if path.suffix != ".toml" or not path.is_file():
            raise LibraryError(relative, "", "only <id>.toml files belong in exercises/")
        exercise = _exercise(_read(root, relative), path.stem)
        exercises[exercise.id] = exercise
    if not exercises:
        raise LibraryError("exercises", "", "the exercises folder has no .toml files")

    file = "assessments.toml"
    t = _read(root, file)
    t.keys("assessments")
    found = [_assessment(a) for a in t.tables("assessments")]
    assessments = _by_id(file, "assessments", [(a.id, a) for a in found])

    file = "routines.toml"
    t = _read(root, file)
    t.keys("routines")
    listed = [_routine(r, exercises) for r in t.tables("routines")]
    routines = _by_id(file, "routines", [(r.id, r) for r in listed])

    t = _read(root, "safety.toml")
    t.keys("notes")
    safety = tuple(_safety_note(n) for n in t.tables("notes", allow_empty=False))

    t = _read(root, "facts.toml")
    t.keys("facts")
    facts = tuple(_fact(f) for f in t.tables("facts", allow_empty=False))
    return Library(exercises, assessments, routines, safety, facts)


@functools.lru_cache(maxsize=1)
def _default_library() -> Library:
    return _load(DEFAULT_ROOT)


def load_library(root: Path | None = None) -> Library:
    """Load and validate the library at ``root`` (default: the packaged ``media/library``).

    The default library is loaded once and cached; treat it as read-only. Raises
    :class:`LibraryError` naming the file and the field of the first problem found.
    """
    if root is None or Path(root).resolve() == DEFAULT_ROOT:
        return _default_library()
    return _load(Path(root))
