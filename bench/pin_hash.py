"""``pin_verify_ms``: checking one staff PIN against its stored hash (scrypt, OWASP's cost).

This figure is a floor, not a ceiling: it is what each guess costs someone who has stolen the
database file, and what a sign-in costs per active staff member (it runs on a worker thread).
Baseline: one SHA-256 of the same PIN and salt, in the same run, what an unslowed store would
cost per guess. ``pin_offline_core_days`` is every allowed 6-digit PIN tried against one
stored hash on one core of this machine, at the measured median.
"""

from __future__ import annotations

import hashlib
import os
import time

from bench.report import Figure, median

ROUNDS = 9


def run() -> list[Figure]:
    from kiosk.core.codes import is_trivial
    from kiosk.core.pin import hash_pin, verify_pin

    stored = hash_pin("583920")
    ours = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        verify_pin("583921", stored)
        ours.append((time.perf_counter() - started) * 1000)
    salt = os.urandom(16)
    plain = []
    for _ in range(ROUNDS * 100):
        started = time.perf_counter()
        hashlib.sha256(salt + b"583921").digest()
        plain.append((time.perf_counter() - started) * 1000)
    allowed = sum(1 for n in range(1_000_000) if not is_trivial(f"{n:06d}"))
    days = allowed * median(ours) / 1000 / 86400
    plain_days = allowed * median(plain) / 1000 / 86400
    label = "one salted SHA-256 of the PIN"
    return [
        Figure("pin_verify_ms", median(ours), "ms", median(plain), label, ">= 250 ms"),
        Figure(
            "pin_offline_core_days",
            days,
            "days",
            plain_days,
            f"{label}, all {allowed} allowed 6-digit PINs",
            ">= 1 day",
        ),
    ]
