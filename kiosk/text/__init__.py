"""One catalog for every word the kiosk shows or says.

Patient screens, staff screens and the session's spoken cues all take their text from here,
by key: ``t("attract.touch")``, ``t("program.greeting", name="Ann")``, and for words that
change with a number ``tn("summary.sets", 3)``. Each language is a module in this package
(``en`` is the reference: every other language must have the same keys and the same
``{fields}``; ``tests/text/test_catalog.py`` checks both).

The language is chosen once, at start-up (``--language`` or ``KIOSK_LANGUAGE``), and can be
switched with :func:`use`. Text is looked up when a screen is built, never at import, so a
switch reaches every screen built after it. A key missing from a translation falls back to
English (logged once) rather than leaving a blank button in front of a patient.

Qt-free and importing nothing else of ours, so the core (cue texts, dosage wording), the CLI
and the UI all share it; the English module is plain Python, so importing it costs well
under a millisecond before the attract screen's first frame.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType

log = logging.getLogger(__name__)

#: The reference language: complete by definition, and the fallback for a missing key.
REFERENCE = "en"

#: The environment variable that picks the kiosk's language.
ENV_LANGUAGE = "KIOSK_LANGUAGE"

#: Plural categories, as CLDR names them; a language's ``plural(n)`` returns one of these.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

#: The test language (``pseudo.py``), a module name that is not a language code.
PSEUDO = "pseudo"


class UnknownLanguageError(ValueError):
    """A language code with no module in this package."""


class Language:
    """One language's catalog: its words, its plural rule and how fast it is spoken.

    A plain class rather than a dataclass: this module loads before the attract screen's
    first frame, and building a dataclass costs about a millisecond there.
    """

    __slots__ = ("code", "espeak_voice", "messages", "name", "plural", "seconds_per_word")

    def __init__(
        self,
        *,
        code: str,
        name: str,
        messages: Mapping[str, str],
        plural: Callable[[int], str],
        seconds_per_word: float,
        espeak_voice: str,
    ) -> None:
        self.code = code
        self.name = name  # in the language itself ("English", "Deutsch")
        self.messages = messages
        self.plural = plural
        #: Seconds the voice needs per word: the compiler spaces spoken cues by this estimate.
        self.seconds_per_word = seconds_per_word
        #: The espeak-ng voice that speaks this language when the clinic has not chosen one.
        self.espeak_voice = espeak_voice


def _from_module(module: ModuleType) -> Language:
    return Language(
        code=module.CODE,
        name=module.NAME,
        messages=module.MESSAGES,
        plural=module.plural,
        seconds_per_word=module.SECONDS_PER_WORD,
        espeak_voice=module.ESPEAK_VOICE,
    )


def is_language_code(code: str) -> bool:
    """``en``, ``de``, ``pt_BR`` (or the test language): a name safe to import."""
    base, _, region = code.partition("_")
    if code == PSEUDO:
        return True
    if not (2 <= len(base) <= 3 and base.isascii() and base.isalpha() and base.islower()):
        return False
    return not region or (len(region) == 2 and region.isascii() and region.isupper())


def available() -> tuple[str, ...]:
    """The language codes this package has a catalog for, the reference first."""
    import pkgutil

    found = sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if is_language_code(info.name) and info.name != REFERENCE
    )
    return (REFERENCE, *found)


_loaded: dict[str, Language] = {}


def language(code: str) -> Language:
    """The catalog for ``code`` (loaded once)."""
    if code in _loaded:
        return _loaded[code]
    if not is_language_code(code):
        raise UnknownLanguageError(f"{code!r} is not a language code (e.g. en, de, pt_BR)")
    try:
        module = importlib.import_module(f"{__name__}.{code}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{code}":
            raise
        choices = ", ".join(available())
        raise UnknownLanguageError(
            f"no catalog for language {code!r}; available: {choices}"
        ) from None
    _loaded[code] = loaded = _from_module(module)
    return loaded


_current: Language | None = None
_reported: set[tuple[str, str]] = set()


def current() -> Language:
    """The language in use: the last :func:`use`, else ``KIOSK_LANGUAGE``, else English."""
    global _current
    if _current is None:
        wanted = os.environ.get(ENV_LANGUAGE, "").strip() or REFERENCE
        try:
            _current = language(wanted)
        except UnknownLanguageError as exc:
            log.error("%s=%s: %s; using English", ENV_LANGUAGE, wanted, exc)
            _current = language(REFERENCE)
    return _current


def use(code: str) -> Language:
    """Switch the kiosk to ``code``; raises :class:`UnknownLanguageError` (nothing changes)."""
    global _current
    _current = language(code)
    return _current


@contextmanager
def in_language(code: str | None) -> Iterator[Language]:
    """``code``'s words for a moment, then the language before: a patient's printout in their
    language while the staff screen stays in the clinic's. None (or a language with no
    catalog, logged) keeps the current one."""
    global _current
    before = current()
    wanted = before
    if code is not None:
        try:
            wanted = language(code)
        except UnknownLanguageError as exc:
            log.warning("%s: printing in %s instead", exc, before.code)
    _current = wanted
    try:
        yield wanted
    finally:
        _current = before


def _lookup(key: str) -> str:
    lang = current()
    text = lang.messages.get(key)
    if text is not None:
        return text
    reference = language(REFERENCE).messages.get(key)
    if reference is None:
        raise KeyError(f"no text {key!r} in the catalog")
    if (lang.code, key) not in _reported:
        _reported.add((lang.code, key))
        log.warning("language %s has no text %r: showing the English", lang.code, key)
    return reference


def t(key: str, /, **fields: object) -> str:
    """The text for ``key`` in the current language, its ``{fields}`` filled in.

    Without fields the text comes back as written (a template stays a template).
    """
    text = _lookup(key)
    return text.format(**fields) if fields else text


def tn(key: str, count: int, /, **fields: object) -> str:
    """The form of ``key`` that goes with ``count`` ("1 set", "3 sets")."""
    lang = current()
    full = f"{key}.{lang.plural(count)}"
    if full not in lang.messages:  # an incomplete translation: English's form, via the fallback
        full = f"{key}.{language(REFERENCE).plural(count)}"
    return t(full, **fields)


def fields_of(text: str) -> frozenset[str]:
    """The ``{field}`` names a template uses (``{{`` escapes are not fields)."""
    from string import Formatter

    return frozenset(name for _, name, _, _ in Formatter().parse(text) if name)
