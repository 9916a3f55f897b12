"""Translations of the library: text-only overlays merged over the English at load.

A translation lives in a folder named for its language beside the English files (see
``docs/languages.md``)::

    library/es/
        exercises/<id>.toml   name, summary, steps, key_points, breathing, safety, tempo
                              (the spoken words of dosage.tempo, in order), [[progressions]]
                              and [[regressions]] (name, description), in the English order
        assessments.toml      [assessments.<id>] name, summary, steps, watch_for, safety
        routines.toml         [routines.<id>] name, summary, notes
        safety.toml           notes = [...]   in the order of the English [[notes]]
        facts.toml            facts = [...]   in the order of the English [[facts]]

A translation holds text only. Doses, tempo seconds, ids, sources, equipment and positions stay
in the English files, the one source of truth, and a translation that names one is refused.
Every English text must have its translation (and no more): lists have the English length, and
each translated text keeps the English text's ``{placeholders}`` and its digits, so a
translation can neither lose a field nor change a number. Problems raise
:class:`~media.tables.LibraryError` naming the file and the key, like the English files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from media.schema import Assessment, Exercise, Fact, Library, Routine, SafetyNote, Variation
from media.tables import LibraryError, Table, hint, read_table, show

__all__ = [
    "ENGLISH",
    "FINGERPRINTS",
    "LANGUAGE_PATTERN",
    "english_texts",
    "fingerprints",
    "library_languages",
    "translate",
]

ENGLISH = "en"
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

# In each translation folder: a fingerprint of every English text the translation was written
# from, so a test can say which translations to look at again after the English changes.
FINGERPRINTS = "FINGERPRINTS"

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_NUMBER = re.compile(r"\d+")
_T = TypeVar("_T")

# Keys of the English files that a translation must not repeat: numbers, ids and references.
_ENGLISH_ONLY = frozenset(
    {
        "id",
        "position",
        "equipment",
        "target_muscles",
        "sources",
        "source",
        "dosage",
        "sets",
        "reps",
        "hold_s",
        "sides",
        "rest_s",
        "exercise_ids",
        "side_series",
        "text",
    }
)


def library_languages(root: Path) -> tuple[str, ...]:
    """English, then every language with a translation folder in ``root``, sorted."""
    found = sorted(
        path.name
        for path in root.iterdir()
        if path.is_dir() and LANGUAGE_PATTERN.match(path.name) and path.name != ENGLISH
    )
    return (ENGLISH, *found)


def _marks(text: str) -> tuple[list[str], list[str]]:
    return sorted(_PLACEHOLDER.findall(text)), sorted(_NUMBER.findall(text))


class _Overlay:
    """One translated table, read against the English it translates."""

    def __init__(self, table: Table, english_file: str) -> None:
        self.table = table
        self.english_file = english_file

    def keys(self, wanted: Mapping[str, bool]) -> None:
        """``wanted``: every translatable key, and whether the English has it (so it is due)."""
        t = self.table
        for key in t.data:
            if key in wanted and not wanted[key]:
                t.fail(key, f"the English ({self.english_file}) has no {key}: remove it")
            if key in _ENGLISH_ONLY:
                t.fail(key, f"not translated: it stays in {self.english_file} only")
            if key not in wanted:
                t.fail(key, f"unknown key{hint(key, [k for k, due in wanted.items() if due])}")
        for key, due in wanted.items():
            if due and key not in t.data:
                t.fail(key, f"missing: {self.english_file} has it, so its translation is due")

    def text(self, key: str, english: str) -> str:
        return _checked(self.table, key, self.table.data.get(key), english)

    def texts(self, key: str, english: tuple[str, ...]) -> tuple[str, ...]:
        return _texts(self.table, key, english)

    def variations(self, key: str, english: tuple[Variation, ...]) -> tuple[Variation, ...]:
        tables = self.table.tables(key)
        _same_length(self.table, key, len(tables), len(english))
        found = []
        for table, variation in zip(tables, english, strict=True):
            overlay = _Overlay(table, self.english_file)
            overlay.keys({"name": True, "description": True})
            found.append(
                dataclasses.replace(
                    variation,
                    name=overlay.text("name", variation.name),
                    description=overlay.text("description", variation.description),
                )
            )
        return tuple(found)


def _same_length(t: Table, key: str, got: int, english: int) -> None:
    if got != english:
        entries = "entry" if english == 1 else "entries"
        t.fail(key, f"expected {english} {entries}, as in the English, got {got}")


def _checked(t: Table, where: str, value: object, english: str) -> str:
    if not isinstance(value, str) or not value.strip():
        t.fail(where, f"expected a non-empty string, got {show(value)}")
    text = value.strip()
    (english_fields, english_numbers), (fields, numbers) = _marks(english), _marks(text)
    if fields != english_fields:
        t.fail(where, f"the placeholders {fields} differ from the English {english_fields}")
    if numbers != english_numbers:
        t.fail(
            where,
            f"the numbers {numbers} differ from the English {english_numbers}: numbers stay "
            "in the English file; write the text around them",
        )
    return text


def _texts(t: Table, key: str, english: tuple[str, ...]) -> tuple[str, ...]:
    value = t.data.get(key)
    if not isinstance(value, list):
        t.fail(key, f"expected a list of strings, got {show(value)}")
    _same_length(t, key, len(value), len(english))
    return tuple(
        _checked(t, f"{key}[{i}]", item, source)
        for i, (item, source) in enumerate(zip(value, english, strict=True))
    )


# --- the files ------------------------------------------------------------------------------


def _exercise(t: Table, english: Exercise) -> Exercise:
    overlay = _Overlay(t, f"exercises/{english.id}.toml")
    overlay.keys(
        {
            "name": True,
            "summary": True,
            "steps": True,
            "key_points": True,
            "safety": True,
            "breathing": bool(english.breathing),
            "tempo": bool(english.dosage.tempo),
            "progressions": bool(english.progressions),
            "regressions": bool(english.regressions),
        }
    )
    tempo = english.dosage.tempo
    if tempo:
        words = overlay.texts("tempo", tuple(phase.word for phase in tempo))
        tempo = tuple(
            dataclasses.replace(phase, word=word) for phase, word in zip(tempo, words, strict=True)
        )
    return dataclasses.replace(
        english,
        name=overlay.text("name", english.name),
        summary=overlay.text("summary", english.summary),
        steps=overlay.texts("steps", english.steps),
        key_points=overlay.texts("key_points", english.key_points),
        breathing=overlay.texts("breathing", english.breathing) if english.breathing else (),
        safety=overlay.texts("safety", english.safety),
        dosage=dataclasses.replace(english.dosage, tempo=tempo),
        progressions=overlay.variations("progressions", english.progressions),
        regressions=overlay.variations("regressions", english.regressions),
    )


def _assessment(t: Table, english: Assessment) -> Assessment:
    overlay = _Overlay(t, "assessments.toml")
    overlay.keys(dict.fromkeys(("name", "summary", "steps", "watch_for", "safety"), True))
    return dataclasses.replace(
        english,
        name=overlay.text("name", english.name),
        summary=overlay.text("summary", english.summary),
        steps=overlay.texts("steps", english.steps),
        watch_for=overlay.texts("watch_for", english.watch_for),
        safety=overlay.texts("safety", english.safety),
    )


def _routine(t: Table, english: Routine) -> Routine:
    overlay = _Overlay(t, "routines.toml")
    overlay.keys({"name": True, "summary": True, "notes": bool(english.notes)})
    return dataclasses.replace(
        english,
        name=overlay.text("name", english.name),
        summary=overlay.text("summary", english.summary),
        notes=overlay.texts("notes", english.notes) if english.notes else (),
    )


def _keyed(
    t: Table, key: str, english: Mapping[str, _T], merge: Callable[[Table, _T], _T]
) -> dict[str, _T]:
    """A file of ``[key.<id>]`` tables: one per English id, no others."""
    t.keys(key)
    by_id = t.table(key)
    for item_id in by_id.data:
        if item_id not in english:
            by_id.fail(item_id, f"no such id in the English{hint(item_id, list(english))}")
    found: dict[str, _T] = {}
    for item_id, item in english.items():
        if item_id not in by_id.data:
            by_id.fail(item_id, "missing: every English entry needs its translation")
        found[item_id] = merge(by_id.table(item_id), item)
    return found


def translate(english: Library, root: Path, language: str) -> Library:
    """``english`` (loaded from ``root``) with its text replaced by the ``language`` overlay."""
    if not LANGUAGE_PATTERN.match(language) or language == ENGLISH:
        raise LibraryError(language, "", "not a language code such as 'es' or 'pt_BR'")
    if not (root / language).is_dir():
        available = ", ".join(library_languages(root))
        raise LibraryError(language, "", f"no translation of the library (available: {available})")

    folder = f"{language}/exercises"
    if not (root / folder).is_dir():
        raise LibraryError(folder, "", "no exercises folder in the translation")
    for path in sorted((root / folder).iterdir()):
        if path.name.startswith("."):
            continue
        relative = f"{folder}/{path.name}"
        if path.suffix != ".toml" or not path.is_file():
            raise LibraryError(relative, "", "only <id>.toml files belong in exercises/")
        if path.stem not in english.exercises:
            suggestion = hint(path.stem, list(english.exercises))
            raise LibraryError(relative, "", f"no exercise with id {path.stem!r}{suggestion}")
    exercises: dict[str, Exercise] = {}
    for exercise_id, exercise in english.exercises.items():
        relative = f"{folder}/{exercise_id}.toml"
        if not (root / relative).is_file():
            raise LibraryError(relative, "", "file not found: every exercise needs its translation")
        exercises[exercise_id] = _exercise(read_table(root, relative), exercise)

    assessments = _keyed(
        read_table(root, f"{language}/assessments.toml"),
        "assessments",
        english.assessments,
        _assessment,
    )
    routines = _keyed(
        read_table(root, f"{language}/routines.toml"), "routines", english.routines, _routine
    )

    t = read_table(root, f"{language}/safety.toml")
    t.keys("notes")
    notes = _texts(t, "notes", tuple(note.text for note in english.safety))
    safety = tuple(
        SafetyNote(text, note.source) for text, note in zip(notes, english.safety, strict=True)
    )

    t = read_table(root, f"{language}/facts.toml")
    t.keys("facts")
    texts = _texts(t, "facts", tuple(fact.text for fact in english.facts))
    facts = tuple(Fact(text, fact.source) for text, fact in zip(texts, english.facts, strict=True))
    return Library(exercises, assessments, routines, safety, facts, language=language)


# --- what was translated from what -----------------------------------------------------------


def english_texts(english: Library) -> dict[str, str]:
    """Every translatable English text, keyed ``"<file>: <key>"`` as the translation names it."""
    found: dict[str, str] = {}

    def add(file: str, key: str, texts: tuple[str, ...] | str) -> None:
        if isinstance(texts, str):
            found[f"{file}: {key}"] = texts
        else:
            for i, text in enumerate(texts):
                found[f"{file}: {key}[{i}]"] = text

    for e in english.exercises.values():
        file = f"exercises/{e.id}.toml"
        for key in ("name", "summary", "steps", "key_points", "breathing", "safety"):
            add(file, key, getattr(e, key))
        add(file, "tempo", tuple(phase.word for phase in e.dosage.tempo))
        for kind in ("progressions", "regressions"):
            for i, v in enumerate(getattr(e, kind)):
                add(file, f"{kind}[{i}].name", v.name)
                add(file, f"{kind}[{i}].description", v.description)
    for a in english.assessments.values():
        for key in ("name", "summary", "steps", "watch_for", "safety"):
            add("assessments.toml", f"assessments.{a.id}.{key}", getattr(a, key))
    for r in english.routines.values():
        for key in ("name", "summary", "notes"):
            add("routines.toml", f"routines.{r.id}.{key}", getattr(r, key))
    add("safety.toml", "notes", tuple(note.text for note in english.safety))
    add("facts.toml", "facts", tuple(fact.text for fact in english.facts))
    return found


def fingerprints(english: Library) -> str:
    """The text of a ``FINGERPRINTS`` file for ``english``: one ``<digest>  <key>`` a line."""
    lines = [
        f"{hashlib.sha256(text.encode()).hexdigest()[:12]}  {key}"
        for key, text in sorted(english_texts(english).items())
    ]
    return "\n".join(lines) + "\n"
