"""The library in Spanish: every English text translated, numbers in one place, clear errors."""

from __future__ import annotations

import dataclasses
import logging
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.prescription import Prescription, ProgramItemSpec, build_program
from media.loader import (
    DEFAULT_ROOT,
    LibraryError,
    library_languages,
    load_library,
    load_library_or_english,
)
from media.schema import Library
from media.translations import FINGERPRINTS, english_texts, fingerprints
from tests.media.test_loader import edit

ES = DEFAULT_ROOT / "es"

# Every str field of the schema is either translated or kept as the English has it. A new text
# field in media/schema.py fails test_every_text_field_is_classified until it is put in one.
TRANSLATED = {
    ("Exercise", "name"),
    ("Exercise", "summary"),
    ("Exercise", "steps"),
    ("Exercise", "key_points"),
    ("Exercise", "breathing"),
    ("Exercise", "safety"),
    ("Phase", "word"),
    ("Variation", "name"),
    ("Variation", "description"),
    ("Assessment", "name"),
    ("Assessment", "summary"),
    ("Assessment", "steps"),
    ("Assessment", "watch_for"),
    ("Assessment", "safety"),
    ("Routine", "name"),
    ("Routine", "summary"),
    ("Routine", "notes"),
    ("SafetyNote", "text"),
    ("Fact", "text"),
}
KEPT = {
    ("Exercise", "id"),
    ("Exercise", "position"),
    ("Exercise", "equipment"),
    ("Exercise", "target_muscles"),
    ("Exercise", "sources"),
    ("Phase", "name"),
    ("Dosage", "sides"),
    ("Dosage", "defaults"),
    ("Variation", "source"),
    ("Assessment", "id"),
    ("Assessment", "position"),
    ("Assessment", "sides"),
    ("Assessment", "sources"),
    ("Routine", "id"),
    ("Routine", "exercise_ids"),
    ("Routine", "sources"),
    ("SafetyNote", "source"),
    ("Fact", "source"),
}

SPANISH_NAMES = {
    "ball-squeeze-squat": "Sentadilla apretando una pelota",
    "bicycle-to-sidekick": "Bicicleta y patada lateral",
    "big-leg-lifts": "Elevaciones amplias de pierna",
    "clamshell": "La almeja",
    "four-point-hip-abduction": "Elevación lateral de pierna en cuatro apoyos",
    "functional-clamshell": "Almeja de pie con banda",
    "lateral-band-walk": "Pasos laterales con banda",
    "leg-circles-clockwise": "Círculos de pierna, sentido horario",
    "leg-circles-counterclockwise": "Círculos de pierna, sentido antihorario",
    "prone-straddle-hold": "Boca abajo: levantar y abrir las piernas",
    "side-lying-lift-and-sweep": "De lado: levantar y llevar atrás",
    "small-leg-raises": "Elevaciones cortas de pierna",
    "standing-ball-squeeze": "Presión de pelota, de pie",
    "standing-lateral-leg-raise": "Elevación lateral de pierna, de pie",
    "standing-wall-press": "Presión contra la pared, de pie",
}


def leaves(
    value: object, path: str = "", owner: str = "", field: str = ""
) -> Iterator[tuple[str, str, str, str]]:
    """Every str in a Library: (path, owner class, field name, text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            name = type(value).__name__
            yield from leaves(getattr(value, f.name), f"{path}.{f.name}", name, f.name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}[{key}]", owner, field)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]", owner, field)
    elif isinstance(value, str) and owner != "Library":
        yield path, owner, field, value


def texts(lib: Library) -> dict[str, tuple[tuple[str, str], str]]:
    return {path: ((owner, field), text) for path, owner, field, text in leaves(lib)}


@pytest.fixture(scope="module")
def en() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def es() -> Library:
    return load_library(language="es")


# --- the shipped translation ----------------------------------------------------------------


def test_the_languages() -> None:
    assert library_languages() == ("en", "es")
    assert load_library().language == "en"
    assert load_library(language="es").language == "es"


def test_each_language_is_loaded_once_and_english_is_unchanged(en: Library, es: Library) -> None:
    assert load_library(language="es") is es
    assert load_library(language="en") is en is load_library()
    assert en.exercise("clamshell").name == "Clamshell"
    assert en.exercise("clamshell").dosage.tempo[0].word == "Open"


def test_spanish_names_for_every_exercise_and_the_balance_check(es: Library) -> None:
    assert {i: e.name for i, e in es.exercises.items()} == SPANISH_NAMES
    assert es.assessments["single-leg-stance"].name == "Prueba de equilibrio sobre una pierna"
    assert es.routines["three-minute-hip-series"].name == "Circuito de cadera de tres minutos"
    assert es.exercise("clamshell").dosage.tempo[0].word == "Abra"


def test_every_text_field_is_classified(en: Library) -> None:
    seen = {kind for kind, _ in texts(en).values()}
    assert not TRANSLATED & KEPT
    assert seen <= TRANSLATED | KEPT, seen - TRANSLATED - KEPT


def test_every_english_text_has_its_spanish_and_nothing_else_changes(
    en: Library, es: Library
) -> None:
    """Same structure (every list as long), every text translated, every other value equal."""
    english, spanish = texts(en), texts(es)
    assert english.keys() == spanish.keys()
    untranslated = []
    for path, (kind, text) in english.items():
        if kind in TRANSLATED and spanish[path][1] == text:
            untranslated.append((path, text))
        if kind in KEPT:
            assert spanish[path][1] == text, path
    assert not untranslated
    # And apart from the text, the two libraries are the same: doses, seconds, ids, sources.
    numbers = [(p, v) for p, v in numeric_leaves(en)]
    assert numbers == list(numeric_leaves(es))
    assert len(numbers) > 50


def numeric_leaves(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from numeric_leaves(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from numeric_leaves(item, f"{path}[{key}]")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from numeric_leaves(item, f"{path}[{i}]")
    elif isinstance(value, int | float | bool) or value is None:
        yield path, value


def _raw_values(value: object, where: str) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _raw_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _raw_values(item, f"{where}[{i}]")
    else:
        yield where, value


def test_the_translation_files_hold_text_only() -> None:
    files = sorted(ES.rglob("*.toml"))
    assert len(files) == 15 + 4
    for path in files:
        with path.open("rb") as f:
            for where, value in _raw_values(tomllib.load(f), path.name):
                assert isinstance(value, str), (where, value)


def test_the_fingerprints_cover_every_translated_text(en: Library, es: Library) -> None:
    translated = [path for path, (kind, _) in texts(en).items() if kind in TRANSLATED]
    assert len(english_texts(en)) == len(translated)
    assert len(english_texts(es)) == len(translated)


def _by_key(fingerprint_file: str) -> dict[str, str]:
    found = {}
    for line in fingerprint_file.splitlines():
        digest, key = line.split("  ", 1)
        found[key] = digest
    return found


def test_the_spanish_was_written_from_the_english_as_it_is(en: Library, es: Library) -> None:
    """An English text changed since its Spanish was written: look at the Spanish again."""
    recorded = _by_key((ES / FINGERPRINTS).read_text(encoding="utf-8"))
    now = _by_key(fingerprints(en))
    spanish = english_texts(es)
    stale = [
        f"{key}: English {english_texts(en)[key]!r}, Spanish {spanish[key]!r}"
        for key in now
        if recorded.get(key) != now[key]
    ]
    assert not stale, (
        "these English texts changed since their Spanish was written; check the Spanish, then "
        "run `python tools/library_fingerprints.py es`:\n" + "\n".join(stale)
    )


def test_a_changed_english_text_is_noticed(en: Library) -> None:
    changed = dataclasses.replace(
        en,
        facts=(dataclasses.replace(en.facts[0], text="Something else."), *en.facts[1:]),
    )
    before = set(fingerprints(en).splitlines())
    assert [
        line.split("  ")[1] for line in fingerprints(changed).splitlines() if line not in before
    ] == ["facts.toml: facts[0]"]


def test_digits_in_a_translation_are_exactly_the_english_ones(en: Library, es: Library) -> None:
    spanish = texts(es)
    for path, (_, text) in texts(en).items():
        digits = sorted(re.findall(r"\d+", text))
        assert sorted(re.findall(r"\d+", spanish[path][1])) == digits, path


def test_spanish_builds_the_same_prescriptions_and_programs(en: Library, es: Library) -> None:
    for exercise_id, exercise in es.exercises.items():
        spanish, english = (
            Prescription.from_exercise(exercise),
            Prescription.from_exercise(en.exercise(exercise_id)),
        )
        assert (spanish.sets, spanish.reps, spanish.hold_s) == (
            english.sets,
            english.reps,
            english.hold_s,
        )
    r = es.routines["three-minute-hip-series"]
    items = [ProgramItemSpec(exercise_id=i) for i in r.exercise_ids]
    program = build_program(r.name, items, es.exercises, side_series=r.side_series)
    assert program.name == "Circuito de cadera de tres minutos"
    assert [p.exercise_id for p in program.items] == list(r.exercise_ids)


# --- the Spanish itself ---------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-záéíóúüñ]+", text.lower())


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", text) if s]


def test_spanish_is_short_enough_to_read_aloud(es: Library) -> None:
    """The English limits (20 words a sentence, 12 a key point, 20 a fact) plus a fifth."""
    for e in es.exercises.values():
        for line in (*e.steps, *e.key_points, *e.breathing, *e.safety):
            for sentence in _sentences(line):
                assert len(sentence.split()) <= 24, (e.id, sentence)
        for point in e.key_points:
            assert len(point.split()) <= 15, (e.id, point)
    for fact in es.facts:
        assert len(fact.text.split()) <= 24, fact.text


def test_spanish_speaks_as_usted(es: Library) -> None:
    """Respectful register: no tú pronouns or possessives anywhere."""
    familiar = {"tú", "tu", "tus", "te", "ti", "contigo", "tuyo", "tuya"}
    for path, (_, text) in texts(es).items():
        assert not familiar & set(_words(text)), (path, text)


# One term per thing, as listed in docs/languages.md: (avoided word, the term we use).
AVOIDED = [
    ("esterilla", "colchoneta"),
    ("tapete", "colchoneta"),
    ("balón", "pelota"),
    ("goma", "banda elástica"),
    ("cinta", "banda elástica"),
    ("liga", "banda elástica"),
    ("nalga", "glúteo"),
    ("nalgas", "glúteos"),
    ("repeticion", "repetición"),
    ("acostado", "acuéstese (gender-neutral)"),
    ("acostada", "acuéstese (gender-neutral)"),
    ("apoyado", "apóyese (gender-neutral)"),
    ("tumbado", "acuéstese"),
    ("tumbese", "acuéstese"),
    ("túmbese", "acuéstese"),
]


def test_spanish_keeps_to_the_chosen_terms(es: Library) -> None:
    for path, (_, text) in texts(es).items():
        words = set(_words(text))
        for avoided, term in AVOIDED:
            assert avoided not in words, f"{path}: {avoided!r} → use {term!r}: {text}"


# --- validation of a translation ------------------------------------------------------------

CLAM = "es/exercises/clamshell.toml"


def expect_error(root: Path, file: str, field: str, language: str = "es") -> LibraryError:
    with pytest.raises(LibraryError) as info:
        load_library(root, language)
    err = info.value
    assert (err.file, err.field) == (file, field), str(err)
    assert str(err).startswith(f"{file}: {field}: " if field else f"{file}: ")
    return err


def test_a_copy_loads_like_the_original(library_copy: Path, es: Library) -> None:
    assert load_library(library_copy, "es") == es


BAD_TRANSLATIONS = [
    # (file, regex to replace, replacement, field named in the error, words in the message)
    (CLAM, r'^    "Mantenga los pies juntos.",\n', "", "key_points", "expected 4 entries"),
    (CLAM, r"^name = \"La almeja\"$", 'name = "La almeja"\nsets = 3', "sets", "stays in"),
    (CLAM, r"^name = \"La almeja\"$", 'name = "La almeja"\nid = "clamshell"', "id", "stays in"),
    (
        CLAM,
        r"^name = \"La almeja\"$",
        'name = "La almeja"\nnmae = "x"',
        "nmae",
        "did you mean 'name'",
    ),
    (CLAM, r"^name = \"La almeja\"$", "name = 3", "name", "non-empty string"),
    (CLAM, r"^name = \"La almeja\"$", 'name = "  "', "name", "non-empty string"),
    (CLAM, r"^summary = .*\n", "", "summary", "missing"),
    (CLAM, r"^breathing = .*\n", "", "breathing", "missing"),
    (CLAM, r"^tempo = .*$", 'tempo = ["Abra"]', "tempo", "expected 2 entries"),
    (CLAM, r'"Abra"', '"Abra {lado}"', "tempo[0]", "placeholders"),
    (CLAM, r'"Mantenga los pies juntos."', '"Junte los pies 3 veces."', "key_points[0]", "numbers"),
    (
        CLAM,
        r'^name = "Banda ligera"$',
        'name = "Banda ligera"\nsource = "x"',
        "progressions[0].source",
        "stays in",
    ),
    (CLAM, r'^name = "Banda ligera"\n', "", "progressions[0].name", "missing"),
    (
        CLAM,
        r"^name = \"La almeja\"$",
        'name = "La almeja"\nregressions = []',
        "regressions",
        "has no regressions",
    ),
    (
        "es/exercises/standing-wall-press.toml",
        r"^name = .*$",
        'name = "Presión"\nbreathing = ["Respire."]',
        "breathing",
        "has no breathing",
    ),
    (
        "es/assessments.toml",
        r"^watch_for = \[(.|\n)*?^\]\n",
        "",
        "assessments.single-leg-stance.watch_for",
        "missing",
    ),
    (
        "es/assessments.toml",
        r"single-leg-stance\]",
        "single-leg-stand]",
        "assessments.single-leg-stand",
        "did you mean 'single-leg-stance'",
    ),
    (
        "es/routines.toml",
        r"^summary = .*\n",
        "",
        "routines.three-minute-hip-series.summary",
        "missing",
    ),
    ("es/routines.toml", r"^\[routines\.", "[routine.", "routine", "unknown key"),
    (
        "es/safety.toml",
        r'^    "Ninguno de estos ejercicios debe doler.",\n',
        "",
        "notes",
        "expected 8 entries",
    ),
    (
        "es/facts.toml",
        r"^facts = \[",
        'facts = [\n    "Un dato más.",',
        "facts",
        "expected 8 entries",
    ),
]


@pytest.mark.parametrize(("file", "pattern", "replacement", "field", "words"), BAD_TRANSLATIONS)
def test_a_bad_translation_names_file_and_field(
    library_copy: Path, file: str, pattern: str, replacement: str, field: str, words: str
) -> None:
    edit(library_copy, file, pattern, replacement)
    err = expect_error(library_copy, file, field)
    assert words in str(err)


def test_an_english_step_without_its_spanish_is_an_error(library_copy: Path) -> None:
    """The completeness check: adding English text without its translation fails the load."""
    edit(
        library_copy,
        "exercises/clamshell.toml",
        r'^    "Keep your feet together.",$',
        '    "Keep your feet together.",\n    "Keep your head down.",',
    )
    err = expect_error(library_copy, CLAM, "key_points")
    assert "expected 5 entries, as in the English, got 4" in str(err)
    load_library(library_copy)  # the English itself is fine


def test_a_new_english_exercise_needs_its_translation(library_copy: Path) -> None:
    english = library_copy / "exercises"
    (english / "clamshell-two.toml").write_text(
        (english / "clamshell.toml")
        .read_text(encoding="utf-8")
        .replace('id = "clamshell"', 'id = "clamshell-two"'),
        encoding="utf-8",
    )
    err = expect_error(library_copy, "es/exercises/clamshell-two.toml", "")
    assert "every exercise needs its translation" in str(err)


def test_a_translation_of_no_exercise_is_an_error(library_copy: Path) -> None:
    (library_copy / CLAM).rename(library_copy / "es/exercises/clamshel.toml")
    err = expect_error(library_copy, "es/exercises/clamshel.toml", "")
    assert "did you mean 'clamshell'" in str(err)


def test_a_stray_file_in_the_translation(library_copy: Path) -> None:
    (library_copy / "es/exercises/notes.txt").write_text("hola", encoding="utf-8")
    expect_error(library_copy, "es/exercises/notes.txt", "")


def test_a_missing_translation_file(library_copy: Path) -> None:
    (library_copy / "es/facts.toml").unlink()
    err = expect_error(library_copy, "es/facts.toml", "")
    assert "not found" in str(err)


def test_a_toml_syntax_error_names_the_translation_file(library_copy: Path) -> None:
    edit(library_copy, CLAM, r'^name = "La almeja"$', 'name = "La almeja')
    err = expect_error(library_copy, CLAM, "")
    assert "not valid TOML" in str(err)


def test_an_english_error_is_reported_in_the_english_file(library_copy: Path) -> None:
    edit(library_copy, "exercises/clamshell.toml", r"^sets = 3$", "sets = 0")
    expect_error(library_copy, "exercises/clamshell.toml", "dosage.sets")


def test_a_language_with_no_translation(library_copy: Path) -> None:
    err = expect_error(library_copy, "de", "", language="de")
    assert "available: en, es" in str(err)
    expect_error(library_copy, "../es", "", language="../es")


# --- degrading to English -------------------------------------------------------------------


def test_or_english_gives_the_translation_when_there_is_one(es: Library) -> None:
    assert load_library_or_english("es") is es
    assert load_library_or_english("en") is load_library()


def test_or_english_for_a_language_with_no_translation(
    library_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="media.loader"):
        lib = load_library_or_english("pseudo", library_copy)
        assert load_library_or_english("pseudo", library_copy) == lib
    assert lib.language == "en"
    assert lib.exercise("clamshell").name == "Clamshell"
    assert [r.getMessage() for r in caplog.records] == [
        "the library has no 'pseudo' translation; it stays in English"
    ]


def test_or_english_when_the_translation_is_broken(
    library_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (library_copy / "es/safety.toml").unlink()
    with caplog.at_level(logging.WARNING, logger="media.loader"):
        lib = load_library_or_english("es", library_copy)
    assert lib.language == "en"
    assert lib.exercise("clamshell").name == "Clamshell"
    (message,) = [r.getMessage() for r in caplog.records]
    assert "'es' translation is broken" in message
    assert "es/safety.toml: file not found" in message
