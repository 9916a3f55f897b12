"""The attract screen: what the kiosk shows while nobody is using it.

One enormous target — the whole screen — because a first-time patient does not know where
to touch. A scanner read on this screen goes straight to check-in with the digits kept.

The first frame is only words and the call to action: the clinic's name (from the clinic
settings), the time and the facts about the hip muscles (from the library) fill in after
it, when the window has loaded the database (:meth:`QtAttractScreen.start_ambient`). The
time is read from the wall clock at each minute's turn; one fact shows at a time and the
next replaces it every :data:`FACT_EVERY_MS` — a plain change of words, nothing that moves
or flashes, in a card of fixed height so the screen never jumps.

When the kiosk is out of order (its database cannot be used) the call to action gives way to a
calm notice asking the patient to tell a member of staff (:meth:`QtAttractScreen.set_out_of_order`);
the window then starts nothing from a touch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.text import t
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.base import QtScreen, make_label

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtCore import QTimer

    from kiosk.ui.timers import TimerFactory

_CENTER = Qt.AlignmentFlag.AlignCenter
FACT_EVERY_MS = 10_000
FACT_LINES = 2  # the card keeps room for this many lines of a fact


class QtAttractScreen(QtScreen):
    """Clinic name, "Touch to start", the time and a fact about the hip muscles.

    Signals:
        touched(): the patient touched anywhere.
        digit_typed(str): a digit arrived from the keyboard (a barcode scanner).
    """

    touched = Signal()
    digit_typed = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self.setObjectName("AttractScreen")
        m = theme.metrics
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(m.margin, m.margin, m.margin, m.margin)
        layout.setSpacing(m.spacing)
        layout.addStretch(2)
        self.welcome = make_label(t("attract.welcome"), "large", align=_CENTER)
        layout.addWidget(self.welcome)
        self.clinic = make_label(t("clinic.name"), "display", align=_CENTER, name="ClinicName")
        layout.addWidget(self.clinic)
        layout.addStretch(1)
        self.call_to_action = make_label(
            t("attract.touch"), "cta", align=_CENTER, name="TouchToStart", wrap=False
        )
        layout.addWidget(self.call_to_action, 0, Qt.AlignmentFlag.AlignHCenter)
        # In the call to action's place while the kiosk is out of order.
        self.out_of_order = make_label(t("attract.out_of_order"), align=_CENTER, name="OutOfOrder")
        self.out_of_order.setVisible(False)
        layout.addWidget(self.out_of_order)
        layout.addStretch(1)
        self.hint = make_label(t("attract.hint"), "muted", align=_CENTER)
        layout.addWidget(self.hint)
        self.status = make_label("", "small", align=_CENTER, name="AttractStatus")
        layout.addWidget(self.status)
        # For staff passing by: records the database has not taken yet (kiosk/patient/writer.py).
        self.waiting = make_label("", "small", align=_CENTER, name="AttractWaiting")
        self.waiting.setVisible(False)
        layout.addWidget(self.waiting)
        layout.addStretch(1)

        # The time and the fact card are built after the first frame (_build_ambient).
        self.time: QLabel | None = None
        self.fact_card: QFrame | None = None
        self.fact: QLabel | None = None
        self.fact_title: QLabel | None = None
        self._facts: tuple[str, ...] = ()
        self._fact_index = 0
        self._wall_clock: Callable[[], datetime] | None = None
        self.clock_timer: QTimer | None = None
        self.fact_timer: QTimer | None = None

    def _build_ambient(self) -> tuple[QLabel, QFrame, QLabel]:
        """The time (top right: the top-left corner is the staff gesture's) and the fact card
        (above the status line), added to the layout the first time they are needed."""
        if self.time is not None and self.fact_card is not None and self.fact is not None:
            return self.time, self.fact_card, self.fact
        m = self.theme.metrics
        top = QHBoxLayout()
        top.addStretch(1)
        time = make_label("", "title", name="AttractTime", wrap=False)
        time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(time)
        self._layout.insertLayout(0, top)
        card = QFrame()
        card.setObjectName("FactCard")
        box = QVBoxLayout(card)
        box.setContentsMargins(m.margin, m.spacing, m.margin, m.spacing)
        box.setSpacing(m.spacing_small)
        title = make_label(t("attract.fact_title"), "section", name="FactTitle")
        title.setIndent(0)  # its padding gives it a frame, and a frame an indent: line up
        box.addWidget(title)
        self.fact_title = title
        fact = make_label("", "large", name="Fact")
        fact.setMinimumHeight(round(m.font_large * 1.35 * FACT_LINES))
        fact.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        box.addWidget(fact)
        card.setVisible(False)  # until there is a fact to show
        self._layout.insertWidget(self._layout.indexOf(self.status), card)
        self.time, self.fact_card, self.fact = time, card, fact
        return time, card, fact

    def set_status(self, text: str) -> None:
        """A quiet line at the bottom (e.g. "Getting ready…" while the database opens)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_waiting(self, text: str) -> None:
        """ "2 sets waiting to be saved", below the status line ("": all saved)."""
        self.waiting.setText(text)
        self.waiting.setVisible(bool(text))

    def set_out_of_order(self, out_of_order: bool) -> None:
        """Ask patients to tell staff instead of inviting a touch (or invite it again)."""
        self.out_of_order.setVisible(out_of_order)
        self.call_to_action.setVisible(not out_of_order)
        self.hint.setVisible(not out_of_order)

    @property
    def is_out_of_order(self) -> bool:
        return not self.out_of_order.isHidden()

    # -- filled in after the first frame -------------------------------------------------------

    def set_clinic_name(self, name: str) -> None:
        self.clinic.setText(name or t("clinic.name"))

    def retranslate(self) -> None:
        """Every word again in the kiosk's language now (the clinic's changed); the clinic's
        name and the facts come from their owners (settings, the library)."""
        self.welcome.setText(t("attract.welcome"))
        self.call_to_action.setText(t("attract.touch"))
        self.out_of_order.setText(t("attract.out_of_order"))
        self.hint.setText(t("attract.hint"))
        if self.fact_title is not None:
            self.fact_title.setText(t("attract.fact_title"))

    def set_facts(self, facts: Sequence[str]) -> None:
        """The facts to rotate through, in order (none: the card stays hidden)."""
        self._build_ambient()
        self._facts = tuple(f for f in facts if f.strip())
        self._fact_index = 0
        self._show_fact()

    def start_ambient(self, wall_clock: Callable[[], datetime], timers: TimerFactory) -> None:
        """Show the time and rotate the facts from now on, while this screen shows."""
        self._build_ambient()
        if self.clock_timer is None:
            self.clock_timer = timers.create(self, "attract-clock", single_shot=True, precise=True)
            self.clock_timer.timeout.connect(self._on_clock_timer_timeout)
            self.fact_timer = timers.create(self, "attract-facts", interval_ms=FACT_EVERY_MS)
            self.fact_timer.timeout.connect(self._on_fact_timer_timeout)
        self._wall_clock = wall_clock
        if self.isVisible():
            self.entered()

    @property
    def fact_text(self) -> str:
        return self.fact.text() if self.fact is not None else ""

    def next_fact(self) -> None:
        """The next fact (what the fact timer does every ten seconds)."""
        if self._facts:
            self._fact_index = (self._fact_index + 1) % len(self._facts)
            self._show_fact()

    def _show_fact(self) -> None:
        _, card, fact = self._build_ambient()
        if not self._facts:
            fact.setText("")
            card.setVisible(False)
            return
        fact.setText(self._facts[self._fact_index % len(self._facts)])
        card.setVisible(True)

    def update_clock(self) -> None:
        """Show the time now and arm the timer for the next minute's turn."""
        if self._wall_clock is None or self.clock_timer is None or self.time is None:
            return
        from kiosk.text.dates import time_short  # after the first frame, like the clock

        now = self._wall_clock().astimezone()  # the kiosk's local time, whatever the clock's zone
        self.time.setText(time_short(now))
        to_next_minute_s = 60.0 - (now.second + now.microsecond / 1_000_000)
        self.clock_timer.start(max(1, round(to_next_minute_s * 1000)) + 5)

    # -- life --------------------------------------------------------------------------------

    def entered(self) -> None:
        self.update_clock()
        if self.fact_timer is not None:
            self.fact_timer.start()

    def left(self) -> None:
        for timer in (self.clock_timer, self.fact_timer):
            if timer is not None:
                timer.stop()

    def _on_clock_timer_timeout(self) -> None:
        self.update_clock()

    def _on_fact_timer_timeout(self) -> None:
        self.next_fact()

    # -- input -------------------------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.touched.emit()
        event.accept()

    def handle_key(self, key: int, text: str) -> bool:
        if text.isdigit():
            self.digit_typed.emit(text)
            return True
        return False
