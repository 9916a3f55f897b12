"""``kiosk backup [--to DIR] [--keep-daily N] [--keep-weekly M]``: an online backup of the
SQLite database, checked, with the old backups rotated away (:mod:`db.backup`).

The nightly timer runs it (``docs/deployment.md``); IT may run it at any time, the kiosk
running or not. It prints what it wrote and what it removed. Exit codes: 0 written; 1 refused
(a PostgreSQL database, which ``pg_dump`` backs up; a backup folder that will not take it);
2 usage; 3 the database cannot be used (missing, or damaged: the sentence names its last
backup, and the old backups are left as they were).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.arguments import whole_number
from kiosk.cli.common import add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED

#: How many daily and weekly backups an option may ask to keep (ten years' worth of weeks).
MAX_DAILY = 366
MAX_WEEKLY = 520
BACKUP_FOLDER_HELP = "$KIOSK_BACKUP_DIR if set, else backups/ beside the database"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from db.backup_files import KEEP_DAILY, KEEP_WEEKLY

    backup = commands.add_parser(
        "backup", help="back up the SQLite database (online, checked) and rotate old backups"
    )
    add_db_option(backup)
    backup.add_argument(
        "--to", metavar="DIR", type=Path, help=f"the backup folder (default: {BACKUP_FOLDER_HELP})"
    )
    backup.add_argument(
        "--keep-daily",
        type=lambda text: whole_number(text, 1, MAX_DAILY),
        default=KEEP_DAILY,
        metavar="N",
        help=f"keep the newest backup of each of the last N days that have one "
        f"(default {KEEP_DAILY})",
    )
    backup.add_argument(
        "--keep-weekly",
        type=lambda text: whole_number(text, 0, MAX_WEEKLY),
        default=KEEP_WEEKLY,
        metavar="M",
        help=f"and of each of the last M ISO weeks that have one (default {KEEP_WEEKLY})",
    )
    backup.set_defaults(handler=back_up_database)


def sqlite_file_of(args: argparse.Namespace, what: str) -> Path | None:
    """The SQLite file the command works on; None (told on stderr) for a server, which its
    own tools back up and restore (``what``: e.g. "back it up with pg_dump")."""
    from db.connection import resolve_database_url
    from db.problems import redact, sqlite_path

    url = resolve_database_url(getattr(args, "db", None))
    path = sqlite_path(url)
    if path is None:
        print(
            f"kiosk: {redact(url)} is not a SQLite database file: {what} on its server "
            f'(docs/database.md, "Backups").',
            file=sys.stderr,
        )
    return path


def back_up_database(args: argparse.Namespace) -> int:
    from db.backup import BackupError, back_up

    path = sqlite_file_of(args, "back it up with pg_dump")
    if path is None:
        return EXIT_REFUSED
    try:
        done = back_up(path, args.to, keep_daily=args.keep_daily, keep_weekly=args.keep_weekly)
    except BackupError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"wrote {done.written} ({done.size / 1e6:.1f} MB, integrity_check ok)")
    for removed in done.removed:
        print(f"removed {removed}")
    return 0
