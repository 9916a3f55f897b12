"""What the subcommands share: options (their types are in :mod:`kiosk.cli.arguments`), the
usage error, the library and database."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kiosk.cli.arguments import dose_count, dose_seconds

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiosk.core.prescription import Prescription
    from media.schema import Exercise, Library

EXIT_USAGE = 2


class UsageError(Exception):
    """Arguments that parse but make no sense (an unknown exercise id, zero sets...)."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db`` after the subcommand too; SUPPRESS keeps one given before it from being reset."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL")


def add_prescription_options(parser: argparse.ArgumentParser) -> None:
    """Today's dose overrides, shared by ``timeline`` and ``rehearse``, within the builder's
    limits (:func:`kiosk.cli.arguments.dose_count`)."""
    parser.add_argument("--sets", type=dose_count("sets"), help="sets per side")
    parser.add_argument("--reps", type=dose_count("reps"), help="repetitions per set")
    parser.add_argument(
        "--hold",
        type=dose_seconds("hold_s"),
        metavar="S",
        help="hold seconds (a hold exercise's hold, or a hold in each rep)",
    )
    parser.add_argument(
        "--sides",
        choices=["alternate", "each", "none"],
        help="alternate: switch sides between sets; each: all sets on one side then the "
        "other; none: no sides",
    )
    parser.add_argument(
        "--rest", type=dose_seconds("rest_s"), metavar="S", help="rest between sets"
    )


def load_library() -> Library:
    from media.loader import load_library as load

    return load()


def find_exercise(library: Library, exercise_id: str) -> Exercise:
    exercise = library.exercises.get(exercise_id.strip().lower())
    if exercise is None:
        known = ", ".join(sorted(library.exercises))
        raise UsageError(f"no exercise with id {exercise_id!r}; known ids: {known}")
    return exercise


def prescription_from_args(exercise: Exercise, args: argparse.Namespace) -> Prescription:
    """The exercise's default dose with the command line's overrides, validated."""
    from kiosk.core.prescription import Prescription, PrescriptionError, ProgramItemSpec
    from media.schema import SidePattern

    if args.reps is not None and exercise.dosage.is_hold:
        raise UsageError(f"{exercise.id} is a hold exercise: use --hold, not --reps")
    spec = ProgramItemSpec(
        exercise.id,
        sets=args.sets,
        reps=args.reps,
        hold_s=args.hold,
        sides=SidePattern(args.sides) if args.sides else None,
        rest_s=args.rest,
    )
    try:
        return Prescription.from_spec(exercise, spec)
    except PrescriptionError as error:
        raise UsageError(str(error)) from None


def open_database_of(args: argparse.Namespace) -> Engine:
    """The database named by ``--db`` (or the environment, or the default), migrated."""
    from db.connection import open_database, resolve_database_url

    return open_database(resolve_database_url(getattr(args, "db", None)))


def redact(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
