"""The window shell: theme, geometry, start-up order, timers, keys."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.app import KioskOptions, create_window, show_window
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.theme import MIN_TOUCH_PX, metrics_for, stylesheet, theme_for
from kiosk.ui.timers import TimerFactory
from tests.clinic import ANN, TODAY
from tests.ui.conftest import start_session, tap
from voice.service import VoiceService


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(1280, 800), QSize(1024, 768)])
def test_every_template_value_is_filled_in(size: QSize) -> None:
    qss = stylesheet(theme_for(size))
    assert "$" not in qss
    assert "font-size: 36px" in qss or size.height() != 1080


def test_text_and_touch_targets_meet_their_floors() -> None:
    full_hd = metrics_for(QSize(1920, 1080))
    assert full_hd.font_small >= 32  # 24 pt at 96 dpi: the smallest text at 1080p
    assert full_hd.touch >= MIN_TOUCH_PX
    small = metrics_for(QSize(1280, 800))
    assert small.touch >= MIN_TOUCH_PX
    assert small.touch_large > MIN_TOUCH_PX
    assert small.font_body < full_hd.font_body  # scaled down to fit, not clipped


def test_every_button_on_every_screen_is_at_least_88_px_tall(window: QtKioskWindow) -> None:
    tap(window.attract)
    start_session(window, ANN)
    window.repaint()
    buttons = [b for b in window.findChildren(QPushButton)]
    assert len(buttons) > 15
    too_small = [b.objectName() for b in buttons if b.minimumSizeHint().height() < MIN_TOUCH_PX]
    assert not too_small


def test_the_window_takes_the_requested_size(qtbot: QtBot, timers: TimerFactory) -> None:
    window = create_window(
        KioskOptions(fullscreen=True, size=(1280, 800)), services=_never, timers=timers
    )
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == (1280, 800)


def test_fullscreen_is_frameless_so_it_covers_the_screen_without_a_window_manager(
    qtbot: QtBot, timers: TimerFactory, services: KioskServices
) -> None:
    options = KioskOptions(fullscreen=True, size=(1280, 800))
    window = create_window(options, services=services, timers=timers)
    qtbot.addWidget(window)
    show_window(window, options)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    window.close()


def _never() -> KioskServices:
    raise AssertionError("the services must not load before the first frame")


@pytest.fixture
def lazy_window(
    qtbot: QtBot,
    timers: TimerFactory,
    tmp_path: Path,
    clock: FakeClock,
    wall_clock: Callable[[], datetime],
) -> Iterator[tuple[QtKioskWindow, list[str]]]:
    calls: list[str] = []

    def open_services() -> KioskServices:
        calls.append("opened")
        return KioskServices.open(
            f"sqlite:///{tmp_path / 'lazy.sqlite3'}",
            create=True,
            demo_data=True,
            today=lambda: TODAY,
        )

    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)),
        clock=clock,
        wall_clock=wall_clock,
        services=open_services,
        timers=timers,
    )
    qtbot.addWidget(window)
    yield window, calls
    window.close()


def test_services_load_only_after_the_first_frame(
    qtbot: QtBot, lazy_window: tuple[QtKioskWindow, list[str]]
) -> None:
    window, calls = lazy_window
    assert calls == []
    assert window.attract.status.text() == t("starting.up")
    with qtbot.waitSignal(window.services_loaded) as blocker:
        window.show()
    assert blocker.args == [True]
    assert calls == ["opened"]
    assert window.attract.status.text() == ""
    assert window.services is not None


def test_a_window_closed_as_its_services_load_never_starts_the_voice(
    qtbot: QtBot, timers: TimerFactory, tmp_path: Path
) -> None:
    # What `quit_after_first_frame` does: a voice thread started after the close would still
    # be inside SDL's set-up as the process exits, which aborts it.
    built: list[str] = []

    def voice() -> VoiceService:
        built.append("voice")
        raise AssertionError("the voice must not be built for a closed window")

    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)),
        services=lambda: KioskServices.open(f"sqlite:///{tmp_path / 'k.sqlite3'}", create=True),
        voice=voice,
        timers=timers,
    )
    qtbot.addWidget(window)
    window.services_loaded.connect(window.close_now)
    with qtbot.waitSignal(window.services_loaded):
        window.show()
    assert not window.isVisible()
    assert window.voice is None
    assert built == []


def test_a_database_that_cannot_open_puts_the_kiosk_out_of_order(
    qtbot: QtBot, timers: TimerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> KioskServices:
        raise OSError("disk not there")

    window = create_window(
        KioskOptions(fullscreen=False, size=(1280, 800)), services=broken, timers=timers
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.services_loaded) as blocker:
        window.show()
    assert blocker.args == [False]
    QTest.keyClicks(window, "551937")
    QTest.keyClick(window, Qt.Key.Key_Return)
    assert window.current_screen() is window.attract  # nothing starts (test_out_of_order.py)
    assert window.attract.out_of_order.text() == t("attract.out_of_order")
    assert window.checkin.message.text() == t("checkin.out_of_order")
    assert "could not start" in caplog.text
    window.close()


def test_the_deadline_timer_is_precise_and_armed_at_the_engines_deadline(
    window: QtKioskWindow, clock: FakeClock, timers: TimerFactory
) -> None:
    player = start_session(window, ANN)
    running = {t.objectName(): t for t in timers.active()}
    assert set(running) == {"session-deadline", "session-refresh"}
    deadline_timer = running["session-deadline"]
    assert deadline_timer.timerType() == Qt.TimerType.PreciseTimer
    assert deadline_timer.isSingleShot()
    deadline = player.engine.next_deadline()
    assert deadline is not None
    assert deadline_timer.remainingTime() <= round((deadline - clock()) * 1000) + 1


def test_closing_the_window_mid_session_stops_every_timer(
    window: QtKioskWindow, timers: TimerFactory
) -> None:
    start_session(window, ANN)
    assert timers.active()
    window.close()
    assert timers.active() == []


def test_ctrl_q_quits(window: QtKioskWindow) -> None:
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_pyside_survives_a_day_of_calls() -> None:
    """PySide6 6.12.0 on CPython 3.11 loses a reference to None per void call and to True per
    emit, and the interpreter aborts within ~1000 emits; we pin 6.11.3, which does not. This
    guards any future upgrade."""
    script = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "class O(QObject):\n"
        "    happened = Signal()\n"
        "o, label = O(), QLabel()\n"
        "for _ in range(50_000):\n"
        "    label.setText('x')\n"
        "    o.happened.emit()\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "ok"
