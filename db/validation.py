"""What a patient's display name may be.

The kiosk shows a patient's name on a screen in a shared gym, so the record holds initials or
a first name only. (What a check-in code may be is :mod:`kiosk.core.codes`'s.)
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
