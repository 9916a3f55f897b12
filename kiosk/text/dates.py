"""Dates and times in the kiosk's language: weekday and month names, and their order.

``strftime``'s ``%a``/``%b``/``%A``/``%B`` name days and months in the C locale, which is
English whatever language the kiosk speaks; these functions take the names from the catalog
(``date.weekday_short.mon``, ``date.month_long.march``) and the order of the parts from a
template (``date.day_long``: ``"{weekday} {day} {month} {year}"``), so a translation can say
"Montag, 2. März 2026" by moving fields and adding its own punctuation.

Numbers reach the templates as numbers (``{day}``, ``{year}``, ``{hour}``, ``{minute}``), so
a template may pad them (``{day:02d}``). Stdlib only and Qt-free, like the rest of the
package: staff screens, the handout and the command line all use it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from kiosk.text import t

#: ``date.weekday()`` order: Monday first.
_WEEKDAY_SHORT = (
    "date.weekday_short.mon",
    "date.weekday_short.tue",
    "date.weekday_short.wed",
    "date.weekday_short.thu",
    "date.weekday_short.fri",
    "date.weekday_short.sat",
    "date.weekday_short.sun",
)
_WEEKDAY_LONG = (
    "date.weekday_long.monday",
    "date.weekday_long.tuesday",
    "date.weekday_long.wednesday",
    "date.weekday_long.thursday",
    "date.weekday_long.friday",
    "date.weekday_long.saturday",
    "date.weekday_long.sunday",
)
#: ``date.month`` order: January is 1.
_MONTH_SHORT = (
    "date.month_short.jan",
    "date.month_short.feb",
    "date.month_short.mar",
    "date.month_short.apr",
    "date.month_short.may",
    "date.month_short.jun",
    "date.month_short.jul",
    "date.month_short.aug",
    "date.month_short.sep",
    "date.month_short.oct",
    "date.month_short.nov",
    "date.month_short.dec",
)
_MONTH_LONG = (
    "date.month_long.january",
    "date.month_long.february",
    "date.month_long.march",
    "date.month_long.april",
    "date.month_long.may",
    "date.month_long.june",
    "date.month_long.july",
    "date.month_long.august",
    "date.month_long.september",
    "date.month_long.october",
    "date.month_long.november",
    "date.month_long.december",
)
#: Every weekday in a ``weekdays`` mask (bit 0 Monday ... bit 6 Sunday).
ALL_WEEKDAYS = 0b111_1111

#: Every catalog key this module looks up (``tests/text/test_dates.py`` checks them).
KEYS = (
    *_WEEKDAY_SHORT,
    *_WEEKDAY_LONG,
    *_MONTH_SHORT,
    *_MONTH_LONG,
    "date.day_month",
    "date.day_short",
    "date.day_short_year",
    "date.day_long",
    "date.day_month_year",
    "date.time",
    "date.time_seconds",
    "date.day_time",
    "date.every_day",
    "date.list_separator",
)


def weekday_short(weekday: int) -> str:
    """ "Mon" for 0 (``date.weekday()``: Monday 0 ... Sunday 6)."""
    return t(_WEEKDAY_SHORT[weekday])


def weekday_long(weekday: int) -> str:
    """ "Monday" for 0."""
    return t(_WEEKDAY_LONG[weekday])


def month_short(month: int) -> str:
    """ "Mar" for 3 (``date.month``: January 1 ... December 12)."""
    return t(_MONTH_SHORT[month - 1])


def month_long(month: int) -> str:
    """ "March" for 3."""
    return t(_MONTH_LONG[month - 1])


def day_month(day: date) -> str:
    """ "2 Mar": a day close enough to need no weekday or year (a chart's axis)."""
    return t("date.day_month", day=day.day, month=month_short(day.month))


def day_short(day: date) -> str:
    """ "Mon 2 Mar": a day in lists and tables, where the year goes without saying."""
    return t(
        "date.day_short",
        weekday=weekday_short(day.weekday()),
        day=day.day,
        month=month_short(day.month),
    )


def day_short_year(day: date) -> str:
    """ "Mon 2 Mar 2026": a day chosen or shown on its own (day steppers, periods, spans)."""
    return t(
        "date.day_short_year",
        weekday=weekday_short(day.weekday()),
        day=day.day,
        month=month_short(day.month),
        year=day.year,
    )


def day_long(day: date) -> str:
    """ "Monday 2 March 2026": a heading."""
    return t(
        "date.day_long",
        weekday=weekday_long(day.weekday()),
        day=day.day,
        month=month_long(day.month),
        year=day.year,
    )


def day_month_year(day: date) -> str:
    """ "2 March 2026": a date printed on paper (the home-exercise handout)."""
    return t("date.day_month_year", day=day.day, month=month_long(day.month), year=day.year)


def time_short(moment: time | datetime) -> str:
    """ "14:05": hours and minutes, as the moment is given (convert to local time first)."""
    return t("date.time", hour=moment.hour, minute=moment.minute)


def time_seconds(moment: time | datetime) -> str:
    """ "14:05:09"."""
    return t("date.time_seconds", hour=moment.hour, minute=moment.minute, second=moment.second)


def day_time(moment: datetime) -> str:
    """ "Mon 2 Mar 14:05": when something happened, recently."""
    return t(
        "date.day_time",
        weekday=weekday_short(moment.weekday()),
        day=moment.day,
        month=month_short(moment.month),
        time=time_short(moment),
    )


def weekdays_text(mask: int | None) -> str:
    """ "every day" (``mask`` None or all seven), else the days: "Mon, Wed, Fri"."""
    if mask is None or mask & ALL_WEEKDAYS == ALL_WEEKDAYS:
        return t("date.every_day")
    separator = t("date.list_separator")
    return separator.join(weekday_short(i) for i in range(7) if mask & (1 << i))
