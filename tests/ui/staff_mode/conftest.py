"""Staff-mode fixtures: the real window on a real demo database (with the demo staff member
"Demo", PIN 472915), driven by taps; holds and idle time run on the ``FakeClock``.

The PIN check is the real scrypt hash on a worker thread (~0.4 s): tests wait for the
staff mode's ``pin_checked`` signal rather than sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLayout, QWidget
from pytestqt.qtbot import QtBot

from db.demo import DEMO_STAFF_PIN
from db.models import SessionStatus
from db.repositories.patients import PatientRepository
from db.repositories.programs import ProgramRepository
from db.repositories.sessions import SessionLog
from kiosk.core.clock import FakeClock
from kiosk.core.records import FeedbackKind, PainEvent
from kiosk.core.timeline import Side
from kiosk.services import KioskServices
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.home import QtStaffHome
from kiosk.ui.staff_mode.keyboard import QtKeyboardOverlay
from kiosk.ui.staff_mode.mode import QtStaffMode
from kiosk.ui.staff_mode.page import QtStaffPage
from kiosk.ui.timers import TimerFactory
from tests.clinic import MARIA, TODAY, WALL_START
from tests.ui.conftest import LEFT, OpenWindow, tap

CORNER = QPoint(10, 10)
PIN_TIMEOUT_MS = 20_000


def timer_named(timers: TimerFactory, name: str) -> QTimer:
    """The running timer called ``name`` (fails if it is not running)."""
    running = {t.objectName(): t for t in timers.active()}
    assert name in running, f"{name} is not running; running: {sorted(running)}"
    return running[name]


def fire(timers: TimerFactory, name: str) -> None:
    """What the event loop does when the timer is due (tests move the FakeClock first)."""
    timer_named(timers, name).timeout.emit()


def hold_corner(window: QtKioskWindow, clock: FakeClock, seconds: float = 3.0) -> None:
    """Press the attract screen's top-left corner, keep it down ``seconds``, let go."""
    QTest.mousePress(window.attract, LEFT, pos=CORNER)
    clock.advance(seconds)
    QTest.mouseRelease(window.attract, LEFT, pos=CORNER)


def staff_mode(window: QtKioskWindow) -> QtStaffMode:
    assert window.staff is not None
    return window.staff


def type_pin(window: QtKioskWindow, pin: str) -> None:
    pad = staff_mode(window).pin_screen
    for digit in pin:
        tap(pad.digit_buttons[digit])


def submit_pin(qtbot: QtBot, window: QtKioskWindow, pin: str) -> object:
    """Type ``pin``, press OK, wait for the worker's answer; returns the ``LoginResult``."""
    mode = staff_mode(window)
    type_pin(window, pin)
    with qtbot.waitSignal(mode.pin_checked, timeout=PIN_TIMEOUT_MS) as blocker:
        tap(mode.pin_screen.ok_button)
    return blocker.args[0]


def sign_in(qtbot: QtBot, window: QtKioskWindow, clock: FakeClock) -> QtStaffHome:
    hold_corner(window, clock)
    submit_pin(qtbot, window, DEMO_STAFF_PIN)
    home = staff_mode(window).home
    assert home is not None
    assert window.current_screen() is home
    board_read(qtbot, home)
    return home


def figures_read(page: object, timeout_s: float = 10.0) -> None:
    """Let Qt's loop run until a page's figures, read on its worker thread, are shown
    (``page.loading`` false: the Progress page, the Today board)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout_s
    while getattr(page, "loading", False):
        assert time.monotonic() < deadline, "the figures were never read"
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def board_read(qtbot: QtBot, home: QtStaffHome) -> None:
    """Wait for the Today board's read in flight, if any (it reads on a worker thread)."""
    page = home.pages.get("today")
    loading = getattr(page, "loading", False)
    if loading:
        qtbot.waitUntil(lambda: not getattr(page, "loading", False))


def use_stick(home: QtStaffHome, stick: Path) -> None:
    """The file dialogs see ``stick`` as the one USB stick mounted, and ``exports`` beside it
    as the export folder (never a real USB stick or home folder); the kiosk's own folders are
    refused as the real kiosk's are (the test database is in tmp_path, beside them)."""
    stick.mkdir(parents=True, exist_ok=True)
    real = home.files.places
    home.files.places = lambda: replace(
        real(), removable=(stick,), export_folder=stick.parent / "exports"
    )


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """What the file dialogs take for a mounted USB stick (see :func:`use_stick`)."""
    return tmp_path / "stick"


@pytest.fixture
def home(qtbot: QtBot, window: QtKioskWindow, clock: FakeClock, stick: Path) -> QtStaffHome:
    """Signed in as the demo staff member, on the staff home; file dialogs open on ``stick``."""
    home = sign_in(qtbot, window, clock)
    use_stick(home, stick)
    return home


def open_page(home: QtStaffHome, key: str) -> QtStaffPage:
    tap(home.tab_buttons[key])
    assert home.current_page_key == key
    return home.pages[key]


def type_on_keyboard(keyboard: QtKeyboardOverlay, text: str, *, clear: bool = True) -> None:
    """Tap the on-screen keys for ``text`` (letters, digits, space and - . ' ,)."""
    assert keyboard.isVisible()
    if clear:
        keyboard.editor.clear()
    for char in text:
        if char == " ":
            tap(keyboard.space_button)
            continue
        wants_upper = char.isupper()
        if wants_upper != keyboard.shift_button.isChecked():
            tap(keyboard.shift_button)
        tap(keyboard.keys[char.lower()])


def visible(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window())


def laid_out(layout: QLayout | None) -> list[QWidget | QLayout]:
    """What ``layout`` holds, in order: its widgets and inner layouts (stretches left out)."""
    assert layout is not None
    found: list[QWidget | QLayout] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        inner = None if item is None else (item.widget() or item.layout())
        if inner is not None:
            found.append(inner)
    return found


@pytest.fixture
def fullscreen_window(open_window: OpenWindow) -> QtKioskWindow:
    """A kiosk as installed (not ``--windowed``): only staff mode may close it."""
    return open_window(fullscreen=True)


@pytest.fixture
def empty_services(tmp_path: Path) -> Iterator[KioskServices]:
    """A fresh database without the demo data: no patients, no staff member."""
    services = KioskServices.open(
        f"sqlite:///{tmp_path / 'empty.sqlite3'}", create=True, today=lambda: TODAY
    )
    yield services
    services.close()


@pytest.fixture
def maria_sessions(services: KioskServices) -> int:
    """Maria's last three days: two finished sessions with pain ratings, one with a pain."""
    database = services.database
    maria = PatientRepository(database).find_by_code(MARIA)
    assert maria is not None
    program = ProgramRepository(database).program_for(maria.id, TODAY)
    assert program is not None
    log = SessionLog(database)
    for days_ago, before, after, difficulty in ((1, 4, 2, "hard"), (0, 3, 1, "just right")):
        start = WALL_START - timedelta(days=days_ago)
        session = log.start(maria.id, program.id, start)
        log.log_feedback(session, FeedbackKind.PAIN_BEFORE, str(before), start)
        log.log_feedback(
            session, FeedbackKind.DIFFICULTY, difficulty, start, exercise_id="clamshell"
        )
        if days_ago == 0:
            log.log_pain(
                session,
                PainEvent(0, "clamshell", 2, Side.LEFT, 7, start + timedelta(minutes=3)),
            )
        log.log_feedback(
            session, FeedbackKind.PAIN_AFTER, str(after), start + timedelta(minutes=10)
        )
        log.finish(session, SessionStatus.FINISHED, start + timedelta(minutes=10))
    return maria.id
