"""Every number the ``kiosk`` command takes, bounded; and the check that a file can be written.

Issue 11: ``--sets 99999999999999999999999`` ran out of memory, ``--sets 100000 --reps 100000``
compiled for ever, ``demo --size 30000x30000`` painted for 40 s. So each numeric option's type
here refuses a value out of its range while the command line is parsed, before any handler
runs or anything is allocated for it. The refusal is an :class:`argparse.ArgumentTypeError`:
argparse prefixes the option's name (``argument --sets: must be a whole number from 1 to 10,
got 0``) and exits with code 2, the command's usage error. Text longer than any value in
range is refused without being converted at all, and quoted cut short.

The dose options take their bounds from :data:`kiosk.core.program_builder.LIMITS`, read when
an option is parsed (not copied when the parser is built): a dose the program builder and the
schedule importer refuse is refused here too, and the numbers have one owner.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import math
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

#: Text longer than this is no value any option accepts (the longest is a date or a size).
MAX_TEXT = 40
#: How much of a longer argument a message quotes, before its length.
SHOWN_CHARS = 20
#: Window and picture sizes: the smallest that still shows a screen's content, up to 4K UHD.
SIZE_MIN = (320, 240)
SIZE_MAX = (3840, 2160)
SIZE_RANGE = f"{SIZE_MIN[0]}x{SIZE_MIN[1]} to {SIZE_MAX[0]}x{SIZE_MAX[1]}"
#: The days a program, a report or a handout can be about: none before the kiosk existed, none
#: past this century (at the calendar's own ends, years 1 and 9999, a report's day after its
#: last day and its time-zone arithmetic fell off the calendar).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
#: How much a test file written to find out whether a folder takes a file holds: one block,
#: so a disk with no room left says so now, not after a whole session.
PROBE_BYTES = 4096


def given(text: str, *, parsed: bool) -> str:
    """The argument as an error message repeats it: as typed if it was a value (``0``),
    quoted if it was not (``'ten'``), and cut short with its length if it was huge."""
    if len(text) > MAX_TEXT:
        return f"{text[:SHOWN_CHARS]!r}... ({len(text)} characters)"
    return text.strip() if parsed else repr(text)


def whole_number(text: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` inclusive."""
    value: int | None = None
    if len(text) <= MAX_TEXT:
        with contextlib.suppress(ValueError):
            value = int(text)
    if value is None or not low <= value <= high:
        shown = given(text, parsed=value is not None)
        raise argparse.ArgumentTypeError(
            f"must be a whole number from {low} to {high}, got {shown}"
        )
    return value


def number(text: str, low: float, high: float, unit: str = "") -> float:
    """A finite number from ``low`` to ``high`` inclusive (NaN and infinities are refused)."""
    value: float | None = None
    if len(text) <= MAX_TEXT:
        with contextlib.suppress(ValueError):
            value = float(text)
    if value is None or not (math.isfinite(value) and low <= value <= high):
        shown = given(text, parsed=value is not None)
        raise argparse.ArgumentTypeError(
            f"must be a number from {low:g} to {high:g}{unit}, got {shown}"
        )
    return value + 0.0  # -0 is 0


def dose_count(field: str) -> Callable[[str], int]:
    """The type of a whole-number dose option (``"sets"``, ``"reps"``), bounded by ``LIMITS``."""

    def parse(text: str) -> int:
        from kiosk.core.program_builder import LIMITS

        limit = LIMITS[field]
        return whole_number(text, math.ceil(limit.low), math.floor(limit.high))

    return parse


def dose_seconds(field: str) -> Callable[[str], float]:
    """The type of a dose option in seconds (``"hold_s"``, ``"rest_s"``), bounded by ``LIMITS``."""

    def parse(text: str) -> float:
        from kiosk.core.program_builder import LIMITS

        limit = LIMITS[field]
        return number(text, limit.low, limit.high, limit.unit)

    return parse


def fraction(text: str) -> float:
    """A number from 0 to 1: how far through something."""
    return number(text, 0.0, 1.0)


def size_arg(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` in pixels, each side within :data:`SIZE_MIN` and :data:`SIZE_MAX`."""
    size: tuple[int, int] | None = None
    if len(text) <= MAX_TEXT:
        try:
            width, height = (int(part) for part in text.lower().split("x"))
        except ValueError:
            pass
        else:
            size = (width, height)
    (min_w, min_h), (max_w, max_h) = SIZE_MIN, SIZE_MAX
    if size is None or not (min_w <= size[0] <= max_w and min_h <= size[1] <= max_h):
        raise argparse.ArgumentTypeError(
            f"must be WIDTHxHEIGHT from {SIZE_RANGE}, got {given(text, parsed=size is not None)}"
        )
    return size


def iso_date(text: str) -> date:
    """A day as ``YYYY-MM-DD``, from :data:`FIRST_DAY` to :data:`LAST_DAY`."""
    day: date | None = None
    if len(text) <= MAX_TEXT:
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(text.strip())
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"must be a date as YYYY-MM-DD from {FIRST_DAY} to {LAST_DAY}, "
            f"got {given(text, parsed=day is not None)}"
        )
    return day


def cannot_write(path: Path) -> str | None:
    """Why no file can be written at ``path``, found by trying; None if one can.

    Permission bits do not tell: root passes them all, yet a read-only mount or a full disk
    still refuses the file. So a new file is created at ``path``, given :data:`PROBE_BYTES`,
    flushed to the disk and removed again; a file already there is only opened for writing
    (not truncated) and left as it was. A disk that fills up later is only found later.
    """
    try:
        if path.exists():
            if path.is_dir():
                return os.strerror(errno.EISDIR)
            if not path.is_file():
                return "not a regular file"
            os.close(os.open(path, os.O_WRONLY))
            return None
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            data = memoryview(bytes(PROBE_BYTES))
            while data:
                data = data[os.write(descriptor, data) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
            path.unlink()
    except OSError as error:
        return error.strerror or str(error)
    return None
