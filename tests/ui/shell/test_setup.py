"""A kiosk with no staff member yet shows how to set it up, takes no check-ins, and notices the
first staff member added from a shell while it runs (kiosk/ui/shell/setup.py)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from db.demo import ensure_demo_data
from db.models import StaffUser
from db.repositories.audit import Action, entries
from kiosk.cli import main
from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.setup import COMMAND_MIN_PX, QtSetupScreen
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.timers import TimerFactory
from tests.clinic import ANN, TODAY
from tests.ui.conftest import OpenWindow, check_in, tap
from tests.ui.staff_mode.conftest import fire, hold_corner, staff_mode

NEW_PIN = "583920"


@pytest.fixture
def unstaffed(tmp_path: Path) -> Iterator[KioskServices]:
    """Patients with programs today (imported from a shell, say), but no staff member."""
    services = KioskServices.open(
        f"sqlite:///{tmp_path / 'clinic.sqlite3'}", create=True, today=lambda: TODAY
    )
    ensure_demo_data(services.database, TODAY)
    with Session(services.database) as session:
        session.execute(delete(StaffUser))
        session.commit()
    yield services
    services.close()


def _setup_screen(window: QtKioskWindow) -> QtSetupScreen:
    screen = window.current_screen()
    assert isinstance(screen, QtSetupScreen), screen.objectName()
    return screen


def _add_staff_from_a_shell(
    services: KioskServices, monkeypatch: pytest.MonkeyPatch, name: str = "Anna B."
) -> None:
    """``kiosk --db URL staff add NAME``, the PIN typed twice, as IT would."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{NEW_PIN}\n{NEW_PIN}\n"))
    url = services.database.url.render_as_string(hide_password=False)
    assert main(["--db", url, "staff", "add", name]) == 0


def test_a_kiosk_without_staff_shows_how_to_set_it_up_instead_of_touch_to_start(
    open_window: OpenWindow,
    unstaffed: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # not installed as a service: no admin helper
    window = open_window(services=unstaffed)
    screen = _setup_screen(window)
    assert screen.title.text() == t("setup.title") == "Set up this kiosk"
    assert screen.lead.text() == t("setup.no_staff")
    # The command names this kiosk's own database: run anywhere else, it would add the staff
    # member to another one.
    url = unstaffed.database.url.render_as_string(hide_password=True)
    assert screen.command.text() == f'kiosk staff add "NAME" \\\n    --db {url}'
    # Typed as shown: never wrapped, never cut off (its font fits it to the screen instead).
    assert not screen.command.wordWrap()
    assert screen.command.width() >= screen.command.sizeHint().width()
    assert screen.command.geometry().right() < screen.width()
    assert screen.how.text() == t("setup.how")
    assert screen.patients.text() == t("setup.patients")
    assert not window.attract.isVisible()


def test_an_installed_kiosk_shows_the_admin_helpers_command(
    open_window: OpenWindow,
    unstaffed: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """deploy/install.sh puts clinic-kiosk-admin on the PATH: it knows the kiosk's user and
    database, so the command is the helper's (``kiosk staff add`` run as root would leave
    the database's files to root)."""
    helper = tmp_path / "clinic-kiosk-admin"
    helper.write_text("#!/bin/sh\n")
    helper.chmod(0o700)
    monkeypatch.setenv("PATH", str(tmp_path))
    screen = _setup_screen(open_window(services=unstaffed))
    assert screen.how.text() == t("setup.how_installed")
    assert screen.command.text() == 'sudo clinic-kiosk-admin staff add "NAME"'
    assert "--db" not in screen.command.text()


def test_meanwhile_check_in_takes_nothing(
    open_window: OpenWindow, unstaffed: KioskServices, clock: FakeClock
) -> None:
    window = open_window(services=unstaffed)
    screen = _setup_screen(window)
    tap(screen)  # a touch looks for a staff member, and finds none
    assert window.current_screen() is screen
    QTest.keyClicks(window, ANN)  # a scanner reading Ann's card: digits, then Enter
    QTest.keyClick(window, Qt.Key.Key_Return)
    assert window.current_screen() is screen
    assert window.checkin.digits == ""
    assert window.visit.program is None
    # Whatever sends the kiosk back to its start comes back here (the PIN pad's Back).
    hold_corner(window, clock)
    pad = staff_mode(window).pin_screen
    assert "kiosk staff add NAME" in pad.message.text()
    tap(pad.cancel_button)
    assert window.current_screen() is screen


def test_a_staff_member_added_from_a_shell_is_noticed_at_a_touch(
    open_window: OpenWindow, unstaffed: KioskServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(services=unstaffed)
    screen = _setup_screen(window)
    _add_staff_from_a_shell(unstaffed, monkeypatch)
    tap(screen)
    assert window.current_screen() is window.attract
    assert window.setup is not None
    assert window.setup.screen is None
    check_in(window, ANN)  # and patients check in
    assert window.visit.program is not None
    assert [e.action for e in entries(unstaffed.database, actions=(Action.STAFF_ADDED,))] == [
        Action.STAFF_ADDED
    ]


def test_a_staff_member_added_from_a_shell_is_noticed_unattended(
    open_window: OpenWindow,
    unstaffed: KioskServices,
    timers: TimerFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(services=unstaffed)
    _setup_screen(window)
    fire(timers, "setup-check")  # nobody yet: it stays
    _setup_screen(window)
    _add_staff_from_a_shell(unstaffed, monkeypatch)
    fire(timers, "setup-check")  # what the event loop does every half minute
    assert window.current_screen() is window.attract
    assert "setup-check" not in [timer.objectName() for timer in timers.active()]


def test_a_kiosk_with_staff_starts_as_always(window: QtKioskWindow) -> None:
    assert window.current_screen() is window.attract
    assert window.setup is not None
    assert window.setup.screen is None


def test_the_command_fits_whatever_the_length_of_the_databases_path(
    window: QtKioskWindow, timers: TimerFactory
) -> None:
    """Never cut off by a pixel: for paths of every length, the label is as wide as its text
    needs (the font shrinks to fit, down to its floor), at the kiosk's smaller screen."""
    for length in range(10, 120, 3):
        database = "sqlite:////var/lib/" + "k" * length + "/clinic.sqlite3"
        screen = QtSetupScreen(window.theme, database, timers, parent=window)
        screen.setGeometry(0, 0, 1280, 800)
        screen.show()
        command = screen.command
        if command.font().pixelSize() > COMMAND_MIN_PX:  # (at its floor a path may not fit)
            assert command.width() >= command.sizeHint().width(), length
        screen.close()
        screen.deleteLater()
