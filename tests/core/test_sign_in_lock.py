"""The sign-in lock's rule, on its own: how many wrong PINs lock, and the named unlocks left."""

from __future__ import annotations

import pytest

from kiosk.core.sign_in_lock import SignInLockPolicy, SignInLockState


def test_the_twentieth_wrong_pin_locks() -> None:
    policy = SignInLockPolicy()
    assert not policy.locks(19)
    assert policy.locks(20)


def test_named_unlocks_left_count_down_to_zero_and_no_further() -> None:
    policy = SignInLockPolicy(unlock_tries=5)
    assert SignInLockState(locked=False, policy=policy).unlock_tries_left == 5
    assert SignInLockState(locked=True, unlock_failures=4, policy=policy).unlock_tries_left == 1
    assert SignInLockState(locked=True, unlock_failures=9, policy=policy).unlock_tries_left == 0


@pytest.mark.parametrize("fields", [{"failures": 0}, {"window_s": 0}, {"unlock_tries": -1}])
def test_a_policy_that_would_never_lock_is_refused(fields: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="invalid sign-in lock policy"):
        SignInLockPolicy(**fields)  # type: ignore[arg-type]
