"""Touch widgets for the staff screens: steppers, toggles, message lines, lists, overlays.

Staff screens are denser than the patients' but still touch-first: no spin box arrows, no
combo boxes, no tiny check boxes — a value is changed with big − and + buttons, a choice is a
row of big toggle buttons, text comes from the on-screen keyboard (``keyboard.py``). Every
look is in ``theme.qss``, keyed on the ``role`` properties set here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScroller,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.text import t
from kiosk.text.dates import day_short_year
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtOverlay, make_button, make_label, set_style_property
from kiosk.ui.widgets.flow_layout import QtFlowLayout

_CENTER = Qt.AlignmentFlag.AlignCenter


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class QtMessage(QLabel):
    """One line of feedback under an action: ``ok`` (what happened) or ``error`` (why not).

    Hidden when empty, so a page does not keep an empty box around.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "message")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setVisible(False)

    def show_ok(self, text: str) -> None:
        self._show(text, "ok")

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def clear_message(self) -> None:
        self.setText("")
        self.setVisible(False)

    def _show(self, text: str, kind: str) -> None:
        set_style_property(self, "kind", kind)
        self.setText(text)
        self.setVisible(bool(text))

    @property
    def kind(self) -> str:
        return str(self.property("kind") or "")


class QtStepper(QWidget):
    """``[−] value [+]``: a number within bounds, changed in steps (holding a button repeats).

    ``value`` None shows the ``default`` marked as the library's. The stepper only reports
    what was asked; the owner applies it to its model and calls :meth:`set_value` back.

    Signals:
        value_chosen(float): − or + was tapped; the new value, already within bounds.
    """

    value_chosen = Signal(float)

    def __init__(
        self,
        theme: Theme,
        name: str,
        *,
        minimum: float,
        maximum: float,
        step: float = 1,
        formatter: Callable[[float], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.minimum, self.maximum, self.step = minimum, maximum, step
        self._formatter = formatter or format_number
        self._value: float | None = None
        self._default: float | None = None
        m = theme.metrics
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(m.spacing_small)
        self.minus_button = make_button("−", "step", name=f"{name}Minus")
        self.plus_button = make_button("+", "step", name=f"{name}Plus")
        # Wraps rather than push "+" out of the panel when the words are long ("3 (library)").
        self.display = make_label("", "stepper", align=_CENTER, name=f"{name}Value")
        self.display.setMinimumWidth(m.px(120))
        self.display.setMinimumHeight(m.touch)
        for button in (self.minus_button, self.plus_button):
            button.setFixedWidth(max(m.touch, m.px(120)))
            button.setAutoRepeat(True)
            button.setAutoRepeatDelay(500)
            button.setAutoRepeatInterval(120)
        self.minus_button.clicked.connect(self._on_minus_button_clicked)
        self.plus_button.clicked.connect(self._on_plus_button_clicked)
        row.addWidget(self.minus_button)
        row.addWidget(self.display, 1)
        row.addWidget(self.plus_button)
        self._refresh()

    @property
    def value(self) -> float | None:
        return self._value

    def shown_value(self) -> float:
        """What the display shows: the value, else the default, else the minimum."""
        for candidate in (self._value, self._default):
            if candidate is not None:
                return candidate
        return self.minimum

    def set_value(self, value: float | None, default: float | None = None) -> None:
        self._value = value
        self._default = default
        self._refresh()

    def set_range(self, minimum: float, maximum: float, step: float | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum
        if step is not None:
            self.step = step
        self._refresh()

    def _refresh(self) -> None:
        shown = self.shown_value()
        text = self._formatter(shown)
        if self._value is None and self._default is not None:
            text = t("staff.default.mark", value=text)
        self.display.setText(text)
        self.minus_button.setEnabled(shown > self.minimum)
        self.plus_button.setEnabled(shown < self.maximum)

    def _stepped(self, direction: int) -> float:
        shown = self.shown_value()
        # Snap to the step grid first (a library default of 12 with a step of 5 goes to 10/15).
        grid = shown / self.step
        target = math.floor(grid) if direction < 0 else math.ceil(grid)
        if target == grid:
            target += direction
        value = round(target * self.step, 6)
        return max(self.minimum, min(self.maximum, value))

    def _on_minus_button_clicked(self) -> None:
        self.value_chosen.emit(self._stepped(-1))

    def _on_plus_button_clicked(self) -> None:
        self.value_chosen.emit(self._stepped(+1))


class QtDayStepper(QWidget):
    """``[◀] Mon 2 Mar 2026 [▶]``: a day, one day per tap (in the kiosk's language).

    Signals:
        day_changed(object): the staff moved the day (a ``date``).
    """

    day_changed = Signal(object)

    def __init__(self, theme: Theme, name: str, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        m = theme.metrics
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(m.spacing_small)
        self.back_button = make_button(t("staff.day.back"), "step", name=f"{name}Back")
        self.forward_button = make_button(t("staff.day.forward"), "step", name=f"{name}Forward")
        self.display = make_label("", "stepper", align=_CENTER, name=f"{name}Value", wrap=False)
        self.display.setMinimumHeight(m.touch)
        for button in (self.back_button, self.forward_button):
            button.setFixedWidth(max(m.touch, m.px(110)))
            button.setAutoRepeat(True)
            button.setAutoRepeatDelay(500)
            button.setAutoRepeatInterval(150)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.forward_button.clicked.connect(self._on_forward_button_clicked)
        row.addWidget(self.back_button)
        row.addWidget(self.display, 1)
        row.addWidget(self.forward_button)
        self.minimum: date | None = None
        self.day = day
        self.set_day(day)

    def set_day(self, day: date) -> None:
        if self.minimum is not None and day < self.minimum:
            day = self.minimum
        self.day = day
        self.display.setText(day_short_year(day))
        self.back_button.setEnabled(self.minimum is None or day > self.minimum)

    def _move(self, days: int) -> None:
        self.set_day(self.day + timedelta(days=days))
        self.day_changed.emit(self.day)

    def _on_back_button_clicked(self) -> None:
        self._move(-1)

    def _on_forward_button_clicked(self) -> None:
        self._move(+1)


class QtChoiceButton(QPushButton):
    """A checkable button that says which choice it is (no lambda per button).

    Signals:
        chosen(str): the button was tapped; its key.
    """

    chosen = Signal(str)

    def __init__(self, key: str, text: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(text.replace("&", "&&"), parent)  # "&" is not a shortcut marker here
        self.key = key
        self.setObjectName(name)
        self.setProperty("role", "toggle")
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoDefault(False)
        self.clicked.connect(self._on_self_clicked)

    def _on_self_clicked(self) -> None:
        self.chosen.emit(self.key)


class QtChoiceRow(QWidget):
    """A row of toggle buttons; ``exclusive``: exactly one chosen (else any number).

    Signals:
        changed(): the staff changed the choice (read :attr:`chosen` / :attr:`chosen_keys`).
    """

    changed = Signal()

    def __init__(
        self,
        theme: Theme,
        name: str,
        choices: Sequence[tuple[str, str]],
        *,
        exclusive: bool = True,
        by_text: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``by_text``: widths follow the words (each button as wide as its words, plus a share
        of what is left), else equal. A row whose words do not fit wraps onto more lines."""
        super().__init__(parent)
        self.setObjectName(name)
        self.exclusive = exclusive
        row = QtFlowLayout(self, spacing=theme.metrics.spacing_small, equal=not by_text)
        self.buttons: dict[str, QtChoiceButton] = {}
        for key, text in choices:
            button = QtChoiceButton(key, text, f"{name}_{key}")
            button.setMinimumHeight(theme.metrics.touch)
            button.chosen.connect(self._on_button_chosen)
            row.addWidget(button)
            self.buttons[key] = button

    @property
    def chosen(self) -> str | None:
        return next((k for k, b in self.buttons.items() if b.isChecked()), None)

    @property
    def chosen_keys(self) -> tuple[str, ...]:
        return tuple(k for k, b in self.buttons.items() if b.isChecked())

    def set_chosen(self, *keys: str) -> None:
        for key, button in self.buttons.items():
            button.setChecked(key in keys)

    def _on_button_chosen(self, key: str) -> None:
        if self.exclusive:
            self.set_chosen(key)
        self.changed.emit()


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
    QScroller.grabGesture(widget.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    return widget


def add_list_row(widget: QListWidget, theme: Theme, text: str, data: object) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setSizeHint(QSize(0, theme.metrics.touch))
    widget.addItem(item)
    return item


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
    QScroller.grabGesture(table.viewport(), QScroller.ScrollerGestureType.TouchGesture)
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


def make_section(text: str, name: str = "") -> QLabel:
    return make_label(text, "section", name=name)


def make_card(name: str = "") -> QFrame:
    frame = QFrame()
    frame.setObjectName(name or "Card")
    frame.setProperty("card", True)
    return frame


class QtConfirmOverlay(QtOverlay):
    """ "Are you sure?": a title, what will happen, Cancel and the action.

    One per staff home; :meth:`ask` says what to run on confirmation. Touching outside the
    panel cancels.

    Signals:
        answered(bool): True if confirmed.
    """

    answered = Signal(bool)

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, width_ratio=0.6)
        self.panel.setProperty("overlay", "StaffConfirm")
        self.title = make_label("", "title", align=_CENTER, name="ConfirmTitle")
        self.body = make_label("", "body", align=_CENTER, name="ConfirmBody")
        self.panel_layout.addWidget(self.title)
        self.panel_layout.addWidget(self.body)
        self.panel_layout.addSpacing(theme.metrics.spacing)
        row = QHBoxLayout()
        row.setSpacing(theme.metrics.margin)
        self.cancel_button = make_button(t("staff.cancel"), name="ConfirmCancelButton")
        self.confirm_button = make_button("", "danger", name="ConfirmButton")
        for button in (self.cancel_button, self.confirm_button):
            button.setMinimumHeight(theme.metrics.touch)
            row.addWidget(button, 1)
        self.panel_layout.addLayout(row)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.backdrop_clicked.connect(self._on_cancel_button_clicked)
        self._on_confirmed: Callable[[], None] | None = None

    def ask(
        self,
        title: str,
        body: str,
        confirm_text: str,
        on_confirmed: Callable[[], None],
        *,
        danger: bool = True,
    ) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.confirm_button.setText(confirm_text)
        set_style_property(self.confirm_button, "role", "danger" if danger else "primary")
        self._on_confirmed = on_confirmed
        self.open()

    def _on_cancel_button_clicked(self) -> None:
        self._on_confirmed = None
        self.hide()
        self.answered.emit(False)

    def _on_confirm_button_clicked(self) -> None:
        action, self._on_confirmed = self._on_confirmed, None
        self.hide()
        if action is not None:
            action()
        self.answered.emit(True)


class QtPatientSearch(QPushButton):
    """A patient list's search field: a button showing what is searched for; a tap opens the
    on-screen keyboard (``ask_text``: the staff context's).

    Signals:
        searched(str): the words to search for ("" for everyone).
    """

    searched = Signal(str)

    def __init__(
        self, ask_text: Callable[[str, str, Callable[[str], str | None]], None], name: str
    ) -> None:
        super().__init__(t("staff.patients.search_empty"))
        self.setObjectName(name)
        self.setProperty("role", "field")
        self.words = ""
        self._ask_text = ask_text
        self.clicked.connect(self._on_clicked)

    def clear_words(self) -> None:
        """Back to searching for everyone (without a ``searched`` signal)."""
        self._show("")

    def _show(self, words: str) -> None:
        self.words = words
        self.setText(
            t("staff.patients.search", text=words) if words else t("staff.patients.search_empty")
        )

    def _on_clicked(self) -> None:
        self._ask_text(t("staff.patients.search_title"), self.words, self._on_words)

    def _on_words(self, text: str) -> str | None:
        self._show(text.strip())
        self.searched.emit(self.words)
        return None
