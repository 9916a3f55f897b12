"""Load today's programs: pick a schedule file, see every row and every problem, import.

Nothing is written until Import, and Import is only possible for a file without problems
(the importer is all or nothing). Problems are listed with their line and field, as the
command line prints them, so staff can fix the spreadsheet and load it again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout

from kiosk.core.program_builder import DraftItem
from kiosk.staff.importing import import_schedule, preview_file
from kiosk.staff.schedule_import import Preview, ScheduleRow
from kiosk.staff.today import resolve_item
from kiosk.text import t, tn
from kiosk.text.dates import day_short
from kiosk.ui.staff_mode.context import StaffContext
from kiosk.ui.staff_mode.message import QtMessage
from kiosk.ui.staff_mode.page import QtStaffPage
from kiosk.ui.staff_mode.tables import fill_table, make_table
from kiosk.ui.widgets.base import make_button, make_label

log = logging.getLogger(__name__)


class QtImportPage(QtStaffPage):
    """Preview and import a day's schedule (``kiosk.staff.importing``)."""

    def __init__(self, context: StaffContext) -> None:
        super().__init__(context, "ImportPage", t("staff.import.title"))
        m = context.theme.metrics
        self.root.addWidget(make_label(t("staff.import.hint"), "muted", name="ImportHint"))
        row = QHBoxLayout()
        row.setSpacing(m.spacing)
        self.choose_button = make_button(t("staff.import.choose"), name="ImportChooseButton")
        self.choose_button.setMinimumWidth(m.px(320))
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        row.addWidget(self.choose_button)
        self.import_button = make_button(t("staff.import.import"), "primary", name="ImportButton")
        self.import_button.setMinimumWidth(m.px(320))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.root.addLayout(row)
        self.summary = QtMessage("ImportSummary")
        self.root.addWidget(self.summary)
        self.notices = make_label("", "small", name="ImportNotices")
        self.notices.setVisible(False)
        self.root.addWidget(self.notices)
        self.problems = make_table(
            context.theme,
            "ImportProblems",
            [
                t("staff.import.col_line"),
                t("staff.import.col_field"),
                t("staff.import.col_problem"),
            ],
        )
        self.root.addWidget(self.problems, 1)
        self.rows = make_table(
            context.theme,
            "ImportRows",
            [
                t("staff.import.col_line"),
                t("staff.import.col_day"),
                t("staff.import.col_patient"),
                t("staff.import.col_dose"),
            ],
        )
        self.root.addWidget(self.rows, 2)
        self.result = QtMessage("ImportResult")
        self.root.addWidget(self.result)
        self.root.addStretch(0)  # takes the room only while there is no preview
        self.preview: Preview | None = None
        self._show_preview(None)

    # -- choosing and previewing -------------------------------------------------------------

    def _on_choose_button_clicked(self) -> None:
        assert self.context.files is not None
        self.context.files.open_file(
            t("staff.open.title"), t("staff.import.file_filter"), self.load_file
        )

    def load_file(self, path: Path) -> None:
        """Read and check ``path`` (nothing is written)."""
        self.result.clear_message()
        try:
            preview = preview_file(self.context.database, path, self.context.library)
        except Exception as error:  # the importer reports problems; this is a bug's last net
            log.exception("preview of %s failed", path)
            self._show_preview(None)
            self.summary.show_error(t("staff.import.failed", reason=error))
            return
        self._show_preview(preview)

    def _show_preview(self, preview: Preview | None) -> None:
        self.preview = preview
        self.import_button.setEnabled(preview is not None and preview.ok)
        if preview is None:
            self.summary.clear_message()
            self.notices.setVisible(False)
            for widget in (self.problems, self.rows):
                widget.setVisible(False)
            return
        name = preview.filename
        if preview.problems:
            count = len(preview.problems)
            self.summary.show_error(tn("staff.import.bad_summary", count, file=name, count=count))
        elif not preview.rows:
            self.summary.show_error(t("staff.import.empty", file=name))
        else:
            rows = len(preview.rows)
            programs = len(preview.groups)
            patients = len({g.patient_id for g in preview.groups})
            self.summary.show_ok(
                t(
                    "staff.import.ok_summary",
                    file=name,
                    rows=tn("staff.import.rows", rows, count=rows),
                    programs=tn("staff.import.programs", programs, count=programs),
                    patients=tn("staff.import.patients", patients, count=patients),
                )
            )
        self.notices.setText("\n".join(preview.notices))
        self.notices.setVisible(bool(preview.notices))
        problems = [(str(p.line) if p.line else "", p.field, p.message) for p in preview.problems]
        fill_table(self.problems, problems)
        fill_table(self.rows, [self._row_cells(preview, row) for row in preview.rows])
        # Problems first: the rows only matter once there are none.
        self.problems.setVisible(bool(problems))
        self.rows.setVisible(not problems and bool(preview.rows))

    def _row_cells(self, preview: Preview, row: ScheduleRow) -> tuple[str, ...]:
        names = {g.code: g.display_name for g in preview.groups}
        library = self.context.library
        exercise = library.exercises.get(row.exercise_id)
        dose = resolve_item(DraftItem.from_spec(row.spec()), library).dose if exercise else ""
        name = exercise.name if exercise else row.exercise_id
        return (
            str(row.line),
            day_short(row.day),
            f"{names.get(row.code, '')} · {row.code}",
            f"{name}\n{dose}",
        )

    # -- importing ---------------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        preview = self.preview
        if preview is None or not preview.ok:
            return
        try:
            outcome = import_schedule(self.context.database, preview, actor=self.context.actor)
        except Exception as error:  # refused, or the database changed since the preview
            # Not the error itself: it may name the patients it concerns.
            log.warning("import of %s refused (%s)", preview.filename, error.__class__.__name__)
            self.result.show_error(t("staff.import.failed", reason=error))
            return
        self.import_button.setEnabled(False)
        written, unchanged = outcome.programs_written, outcome.unchanged
        if written:
            self.result.show_ok(
                tn("staff.import.done", written, written=written, unchanged=unchanged)
            )
        else:
            self.result.show_ok(tn("staff.import.nothing_new", unchanged, unchanged=unchanged))
