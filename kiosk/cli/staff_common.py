"""What the staff-mode subcommands share (not a subcommand itself).

Every staff command writes to the audit log as ``cli:<login name>``: the clinic's IT acts
from a shell, not from a PIN-protected screen, so the operating-system login is who did it.
"""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

from kiosk.cli.common import open_database_of

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from media.schema import Library

EXIT_REFUSED = 1


def cli_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}"[:64]


def open_staff_database(args: argparse.Namespace, library: Library | None = None) -> Engine:
    """The migrated database, with the seed program templates in place."""
    from db.seed_templates import ensure_seed_templates
    from media.loader import load_library

    database = open_database_of(args)
    ensure_seed_templates(database, library or load_library())
    return database
