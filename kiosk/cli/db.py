"""``kiosk db upgrade``: migrate the database to the newest schema (``--create-db``: make a
new one)."""

from __future__ import annotations

import argparse

from kiosk.cli.common import add_create_db_option, add_db_option, open_database_of


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="database maintenance")
    sub = db.add_subparsers(dest="db_command", metavar="upgrade", required=True)
    upgrade = sub.add_parser(
        "upgrade", help="migrate the database to the newest schema (or make a new one)"
    )
    add_db_option(upgrade)
    add_create_db_option(upgrade, after_command=True)
    upgrade.set_defaults(handler=upgrade_database)


def upgrade_database(args: argparse.Namespace) -> int:
    from db.connection import resolve_database_url
    from db.problems import redact

    open_database_of(args).dispose()
    print(f"database is up to date: {redact(resolve_database_url(args.db))}")
    return 0
