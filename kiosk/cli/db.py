"""``kiosk db upgrade``: migrate the database to the newest schema."""

from __future__ import annotations

import argparse

from kiosk.cli.common import add_db_option, redact


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="database maintenance")
    sub = db.add_subparsers(dest="db_command", metavar="upgrade", required=True)
    upgrade = sub.add_parser("upgrade", help="migrate the database to the newest schema")
    add_db_option(upgrade)
    upgrade.set_defaults(handler=upgrade_database)


def upgrade_database(args: argparse.Namespace) -> int:
    from db.connection import make_engine, resolve_database_url, upgrade

    url = resolve_database_url(args.db)
    database = make_engine(url)
    try:
        upgrade(database)
    finally:
        database.dispose()
    print(f"database is up to date: {redact(url)}")
    return 0
