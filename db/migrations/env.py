"""Alembic environment for the kiosk database.

The kiosk runs migrations itself (:func:`db.connection.upgrade`) and hands its open connection in
``config.attributes["connection"]``, so no alembic.ini is needed at run time. The ``alembic``
command line (``alembic -c db/alembic.ini revision --autogenerate -m ...``) still works: it
connects to ``sqlalchemy.url`` or, if unset, the URL the kiosk itself would use.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from db.models import Base

target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: autogenerate writes batch operations for it.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _command_line_url() -> str:
    """``sqlalchemy.url`` from the ini file, else the URL the kiosk itself would use."""
    from db.connection import resolve_database_url

    return context.config.get_main_option("sqlalchemy.url") or resolve_database_url(None)


def run_migrations_offline() -> None:
    """Write the SQL to stdout (``alembic upgrade head --sql``) for a DBA to review."""
    context.configure(
        url=_command_line_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure_and_run(connection)
        return
    from db.connection import make_engine

    engine = make_engine(_command_line_url())
    try:
        with engine.connect() as own_connection:
            _configure_and_run(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
