"""The Progress page's two files: the CSV report (one patient over the period, or the
whole clinic on one day) and a patient's home-exercise handout as a PDF.

Each is named for what it holds, saved where staff choose in the shared file browser, and
audited with the staff member's name. A file that cannot be written says why under the page;
nothing claims to be saved that is not. The report and handout writers are imported only
when a file is wanted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db.repositories.audit import Action
from db.repositories.patients import PatientInfo
from db.repositories.progress import ProgressQueries
from kiosk.text import t, tn
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.exports import write_pdf
from kiosk.ui.staff_mode.files import PathHandler
from kiosk.ui.staff_mode.message import QtMessage


class ProgressExports:
    """Asks where to save a report or handout, then writes it and says so in ``message``."""

    def __init__(self, context: StaffContext, queries: ProgressQueries, message: QtMessage) -> None:
        self.context = context
        self._queries = queries
        self.message = message

    def ask_report(
        self, start: date, end: date, patient: PatientInfo | None, handler: PathHandler
    ) -> None:
        """The file browser, with the report's name (the patient's id, never their code: a
        file name is seen by whoever sees the stick); ``handler`` gets the chosen path."""
        name = t(
            "staff.progress.report_name",
            start=start.isoformat(),
            end=end.isoformat(),
            who=f"-patient-{patient.id}" if patient else "",
        )
        assert self.context.files is not None
        self.context.files.save_file(t("staff.save.title"), name, "CSV (*.csv)", handler)

    def write_report(self, path: Path, start: date, end: date, patient: PatientInfo | None) -> None:
        from kiosk.staff.reports import write_report_csv

        path = path if path.suffix.lower() == ".csv" else path.with_suffix(".csv")
        try:
            rows = self._queries.day_rows(start, end, code=patient.code if patient else None)
            count = write_report_csv(rows, path)
        except OSError as error:
            self.message.show_error(
                t("staff.cannot.save", name=path.name, reason=error.strerror or error)
            )
            return
        who = f" for patient {patient.id}" if patient else ""
        self.context.record(
            Action.EXPORT, f"report {start} to {end}{who}: {count} rows to {path.name}"
        )
        self.message.show_ok(tn("staff.progress.exported", count, rows=count, name=path))

    def ask_handout(self, patient: PatientInfo, handler: PathHandler) -> None:
        """The file browser, if the patient has a program today to hand out."""
        from kiosk.printing.handout import HandoutError, content_for_patient

        try:
            content_for_patient(
                self.context.database, patient.code, self.context.library, self.context.today()
            )
        except HandoutError:
            self.message.show_error(t("staff.progress.no_program", name=patient.display_name))
            return
        assert self.context.files is not None
        self.context.files.save_file(
            t("staff.save.title"),
            t("staff.progress.handout_name", id=patient.id),
            "PDF (*.pdf)",
            handler,
        )

    def write_handout(self, path: Path, patient: PatientInfo) -> None:
        from kiosk.printing.handout import HandoutError, content_for_patient, render_handout

        path = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        ctx = self.context
        try:
            content = content_for_patient(ctx.database, patient.code, ctx.library, ctx.today())
            pages = write_pdf(path, content, render_handout)
        except (HandoutError, OSError) as error:
            self.message.show_error(t("staff.cannot.save", name=path.name, reason=error))
            return
        ctx.record(
            Action.EXPORT, f"handout for patient {patient.id}, {pages} pages, to {path.name}"
        )
        self.message.show_ok(tn("staff.progress.handout_saved", pages, pages=pages, name=path))
