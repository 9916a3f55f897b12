"""Column types shared by the models, and the uid a logged record carries.

Times are stored as UTC everywhere. SQLite has no time-zone type, so an aware datetime is
converted to UTC and stored naive there, and marked UTC again when read back; PostgreSQL gets a
real ``timestamptz``. Either way the rest of the program only ever sees aware UTC datetimes.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def new_uid() -> str:
    """A record's uid (``uid`` columns, migration 0005): 32 hex digits, made when the record
    happens, so writing it twice can be recognised and done once."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; a naive one is refused rather than guessed at."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the database stores aware UTC times")
        value = value.astimezone(UTC)
        if dialect.name == "postgresql":
            return value
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
