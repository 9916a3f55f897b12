"""PDFs staff save: written, or a clear error — never a success message for a missing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.printing.card import CardContent, render_card
from kiosk.ui.staff_mode.exports import write_pdf

CARD = CardContent(clinic_name="Clinic Gym", display_name="Maria", code="482913")


def test_write_pdf_writes_and_counts_pages(tmp_path: Path) -> None:
    target = tmp_path / "card.pdf"
    assert write_pdf(target, CARD, render_card) == 1
    assert target.read_bytes().startswith(b"%PDF-")


def test_write_pdf_refuses_a_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="No such file"):
        write_pdf(tmp_path / "pulled-out-stick" / "card.pdf", CARD, render_card)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.qt_log_ignore(r"QPainter::")
def test_the_pdf_writer_raises_when_it_cannot_open_its_file(tmp_path: Path) -> None:
    """QPdfWriter only warns; the page writer turns that into an error (the CLI said "saved")."""
    with pytest.raises(OSError, match="cannot write"):
        render_card(CARD, tmp_path / "missing" / "card.pdf")
