"""``kiosk patients erase CODE [--yes]``: erase a patient and everything held about them.

Without ``--yes`` the patient's name is shown and must be typed back (standard input), so a
mistyped code never erases the wrong patient. Exit codes: 0 erased, 1 refused (no such
patient, not confirmed), 2 usage. What is erased, and what stays (a pseudonymised audit log,
the retired codes): :mod:`db.repositories.erasure`, docs/security.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erase = sub.add_parser(
        "erase",
        help="erase a patient: their sessions, sets, pain, feedback, balance checks and "
        "programs; the audit log keeps a pseudonym",
    )
    erase.add_argument("code", help="the patient's check-in code")
    erase.add_argument(
        "--yes", action="store_true", help="do not ask to type the patient's name to confirm"
    )
    add_db_option(erase)
    erase.set_defaults(handler=erase_patient)


def erase_patient(args: argparse.Namespace) -> int:
    import platformdirs

    from db.connection import APP_NAME, resolve_database_url
    from db.repositories.erasure import sessions_of
    from db.repositories.patients import PatientRepository
    from kiosk.patient.erasure import erase_patient as erase
    from kiosk.patient.erasure import unsaved_of
    from kiosk.patient.journal import Journal, journal_paths

    url = resolve_database_url(getattr(args, "db", None))
    database = open_staff_database(args)
    try:
        code = args.code.strip()
        patient = PatientRepository(database).by_codes({code}).get(code)
        if patient is None:
            print(f"kiosk: no patient with check-in code {args.code}", file=sys.stderr)
            return EXIT_REFUSED
        if not args.yes and not _confirmed(patient.display_name):
            print("kiosk: the name typed was not the patient's: nothing erased", file=sys.stderr)
            return EXIT_REFUSED
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        journal = Journal(*journal_paths(url, data_dir=data_dir))
        uids, ids = sessions_of(database, patient.id)
        if unsaved_of(journal, patient.id, uids, ids) and _kiosk_runs_on(url):
            # Its writer holds them in memory too, and would write them back.
            print(
                "kiosk: a kiosk is running on this database and still holds records of this "
                "patient that are not saved yet: erase them from its staff screen once they "
                "are saved (Patients, Erase…), or quit it first. Nothing was erased.",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        erased = erase(database, patient.id, actor=cli_actor(), journal=journal)
    finally:
        database.dispose()
    print(
        f"erased: {erased.sessions} sessions, {erased.sets} sets, {erased.pain_events} pain "
        f"reports, {erased.feedback_events} answers, {erased.assessments} balance checks, "
        f"{erased.programs} programs; the audit log now says {erased.pseudonym!r}"
    )
    return 0


def _kiosk_runs_on(url: str) -> bool:
    """A kiosk holds the SQLite database's folder (:mod:`db.in_use`); a server's kiosks run
    elsewhere, with journals of their own."""
    from db.in_use import DatabaseInUseError, FolderLock
    from db.problems import sqlite_path

    path = sqlite_path(url)
    if path is None:
        return False
    try:
        FolderLock(path, exclusive=True).release()
    except DatabaseInUseError:
        return True
    except OSError:
        return False
    return False


def _confirmed(name: str) -> bool:
    print(
        f"This erases {name} and everything recorded about them, for good.\n"
        f"Type their name to confirm: ",
        end="",
        flush=True,
    )
    answer = sys.stdin.readline()
    return answer.strip().casefold() == name.casefold()
