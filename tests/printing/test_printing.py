"""The handout and the check-in card, read back from the PDF as text and page images."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine

from db.demo import ensure_demo_data
from db.repositories.patients import PatientRepository
from db.repositories.program_store import ProgramStore
from kiosk.core.program_builder import ProgramDraft
from kiosk.printing.card import content_for_patient as card_content
from kiosk.printing.card import grouped, render_card
from kiosk.printing.handout import HandoutError, content_for_patient, render_handout
from kiosk.printing.qr import QUIET_ZONE, paint_qr, qr_modules
from media.loader import load_library
from tests.printing.pdf_pages import dark_fraction, pdf_pages

LIBRARY = load_library()
DAY = date(2025, 3, 3)


@pytest.fixture
def demo(engine: Engine, qapp: QApplication) -> Engine:
    ensure_demo_data(engine, DAY)
    return engine


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_handout_holds_every_exercise_dose_step_and_safety_note(
    demo: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "maria.pdf"
    content = content_for_patient(demo, "482913", LIBRARY, DAY)
    pages = render_handout(content, out)
    texts, images = pdf_pages(out)
    assert len(texts) == pages >= 2
    everything = _flat(" ".join(texts))
    assert "Home exercises for Maria" in everything
    for exercise_id in ("clamshell", "side-lying-lift-and-sweep"):
        exercise = LIBRARY.exercise(exercise_id)
        assert exercise.name in everything
        for line in (*exercise.steps, *exercise.key_points, *exercise.safety):
            assert _flat(line) in everything, line
    for note in LIBRARY.safety:
        assert _flat(note.text) in everything
    assert "3 sets of 10 reps on each side" in everything
    assert f"page {pages} of {pages}" in _flat(texts[-1])
    for image in images:
        assert 0.005 < dark_fraction(image) < 0.25  # ink on every page, and not a black page


def test_side_series_and_variations_are_explained(demo: Engine, tmp_path: Path) -> None:
    jk = content_for_patient(demo, "305718", LIBRARY, DAY)
    assert jk.side_series
    out = tmp_path / "jk.pdf"
    render_handout(jk, out)
    text = _flat(" ".join(pdf_pages(out)[0]))
    assert "Then turn over and do them all" in text
    assert "1 set of 10 reps." in text  # the sides are said once, not per exercise
    assert "one side at a time" not in text
    maria = PatientRepository(demo).find_by_code("482913")
    assert maria is not None
    draft = ProgramDraft(name="Harder").with_added("clamshell", LIBRARY)
    draft = draft.progressed(0, LIBRARY).progressed(0, LIBRARY)
    ProgramStore(demo).assign(draft, maria.id, DAY, None, actor="Anna")
    render_handout(content_for_patient(demo, "482913", LIBRARY, DAY), out)
    text = _flat(" ".join(pdf_pages(out)[0]))
    assert "Your version: Light band." in text
    assert "3 sets of 10 reps" in text


def test_no_handout_without_a_program(demo: Engine) -> None:
    with pytest.raises(HandoutError, match="no active patient"):
        content_for_patient(demo, "000000", LIBRARY, DAY)
    with pytest.raises(HandoutError, match="no program"):
        content_for_patient(demo, "482913", LIBRARY, date(2025, 1, 1))


def test_card_has_the_code_as_text_and_large_type(demo: Engine, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    assert render_card(card_content(demo, "482913"), out) == 1
    (text,), (image,) = pdf_pages(out)
    assert "482 913" in text
    assert "Maria" in text
    assert "press Start" in _flat(text)
    assert dark_fraction(image) > 0.01


def test_qr_code_paints_segnos_modules_with_a_quiet_zone(qapp: QApplication) -> None:
    modules = qr_modules("482913")
    count = len(modules) + 2 * QUIET_ZONE
    module_px = 10
    image = QImage(count * module_px, count * module_px, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    painter = QPainter(image)
    paint_qr(painter, "482913", QRectF(0, 0, image.width(), image.height()))
    painter.end()
    for row in range(count):
        for column in range(count):
            inside = (
                QUIET_ZONE <= row < count - QUIET_ZONE and QUIET_ZONE <= column < count - QUIET_ZONE
            )
            dark = inside and modules[row - QUIET_ZONE][column - QUIET_ZONE]
            centre = image.pixelColor(column * module_px + 5, row * module_px + 5)
            assert centre == (QColor("black") if dark else QColor("white")), (row, column)


def test_code_grouping() -> None:
    assert grouped("482913") == "482 913"
    assert grouped("1234") == "1234"
    assert grouped("12345678") == "12 345 678"


def test_a_patient_who_speaks_spanish_gets_spanish_paper(demo: Engine, tmp_path: Path) -> None:
    """The card and the handout print in the patient's language (their words and the
    library's, the date in Spanish order); the kiosk's own language does not change."""
    from kiosk import text

    repo = PatientRepository(demo)
    maria = repo.find_by_code("482913")
    assert maria is not None
    repo.set_language(maria.id, "es")
    handout = tmp_path / "handout.pdf"
    render_handout(content_for_patient(demo, "482913", LIBRARY, DAY), handout)
    card = tmp_path / "card.pdf"
    render_card(card_content(demo, "482913"), card)
    assert text.current().code == "en"  # the staff screen's language, untouched
    words = _flat(" ".join(pdf_pages(handout)[0]))
    assert "Ejercicios en casa para Maria" in words
    assert load_library(language="es").exercises["clamshell"].name in words
    assert "3 de marzo de 2025" in words
    assert "Home exercises" not in words
    card_words = " ".join(pdf_pages(card)[0])
    assert "Código de registro" in card_words
    assert "Check-in code" not in card_words
