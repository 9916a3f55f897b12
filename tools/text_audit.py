"""Which words on screen did not come from the text catalog.

Run the kiosk in the pseudo-language (``kiosk/text/pseudo.py``: every catalog text accented
and wrapped in ⟦ ⟧), walk its screens, and at each one call :func:`foreign_texts`: what is
left of each visible text once the catalog's ⟦…⟧ parts, the clinic's own data (patient and
staff names, program names) and the exercise library's content are taken out must hold no
words. Used by ``tests/ui/test_text_everywhere.py`` and ``tools/screenshots.py --language``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QWidget,
)

ROOT = Path(__file__).resolve().parent.parent
_CATALOG_PART = re.compile(r"⟦[^⟦⟧]*⟧")
_WORD = re.compile(r"[A-Za-z]{2,}")
_TAG = re.compile(r"<[^>]+>")


def library_texts(folder: Path = ROOT / "media" / "library") -> set[str]:
    """Every string in the exercise library: content, not interface text."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in folder.rglob("*.toml"):
        with path.open("rb") as f:
            walk(tomllib.load(f))
    return found


def _table_texts(table: QTableWidget) -> Iterator[str]:
    for column in range(table.columnCount()):
        header = table.horizontalHeaderItem(column)
        if header is not None:
            yield header.text()
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is not None:
                yield item.text()
            cell = table.cellWidget(row, column)
            if isinstance(cell, QLabel):
                yield cell.text()


def visible_texts(root: QWidget) -> Iterator[str]:
    """The text of every visible label, button, field, list and table under ``root``.

    Qt's own file chooser is left out: its words come from Qt's translations.
    """
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or _inside_file_dialog(widget):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield widget.text()
        elif isinstance(widget, QLineEdit):
            yield widget.text()
            yield widget.placeholderText()
        elif isinstance(widget, QTableWidget):
            yield from _table_texts(widget)
        elif isinstance(widget, QListWidget):
            for row in range(widget.count()):
                item = widget.item(row)
                if item is not None:
                    yield item.text()


def _inside_file_dialog(widget: QWidget) -> bool:
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, QFileDialog):
            return True
        parent = parent.parentWidget()
    return False


def _without_catalog_parts(text: str) -> str:
    """Each ⟦…⟧ taken out, innermost first (a catalog text may be filled with another)."""
    while True:
        shorter = _CATALOG_PART.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def language_names() -> set[str]:
    """Each language's name in itself ("English", "Español"): the language button shows the
    one it offers by that name whatever the screen's language, so it is no catalog text."""
    from kiosk import text

    return {text.language(code).name for code in text.available()}


def foreign_texts(texts: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """The texts with words from outside the catalog and outside ``allowed`` (data); the
    languages' own names are allowed everywhere (:func:`language_names`)."""
    everything = {*allowed, *language_names()}
    data = sorted({a.casefold() for a in everything if a.strip()}, key=len, reverse=True)
    foreign: list[str] = []
    for text in texts:  # data may be shown in capitals ("LIFT"): compared without case
        rest = _without_catalog_parts(_TAG.sub(" ", text)).casefold()
        for item in data:
            if item in rest:
                rest = rest.replace(item, " ")
        if _WORD.search(rest):
            foreign.append(text)
    return foreign
