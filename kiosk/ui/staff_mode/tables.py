"""Staff lists and tables: finger-sized rows, kinetic scrolling, no sideways scrolling.

A list is for choosing one row (a patient, an exercise); a table is read-only (the day board,
the import preview, the clinic day).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import scroll_by_touch


def make_list(theme: Theme, name: str) -> QListWidget:
    """A list with finger-sized rows and kinetic scrolling."""
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setProperty("role", "staff-list")
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setWordWrap(True)
    scroll_by_touch(widget.viewport())
    return widget


def add_list_row(widget: QListWidget, theme: Theme, text: str, data: object) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setSizeHint(QSize(0, theme.metrics.touch))
    widget.addItem(item)
    return item


def fill_list(
    widget: QListWidget, theme: Theme, rows: Sequence[tuple[str, object]], keep: object = None
) -> QListWidgetItem | None:
    """Refill ``widget`` with ``rows`` (text, data) and make the row whose data is ``keep``
    current again, scrolled into view; returns that row (None if it is gone).

    The rows go in quietly (no ``currentItemChanged`` for each); making ``keep`` current is
    signalled, so the page shows it as if tapped.
    """
    widget.blockSignals(True)
    widget.clear()
    chosen: QListWidgetItem | None = None
    for text, data in rows:
        item = add_list_row(widget, theme, text, data)
        if keep is not None and data == keep:
            chosen = item
    widget.blockSignals(False)
    if chosen is not None:
        widget.setCurrentItem(chosen)
        widget.scrollToItem(chosen)
    return chosen


def make_table(
    theme: Theme, name: str, headers: Sequence[str], *, stretch: int | None = None
) -> QTableWidget:
    """A read-only table with finger-sized rows (the board, import preview, day summary).

    Columns fit their contents; column ``stretch`` (default: the last) takes the rest and
    wraps, so there is no sideways scrolling.
    """
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setProperty("role", "staff-table")
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setWordWrap(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setMinimumSectionSize(theme.metrics.touch)
    rows.setDefaultSectionSize(theme.metrics.touch)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(
        len(headers) - 1 if stretch is None else stretch, QHeaderView.ResizeMode.Stretch
    )
    header.setHighlightSections(False)
    scroll_by_touch(table.viewport())
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def table_text(table: QTableWidget, row: int, column: int) -> str:
    """The text shown in a cell (an item's, or a cell widget label's)."""
    widget = table.cellWidget(row, column)
    if isinstance(widget, QLabel):
        return widget.text()
    item = table.item(row, column)
    return "" if item is None else item.text()
