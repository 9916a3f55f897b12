"""What a patient's display name and preferred language may be.

The kiosk shows a patient's name on a screen in a shared gym, so the record holds initials or
a first name only. (What a check-in code may be is :mod:`kiosk.core.codes`'s.) A preferred
language is one the kiosk has a catalog for (``kiosk.text``), or none: the clinic's.
"""

from __future__ import annotations

import re

DISPLAY_NAME_MAX = 20

# Letters of any script, spaces, hyphens, apostrophes (straight or curly) and dots; at least
# one letter. Digits are refused so nobody stores a date of birth or a record number here.
_DISPLAY_NAME = re.compile(r"(?=.*[^\W\d_])(?:[^\W\d_]|[ .'’-])+")


class InvalidDisplayNameError(ValueError):
    """A display name that is not initials or a first name (too long, digits, symbols...)."""


def validate_display_name(name: str) -> str:
    """The name with surrounding spaces removed, or :class:`InvalidDisplayNameError`."""
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= DISPLAY_NAME_MAX:
        raise InvalidDisplayNameError(
            f"display name must be 1 to {DISPLAY_NAME_MAX} characters: {name!r}"
        )
    if not _DISPLAY_NAME.fullmatch(cleaned):
        raise InvalidDisplayNameError(
            f"display name may hold letters, spaces, hyphens, apostrophes and dots only "
            f"(initials or a first name, e.g. 'Maria' or 'J.K.'): {name!r}"
        )
    return cleaned


class InvalidLanguageError(ValueError):
    """A preferred language the kiosk has no catalog for."""


def validate_language(code: str | None) -> str | None:
    """``"es"`` for ``" ES "``, None for None or "" (the clinic's language), else
    :class:`InvalidLanguageError` naming the languages there are."""
    from kiosk.text import PSEUDO, available

    if code is None or not code.strip():
        return None
    cleaned = code.strip()
    base, _, region = cleaned.partition("_")
    cleaned = f"{base.lower()}_{region.upper()}" if region else base.lower()
    choices = [c for c in available() if c != PSEUDO]
    if cleaned not in choices:
        raise InvalidLanguageError(f"language must be one of {', '.join(choices)}: {code!r}")
    return cleaned
