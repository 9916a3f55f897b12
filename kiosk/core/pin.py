"""Staff PINs: scrypt hashes, a back-off after wrong PINs, and the staff-mode idle lock.

A 6-digit PIN has only a million values, so the hash is what stands between a stolen database
file and every staff PIN: scrypt with OWASP's parameters (N=2**17, r=8, p=1: 128 MiB and about
0.4 s per hash here) makes trying them all offline cost days per PIN instead of a second. The
parameters are written into each stored hash (``scrypt$ln=17,r=8,p=1$<salt>$<key>``), so they
can be raised later: :func:`needs_rehash` tells the login code to re-store a PIN hashed with
weaker ones.

On the kiosk itself the attacker types, so :class:`LoginThrottle` slows guessing after a few
wrong PINs (1 s, 2 s, 4 s ... up to a cap), and :class:`IdleLock` closes staff mode when nobody
touches it. Both read an injected monotonic clock, never the wall clock, so tests advance a
:class:`kiosk.core.clock.FakeClock` instead of sleeping. Nothing here imports Qt or the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from kiosk.core.clock import Clock
from kiosk.core.codes import is_trivial

PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12
_SCHEME = "scrypt"
_KEY_BYTES = 32
_SALT_BYTES = 16


class InvalidPinError(ValueError):
    """A PIN that is not 6-12 digits, or one a stranger would guess (``123456``).

    ``rule`` says which rule it breaks (``"digits"``, ``"length"`` or ``"trivial"``), so a
    screen can say it in the kiosk's language; ``str()`` is the command line's English.
    """

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


def validate_pin(pin: str) -> str:
    """The PIN if it is 6-12 ASCII digits and not trivial; otherwise :class:`InvalidPinError`.

    Surrounding spaces are *not* stripped: a PIN is typed on a keypad, and a pasted one with a
    stray space should fail loudly at ``staff add`` rather than silently differ later.
    """
    if not (pin.isascii() and pin.isdigit()):
        raise InvalidPinError("digits", "a PIN is digits only")
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidPinError("length", f"a PIN has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
    if is_trivial(pin):
        raise InvalidPinError(
            "trivial",
            "that PIN is too easy to guess (a run like 123456, a repeat like 121212, a "
            "mirror like 123321, or fewer than three different digits); choose another",
        )
    return pin


@dataclass(frozen=True)
class ScryptParams:
    """scrypt's cost: N = 2**log2_n, block size r, parallelism p (memory = 128·N·r bytes)."""

    log2_n: int = 17
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        # hashlib refuses above 32 MiB by default; N=2**17, r=8 needs 128 MiB plus a margin.
        return 129 * (1 << self.log2_n) * self.r * self.p + (1 << 20)

    def encode(self) -> str:
        return f"ln={self.log2_n},r={self.r},p={self.p}"

    @classmethod
    def decode(cls, text: str) -> ScryptParams:
        fields = dict(part.split("=", 1) for part in text.split(","))
        return cls(log2_n=int(fields["ln"]), r=int(fields["r"]), p=int(fields["p"]))


#: OWASP Password Storage Cheat Sheet's scrypt configuration.
OWASP_SCRYPT = ScryptParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(pin: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        pin.encode("ascii"),
        salt=salt,
        n=1 << params.log2_n,
        r=params.r,
        p=params.p,
        maxmem=params.maxmem,
        dklen=_KEY_BYTES,
    )


def hash_pin(pin: str, params: ScryptParams = OWASP_SCRYPT, *, salt: bytes | None = None) -> str:
    """The string to store for ``pin`` (validated first): scheme, parameters, salt and key."""
    validate_pin(pin)
    salt = os.urandom(_SALT_BYTES) if salt is None else salt
    key = _derive(pin, salt, params)
    return f"{_SCHEME}${params.encode()}${_b64(salt)}${_b64(key)}"


@dataclass(frozen=True)
class _Parsed:
    params: ScryptParams
    salt: bytes
    key: bytes


def _parse(encoded: str) -> _Parsed | None:
    try:
        scheme, params, salt, key = encoded.split("$")
        if scheme != _SCHEME:
            return None
        return _Parsed(ScryptParams.decode(params), _unb64(salt), _unb64(key))
    except (ValueError, KeyError):
        return None


def verify_pin(pin: str, encoded: str) -> bool:
    """Whether ``pin`` matches the stored hash; compared in constant time.

    A malformed stored hash or a PIN that is not plain digits is simply "no": login code never
    has to catch anything.
    """
    parsed = _parse(encoded)
    if parsed is None or not pin.isascii() or not pin.isdigit():
        return False
    candidate = _derive(pin, parsed.salt, parsed.params)
    return hmac.compare_digest(candidate, parsed.key)


def needs_rehash(encoded: str, params: ScryptParams = OWASP_SCRYPT) -> bool:
    """True if the hash was made with other (e.g. older, weaker) parameters than ``params``."""
    parsed = _parse(encoded)
    return parsed is None or parsed.params != params


@dataclass(frozen=True)
class ThrottlePolicy:
    """How wrong PINs are slowed: ``free_failures`` wrong PINs cost nothing, then each one
    doubles the wait from ``base_s`` up to ``max_s``. A right PIN clears it.

    The defaults (3 free, 1 s doubling to 5 min) leave a staff member's typo unpunished while
    a stranger trying PINs gets about 300 tries a day: years, on average, for 6 digits.
    """

    free_failures: int = 3
    base_s: float = 1.0
    max_s: float = 300.0

    def __post_init__(self) -> None:
        if self.free_failures < 0 or self.base_s <= 0 or self.max_s < self.base_s:
            raise ValueError(f"invalid throttle policy {self}")

    def delay_after(self, failures: int) -> float:
        """The wait after ``failures`` consecutive wrong PINs."""
        over = failures - self.free_failures
        if over <= 0:
            return 0.0
        return min(self.max_s, self.base_s * 2.0 ** min(over - 1, 64))


class LoginThrottle:
    """Counts consecutive wrong PINs and says how long the keypad must wait.

    Kiosk-wide, not per staff member: the keypad asks for a PIN only, so a guesser is not
    trying any one account. ``restore`` seeds it from the audit log after a restart, so
    switching the kiosk off and on does not wipe the count.
    """

    def __init__(self, clock: Clock, policy: ThrottlePolicy | None = None) -> None:
        self._clock = clock
        self.policy = policy or ThrottlePolicy()
        self._failures = 0
        self._locked_until = float("-inf")

    @property
    def failures(self) -> int:
        return self._failures

    def wait_s(self) -> float:
        """Seconds before the next PIN may be tried; 0 when it may be tried now."""
        return max(0.0, self._locked_until - self._clock())

    def can_attempt(self) -> bool:
        return self.wait_s() <= 0.0

    def record_failure(self) -> float:
        """Count a wrong PIN; returns the wait it earns."""
        self._failures += 1
        delay = self.policy.delay_after(self._failures)
        self._locked_until = self._clock() + delay
        return delay

    def record_success(self) -> None:
        self._failures = 0
        self._locked_until = float("-inf")

    def restore(self, failures: int, seconds_since_last: float) -> None:
        """Resume after a restart: ``failures`` in a row, the last ``seconds_since_last`` ago."""
        self._failures = max(0, failures)
        delay = self.policy.delay_after(self._failures)
        self._locked_until = self._clock() + max(0.0, delay - max(0.0, seconds_since_last))


STAFF_IDLE_TIMEOUT_S = 180.0
#: The longest staff mode may stay open without a touch, whatever the clinic sets: a staff
#: screen left open in the gym shows patients' names and health data to whoever walks up.
STAFF_IDLE_MAX_S = 300.0


class IdleLock:
    """Staff mode closes itself after ``timeout_s`` without a touch (3 minutes by default,
    never more than 5).

    The screen calls :meth:`touch` on every input and polls :meth:`is_locked` from a timer (or
    arms a single-shot timer for :meth:`remaining_s`); a staff tablet left in the gym locks
    whether or not that timer fired on time, because :meth:`is_locked` reads the clock.
    """

    def __init__(self, clock: Clock, timeout_s: float = STAFF_IDLE_TIMEOUT_S) -> None:
        self._clock = clock
        self.timeout_s = timeout_s
        self._last_touch: float | None = None

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    @timeout_s.setter
    def timeout_s(self, value: float) -> None:
        """Capped at :data:`STAFF_IDLE_MAX_S`, whatever the caller asks for (the settings
        refuse more; this holds for every other way in)."""
        if value <= 0:
            raise ValueError("the idle timeout must be positive")
        self._timeout_s = min(float(value), STAFF_IDLE_MAX_S)

    def unlock(self) -> None:
        """Staff mode opened (a right PIN): start counting idle time from now."""
        self._last_touch = self._clock()

    def touch(self) -> None:
        """Any input while staff mode is open; ignored once locked (a touch cannot reopen)."""
        if not self.is_locked():
            self._last_touch = self._clock()

    def lock(self) -> None:
        self._last_touch = None

    def remaining_s(self) -> float:
        if self._last_touch is None:
            return 0.0
        return max(0.0, self._last_touch + self.timeout_s - self._clock())

    def is_locked(self) -> bool:
        """Locked: never opened, closed by :meth:`lock`, or idle for ``timeout_s``."""
        return self._last_touch is None or self.remaining_s() <= 0.0
