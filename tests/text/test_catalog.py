"""The text catalog: every language complete, every key the code uses present, none unused."""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import text
from kiosk.text import PLURAL_CATEGORIES, REFERENCE, Language, fields_of, pseudo, t, tn
from tests.paths import REPO_ROOT

#: Where the catalog's keys are used: everything that shows, says or prints text.
SOURCES = ("kiosk", "voice", "media", "tools")
_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    yield
    text.use(REFERENCE)


def reference() -> Language:
    return text.language(REFERENCE)


def _plural_bases() -> dict[str, set[str]]:
    bases: dict[str, set[str]] = {}
    for key in reference().messages:
        head, _, last = key.rpartition(".")
        if last in PLURAL_CATEGORIES:
            bases.setdefault(head, set()).add(last)
    return bases


def test_there_is_more_than_english_to_check() -> None:
    assert text.available()[0] == REFERENCE
    assert "pseudo" in text.available()  # so the checks below run over two catalogs


@pytest.mark.parametrize("code", text.available())
def test_every_language_has_every_key_and_no_other(code: str) -> None:
    messages = text.language(code).messages
    assert sorted(set(reference().messages) - set(messages)) == [], "missing"
    assert sorted(set(messages) - set(reference().messages)) == [], "not in English"


@pytest.mark.parametrize("code", text.available())
def test_every_translation_keeps_the_english_fields(code: str) -> None:
    messages = text.language(code).messages
    wrong = {
        key: (sorted(fields_of(english)), sorted(fields_of(messages[key])))
        for key, english in reference().messages.items()
        if fields_of(english) != fields_of(messages[key])
    }
    assert wrong == {}


@pytest.mark.parametrize("code", text.available())
def test_every_plural_form_a_language_needs_is_there(code: str) -> None:
    lang = text.language(code)
    needed = {lang.plural(n) for n in range(0, 1001)}
    assert needed <= set(PLURAL_CATEGORIES)
    for base in _plural_bases():
        missing = sorted(c for c in needed if f"{base}.{c}" not in lang.messages)
        assert missing == [], base


@pytest.mark.parametrize("code", text.available())
def test_the_language_describes_itself(code: str) -> None:
    lang = text.language(code)
    assert lang.code == code
    assert lang.name.strip()
    assert 0.2 <= lang.seconds_per_word <= 1.0
    assert lang.espeak_voice.strip()


def test_no_text_is_blank_by_accident() -> None:
    # An empty text is allowed only where "nothing" is the wording (no side pattern).
    blank = [key for key, value in reference().messages.items() if not value.strip()]
    assert blank == ["staff.sides_short.none"]


# -- the code and the catalog agree ------------------------------------------------------------


def _python_files() -> Iterator[Path]:
    """Every source file but the language modules (whose keys are the catalog itself)."""
    catalog = REPO_ROOT / "kiosk" / "text"
    languages = {catalog / f"{code}.py" for code in text.available()}
    for folder in SOURCES:
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            if path not in languages:
                yield path


def _calls(tree: ast.AST, names: set[str]) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in names:
                yield node


def _literals(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_every_key_the_code_looks_up_is_in_the_catalog() -> None:
    keys = set(reference().messages)
    bases = _plural_bases()
    groups = _groups()
    unknown: list[str] = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(REPO_ROOT)
        for call in _calls(tree, {"t", "tn"}):
            if not call.args:
                continue
            first = call.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue  # a key from a table: the table's literals are checked below
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            known = first.value in bases if name == "tn" else first.value in keys
            if not known:
                unknown.append(f"{where}:{call.lineno}: {name}({first.value!r})")
        # Keys kept in tables (looked up later) must exist too.
        for literal in _literals(tree):
            in_catalog = literal in keys or literal in bases
            if _KEY.match(literal) and literal.split(".")[0] in groups and not in_catalog:
                unknown.append(f"{where}: {literal!r}")
    assert unknown == []


def _groups() -> set[str]:
    return {key.split(".")[0] for key in reference().messages}


def test_every_key_in_the_catalog_is_used() -> None:
    used: set[str] = set()
    for path in _python_files():
        used.update(_literals(ast.parse(path.read_text(encoding="utf-8"))))
    bases = _plural_bases()
    unused = sorted(
        key
        for key in reference().messages
        if key not in used and key.rpartition(".")[0] not in (used & set(bases))
    )
    assert unused == []


# -- looking text up -----------------------------------------------------------------------------


def test_fields_are_filled_and_a_template_without_fields_comes_back_as_written() -> None:
    assert t("program.greeting", name="Ann") == "Hello, Ann"
    assert t("program.greeting") == "Hello, {name}"


def test_the_form_follows_the_number() -> None:
    assert tn("dose.sets", 1, sets=1) == "1 set"
    assert tn("dose.sets", 0, sets=0) == "0 sets"
    assert tn("summary.minutes", 12) == "Minutes"


def test_an_unknown_key_is_a_bug_not_a_blank() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        t("no.such.key")


def test_switching_language_reaches_the_next_lookup() -> None:
    text.use("pseudo")
    assert t("attract.touch") == pseudo.pseudo("Touch to start") == "⟦Ťóúçĥ ťó šťáŕť⟧"
    assert t("program.greeting", name="Ann") == "⟦Ĥéłłó, Ann⟧"  # fields untouched
    text.use("en")
    assert t("attract.touch") == "Touch to start"


def test_an_unknown_language_changes_nothing() -> None:
    with pytest.raises(text.UnknownLanguageError, match="available: en, es, pseudo"):
        text.use("xx")
    with pytest.raises(text.UnknownLanguageError, match="not a language code"):
        text.use("../etc")
    assert text.current().code == REFERENCE


def test_the_language_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(text, "_current", None)
    monkeypatch.setenv("KIOSK_LANGUAGE", "pseudo")
    assert text.current().code == "pseudo"
    monkeypatch.setattr(text, "_current", None)
    monkeypatch.setenv("KIOSK_LANGUAGE", "klingon")
    with caplog.at_level(logging.ERROR, logger="kiosk.text"):
        assert text.current().code == REFERENCE
    assert "KIOSK_LANGUAGE=klingon" in caplog.text


def test_a_missing_translation_shows_the_english_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    partial = Language(
        code="xx",
        name="Partial",
        messages={"attract.touch": "Touchez", "summary.sets.one": "Série"},
        plural=lambda n: "one" if n <= 1 else "other",
        seconds_per_word=0.4,
        espeak_voice="fr",
    )
    monkeypatch.setattr(text, "_current", partial)
    with caplog.at_level(logging.WARNING, logger="kiosk.text"):
        assert t("attract.touch") == "Touchez"
        assert t("attract.hint") == "Your exercise coach will guide you step by step."
        assert t("attract.hint") == "Your exercise coach will guide you step by step."
        assert tn("summary.sets", 0) == "Série"  # its own rule: 0 is "one" here
        assert tn("summary.sets", 4) == "Sets"  # no "other" form: English's, by the fallback
    assert caplog.text.count("has no text 'attract.hint'") == 1


def test_the_voice_speaks_the_kiosk_language() -> None:
    from voice.service import _language_voice

    assert _language_voice() is None  # English: espeak-ng's own default voice, as before
    text.use("pseudo")
    assert _language_voice() == "en"


def test_the_command_line_takes_a_language(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--language", "xx", "library", "list"])
    assert exit_info.value.code == 2
    assert "--language: no catalog for language 'xx'" in capsys.readouterr().err
    assert main(["--language", "pseudo", "library", "list"]) == 0
    assert text.current().code == "pseudo"
