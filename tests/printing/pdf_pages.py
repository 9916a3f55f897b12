"""Reading a PDF back as text and page images (QtPdf), for the handout and card tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

A4_POINTS = (595, 842)


def pdf_pages(path: Path, scale: float = 1.0) -> tuple[list[str], list[QImage]]:
    """Each page's text and its image at ``scale`` × 72 dpi."""
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    texts, images = [], []
    for page in range(doc.pageCount()):
        size = doc.pagePointSize(page)
        assert (round(size.width()), round(size.height())) == A4_POINTS
        texts.append(doc.getAllText(page).text())
        images.append(
            doc.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
        )
    doc.close()
    return texts, images


def dark_fraction(image: QImage) -> float:
    """How much of the page is ink (sampled every 4th pixel)."""
    dark = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            total += 1
            colour = image.pixelColor(x, y)
            if colour.alpha() > 128 and colour.lightness() < 128:
                dark += 1
    return dark / total
