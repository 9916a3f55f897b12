"""Staff steppers: a number changed with big − and + buttons, a day moved with ◀ and ▶.

Staff screens are touch-first, so there are no spin box arrows: a value is changed in steps
with finger-sized buttons that repeat while held. Both steppers are the same row
(:func:`_step_row`); they differ in what the value is and how a step moves it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.text import t
from kiosk.text.dates import day_short_year
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import make_button, make_label

#: A held step button starts repeating after this long.
REPEAT_DELAY_MS = 500


def format_number(value: float) -> str:
    """``3.0`` → ``3``, ``2.5`` → ``2.5``: a stepper's value as staff read it."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _step_row(
    owner: QWidget,
    theme: Theme,
    name: str,
    back: tuple[str, str],
    forward: tuple[str, str],
    *,
    button_px: int,
    repeat_ms: int,
    wrap: bool,
) -> tuple[QPushButton, QLabel, QPushButton]:
    """Lay ``owner`` out as ``[back] value [forward]`` and return the three.

    ``back`` and ``forward`` are (text, object name suffix): the buttons are named
    ``<name><suffix>`` and the value ``<name>Value``, which is what ``theme.qss`` and the
    tests key on. Held, a button repeats every ``repeat_ms``.
    """
    m = theme.metrics
    row = QHBoxLayout(owner)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(m.spacing_small)
    back_button = make_button(back[0], "step", name=f"{name}{back[1]}")
    forward_button = make_button(forward[0], "step", name=f"{name}{forward[1]}")
    align = Qt.AlignmentFlag.AlignCenter
    display = make_label("", "stepper", align=align, name=f"{name}Value", wrap=wrap)
    display.setMinimumHeight(m.touch)
    for button in (back_button, forward_button):
        button.setFixedWidth(max(m.touch, m.px(button_px)))
        button.setAutoRepeat(True)
        button.setAutoRepeatDelay(REPEAT_DELAY_MS)
        button.setAutoRepeatInterval(repeat_ms)
    row.addWidget(back_button)
    row.addWidget(display, 1)
    row.addWidget(forward_button)
    return back_button, display, forward_button


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
        # The value wraps rather than push "+" out of the panel when the words are long
        # ("3 (library)").
        self.minus_button, self.display, self.plus_button = _step_row(
            self,
            theme,
            name,
            ("−", "Minus"),
            ("+", "Plus"),
            button_px=120,
            repeat_ms=120,
            wrap=True,
        )
        self.display.setMinimumWidth(theme.metrics.px(120))
        self.minus_button.clicked.connect(self._on_minus_button_clicked)
        self.plus_button.clicked.connect(self._on_plus_button_clicked)
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
        self.back_button, self.display, self.forward_button = _step_row(
            self,
            theme,
            name,
            (t("staff.day.back"), "Back"),
            (t("staff.day.forward"), "Forward"),
            button_px=110,
            repeat_ms=150,
            wrap=False,
        )
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.forward_button.clicked.connect(self._on_forward_button_clicked)
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


class QtChoiceStepper(QWidget):
    """``[◀] Sign-in and PINs [▶]``: one of a few choices, moved one per tap (round and round),
    where a row of buttons would take too much of a small screen.

    Signals:
        choice_changed(str): the staff moved to another choice (its key).
    """

    choice_changed = Signal(str)

    def __init__(
        self,
        theme: Theme,
        name: str,
        choices: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.back_button, self.display, self.forward_button = _step_row(
            self,
            theme,
            name,
            (t("staff.day.back"), "Back"),
            (t("staff.day.forward"), "Forward"),
            button_px=110,
            repeat_ms=400,
            wrap=False,
        )
        self.choices = choices
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.forward_button.clicked.connect(self._on_forward_button_clicked)
        self._index = 0
        self.set_chosen(choices[0][0])

    @property
    def chosen(self) -> str:
        return self.choices[self._index][0]

    def set_chosen(self, key: str) -> None:
        self._index = next(i for i, (k, _) in enumerate(self.choices) if k == key)
        self.display.setText(self.choices[self._index][1])

    def _move(self, step: int) -> None:
        self._index = (self._index + step) % len(self.choices)
        self.set_chosen(self.chosen)
        self.choice_changed.emit(self.chosen)

    def _on_back_button_clicked(self) -> None:
        self._move(-1)

    def _on_forward_button_clicked(self) -> None:
        self._move(+1)
