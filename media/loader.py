"""Loads and validates the exercise library.

The library is a folder of TOML files (see ``docs/library.md``)::

    library/
        exercises/<id>.toml   one exercise per file; the file name is the id
        assessments.toml      [[assessments]] tables
        routines.toml         [[routines]] tables
        safety.toml           [[notes]] tables
        facts.toml            [[facts]] tables (short facts for the attract screen)
        <language>/...        a translation: text only, merged over the English
                              (see :mod:`media.translations`)

Every file is checked against :mod:`media.schema`: unknown or missing keys, wrong types, bad
enum values, bad ranges, ids that do not match their file, routines that name unknown exercises.
Any problem raises :class:`LibraryError`, whose message starts with the file and the field, e.g.
``exercises/clamshell.toml: dosage.reps: expected an integer or [low, high], got 'ten'``.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from media.schema import (
    Assessment,
    Dosage,
    Exercise,
    Fact,
    Library,
    Phase,
    Position,
    Routine,
    SafetyNote,
    SidePattern,
    Variation,
)
from media.tables import LibraryError, Table, hint, read_table, show
from media.translations import ENGLISH, translate
from media.translations import library_languages as _languages

__all__ = [
    "DEFAULT_ROOT",
    "ENGLISH",
    "LibraryError",
    "library_languages",
    "load_library",
    "load_library_or_english",
]

DEFAULT_ROOT = Path(__file__).resolve().parent / "library"

_DOSAGE_FIELDS = frozenset(
    {"sets", "reps", "hold_s", "sides", "rest_s", "tempo", "rep_hold_s", "final_hold_s"}
)
_T = TypeVar("_T")
log = logging.getLogger(__name__)


# --- exercises ------------------------------------------------------------------------------


def _phase(t: Table) -> Phase:
    t.keys("name seconds word")
    seconds = t.data["seconds"]
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        t.fail("seconds", f"expected a number of seconds, got {show(seconds)}")
    if not math.isfinite(seconds) or seconds <= 0:
        t.fail("seconds", f"expected a positive number of seconds, got {show(seconds)}")
    return Phase(t.text("name"), float(seconds), t.text("word"))


def _dosage(t: Table) -> Dosage:
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
            t.fail(f"defaults[{i}]", f"not a dosage field: {show(name)}")
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


def _variations(t: Table, key: str, sources: tuple[str, ...]) -> tuple[Variation, ...]:
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


def _exercise(t: Table, stem: str) -> Exercise:
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


def _assessment(t: Table) -> Assessment:
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


def _routine(t: Table, exercises: Mapping[str, Exercise]) -> Routine:
    t.keys("id name summary exercise_ids side_series rest_s sources", "notes")
    ids = t.texts("exercise_ids")
    for i, exercise_id in enumerate(ids):
        if exercise_id not in exercises:
            suggestion = hint(exercise_id, list(exercises))
            t.fail(f"exercise_ids[{i}]", f"no exercise with id {exercise_id!r}{suggestion}")
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


def _safety_note(t: Table) -> SafetyNote:
    t.keys("text source")
    return SafetyNote(t.text("text"), t.text("source"))


def _fact(t: Table) -> Fact:
    t.keys("text source")
    return Fact(t.text("text"), t.text("source"))


# --- files ----------------------------------------------------------------------------------


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
        exercise = _exercise(read_table(root, relative), path.stem)
        exercises[exercise.id] = exercise
    if not exercises:
        raise LibraryError("exercises", "", "the exercises folder has no .toml files")

    file = "assessments.toml"
    t = read_table(root, file)
    t.keys("assessments")
    found = [_assessment(a) for a in t.tables("assessments")]
    assessments = _by_id(file, "assessments", [(a.id, a) for a in found])

    file = "routines.toml"
    t = read_table(root, file)
    t.keys("routines")
    listed = [_routine(r, exercises) for r in t.tables("routines")]
    routines = _by_id(file, "routines", [(r.id, r) for r in listed])

    t = read_table(root, "safety.toml")
    t.keys("notes")
    safety = tuple(_safety_note(n) for n in t.tables("notes", allow_empty=False))

    t = read_table(root, "facts.toml")
    t.keys("facts")
    facts = tuple(_fact(f) for f in t.tables("facts", allow_empty=False))
    return Library(exercises, assessments, routines, safety, facts)


@functools.cache
def _default_library(language: str) -> Library:
    if language == ENGLISH:
        return _load(DEFAULT_ROOT)
    return translate(_default_library(ENGLISH), DEFAULT_ROOT, language)


def load_library(root: Path | None = None, language: str = ENGLISH) -> Library:
    """Load and validate the library at ``root`` (default: the packaged ``media/library``).

    ``language`` other than ``"en"`` merges that translation (``root/<language>/``) over the
    English: the same exercises, doses and ids, with the text in that language, and
    ``Library.language`` set. The default library is loaded once per language and cached; treat
    it as read-only. Raises :class:`LibraryError` naming the file and the field of the first
    problem found, in the English files or in the translation (also when the language has no
    translation: see :func:`library_languages`, or use :func:`load_library_or_english`).
    """
    if root is None or Path(root).resolve() == DEFAULT_ROOT:
        return _default_library(language)
    english = _load(Path(root))
    return english if language == ENGLISH else translate(english, Path(root), language)


def library_languages(root: Path | None = None) -> tuple[str, ...]:
    """The languages the library at ``root`` can be loaded in: ``"en"`` first, then sorted."""
    return _languages(DEFAULT_ROOT if root is None else Path(root))


def load_library_or_english(language: str, root: Path | None = None) -> Library:
    """The library in ``language`` if it has that translation, else the English one.

    For the kiosk: a language with no library translation (the pseudo-language, or a catalog
    language whose library is not translated yet) shows the exercises in English, and a broken
    translation is logged and degrades to English rather than stopping the kiosk. Problems in
    the English files still raise :class:`LibraryError`.
    """
    english = load_library(root)
    if language == ENGLISH:
        return english
    if language not in library_languages(root):
        _log_once(str(root), f"the library has no {language!r} translation; it stays in English")
        return english
    try:
        return load_library(root, language)
    except LibraryError as exc:
        _log_once(
            str(root), f"the library's {language!r} translation is broken, using English: {exc}"
        )
        return english


@functools.cache
def _log_once(root: str, message: str) -> None:
    """Log ``message`` once per library folder: the kiosk asks again for every patient."""
    log.warning("%s", message)
