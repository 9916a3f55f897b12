"""A row of buttons that wraps onto a second line when its words do not fit.

Qt's box and grid layouts never wrap: a row whose labels are too wide (large text, or a
language with longer words) makes the whole screen wider than the window, and its right
edge is cut off. :class:`QtFlowLayout` places its items like words in a paragraph: as many as
fit on a line at their natural width, the line's spare width shared out so they fill it,
then the next line. It answers ``heightForWidth``, so a scroll area or a box layout gives it
the height its lines need. (The same idea as the flow layout in Qt's examples.)
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class QtFlowLayout(QLayout):
    """Items in lines, left to right, each line filled to the full width.

    ``equal``: in equal widths when the widest item's width fits them all, as a grid of equal
    columns would; otherwise (or with ``equal=False``) each as wide as its words plus an equal
    share of what is left.
    """

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = 0, equal: bool = True
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._equal = equal
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's item list ------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # -- sizes --------------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def sizeHint(self) -> QSize:
        """All on one line."""
        visible = self._visible()
        width = sum(i.sizeHint().width() for i in visible) + self._gap * max(0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:
        """The widest single item: never wider, whatever the words."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # -- the lines ----------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def lines(self, width: int) -> list[list[QLayoutItem]]:
        """The items on each line for a layout ``width`` pixels wide."""
        margins: QMargins = self.contentsMargins()
        room = max(0, width - margins.left() - margins.right())
        lines: list[list[QLayoutItem]] = []
        used = 0
        for item in self._visible():
            wanted = item.sizeHint().width()
            if lines and used + self._gap + wanted <= room:
                lines[-1].append(item)
                used += self._gap + wanted
            else:
                lines.append([item])
                used = wanted
        return lines

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        margins = self.contentsMargins()
        inner = rect.marginsRemoved(margins)
        y = inner.y()
        for line in self.lines(rect.width()):
            height = max(item.sizeHint().height() for item in line)
            for_items = inner.width() - self._gap * (len(line) - 1)
            widest = max(item.sizeHint().width() for item in line)
            equal = self._equal and widest * len(line) <= for_items
            spare = max(0, for_items - sum(item.sizeHint().width() for item in line))
            x = inner.x()
            each, share = for_items // len(line), spare // len(line)
            for n, item in enumerate(line):
                last = n == len(line) - 1  # the last one takes the rounding
                if equal:
                    width = for_items - each * n if last else each
                else:  # the spare width shared out
                    width = item.sizeHint().width() + (spare - share * n if last else share)
                width = min(inner.width(), width)
                if place:
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                x += width + self._gap
            y += height + self._gap
        used = y - self._gap - inner.y() if y > inner.y() else 0
        return used + margins.top() + margins.bottom()
