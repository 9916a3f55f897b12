"""The patient's progress as a PDF to read at home: beside their data export
(``kiosk patients export``), what the JSON file holds in words.

Built from the export's own tables (:func:`db.repositories.patient_data.patient_data`), so
the PDF says nothing the file does not: each visit (when, which program, sets done, pain
before and after, how hard it felt, "It hurts" presses) and each balance check, oldest first,
in the kiosk's language and the clinic's local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.core.records import FeedbackKind
from kiosk.printing.pdf import BODY_PT, HEADING_PT, TITLE_PT, Block, Page, font, mm
from kiosk.text import t, tn
from kiosk.text.dates import day_month_year, time_short

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class ProgressContent:
    """What the PDF says: its lines, already in words."""

    clinic_name: str
    patient_name: str
    printed_on: date
    data_file: str
    visits: tuple[str, ...]
    checks: tuple[str, ...]


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone()


def _when(text: str) -> str:
    moment = _local(text)
    return t("print.progress_when", day=day_month_year(moment.date()), time=time_short(moment))


def _visit(session: dict[str, Any], tables: dict[str, Rows]) -> str:
    sid = session["id"]
    programs = {p["id"]: p["name"] for p in tables["programs"]}
    sets = [s for s in tables["set_records"] if s["session_id"] == sid]
    done = sum(1 for s in sets if s["status"] == "completed")
    answers = {f["kind"]: f["value"] for f in tables["feedback_events"] if f["session_id"] == sid}
    hurts = sum(1 for p in tables["pain_events"] if p["session_id"] == sid)
    parts = [
        t(
            "print.progress_visit",
            when=_when(session["started_at"]),
            program=programs.get(session["program_id"], "?"),
        ),
        tn("print.progress_sets", len(sets), done=done, count=len(sets)),
    ]
    if FeedbackKind.PAIN_BEFORE in answers or FeedbackKind.PAIN_AFTER in answers:
        parts.append(
            t(
                "print.progress_pain",
                before=answers.get(FeedbackKind.PAIN_BEFORE, "–"),
                after=answers.get(FeedbackKind.PAIN_AFTER, "–"),
            )
        )
    if FeedbackKind.DIFFICULTY in answers:
        parts.append(t("print.progress_difficulty", value=answers[FeedbackKind.DIFFICULTY]))
    if hurts:
        parts.append(tn("print.progress_hurts", hurts, count=hurts))
    return " ".join(parts)


def _check(result: dict[str, Any]) -> str:
    held = "–" if result["held_s"] is None else f"{result['held_s']:g}"
    target = "–" if result["target_s"] is None else f"{result['target_s']:g}"
    when = _when(result["at"])
    side = {"left": t("side.left_word"), "right": t("side.right_word")}.get(result["side"])
    if side is None:
        return t("print.progress_check_no_side", when=when, held=held, target=target)
    return t("print.progress_check", when=when, side=side, held=held, target=target)


def progress_content(
    tables: dict[str, Rows], *, clinic_name: str, printed_on: date, data_file: str
) -> ProgressContent:
    """The PDF's words from a patient's export tables."""
    sessions = sorted(tables["sessions"], key=lambda s: s["started_at"])
    checks = sorted(tables["assessment_results"], key=lambda r: r["at"])
    return ProgressContent(
        clinic_name=clinic_name,
        patient_name=tables["patients"][0]["display_name"],
        printed_on=printed_on,
        data_file=data_file,
        visits=tuple(_visit(s, tables) for s in sessions),
        checks=tuple(_check(r) for r in checks),
    )


def render_progress(content: ProgressContent, out: Path) -> int:
    """Write the PDF; returns its number of pages."""
    title = t("print.progress_title", name=content.patient_name)
    page = Page(out, title)
    body = font(BODY_PT)
    blocks: list[Block | list[Block]] = [
        page.text_block(content.clinic_name, font(BODY_PT, bold=True), gap_after=mm(1)),
        page.text_block(title, font(TITLE_PT, bold=True), gap_after=mm(1)),
        page.text_block(
            t(
                "print.progress_printed",
                day=day_month_year(content.printed_on),
                file=content.data_file,
            ),
            body,
            gap_after=mm(5),
        ),
    ]
    for heading, lines, empty in (
        (t("print.progress_visits"), content.visits, t("print.progress_no_visits")),
        (t("print.progress_checks"), content.checks, t("print.progress_no_checks")),
    ):
        blocks.append(
            [page.rule(), page.text_block(heading, font(HEADING_PT, bold=True), gap_after=mm(3))]
        )
        for line in lines or (empty,):
            blocks.append(page.list_item("•", line, body, gap_after=mm(2)))

    def footer(number: int, total: int) -> str:
        return t("print.progress_footer", name=content.patient_name, page=number, pages=total)

    return page.render(blocks, footer)
