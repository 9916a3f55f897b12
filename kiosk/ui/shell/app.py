"""Starts the kiosk's Qt application: ``run(KioskOptions(...))``.

Start-up is budgeted (first frame within 1.3× a bare PySide6 window), so this module imports
only Qt and the window; the database, SQLAlchemy, the library and the compiler are imported by
the services factory, which the window calls after its first frame is painted.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.core.clock import Clock, WallClock, monotonic_clock, utc_now
from kiosk.text import t
from kiosk.ui.shell.service_notify import QtServiceNotifier
from kiosk.ui.shell.stop_signals import QtStopSignals
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.theme import theme_for
from kiosk.ui.timers import TimerFactory, factory
from voice.sound_clock import SoundClock

if TYPE_CHECKING:
    from datetime import date

    from kiosk.services import KioskServices
    from voice.service import VoiceService

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)


class KioskOptions(NamedTuple):
    """How to start the kiosk.

    ``db_url``: a SQLAlchemy URL (None: ``KIOSK_DATABASE_URL`` or the default SQLite file).
    ``create_db``: make a new SQLite database there if there is none (``--create-db``; the
    default file is made on a first start anyway).
    ``fullscreen``: a frameless window covering the screen (False: a normal window, for
    development). ``size``: (width, height) instead of the screen's size (screenshots,
    previewing a smaller kiosk screen). ``demo_data``: add the demo patients to an empty database.
    ``first_frame_hook`` is called once the first frame is painted, and
    ``quit_after_first_frame`` quits once the services have loaded after it (the start-up
    benchmark, ``bench/startup.py``). ``hide_cursor``: no mouse pointer over the kiosk (a
    touchscreen has no use for one). ``language_fixed``: the language was chosen at start-up
    (``--language``, ``KIOSK_LANGUAGE``), which overrides the clinic's language from Settings
    (docs/languages.md). A fullscreen kiosk also keeps the screen from blanking
    while it runs (``kiosk/ui/shell/screen_power.py``). A NamedTuple: ``dataclasses`` costs
    start-up time.
    """

    db_url: str | None = None
    fullscreen: bool = True
    size: tuple[int, int] | None = None
    demo_data: bool = False
    first_frame_hook: Callable[[], None] | None = None
    quit_after_first_frame: bool = False
    hide_cursor: bool = False
    create_db: bool = False
    language_fixed: bool = False


def _today() -> date:
    from datetime import date

    return date.today()


def window_geometry(options: KioskOptions) -> QRect:
    """Where the window goes: the primary screen's geometry, or the requested size on it."""
    screen = QGuiApplication.primaryScreen()
    available = screen.geometry() if screen is not None else QRect(0, 0, *WINDOWED_SIZE)
    if options.size is not None:
        return QRect(available.topLeft(), QSize(*options.size))
    if options.fullscreen:
        return available
    return QRect(available.topLeft(), QSize(*WINDOWED_SIZE))


def follows_clinic_language(options: KioskOptions, *, own_services: bool) -> bool:
    """Whether the window takes the clinic's language from Settings: the kiosk on its own
    database, unless ``--language`` or ``KIOSK_LANGUAGE`` fixed one at start-up (they
    override the setting, docs/languages.md); tools and tests with their own services keep
    the language they set."""
    return own_services and not options.language_fixed


def create_window(
    options: KioskOptions,
    *,
    clock: Clock | None = None,
    wall_clock: WallClock = utc_now,
    services: KioskServices | Callable[[], KioskServices] | None = None,
    timers: TimerFactory | None = None,
    today: Callable[[], date] = _today,
    voice: Callable[[], VoiceService] | None = None,
    follow_clinic_language: bool | None = None,
) -> QtKioskWindow:
    """The kiosk window, themed for its size but not shown (a QApplication must exist).

    ``services`` defaults to opening ``options.db_url`` after the first frame; tools and
    tests pass their own clock and services. ``voice`` builds the voice after the first frame
    (on a background thread); with the default services it defaults to the real voice (the
    staff's settings, the sound device), otherwise to none: tools and tests pass their own.
    Without a ``clock``, the real voice's window runs on the sound device's (docs/voice.md,
    "One clock"), any other on the monotonic clock. ``follow_clinic_language``: the clinic's
    language comes from Settings (default: with the default services, unless the language
    was fixed at start-up; tools and tests with their own services keep the one in use).
    """
    geometry = window_geometry(options)
    sound_clock: SoundClock | None = None
    if follow_clinic_language is None:
        follow_clinic_language = follows_clinic_language(options, own_services=services is None)
    if services is None:
        # One clock (docs/voice.md): unless the caller brings its own clock, the engine, and
        # so the screen, follow the sound device's pace once the real voice has opened it.
        sound_clock = SoundClock(monotonic_clock)
        services, default_voice = _real_services_and_voice(options, today, sound_clock)
        if voice is None:
            voice = default_voice
        else:
            sound_clock = None
    if clock is None:
        clock = sound_clock if sound_clock is not None else monotonic_clock
    window = QtKioskWindow(
        theme_for(geometry.size()),
        services,
        clock=clock,
        wall_clock=wall_clock,
        timers=timers or factory(),
        voice=voice,
        dev_mode=not options.fullscreen,  # --windowed: Ctrl+Q and the close button work
        follow_clinic_language=follow_clinic_language,
    )
    window.setGeometry(geometry)
    return window


def _real_services_and_voice(
    options: KioskOptions, today: Callable[[], date], sound_clock: SoundClock
) -> tuple[Callable[[], KioskServices], Callable[[], VoiceService]]:
    """The database-backed services, and the voice built on the clinic's voice defaults.

    The window opens the services first (after the first frame), then builds the voice on a
    background thread; the voice starts from the defaults staff set on the settings screen,
    which ``kiosk.toml`` and ``KIOSK_VOICE_*`` may still override (docs/voice.md).
    """
    opened: list[KioskServices] = []

    def open_services() -> KioskServices:
        from kiosk.services import KioskServices

        services = KioskServices.open(
            options.db_url, create=options.create_db, demo_data=options.demo_data, today=today
        )
        opened.append(services)
        return services

    def open_voice() -> VoiceService:
        from voice.output_latency import calibrate
        from voice.service import VoiceService
        from voice.settings import load_settings

        base = opened[0].voice_defaults() if opened else None
        service = VoiceService.open(load_settings(base=base))
        sound_clock.attach(service.output.device_clock)
        calibrate(service.output)  # on a sound server: cues heard on their moment
        return service

    return open_services, open_voice


def show_window(window: QtKioskWindow, options: KioskOptions) -> None:
    """Fullscreen that also works without a window manager.

    Under a bare X server (Xvfb, or a kiosk without a WM) ``showFullScreen()`` alone leaves a
    small window: the frameless flag plus the screen's geometry make it cover the screen
    whatever manages (or does not manage) the windows.
    """
    geometry = window.geometry()
    if options.fullscreen:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setGeometry(geometry)
        window.showFullScreen()
    else:
        window.show()
    window.activateWindow()  # keyboard focus for the barcode scanner, even without a WM
    window.setFocus()


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("clinic-gym-kiosk")
    app.setApplicationDisplayName(t("clinic.name"))
    _install_qt_translation(app)
    return app


def _install_qt_translation(app: QApplication) -> None:
    """Qt's own words (the staff file chooser's buttons) in the kiosk's language, from the
    translations shipped with Qt; English needs none."""
    from kiosk import text

    code = text.current().code
    if code in (text.REFERENCE, text.PSEUDO):
        return
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{code}", folder):
        app.installTranslator(translator)
    else:
        log.info("no Qt translation for %s in %s: Qt's own buttons stay in English", code, folder)


def run(options: KioskOptions) -> int:
    """Run the kiosk until its window closes (Quit in staff mode, SIGTERM or SIGINT, or
    Ctrl+Q in a ``--windowed`` development window); returns the exit code.

    Under systemd's ``Type=notify`` it says READY after the first frame and pings the
    watchdog from the Qt thread (``service_notify.py``).
    """
    app = ensure_application()
    window = create_window(options)
    stop_signals = QtStopSignals(window)
    stop_signals.stop_requested.connect(window.close_now)
    service = QtServiceNotifier(window.timers, window)
    window.first_painted.connect(service.ready)
    if options.first_frame_hook is not None:
        window.first_painted.connect(options.first_frame_hook)
    if options.quit_after_first_frame:
        # Not app.quit(): Qt 6 asks every window to close first, and a fullscreen kiosk refuses.
        window.services_loaded.connect(window.close_now)
    if options.hide_cursor:
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
    keeper = None
    if options.fullscreen:  # an installed kiosk: the screen must not blank
        from kiosk.ui.shell.screen_power import QtScreenKeeper, ScreenPower

        keeper = QtScreenKeeper(ScreenPower(app.platformName()), window.timers, window)
        window.first_painted.connect(keeper.start)
    show_window(window, options)
    try:
        return app.exec()
    finally:
        service.stopping()
        stop_signals.close()
        if keeper is not None:
            keeper.stop()
        if options.hide_cursor:
            QGuiApplication.restoreOverrideCursor()
