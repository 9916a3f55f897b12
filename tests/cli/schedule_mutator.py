"""A seeded mutator of schedule files: the documented examples, damaged the ways real files
and hostile ones are (bytes flipped, cut, repeated; numbers of 5,000 digits; NUL, lone
surrogates and control characters; deep nesting; another encoding).

Deterministic for a seed, so a failing case is found again by its number.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

#: Tokens that broke, or could break, a parser or the database behind it.
INTERESTING: tuple[bytes, ...] = (
    b"9" * 4301,  # one digit past CPython's int-from-text limit (CVE-2020-10735)
    b"-" + b"7" * 6000,
    b"1" * 4300,  # the longest integer Python converts: far beyond any dose
    b"1e999",
    b"-1e-999",
    b"NaN",
    b"-Infinity",
    b"1.5",
    b"-0",
    b"99999999999999999999",
    b'"\\ud800"',
    b'"a\\udfffb"',
    b'"\\u0000"',
    b'"\\u001b[31m"',
    b"\\ud83d",
    b"\x00",
    b"\x1b",
    b"\x7f",
    b"\xed\xa0\x80",  # a surrogate in UTF-8: not UTF-8
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xe9",
    "\U0001f600".encode(),
    b"[" * 3000,
    b"{" * 3000,
    b'{"a":' * 2000,
    b'"',
    b'""',
    b"\r",
    b"\r\n",
    b";",
    b",",
    b"true",
    b"null",
    b"[]",
    b"{}",
    b"0000-00-00",
    b"9999-12-31",
    b"2025-02-29",
    b"a" * 140_000,  # past the csv module's field size limit
)

_TOKEN = re.compile(rb'-?\d+(?:\.\d+)?|"[^"\n]*"|[A-Za-z_-]+')


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def _insert_byte(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + bytes([rng.randrange(256)]) + data[i:]


def _delete_span(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 40) :]


def _repeat_span(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    span = data[i : i + rng.randint(1, 200)]
    return data[:i] + span * rng.randint(2, 50) + data[i:]


def _insert_token(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(INTERESTING) + data[i:]


def _replace_token(rng: random.Random, data: bytes) -> bytes:
    """A value (number, string, word) swapped for an interesting token: still well formed
    around it, so the checks behind the parser are reached."""
    tokens = list(_TOKEN.finditer(data))
    if not tokens:
        return _insert_token(rng, data)
    token = rng.choice(tokens)
    return data[: token.start()] + rng.choice(INTERESTING) + data[token.end() :]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _as_utf16(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    return text.encode("utf-16", "surrogatepass" if rng.random() < 0.5 else "replace")


def _splice(rng: random.Random, data: bytes) -> bytes:
    """Two halves of the file in the other order: a header in the middle, rows before it."""
    if len(data) < 2:
        return data
    i = rng.randrange(1, len(data))
    return data[i:] + data[:i]


_MUTATIONS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    _flip, _insert_byte, _delete_span, _repeat_span, _insert_token, _replace_token,
    _replace_token, _replace_token, _truncate, _as_utf16, _splice,
)  # fmt: skip


def mutations(seeds: list[bytes], count: int, seed: int) -> Iterator[tuple[int, bytes]]:
    """``count`` mutated files (case number, content), one to four mutations each."""
    rng = random.Random(seed)
    for case in range(count):
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 4)):
            data = rng.choice(_MUTATIONS)(rng, data)
        yield case, data
