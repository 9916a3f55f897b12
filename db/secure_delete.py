"""A session whose deletes leave nothing readable behind in a SQLite file.

SQLite frees a deleted row's space without clearing it unless ``secure_delete`` is on, and
whether it is on by default depends on how SQLite was built (Debian's: on; python.org's and
most wheels': off). The kiosk's engines turn it on for every connection
(:mod:`db.connection`); erasure and retention delete patients' records through
:func:`deleting_session`, which turns it on again for its own connection (whatever engine it
is given), and afterwards checkpoints and truncates the WAL, so the deleted rows' old pages
are not left in it either. Other databases: a plain session (PostgreSQL's vacuum reclaims
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
        if sqlite:  # a flag of this connection, set outside any transaction; left on
            raw.execute("PRAGMA secure_delete=ON")  # type: ignore[union-attr]
        with Session(bind=connection) as session:
            yield session
    if sqlite:
        with engine.connect() as connection:
            # Busy (another kiosk reading) is no failure: the frames go at the next checkpoint.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
