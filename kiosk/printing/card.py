"""The check-in card: a patient's code as large digits and as a QR code, on an A4 page.

The card itself is credit-card size (85.6 × 54 mm) inside a dashed cut line, so it fits a
wallet; below it the page repeats the code in very large digits with plain instructions, for
a patient who keeps the sheet rather than cutting the card out. The QR code holds only the
digits: a 2D scanner at the kiosk "types" them like the keypad.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

from kiosk.printing.pdf import BODY_PT, INK, WRAP, Block, Page, font, mm
from kiosk.printing.qr import paint_qr
from kiosk.text import in_language, t

if TYPE_CHECKING:
    from sqlalchemy import Engine

CARD_W, CARD_H = mm(85.6), mm(54)
#: What the card's page tells the patient, in order (catalog keys).
INSTRUCTIONS = ("print.card_how", "print.card_scanner", "print.card_private")


class CardError(LookupError):
    """No active patient with this code."""


@dataclass(frozen=True)
class CardContent:
    clinic_name: str
    display_name: str
    code: str
    #: Who it is for, for the audit log (which never holds the code).
    patient_id: int | None = None
    #: The language it prints in: the patient's (None: the kiosk's own).
    language: str | None = None


def grouped(code: str) -> str:
    """``482913`` → ``482 913``: easier to read and to type."""
    if len(code) <= 4:
        return code
    head = len(code) % 3 or 3
    parts = [code[:head]] + [code[i : i + 3] for i in range(head, len(code), 3)]
    return " ".join(parts)


def content_for_patient(database: Engine, code: str) -> CardContent:
    from db.repositories.patients import PatientRepository
    from db.repositories.settings import SettingsRepository

    patient = PatientRepository(database).find_by_code(code)
    if patient is None:
        raise CardError(f"no active patient with check-in code {code}")
    return CardContent(
        clinic_name=SettingsRepository(database).load().clinic_name,
        display_name=patient.display_name,
        code=patient.code,
        patient_id=patient.id,
        language=patient.language,
    )


def _fitting(text: str, width: float, size_pt: float, device: QPaintDevice) -> QFont:
    """The bold monospaced font at ``size_pt``, or smaller until ``text`` fits ``width``."""
    f = font(size_pt, bold=True, mono=True)
    while size_pt > 8 and QFontMetricsF(f, device).horizontalAdvance(text) > width:
        size_pt -= 1
        f = font(size_pt, bold=True, mono=True)
    return f


def _card(content: CardContent, page: Page) -> Block:
    pad = mm(4)
    qr_side = mm(30)
    text_w = CARD_W - 3 * pad - qr_side
    code_font = _fitting(grouped(content.code), text_w, 22, page.writer)
    one_line = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignVCenter)

    def paint(p: QPainter, x: float, y: float, width: float) -> None:
        card = QRectF(x, y, CARD_W, CARD_H)
        pen = QPen(QColor("#333333"), mm(0.3))
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRoundedRect(card, mm(3), mm(3))
        qr_top = y + (CARD_H - qr_side) / 2
        paint_qr(p, content.code, QRectF(card.right() - pad - qr_side, qr_top, qr_side, qr_side))
        p.setPen(INK)
        p.setFont(font(10, bold=True))
        p.drawText(QRectF(x + pad, y + pad, text_w, mm(11)), WRAP, content.clinic_name)
        p.setFont(font(10))
        p.drawText(QRectF(x + pad, y + mm(17), text_w, mm(6)), one_line, t("print.card_code"))
        p.setFont(code_font)
        p.drawText(QRectF(x + pad, y + mm(23), text_w, mm(12)), one_line, grouped(content.code))
        p.setFont(font(12, bold=True))
        p.drawText(QRectF(x + pad, y + mm(38), text_w, mm(10)), one_line, content.display_name)

    return Block(CARD_H, paint, gap_after=mm(14))


def render_card(content: CardContent, out: Path) -> int:
    """Write the card PDF (one A4 page), in the patient's language; returns its pages."""
    with in_language(content.language):
        return _render_card(content, out)


def _render_card(content: CardContent, out: Path) -> int:
    page = Page(out, t("print.card_title", name=content.display_name))
    big = font(48, bold=True, mono=True)
    blocks: list[Block | list[Block]] = [
        page.text_block(t("print.card_cut"), font(BODY_PT - 4), gap_after=mm(3)),
        _card(content, page),
        page.text_block(t("print.card_your_code", name=content.display_name), font(BODY_PT + 4)),
        page.text_block(grouped(content.code), big, gap_after=mm(8)),
    ]
    blocks += [
        page.list_item("•", t(key), font(BODY_PT + 2), gap_after=mm(3)) for key in INSTRUCTIONS
    ]
    return page.render(blocks, lambda _n, _t: content.clinic_name)
