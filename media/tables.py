"""Reading one TOML file of the library, and the error that names its file and field.

Shared by :mod:`media.loader` (the English library) and :mod:`media.translations` (its
translations), so both report problems the same way: ``<file>: <dotted.field>: <message>``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import NoReturn, TypeGuard, TypeVar

from media.schema import IntRange

__all__ = ["ID_PATTERN", "LibraryError", "Table", "hint", "read_table", "show"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_E = TypeVar("_E", bound=StrEnum)


class LibraryError(ValueError):
    """A library file is missing, is not valid TOML, or does not fit the schema.

    ``file`` is the path relative to the library root; ``field`` the dotted key ("" when the
    problem is the whole file).
    """

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file = file
        self.field = field
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")


def show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def hint(word: str, options: list[str]) -> str:
    import difflib  # only on the error path: keeps the kiosk's start-up import light

    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class Table:
    """One TOML table being read; knows its file and dotted path for error messages."""

    def __init__(self, data: Mapping[str, object], file: str, path: str = "") -> None:
        self.data = data
        self.file = file
        self.path = path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> NoReturn:
        raise LibraryError(self.file, self.where(key), message)

    def keys(self, required: str, optional: str = "") -> None:
        """Check the table's keys; both arguments are space-separated key names."""
        allowed = (*required.split(), *optional.split())
        for key in self.data:
            if key not in allowed:
                self.fail(key, f"unknown key{hint(key, list(allowed))}")
        for key in required.split():
            if key not in self.data:
                self.fail(key, "missing required key")

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str) -> str:
        return self._text(self.data.get(key), key)

    def _text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"expected a non-empty string, got {show(value)}")
        return value.strip()

    def texts(self, key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"expected a list of strings, got {show(value)}")
        if not value and not allow_empty:
            self.fail(key, "expected at least one entry, got an empty list")
        items = tuple(self._text(item, f"{key}[{i}]") for i, item in enumerate(value))
        for i, item in enumerate(items):
            if item in items[:i]:
                self.fail(f"{key}[{i}]", f"duplicate entry {show(item)}")
        return items

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if not ID_PATTERN.match(value):
            self.fail(key, f"expected lower-case words joined by '-', got {show(value)}")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value = self.data.get(key)
        if not _is_int(value):
            self.fail(key, f"expected an integer, got {show(value)}")
        if value < minimum:
            self.fail(key, f"expected at least {minimum}, got {value}")
        return value

    def optional_integer(self, key: str, *, minimum: int = 1) -> int | None:
        return self.integer(key, minimum=minimum) if key in self.data else None

    def int_range(self, key: str, *, minimum: int = 1) -> IntRange:
        value = self.data.get(key)
        expected = "expected an integer or [low, high]"
        if _is_int(value):
            low = high = value
        elif isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value):
            low, high = value
        else:
            self.fail(key, f"{expected}, got {show(value)}")
        if low < minimum:
            self.fail(key, f"expected at least {minimum}, got {low}")
        if high < low:
            self.fail(key, f"the high end {high} is below the low end {low}")
        return IntRange(low, high)

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {show(value)}")
        return value

    def choice(self, key: str, enum: type[_E]) -> _E:
        value = self.data.get(key)
        try:
            return enum(value if isinstance(value, str) else "")
        except ValueError:
            options = ", ".join(repr(member.value) for member in enum)
            self.fail(key, f"expected one of {options}, got {show(value)}")

    def table(self, key: str) -> Table:
        value = self.data.get(key)
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {show(value)}")
        return Table(value, self.file, self.where(key))

    def tables(self, key: str, *, allow_empty: bool = True) -> list[Table]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"expected a list of tables ([[{key}]]), got {show(value)}")
        if not value and not allow_empty:
            self.fail(key, "expected at least one entry, got an empty list")
        return [Table(v, self.file, self.where(f"{key}[{i}]")) for i, v in enumerate(value)]


def read_table(root: Path, relative: str) -> Table:
    path = root / relative
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise LibraryError(relative, "", "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise LibraryError(relative, "", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(relative, "", f"cannot read the file: {exc}") from None
    return Table(data, relative)
