"""``kiosk db upgrade``: migrate the database to the newest schema (``--create-db``: make a
new one). ``kiosk db retention``: delete session records older than the clinic keeps them
(the nightly backup unit runs it first; :mod:`db.repositories.retention`)."""

from __future__ import annotations

import argparse

from kiosk.cli.common import add_create_db_option, add_db_option, open_database_of


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="database maintenance")
    sub = db.add_subparsers(dest="db_command", metavar="upgrade|retention", required=True)
    upgrade = sub.add_parser(
        "upgrade", help="migrate the database to the newest schema (or make a new one)"
    )
    add_db_option(upgrade)
    add_create_db_option(upgrade, after_command=True)
    upgrade.set_defaults(handler=upgrade_database)
    retention = sub.add_parser(
        "retention",
        help="delete sessions, sets, pain, feedback and balance checks older than the clinic's "
        "retention setting (retention_years)",
    )
    add_db_option(retention)
    retention.set_defaults(handler=apply_retention)


def upgrade_database(args: argparse.Namespace) -> int:
    from db.connection import resolve_database_url
    from db.problems import redact

    open_database_of(args).dispose()
    print(f"database is up to date: {redact(resolve_database_url(args.db))}")
    return 0


def apply_retention(args: argparse.Namespace) -> int:
    from db.repositories.retention import apply_retention as apply
    from kiosk.cli.staff_common import cli_actor
    from kiosk.core.clock import utc_now

    database = open_database_of(args)
    try:
        expired = apply(database, now=utc_now(), actor=cli_actor())
    finally:
        database.dispose()
    print(
        f"deleted {expired.sessions} sessions, {expired.sets} sets, {expired.pain_events} pain "
        f"reports, {expired.feedback_events} answers and {expired.assessments} balance checks "
        f"from before {expired.cutoff:%Y-%m-%d}"
    )
    return 0
