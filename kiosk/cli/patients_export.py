"""``kiosk patients export CODE --out FILE.json``: everything held about a patient, for them.

Writes the JSON document (:mod:`kiosk.staff.patient_export`, 0600) and, beside it with the
same name and ``.pdf``, their progress in words (:mod:`kiosk.printing.progress`). Audited as
``patient's data exported``, naming the patient by id. Exit codes: 0 written, 1 refused (no
such patient, a file that cannot be written), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import UsageError, add_db_option
from kiosk.cli.staff_common import EXIT_REFUSED, cli_actor, open_staff_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export",
        help="write everything held about a patient to a JSON file (readable by you only), "
        "with their progress as a PDF beside it",
    )
    export.add_argument("code", help="the patient's check-in code")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.json")
    add_db_option(export)
    export.set_defaults(handler=export_patient)


def export_patient(args: argparse.Namespace) -> int:
    from datetime import date

    from db.repositories.audit import Action, audit
    from db.repositories.patients import PatientRepository
    from db.repositories.settings import SettingsRepository
    from kiosk.core.clock import utc_now
    from kiosk.printing.progress import progress_content, render_progress
    from kiosk.staff.patient_export import export_document, write_private_json

    out: Path = args.out
    if out.suffix.lower() != ".json":
        raise UsageError(f"--out must name a .json file, got {str(out)!r}")
    pdf = out.with_suffix(".pdf")
    database = open_staff_database(args)
    try:
        code = args.code.strip()
        patient = PatientRepository(database).by_codes({code}).get(code)
        if patient is None:
            print(f"kiosk: no patient with check-in code {args.code}", file=sys.stderr)
            return EXIT_REFUSED
        document = export_document(database, patient.id, now=utc_now())
        content = progress_content(
            document["tables"],
            clinic_name=SettingsRepository(database).load().clinic_name,
            printed_on=date.today(),
            data_file=out.name,
        )
        try:
            write_private_json(out, document)
            pages = render_progress(content, pdf)
            pdf.chmod(0o600)
        except OSError as error:
            print(f"kiosk: cannot write {error.filename or out}: {error.strerror or error}",
                  file=sys.stderr)  # fmt: skip
            return EXIT_REFUSED
        rows = sum(len(rows) for rows in document["tables"].values())
        detail = f"patient {patient.id}: {rows} rows to {out.name}, {pages} pages to {pdf.name}"
        audit(database, cli_actor(), Action.PATIENT_EXPORTED, detail)
    finally:
        database.dispose()
    print(f"wrote {out} ({rows} rows) and {pdf} ({pages} pages)")
    return 0
