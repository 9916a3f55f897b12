"""Reading a day's schedule file (CSV or JSON) into a preview, before anything is written.

The format is in docs/importing-programs.md. Real files are messy, so reading is forgiving
where the meaning is unambiguous — a byte-order mark, Windows or old Mac line endings, blank
lines, spaces around values, upper-case ids and column names, ``;`` as the separator (Excel in
many European locales), Windows-1252 or UTF-16 text — and strict where guessing could coach a
patient through the wrong thing: dates only as YYYY-MM-DD (is 03/04 March or April?), numbers
within :data:`kiosk.core.program_builder.LIMITS`, exercise ids and codes that exist.

Every problem is collected with its line and field; nothing here raises on bad input and
nothing here writes. Problems and notices are sentences for staff in the kiosk's language
(the catalog's ``problem.*`` keys), written as they are found; the file format's own names
(``date``, ``code``, ``sets``, ...) stay as they are in any language.
:func:`kiosk.staff.importing.import_schedule` writes a clean preview.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.core.prescription import ProgramItemSpec
from kiosk.core.program_builder import NOTES_MAX, dose_problems
from kiosk.text import t
from media.schema import Library, SidePattern

FIELDS = (
    "date", "code", "exercise", "sets", "reps", "hold_s", "sides", "rest_s", "notes", "language",
)  # fmt: skip
REQUIRED = ("date", "code", "exercise")
MAX_BYTES = 2_000_000  # a day's schedule is a few kB; anything this big is the wrong file
MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    """``line`` 0: the file as a whole; ``field`` "": the row as a whole.

    ``message`` is in the kiosk's language; ``str()`` (the command line's and the logs'
    form) frames it in English.
    """

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class PatientRef:
    id: int
    display_name: str
    active: bool = True


#: Looks up patients by code for a set of codes (one query for the whole file).
PatientLookup = Callable[[set[str]], Mapping[str, PatientRef]]


@dataclass(frozen=True, kw_only=True)
class ScheduleRow(ProgramItemSpec):
    """One good row of the file: the item it prescribes, its line, its day and patient code.

    The file has no tempo column, so ``tempo_s`` stays None: imported items run at the
    library's tempo.
    """

    line: int
    day: date
    code: str
    #: The patient's language ("es"), if the file gives one: kept as their preference.
    language: str | None = None


@dataclass(frozen=True)
class PatientDay:
    """One patient's program for one day: the file's rows for that date and code, in order."""

    day: date
    code: str
    patient_id: int
    display_name: str
    rows: tuple[ScheduleRow, ...]
    #: The language the file gives for the patient (the last row's that gives one).
    language: str | None = None


@dataclass(frozen=True)
class Preview:
    """What the screen shows before "Import": rows, problems, and the programs it would make.

    ``ok``: no problems and at least one row; only then may it be imported.
    ``content_sha256`` identifies the content (not the bytes): the same schedule saved by
    another editor, or as JSON instead of CSV, has the same value.
    """

    filename: str
    file_format: str
    rows: tuple[ScheduleRow, ...]
    problems: tuple[Problem, ...]
    groups: tuple[PatientDay, ...]
    content_sha256: str
    notices: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# --- bytes to records -----------------------------------------------------------------------

_Record = tuple[int, dict[str, Any]]  # (line, field -> raw value)


def _decode(data: bytes, notices: list[str]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    notices.append(t("problem.file.cp1252"))
    return text


def _column(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().replace("-", " ").split())


def _csv_records(text: str, problems: list[Problem]) -> list[_Record]:
    first_line = re.split(r"\r\n|\r|\n", text.lstrip("\r\n"), maxsplit=1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[_Record] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # blank line (or only separators)
            if header is None:
                header = [_column(cell) for cell in cells]
                _check_header(header, start, problems)
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                problems.append(
                    Problem(
                        start,
                        "",
                        t("problem.csv.too_many_values", values=len(cells), columns=len(header)),
                    )
                )
                continue
            records.append((start, dict(zip(header, cells, strict=False))))
    except csv.Error as error:
        problems.append(Problem(line, "", t("problem.csv.invalid", detail=error)))
    if header is None:
        problems.append(Problem(0, "", t("problem.file.empty")))
    return records


def _check_header(header: list[str], line: int, problems: list[Problem]) -> None:
    for index, name in enumerate(header):
        if name and name not in FIELDS:
            message = _hinted(_UNKNOWN_COLUMN, _hint(name, FIELDS))
            problems.append(Problem(line, _printable(name), message))
        elif name in header[:index]:
            problems.append(Problem(line, _printable(name), t("problem.csv.column_twice")))
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem(line, name, t("problem.csv.missing_column")))


def _json_records(text: str, problems: list[Problem]) -> list[_Record]:
    """The objects of a top-level JSON list, each with the line it starts on."""
    decoder = json.JSONDecoder()  # NaN and Infinity parse, and are refused per field
    records: list[_Record] = []
    i = _skip_space(text, 0)
    if i >= len(text) or text[i] != "[":
        problems.append(Problem(_line_of(text, i), "", t("problem.json.not_a_list")))
        return records
    i = _skip_space(text, i + 1)
    if i < len(text) and text[i] == "]":
        return records
    while True:
        line = _line_of(text, i)
        try:
            value, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as error:
            problems.append(Problem(error.lineno, "", t("problem.json.invalid", detail=error.msg)))
            return records
        except ValueError:
            # An integer of more than 4,300 digits: Python refuses to convert it (CVE-2020-10735).
            problems.append(Problem(line, "", t("problem.json.number_too_long")))
            return records
        except RecursionError:
            problems.append(Problem(line, "", t("problem.json.too_deep")))
            return records
        if isinstance(value, dict):
            fields = {_column(str(k)): v for k, v in value.items()}
            for key in fields:
                if key not in FIELDS:
                    message = _hinted(_UNKNOWN_FIELD, _hint(key, FIELDS))
                    problems.append(Problem(line, _printable(key), message))
            records.append((line, fields))
        else:
            problems.append(Problem(line, "", t("problem.json.not_an_object", value=_show(value))))
        i = _skip_space(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip_space(text, i + 1)
            continue
        if i < len(text) and text[i] == "]":
            if text[_skip_space(text, i + 1) :]:
                problems.append(Problem(_line_of(text, i + 1), "", t("problem.json.text_after")))
            return records
        problems.append(Problem(_line_of(text, i), "", t("problem.json.no_separator")))
        return records


def _printable(name: str) -> str:
    """A column or field name as it may be shown: unprintable characters (an escape sequence
    that would clear IT's terminal, a lone surrogate no output can encode) written as escapes."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


# --- records to rows ------------------------------------------------------------------------


#: Beyond this a whole number is no dose, nor a check-in code (and no float can hold it).
_LARGEST_WHOLE = 10**15
#: Characters no text field may hold: control characters (tab and line ends aside: a quoted
#: cell may span lines) and lone surrogates.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _show(value: object) -> str:
    if isinstance(value, int) and abs(value) > _LARGEST_WHOLE:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_UNKNOWN_COLUMN = ("problem.csv.unknown_column", "problem.csv.unknown_column_hint")
_UNKNOWN_FIELD = ("problem.json.unknown_field", "problem.json.unknown_field_hint")
_UNKNOWN_EXERCISE = ("problem.exercise.unknown", "problem.exercise.unknown_hint")


def _hint(word: str, options: Mapping[str, object] | tuple[str, ...]) -> str | None:
    """The option ``word`` was most likely meant to be, if one is close."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return close[0] if close else None


def _hinted(keys: tuple[str, str], suggestion: str | None, **fields: object) -> str:
    """The first key's text, or with a suggestion the second's ("... (did you mean 'x'?)")."""
    plain, hinted = keys
    if suggestion is None:
        return t(plain, **fields) if fields else t(plain)
    return t(hinted, suggestion=suggestion, **fields)


class _RowReader:
    """Reads one record's fields, collecting problems; ``strict_numbers``: JSON's rules."""

    def __init__(self, line: int, fields: dict[str, Any], strict_numbers: bool) -> None:
        self.line = line
        self.fields = fields
        self.strict = strict_numbers
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.line, field, message))

    def text(self, field: str) -> str | None:
        value = self.fields.get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            if field == "code" and isinstance(value, int) and not isinstance(value, bool):
                if abs(value) <= _LARGEST_WHOLE:
                    return str(value)
                self.fail(field, t("problem.field.number_too_large"))
                return None
            self.fail(field, t("problem.field.not_text", value=_show(value)))
            return None
        if _UNSTORABLE.search(value):
            # A lone surrogate (JSON's "\ud800") cannot be stored or printed as UTF-8, and
            # PostgreSQL refuses NUL in text: refused here, not as a traceback at import.
            self.fail(field, t("problem.field.control_characters", value=_show(value)))
            return None
        return value.strip() or None

    def number(self, field: str, whole: bool) -> float | None:
        value = self.fields.get(field)
        if isinstance(value, str):
            if not value.strip():
                return None
            if self.strict:
                self.fail(field, t("problem.field.number_as_text", value=_show(value)))
                return None
            try:
                value = float(value.strip())
            except ValueError:
                shown = _show(self.fields[field].strip())
                self.fail(field, t("problem.field.not_a_number", value=shown))
                return None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, t("problem.field.not_a_number", value=_show(value)))
            return None
        if isinstance(value, int) and abs(value) > _LARGEST_WHOLE:
            # Far beyond any dose, and beyond a float: say so without converting it.
            self.fail(field, t("problem.field.number_too_large"))
            return None
        if not math.isfinite(value):
            self.fail(field, t("problem.field.not_a_number", value=_show(value)))
            return None
        if whole and value != int(value):
            self.fail(field, t("problem.field.not_whole", value=f"{value:g}"))
            return None
        return float(value)

    def whole(self, field: str) -> int | None:
        value = self.number(field, whole=True)
        return None if value is None else int(value)


def _row(
    reader: _RowReader, library: Library, patients: Mapping[str, PatientRef]
) -> ScheduleRow | None:
    day_text = reader.text("date")
    day: date | None = None
    if day_text is None:
        reader.fail("date", t("problem.field.date_missing"))
    else:
        try:
            day = date.fromisoformat(day_text)
            if len(day_text) != 10:
                raise ValueError
        except ValueError:
            reader.fail("date", t("problem.field.not_a_date", value=_show(day_text)))
    code = reader.text("code")
    if code is None:
        reader.fail("code", t("problem.field.missing"))
    elif not (code.isascii() and code.isdigit()):
        reader.fail("code", t("problem.field.code_not_digits", value=_show(code)))
    elif code not in patients:
        reader.fail("code", t("problem.field.no_patient", code=code))
    elif not patients[code].active:
        reader.fail("code", t("problem.field.patient_inactive", code=code))
    raw_exercise = reader.text("exercise")
    exercise = None
    exercise_id = ""
    if raw_exercise is None:
        reader.fail("exercise", t("problem.field.missing"))
    else:
        exercise_id = "-".join(raw_exercise.lower().replace("_", " ").split())
        exercise = library.exercises.get(exercise_id)
        if exercise is None:
            hint = _hint(exercise_id, library.exercises)
            reader.fail("exercise", _hinted(_UNKNOWN_EXERCISE, hint, exercise=raw_exercise))
    sets = reader.whole("sets")
    reps = reader.whole("reps")
    hold_s = reader.number("hold_s", whole=False)
    rest_s = reader.number("rest_s", whole=False)
    sides_text = reader.text("sides")
    sides = None
    if sides_text is not None:
        try:
            sides = SidePattern(sides_text.lower())
        except ValueError:
            options = ", ".join(s.value for s in SidePattern)
            shown = _show(sides_text)
            reader.fail("sides", t("problem.field.sides", options=options, value=shown))
    notes = reader.text("notes")
    if notes is not None and len(notes) > NOTES_MAX:
        reader.fail("notes", t("problem.field.notes_too_long", max=NOTES_MAX, count=len(notes)))
    language = _language(reader)
    for problem in dose_problems(exercise, sets=sets, reps=reps, hold_s=hold_s, rest_s=rest_s):
        reader.fail(problem.field, problem.message)
    if reader.problems or day is None or code is None:
        return None
    return ScheduleRow(
        line=reader.line,
        day=day,
        code=code,
        exercise_id=exercise_id,
        sets=sets,
        reps=reps,
        hold_s=hold_s,
        sides=sides,
        rest_s=rest_s,
        notes=notes,
        language=language,
    )


def _language(reader: _RowReader) -> str | None:
    """The optional ``language`` column: a language the kiosk speaks ("es"), or empty."""
    from db.validation import InvalidLanguageError, validate_language
    from kiosk.text import PSEUDO, available

    given = reader.text("language")
    try:
        return validate_language(given)
    except InvalidLanguageError:
        options = ", ".join(c for c in available() if c != PSEUDO)
        reader.fail("language", t("problem.field.language", options=options, value=_show(given)))
        return None


def _digest(rows: tuple[ScheduleRow, ...]) -> str:
    canonical = [
        [r.day.isoformat(), r.code, r.exercise_id, r.sets, r.reps, r.hold_s,
         r.sides.value if r.sides else None, r.rest_s, r.notes,
         *([r.language] if r.language else [])]  # files without it digest as before
        for r in rows
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()


def _groups(
    rows: tuple[ScheduleRow, ...], patients: Mapping[str, PatientRef]
) -> tuple[PatientDay, ...]:
    grouped: dict[tuple[date, str], list[ScheduleRow]] = {}
    for row in rows:
        grouped.setdefault((row.day, row.code), []).append(row)
    return tuple(
        PatientDay(
            day,
            code,
            patients[code].id,
            patients[code].display_name,
            tuple(items),
            language=next((r.language for r in reversed(items) if r.language), None),
        )
        for (day, code), items in grouped.items()
    )


def preview_bytes(data: bytes, filename: str, library: Library, lookup: PatientLookup) -> Preview:
    """Parse and check a schedule file's content; never raises on bad content."""
    problems: list[Problem] = []
    notices: list[str] = []
    fmt = "json" if filename.lower().endswith(".json") else "csv"
    rows: tuple[ScheduleRow, ...] = ()
    patients: Mapping[str, PatientRef] = {}
    if len(data) > MAX_BYTES:
        problems.append(Problem(0, "", t("problem.file.too_big", size=f"{len(data):,}")))
    text = None if problems else _decode(data, notices)
    if text is None and not problems:
        problems.append(Problem(0, "", t("problem.file.not_text")))
    if text is not None:
        if not filename.lower().endswith((".json", ".csv")) and text.lstrip().startswith("["):
            fmt = "json"
        records = _json_records(text, problems) if fmt == "json" else _csv_records(text, problems)
        if len(records) > MAX_ROWS:
            message = t("problem.file.too_many_rows", count=len(records), max=MAX_ROWS)
            problems.append(Problem(0, "", message))
            records = []
        codes = {str(f.get("code", "")).strip() for _, f in records}
        patients = lookup({c for c in codes if c.isascii() and c.isdigit()})
        checked = []
        for line, fields in records:
            reader = _RowReader(line, fields, strict_numbers=fmt == "json")
            row = _row(reader, library, patients)
            problems.extend(reader.problems)
            if row is not None:
                checked.append(row)
        rows = tuple(checked)
        if not records and not problems:
            problems.append(Problem(0, "", t("problem.file.no_rows")))
    problems.sort(key=lambda p: (p.line, FIELDS.index(p.field) if p.field in FIELDS else -1))
    groups = () if problems else _groups(rows, patients)
    return Preview(
        filename=filename,
        file_format=fmt,
        rows=rows,
        problems=tuple(problems),
        groups=groups,
        content_sha256=_digest(rows),
        notices=tuple(notices),
    )
