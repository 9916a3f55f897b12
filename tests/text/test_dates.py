"""Dates in the kiosk's language: names and order from the catalog, never from strftime."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest

from kiosk import text
from kiosk.text import REFERENCE, Language, dates, en

MONDAY = date(2026, 3, 2)
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    text.use(REFERENCE)
    yield
    text.use(REFERENCE)


def test_a_day_in_english() -> None:
    assert dates.day_month(MONDAY) == "2 Mar"
    assert dates.day_short(MONDAY) == "Mon 2 Mar"
    assert dates.day_short_year(MONDAY) == "Mon 2 Mar 2026"
    assert dates.day_long(MONDAY) == "Monday 2 March 2026"
    assert dates.day_month_year(MONDAY) == "2 March 2026"  # the printed handout's date
    assert dates.day_month_year(date(2026, 12, 31)) == "31 December 2026"


def test_times_have_two_digit_minutes_and_a_24_hour_clock() -> None:
    moment = datetime(2026, 3, 2, 9, 5, 7)
    assert dates.time_short(moment) == "09:05"
    assert dates.time_seconds(moment) == "09:05:07"
    assert dates.time_short(time(23, 59)) == "23:59"
    assert dates.day_time(moment) == "Mon 2 Mar 09:05"


def test_every_weekday_and_month_has_its_name() -> None:
    week = [dates.weekday_short(i) for i in range(7)]
    assert week == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert dates.weekday_long(6) == "Sunday"
    assert [dates.weekday_short(date(2026, 3, d).weekday()) for d in range(2, 9)] == week
    months = [dates.month_short(m) for m in range(1, 13)]
    assert months[:3] == ["Jan", "Feb", "Mar"]
    assert months[-3:] == ["Oct", "Nov", "Dec"]
    assert len(set(months)) == 12
    assert [dates.month_long(m) for m in (1, 5, 9, 12)] == [
        "January",
        "May",
        "September",
        "December",
    ]


@pytest.mark.parametrize(
    ("mask", "words"),
    [
        (None, "every day"),
        (0b111_1111, "every day"),
        (0b001_0101, "Mon, Wed, Fri"),
        (0b001_1111, "Mon, Tue, Wed, Thu, Fri"),
        (0b100_0000, "Sun"),
    ],
)
def test_the_weekdays_of_a_program(mask: int | None, words: str) -> None:
    assert dates.weekdays_text(mask) == words


def test_in_the_pseudo_language_every_part_comes_from_the_catalog() -> None:
    text.use("pseudo")
    assert dates.day_short(MONDAY) == "⟦⟦Ṁóñ⟧ 2 ⟦Ṁáŕ⟧⟧"
    assert dates.weekdays_text(0b101) == "⟦Ṁóñ⟧⟦, ⟧⟦Ŵéđ⟧"
    moment = datetime(2026, 3, 2, 9, 5, 7)
    shown = [
        dates.day_month(MONDAY),
        dates.day_short_year(MONDAY),
        dates.day_long(MONDAY),
        dates.day_month_year(MONDAY),
        dates.day_time(moment),
        dates.time_seconds(moment),
        dates.weekdays_text(None),
        *(dates.weekday_long(i) for i in range(7)),
        *(dates.month_long(m) for m in range(1, 13)),
    ]
    for words in shown:
        assert (words[0], words[-1]) == ("⟦", "⟧"), words
        assert not _ENGLISH_WORD.search(words), words  # no name slipped past the catalog
    assert "2026" in dates.day_long(MONDAY)
    assert "09" in dates.day_time(moment)


def test_a_language_puts_the_parts_in_its_own_order(monkeypatch: pytest.MonkeyPatch) -> None:
    german = {
        "date.day_long": "{weekday}, {day}. {month} {year}",
        "date.day_short": "{weekday} {day:02d}.{month}",
        "date.time": "{hour}.{minute:02d} Uhr",
        "date.weekday_long.monday": "Montag",
        "date.weekday_short.mon": "Mo",
        "date.month_long.march": "März",
        "date.month_short.mar": "Mär",
    }
    monkeypatch.setattr(
        text,
        "_current",
        Language(
            code="de",
            name="Deutsch",
            messages=german,
            plural=en.plural,
            seconds_per_word=0.4,
            espeak_voice="de",
        ),
    )
    assert dates.day_long(MONDAY) == "Montag, 2. März 2026"
    assert dates.day_short(MONDAY) == "Mo 02.Mär"
    assert dates.time_short(time(9, 5)) == "9.05 Uhr"


def test_the_module_uses_every_date_text_in_the_catalog() -> None:
    """The catalog test does not read kiosk/text/, so this one checks the date keys."""
    catalog = {key for key in en.MESSAGES if key.startswith("date.")}
    assert set(dates.KEYS) == catalog
    assert len(dates.KEYS) == len(set(dates.KEYS))
