"""``kiosk restore FILE`` or ``kiosk restore --latest [--from DIR]``: a backup brought back in
place of the SQLite database (:mod:`db.restore`).

Refused while a kiosk runs on the database, and for a backup that is damaged or not a kiosk
database; the file it replaces is kept aside, never deleted. Records the session writer's
journal still holds (``kiosk.pending.jsonl``) stay there and are written into the restored
database at the kiosk's next start: the command says how many. Exit codes: 0 restored; 1
refused (nothing changed); 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.backup import BACKUP_FOLDER_HELP, sqlite_file_of
from kiosk.cli.common import UsageError, add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    restore = commands.add_parser(
        "restore", help="bring a backup back in place of the SQLite database (no kiosk running)"
    )
    restore.add_argument("file", nargs="?", type=Path, metavar="FILE", help="the backup")
    restore.add_argument(
        "--latest", action="store_true", help="the newest backup that is whole, instead of FILE"
    )
    restore.add_argument(
        "--from",
        dest="folder",
        type=Path,
        metavar="DIR",
        help=f"where --latest looks (default: {BACKUP_FOLDER_HELP})",
    )
    add_db_option(restore)
    restore.set_defaults(handler=restore_database)


def restore_database(args: argparse.Namespace) -> int:
    from db.restore import RestoreRefusedError, restore, restore_latest

    if (args.file is None) == (not args.latest):
        raise UsageError("give the backup FILE, or --latest (not both)")
    if args.folder is not None and not args.latest:
        raise UsageError("--from goes with --latest")
    database = sqlite_file_of(args, "restore it with pg_restore or psql")
    if database is None:
        return EXIT_REFUSED
    try:
        if args.latest:
            done = restore_latest(database, args.folder)
        else:
            done = restore(args.file, database)
    except RestoreRefusedError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    for skipped, why in done.skipped:
        print(f"skipped {skipped}: {why}")
    print(f"restored {done.backup} to {done.database}")
    if done.set_aside:
        print(f"the file it replaced is kept as {', '.join(map(str, done.set_aside))}")
    waiting = _waiting_in_journal(args)
    if waiting:
        print(f"{waiting} record(s) waiting in the journal will be written into it when the "
              f"kiosk next starts")  # fmt: skip
    return 0


def _waiting_in_journal(args: argparse.Namespace) -> int:
    """How many records the session writer's journal holds for this database (left as they
    are: :meth:`kiosk.services.KioskServices.open` replays them)."""
    import platformdirs

    from db.connection import APP_NAME, resolve_database_url
    from kiosk.patient.journal import Journal, journal_paths

    url = resolve_database_url(getattr(args, "db", None))
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return len(Journal(*journal_paths(url, data_dir=data_dir)).read())
