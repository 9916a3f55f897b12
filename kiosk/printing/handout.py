"""The home-exercise handout: a patient's current program as a printable A4 PDF.

Per exercise: a demonstration thumbnail, the dose and side in words, the steps, key points,
breathing, the exercise's own safety advice and any staff note; before them the library's
general safety advice, because the handout goes home where nobody watches. Everything comes
from the library and the stored program, so the handout says exactly what the kiosk coaches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPen

from kiosk.core.describe import describe_prescription
from kiosk.core.prescription import Prescription
from kiosk.printing.pdf import (
    BODY_PT,
    HEADING_PT,
    INK,
    TITLE_PT,
    WRAP,
    Block,
    Page,
    font,
    mm,
)
from kiosk.printing.thumbnails import paint_thumbnail
from kiosk.text import in_language, t
from kiosk.text.dates import day_month_year
from media.schema import SidePattern

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiosk.core.program_builder import DraftItem, ProgramDraft
    from media.schema import Exercise, Library


class HandoutError(LookupError):
    """No such active patient, or no program for them on that day."""


@dataclass(frozen=True)
class HandoutItem:
    exercise: Exercise
    dose: str
    rest: str
    variation: tuple[str, str] | None  # (name, description)
    notes: str | None


@dataclass(frozen=True)
class HandoutContent:
    clinic_name: str
    patient_name: str
    program_name: str
    side_series: bool
    printed_on: date
    items: tuple[HandoutItem, ...]
    general_safety: tuple[str, ...]
    #: Who it is for, for the audit log (None: a handout not made for a stored patient).
    patient_id: int | None = None
    #: The language it prints in: the patient's (None: the kiosk's own).
    language: str | None = None


def _item(item: DraftItem, library: Library, side_series: bool) -> HandoutItem:
    """The item's dose in words. In a side series the sides are said once, at the top, so the
    dose leaves them out ("1 set of 10 reps", not "... on each side, one side at a time")."""
    exercise = library.exercise(item.exercise_id)
    p = Prescription.from_spec(exercise, item)
    dose = describe_prescription(p, side_series=side_series)
    variation = None
    for v in (*exercise.progressions, *exercise.regressions):
        if v.name == item.variation:
            variation = (v.name, v.description)
    rests = p.sets > 1 or (p.sides is not SidePattern.NONE and not side_series)
    rest = t("print.rest", seconds=f"{p.rest_s:g}") if p.rest_s and rests else ""
    if p.tempo != exercise.dosage.tempo:  # staff set the pace: the patient should know it
        pace = t("print.pace_joiner").join(
            t("print.pace_phase", word=ph.word or ph.name, seconds=f"{ph.seconds:g}")
            for ph in p.tempo
        )
        rest = f"{rest} {t('print.pace', pace=pace)}".strip()
    return HandoutItem(exercise, dose, rest, variation, item.notes)


def handout_content(
    draft: ProgramDraft, library: Library, *, clinic_name: str, patient_name: str, day: date
) -> HandoutContent:
    return HandoutContent(
        clinic_name=clinic_name,
        patient_name=patient_name,
        program_name=draft.name,
        side_series=draft.side_series,
        printed_on=day,
        items=tuple(_item(item, library, draft.side_series) for item in draft.items),
        general_safety=tuple(note.text for note in library.safety),
    )


def content_for_patient(database: Engine, code: str, library: Library, day: date) -> HandoutContent:
    """The handout for the patient with ``code``: their program on ``day``, in their
    language (its words and the library's; ``library`` is used when it is in that language
    or when the library has no translation into it)."""
    from db.repositories.patients import PatientRepository
    from db.repositories.program_store import ProgramStore
    from db.repositories.programs import ProgramRepository
    from db.repositories.settings import SettingsRepository

    patient = PatientRepository(database).find_by_code(code)
    if patient is None:
        raise HandoutError(f"no active patient with check-in code {code}")
    assigned = ProgramRepository(database).program_for(patient.id, day)
    draft = None if assigned is None else ProgramStore(database).load(assigned.id)
    if draft is None:
        raise HandoutError(f"patient {patient.id} has no program on {day}")
    with in_language(patient.language) as language:
        if language.code != library.language:
            from media.loader import load_library_or_english

            library = load_library_or_english(language.code)
        content = handout_content(
            draft,
            library,
            clinic_name=SettingsRepository(database).load().clinic_name,
            patient_name=patient.display_name,
            day=day,
        )
    return replace(content, patient_id=patient.id, language=patient.language)


def _section(
    page: Page, title: str, lines: tuple[str, ...], numbered: bool
) -> list[Block | list[Block]]:
    """A heading kept with its first line, and the last line kept with the one before it,
    so no page starts or ends with a lone line of a list."""
    if not lines:
        return []
    body = font(BODY_PT)
    items = [
        page.list_item(f"{n}." if numbered else "•", text, body, gap_after=mm(1.2))
        for n, text in enumerate(lines, 1)
    ]
    heading = page.text_block(title, font(BODY_PT, bold=True), gap_after=mm(1.5))
    if len(items) <= 3:
        return [[heading, *items]]
    return [[heading, items[0]], *items[1:-2], [items[-2], items[-1]]]


def _exercise_header(page: Page, number: int, item: HandoutItem) -> Block:
    """Thumbnail on the left; name, dose and rest on the right."""
    thumb_w, thumb_h = mm(62), mm(46)
    text_x = thumb_w + mm(6)
    text_w = page.content_width - text_x
    name = f"{number}. {item.exercise.name}"
    name_font, dose_font, body = (
        font(HEADING_PT, bold=True),
        font(BODY_PT, bold=True),
        font(BODY_PT),
    )
    parts = [(name, name_font), (item.dose.capitalize() + ".", dose_font)]
    if item.rest:
        parts.append((item.rest, body))
    heights = [page.text_height(f, t, text_w) for t, f in parts]
    height = max(thumb_h, sum(heights) + mm(3) * (len(parts) - 1))

    def paint(p: QPainter, x: float, y: float, width: float) -> None:
        paint_thumbnail(p, item.exercise.id, item.exercise.name, QRectF(x, y, thumb_w, thumb_h))
        top = y
        for (text, f), h in zip(parts, heights, strict=True):
            p.setFont(f)
            p.setPen(INK)
            p.drawText(QRectF(x + text_x, top, text_w, h + 2), WRAP, text)
            top += h + mm(3)

    return Block(height, paint, gap_after=mm(4))


def _safety_box(page: Page, lines: tuple[str, ...]) -> Block:
    """The general safety advice in a heavy frame: the first line bold, then bullets."""
    pad = mm(4)
    inner = page.content_width - 2 * pad
    bold, body = font(BODY_PT, bold=True), font(BODY_PT)
    title_h = page.text_height(bold, lines[0], inner)
    bullets = [
        page.list_item("•", text, body, gap_after=mm(1.5), width=inner) for text in lines[1:]
    ]
    height = title_h + mm(2) + sum(b.height + b.gap_after for b in bullets) + 2 * pad

    def paint(p: QPainter, x: float, y: float, width: float) -> None:
        p.setPen(QPen(QColor("#111111"), mm(0.8)))
        p.drawRect(QRectF(x, y, width, height))
        p.setFont(bold)
        p.setPen(INK)
        p.drawText(QRectF(x + pad, y + pad, inner, title_h + 2), WRAP, lines[0])
        top = y + pad + title_h + mm(2)
        for bullet in bullets:
            bullet.paint(p, x + pad, top, inner)
            top += bullet.height + bullet.gap_after

    return Block(height, paint, gap_after=mm(6))


def _day(day: date) -> str:
    """ "3 March 2025": no leading zero, the month in words (no 03/04 ambiguity)."""
    return day_month_year(day)


def _nothing(_p: QPainter, _x: float, _y: float, _w: float) -> None:
    """A spacer block paints nothing."""


def render_handout(content: HandoutContent, out: Path) -> int:
    """Write the PDF, in the patient's language; returns its number of pages."""
    with in_language(content.language):
        return _render_handout(content, out)


def _render_handout(content: HandoutContent, out: Path) -> int:
    page = Page(out, t("print.handout_title", name=content.patient_name))
    blocks: list[Block | list[Block]] = [
        page.text_block(content.clinic_name, font(BODY_PT, bold=True), gap_after=mm(1)),
        page.text_block(
            t("print.handout_title", name=content.patient_name),
            font(TITLE_PT, bold=True),
            gap_after=mm(1),
        ),
        page.text_block(
            t("print.printed", program=content.program_name, day=_day(content.printed_on)),
            font(BODY_PT),
            gap_after=mm(5),
        ),
    ]
    if content.general_safety:
        blocks.append(_safety_box(page, content.general_safety))
    if content.side_series:
        side_series = t("print.side_series")
        blocks.append(page.text_block(side_series, font(BODY_PT, bold=True), gap_after=mm(5)))
    for number, item in enumerate(content.items, 1):
        exercise = item.exercise
        group: list[Block] = [page.rule(), _exercise_header(page, number, item)]
        if item.variation is not None:
            name, description = item.variation
            text = t("print.your_version", name=name, description=description)
            group.append(page.text_block(text, font(BODY_PT, bold=True), gap_after=mm(3)))
        group.append(page.text_block(exercise.summary, font(BODY_PT), gap_after=mm(3)))
        blocks.append(group)
        sections = (
            (t("print.how_to"), exercise.steps, True),
            (t("print.remember"), exercise.key_points, False),
            (t("print.breathing"), exercise.breathing, False),
            (t("print.safety"), exercise.safety, False),
        )
        for title, lines, numbered in sections:
            section = _section(page, title, lines, numbered)
            if section:
                blocks.extend(section)
                blocks.append(Block(0, _nothing, gap_after=mm(2)))
        if item.notes:
            blocks.append(
                page.text_block(t("print.note", notes=item.notes), font(BODY_PT),
                                gap_after=mm(4))
            )  # fmt: skip

    def footer(number: int, total: int) -> str:
        return t("print.footer", name=content.patient_name, page=number, pages=total)

    return page.render(blocks, footer)
