"""A session whose deletes leave nothing readable behind in a SQLite file.

SQLite frees a deleted row's space without clearing it unless ``secure_delete`` is on, and
whether it is on by default depends on how SQLite was built (Debian's: on; python.org's and
most wheels': off). Erasure and retention delete patients' records through
:func:`deleting_session`: the flag is set on that one connection (the kiosk's other writes are
untouched), and afterwards the WAL is checkpointed and truncated, so the deleted rows' old
pages are not left in it either. Other databases: a plain session (PostgreSQL's vacuum reclaims
dead rows; docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session


@contextmanager
def deleting_session(engine: Engine) -> Iterator[Session]:
    """A session to delete in; commit it inside the block."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        if sqlite:  # a flag of this connection alone, set outside any transaction
            raw.execute("PRAGMA secure_delete=ON")  # type: ignore[union-attr]
        try:
            with Session(bind=connection) as session:
                yield session
        finally:
            if sqlite:
                raw.execute("PRAGMA secure_delete=OFF")  # type: ignore[union-attr]
    if sqlite:
        with engine.connect() as connection:
            # Busy (another kiosk reading) is no failure: the frames go at the next checkpoint.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
