"""The Progress page's two files: the CSV report (one patient over the period, or the
whole clinic on one day) and a patient's home-exercise handout as a PDF.

Each is named for what it holds, saved where staff choose in the shared file browser, and
audited with the staff member's name. A file that cannot be written says why under the page;
nothing claims to be saved that is not. The report and handout writers are imported only
when a file is wanted.

The report is read and written on a worker thread (:class:`QtSlowWork`), streamed a month at a
time: a whole year of the clinic takes seconds, and meanwhile the page says how many rows are
written so far and staff mode stays usable. One report at a time.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from db.repositories.audit import Action
from db.repositories.patients import PatientInfo
from db.repositories.progress import ProgressQueries
from kiosk.text import t, tn
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.exports import write_pdf
from kiosk.ui.staff_mode.files import PathHandler
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.staff_mode.slow_work import QtSlowWork


class QtReportProgress(QObject):
    """Rows of a report written so far, from the worker thread to the page's.

    Signals:
        counted(int): this many rows are written.
    """

    counted = Signal(int)


class ProgressExports:
    """Asks where to save a report or handout, then writes it and says so in ``message``.

    ``work.finished`` is emitted when a report's writing has ended (saved or not).
    """

    def __init__(self, context: StaffContext, queries: ProgressQueries, message: QtMessage) -> None:
        self.context = context
        self._queries = queries
        self.message = message
        self.work = QtSlowWork(message)
        self._progress = QtReportProgress(message)
        self._progress.counted.connect(self._on_progress_counted)

    @property
    def writing(self) -> bool:
        return self.work.busy

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
        """Start writing the report on the worker (refused while another is being written)."""
        from kiosk.staff.reports import write_report_csv

        path = path if path.suffix.lower() == ".csv" else path.with_suffix(".csv")
        queries, code, progress = self._queries, patient.code if patient else None, self._progress

        def write() -> int:  # on the worker thread: no widget is touched here
            rows = queries.iter_day_rows(start, end, code=code)
            return write_report_csv(rows, path, progress.counted.emit)

        done = partial(self._on_report_written, path, start, end, patient)
        if self.work.start(write, done):
            self.message.show_ok(t("staff.progress.writing"))

    def _on_progress_counted(self, rows: int) -> None:
        if self.work.busy:
            self.message.show_ok(tn("staff.progress.writing_rows", rows, rows=rows))

    def _on_report_written(
        self,
        path: Path,
        start: date,
        end: date,
        patient: PatientInfo | None,
        result: object,
        error: BaseException | None,
    ) -> None:
        if error is not None or not isinstance(result, int):
            reason = (
                error.strerror or error
                if isinstance(error, OSError)
                else t("staff.progress.report_failed")
            )
            self.message.show_error(t("staff.cannot.save", name=path.name, reason=reason))
            return
        count = result
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
