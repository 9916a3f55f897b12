"""PIN hashing, the wrong-PIN back-off and the staff idle lock, on a fake clock."""

from __future__ import annotations

import base64

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.pin import (
    OWASP_SCRYPT,
    IdleLock,
    InvalidPinError,
    LoginThrottle,
    ScryptParams,
    ThrottlePolicy,
    hash_pin,
    needs_rehash,
    validate_pin,
    verify_pin,
)

CHEAP = ScryptParams(log2_n=4, r=8, p=1)


def test_owasp_parameters_are_stored_with_the_hash() -> None:
    encoded = hash_pin("583920")
    scheme, params, salt, key = encoded.split("$")
    assert (scheme, params) == ("scrypt", "ln=17,r=8,p=1")
    assert len(base64.b64decode(salt + "==")) == 16
    assert len(base64.b64decode(key + "=")) == 32
    assert "583920" not in encoded
    assert verify_pin("583920", encoded)
    assert not verify_pin("583921", encoded)
    assert not needs_rehash(encoded)


def test_same_pin_gets_a_different_salt_each_time() -> None:
    assert hash_pin("583920", CHEAP) != hash_pin("583920", CHEAP)


def test_weaker_hashes_are_flagged_for_rehash() -> None:
    assert needs_rehash(hash_pin("583920", CHEAP), OWASP_SCRYPT)
    assert needs_rehash("not a hash")


@pytest.mark.parametrize(
    "stored", ["", "plain583920", "scrypt$ln=4$x$y", "bcrypt$ln=4,r=8,p=1$AAAA$AAAA", "a$b$c$d"]
)
def test_malformed_hashes_never_verify(stored: str) -> None:
    assert verify_pin("583920", stored) is False


@pytest.mark.parametrize("pin", ["", "58392", "5839201234567", "58392a", " 583920", "５８３９２０"])
def test_pin_shape_is_refused(pin: str) -> None:
    with pytest.raises(InvalidPinError):
        validate_pin(pin)
    assert not verify_pin(pin, hash_pin("583920", CHEAP))


@pytest.mark.parametrize("pin", ["123456", "654321", "111111", "000000", "121212", "123321"])
def test_trivial_pins_are_refused(pin: str) -> None:
    with pytest.raises(InvalidPinError, match="too easy"):
        validate_pin(pin)


def test_policy_doubles_after_the_free_failures_up_to_the_cap() -> None:
    policy = ThrottlePolicy(free_failures=3, base_s=1, max_s=20)
    assert [policy.delay_after(n) for n in range(1, 10)] == [0, 0, 0, 1, 2, 4, 8, 16, 20]
    assert policy.delay_after(10_000) == 20


def test_throttle_waits_on_the_clock_and_resets_on_success() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock, ThrottlePolicy(free_failures=1, base_s=1, max_s=60))
    assert throttle.record_failure() == 0
    assert throttle.can_attempt()
    assert throttle.record_failure() == 1
    assert not throttle.can_attempt()
    clock.advance(0.5)
    assert throttle.wait_s() == pytest.approx(0.5)
    clock.advance(0.5)
    assert throttle.can_attempt()
    assert throttle.record_failure() == 2
    assert throttle.record_failure() == 4
    throttle.record_success()
    assert throttle.can_attempt()
    assert throttle.failures == 0
    assert throttle.record_failure() == 0


def test_throttle_resumes_after_a_restart() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock, ThrottlePolicy(free_failures=3, base_s=1, max_s=300))
    throttle.restore(failures=8, seconds_since_last=10)  # earned 16 s, 10 s ago
    assert throttle.wait_s() == pytest.approx(6)
    assert throttle.record_failure() == 32


def test_idle_lock_closes_after_three_minutes_without_a_touch() -> None:
    clock = FakeClock()
    lock = IdleLock(clock)
    assert lock.is_locked()
    lock.unlock()
    clock.advance(179)
    assert not lock.is_locked()
    lock.touch()
    clock.advance(179)
    assert not lock.is_locked()
    assert lock.remaining_s() == pytest.approx(1)
    clock.advance(1)
    assert lock.is_locked()
    lock.touch()  # a touch after the lock does not reopen staff mode
    assert lock.is_locked()


def test_idle_lock_can_be_locked_by_hand_and_configured() -> None:
    clock = FakeClock()
    lock = IdleLock(clock, timeout_s=30)
    lock.unlock()
    lock.lock()
    assert lock.is_locked()
    assert lock.remaining_s() == 0
    with pytest.raises(ValueError, match="positive"):
        IdleLock(clock, timeout_s=0)
