"""Rules for what a patient record may hold.

The kiosk shows a patient's name on a screen in a shared gym, so the record holds initials or
a first name only; the check-in code is what a patient taps on the keypad.
"""

from __future__ import annotations

import re

DISPLAY_NAME_MAX = 20
CODE_MIN = 4
CODE_MAX = 12

# Letters of any script, spaces, hyphens, apostrophes (straight or curly) and dots; at least
# one letter. Digits are refused so nobody stores a date of birth or a record number here.
_DISPLAY_NAME = re.compile(r"(?=.*[^\W\d_])(?:[^\W\d_]|[ .'’-])+")
# Digits only: the kiosk keypad is numeric (kiosk.services checks the same before a lookup).
_CODE = re.compile(rf"[0-9]{{{CODE_MIN},{CODE_MAX}}}")


class InvalidDisplayNameError(ValueError):
    """A display name that is not initials or a first name (too long, digits, symbols...)."""


class InvalidCheckInCodeError(ValueError):
    """A check-in code that could not be typed on the kiosk keypad."""


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


def normalize_code(code: str) -> str:
    """The code as stored: surrounding spaces removed (keypads and scanners add them)."""
    return code.strip()


def validate_code(code: str) -> str:
    """The normalized code, or :class:`InvalidCheckInCodeError`."""
    cleaned = normalize_code(code)
    if not _CODE.fullmatch(cleaned):
        raise InvalidCheckInCodeError(
            f"check-in code must be {CODE_MIN} to {CODE_MAX} digits: {code!r}"
        )
    return cleaned
