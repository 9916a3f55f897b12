"""What a check-in code is: digits a patient taps or scans, how it is tidied and checked,
which digit strings are too easy to guess, and random codes that avoid them.

A code is 4 to 12 ASCII digits (:data:`CODE_MIN_DIGITS`, :data:`CODE_MAX_DIGITS`): the kiosk's
keypad is numeric and a barcode scanner types digits and Enter. The keypad stops taking digits
at the maximum, the database refuses anything else, and check-in looks nothing up for a code
that is not one. New codes are :data:`CODE_LENGTH` digits.

One rule serves two purposes: a check-in code must not be one a stranger would try first
(``123456``, ``111111``) and a staff PIN must not be either. A string of digits is *trivial*
when any of these holds:

1. it is an arithmetic run, the step counted modulo 10: ``111111`` (step 0), ``123456``,
   ``654321``, ``246802``, ``890123``;
2. it is a shorter block repeated: ``121212``, ``123123``, ``112112``;
3. it is a palindrome: ``123321``, ``120021``;
4. it uses fewer than three different digits: ``110100``, ``999899``.

4,320 of the million six-digit strings (about 1 in 230) are trivial, so the rule costs almost
nothing in code space: 896,112 codes remain without a leading 0.

Generated codes never start with ``0`` either: a spreadsheet opening an import file would turn
``012345`` into ``12345``, and a code that survives the round trip avoids that whole mess.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Container

CODE_MIN_DIGITS = 4
CODE_MAX_DIGITS = 12
#: The length of every generated code.
CODE_LENGTH = 6

_CODE = re.compile(rf"[0-9]{{{CODE_MIN_DIGITS},{CODE_MAX_DIGITS}}}")


class InvalidCheckInCodeError(ValueError):
    """A check-in code that could not be typed on the kiosk keypad."""


def normalize_code(code: str) -> str:
    """The code as stored: surrounding spaces removed (keypads and scanners add them)."""
    return code.strip()


def validate_code(code: str) -> str:
    """The normalized code, or :class:`InvalidCheckInCodeError`."""
    cleaned = normalize_code(code)
    if not _CODE.fullmatch(cleaned):
        raise InvalidCheckInCodeError(
            f"check-in code must be {CODE_MIN_DIGITS} to {CODE_MAX_DIGITS} digits: {code!r}"
        )
    return cleaned


#: ``randbelow(n)``: an integer in ``[0, n)``. ``secrets.randbelow`` unless a test injects one.
RandBelow = Callable[[int], int]


def is_arithmetic_run(digits: str) -> bool:
    """``123456``, ``654321``, ``111111``, ``890123``: the same step (mod 10) between digits."""
    if len(digits) < 2:
        return True
    values = [int(d) for d in digits]
    step = (values[1] - values[0]) % 10
    return all((b - a) % 10 == step for a, b in itertools.pairwise(values))


def is_repeated_block(digits: str) -> bool:
    """``121212``, ``123123``: the string is a shorter block written out several times."""
    n = len(digits)
    return any(n % size == 0 and digits[:size] * (n // size) == digits for size in range(1, n))


def is_trivial(digits: str) -> bool:
    """True for digit strings a stranger would guess early (the rule in the module docstring)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"expected ASCII digits only: {digits!r}")
    return (
        is_arithmetic_run(digits)
        or is_repeated_block(digits)
        or digits == digits[::-1]
        or len(set(digits)) < 3
    )


class CodeSpaceExhaustedError(RuntimeError):
    """No free code was found; practically impossible below several hundred thousand patients."""


def generate_code(
    taken: Container[str],
    *,
    length: int = CODE_LENGTH,
    randbelow: RandBelow = secrets.randbelow,
    attempts: int = 1000,
) -> str:
    """A random, non-trivial code of ``length`` digits not in ``taken`` and not starting with 0.

    Random (from :mod:`secrets`), not sequential: knowing one patient's code tells nothing
    about another's. ``taken`` should hold every code ever given, including retired ones.
    """
    if not CODE_MIN_DIGITS <= length <= CODE_MAX_DIGITS:
        raise ValueError(
            f"a code has {CODE_MIN_DIGITS} to {CODE_MAX_DIGITS} digits (shorter ones are too "
            f"easy to guess): {length}"
        )
    low = 10 ** (length - 1)
    for _ in range(attempts):
        code = str(low + randbelow(9 * low))
        if not is_trivial(code) and code not in taken:
            return code
    raise CodeSpaceExhaustedError(f"no free {length}-digit code after {attempts} tries")
