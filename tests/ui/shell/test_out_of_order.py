"""The kiosk out of order: a database that cannot be used at start-up, or that check-in finds
unusable later, gives patients one calm message and nothing to start, staff a PIN pad that says
what it can, and the log one line. Real broken files, a PostgreSQL port nobody listens on, a
real server that stops taking connections, and the real kiosk in a child process on a
read-only folder and a full disk."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.core.clock import FakeClock
from kiosk.services import KioskServices
from kiosk.text import t
from kiosk.ui.shell.window import QtKioskWindow
from kiosk.ui.staff_mode.pin_pad import PinPadState, QtStaffPinScreen
from tests.clinic import ANN, TODAY
from tests.db.faults import (
    FAULTS,
    PATIENT,
    fill,
    kiosk,
    make_database,
    patients_in,
    python,
    read_only,
    run_in_mount_namespace,
    tiny_disk,
    url_of,
)
from tests.db.postgres_server import PostgresServer
from tests.ui.conftest import OpenWindow, answer, tap
from tests.ui.staff_mode.conftest import hold_corner


def out_of_order_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("out of order: ")]


def assert_out_of_order(window: QtKioskWindow) -> None:
    """What a patient sees: the attract screen asks them to tell staff; a touch, or a card
    held under the scanner, starts nothing."""
    assert window.out_of_order
    assert window.current_screen() is window.attract
    attract = window.attract
    assert attract.out_of_order.isVisibleTo(window)
    assert attract.out_of_order.text() == t("attract.out_of_order")
    assert not attract.call_to_action.isVisibleTo(window)
    tap(attract)
    QTest.keyClicks(window, ANN)
    QTest.keyClick(window, Qt.Key.Key_Return)
    assert window.current_screen() is attract


def assert_staff_told_no_database(window: QtKioskWindow, clock: FakeClock) -> None:
    """The corner hold still opens the PIN pad, which says staff mode cannot open; Back."""
    hold_corner(window, clock)
    pad = window.current_screen()
    assert isinstance(pad, QtStaffPinScreen)
    assert pad.state is PinPadState.UNAVAILABLE
    assert pad.message.text() == t("staff.pin.unavailable")
    assert not pad.pad.isVisibleTo(window)
    tap(pad.cancel_button)
    assert window.current_screen() is window.attract


@pytest.mark.parametrize("fault", FAULTS)
def test_a_database_that_cannot_open_puts_the_kiosk_out_of_order(
    open_window: OpenWindow,
    tmp_path: Path,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    make, _problem = FAULTS[fault]
    folder = tmp_path / "clinic"
    folder.mkdir()
    url = make(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    window = open_window(
        services=lambda: KioskServices.open(url, demo_data=True, today=lambda: TODAY)
    )
    assert_out_of_order(window)
    (line,) = out_of_order_lines(caplog)
    assert line.levelno == logging.ERROR
    assert line.getMessage().startswith("out of order: the kiosk's services could not start: ")
    assert "\n" not in line.getMessage()
    assert line.exc_info is None  # one line; the traceback went to DEBUG where it was met
    assert_staff_told_no_database(window, clock)
    assert window.out_of_order
    assert ANN not in caplog.text
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_database_that_comes_back_is_found_when_staff_hold_the_corner(
    open_window: OpenWindow, tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    url = url_of(tmp_path / "restored.sqlite3")  # not the demo clinic's file
    window = open_window(
        services=lambda: KioskServices.open(url, demo_data=True, today=lambda: TODAY)
    )
    assert_out_of_order(window)
    # IT restores the database.
    KioskServices.open(url, create=True, demo_data=True, today=lambda: TODAY).close()
    hold_corner(window, clock)
    assert not window.out_of_order
    assert window.staff is not None
    assert window.current_screen() is window.staff.pin_screen
    assert window.staff.pin_screen.state is PinPadState.READY
    tap(window.staff.pin_screen.cancel_button)
    assert window.attract.call_to_action.isVisibleTo(window)
    assert not window.attract.out_of_order.isVisibleTo(window)
    assert "back in order" in caplog.text


def test_services_that_fail_for_any_reason_are_out_of_order_with_the_traceback(
    open_window: OpenWindow, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> KioskServices:
        raise OSError("disk not there")

    window = open_window(services=broken)
    assert_out_of_order(window)
    (line,) = out_of_order_lines(caplog)
    assert line.exc_info is not None  # not a known bad day: a bug, shown in full


# -- the database going away while the kiosk runs (a real PostgreSQL server) ------------------


@pytest.fixture
def clinic_on_postgres(postgres_server: PostgresServer) -> Iterator[tuple[PostgresServer, str]]:
    name = "out_of_order_clinic"
    url = postgres_server.create_database(name)
    KioskServices.open(url, demo_data=True, today=lambda: TODAY).close()
    yield postgres_server, url
    postgres_server.drop_database(name)


def _take_no_connections(server: PostgresServer, allow: bool) -> None:
    """The server stops (or starts again) taking connections to the clinic's database, and
    drops those it has: what a server restart or a network cut looks like to the kiosk."""
    server.admin(
        f"ALTER DATABASE {{}} ALLOW_CONNECTIONS {'true' if allow else 'false'}",
        "out_of_order_clinic",
    )
    if not allow:
        server.query(
            "postgres",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = 'out_of_order_clinic'",
        )


def test_check_in_that_finds_the_database_gone_puts_the_kiosk_out_of_order(
    open_window: OpenWindow,
    clinic_on_postgres: tuple[PostgresServer, str],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, url = clinic_on_postgres
    window = open_window(services=lambda: KioskServices.open(url, today=lambda: TODAY))
    assert not window.out_of_order
    _take_no_connections(server, allow=False)

    tap(window.attract)
    for digit in ANN:
        tap(window.checkin.digit_buttons[digit])
    tap(window.checkin.ok_button)
    answer(window)

    # The keypad says so, dimmed, and takes no more digits.
    keypad = window.checkin
    assert window.current_screen() is keypad
    assert keypad.message.isVisibleTo(window)
    assert keypad.message.text() == t("checkin.out_of_order")
    tap(keypad.digit_buttons["5"])
    assert keypad.digits == ""
    (line,) = out_of_order_lines(caplog)
    assert line.getMessage().startswith(
        "out of order: check-in found the database unusable: The PostgreSQL server of "
    )
    assert "cannot be reached" in line.getMessage()
    assert ANN not in caplog.text
    tap(keypad.cancel_button)
    assert_out_of_order(window)
    assert_staff_told_no_database(window, clock)

    _take_no_connections(server, allow=True)
    hold_corner(window, clock)
    assert not window.out_of_order
    assert window.staff is not None
    assert window.staff.pin_screen.state is PinPadState.READY
    tap(window.staff.pin_screen.cancel_button)
    tap(window.attract)
    assert window.current_screen() is window.checkin
    assert not window.checkin.message.isVisibleTo(window)


# -- the real kiosk, in a child process, on a read-only folder and a full disk ---------------

KIOSK = """
import json, sys
from kiosk.ui.shell.app import KioskOptions, create_window, ensure_application

app = ensure_application()
window = create_window(KioskOptions(db_url=sys.argv[1], fullscreen=False, size=(800, 600)))

def loaded(ok):
    attract = window.attract
    print(json.dumps({"loaded": ok, "out_of_order": window.out_of_order,
                      "says": attract.out_of_order.text(),
                      "invites": not attract.call_to_action.isHidden()}), flush=True)
    window.close_now()

window.services_loaded.connect(loaded)
window.show()
app.exec()
"""


def out_of_order_report() -> dict[str, object]:
    """What :data:`KIOSK` prints when the kiosk is out of order."""
    return {
        "loaded": False,
        "out_of_order": True,
        "says": t("attract.out_of_order"),
        "invites": False,
    }


@pytest.mark.parametrize("fault", ["read-only-folder", "full-disk"])
def test_the_real_kiosk_is_out_of_order_on_a_disk_it_cannot_write(
    tmp_path: Path, fault: str
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    path = folder / "kiosk.sqlite3"
    if fault == "read-only-folder":
        make_database(path)
        setup = read_only(folder)
        says = f"The folder {folder} holding the database file {path} is read-only"
    else:
        made = kiosk("--db", url_of(path), "--create-db", "db", "upgrade")
        setup = f"{tiny_disk(folder)} && {' '.join(made)} >/dev/null && {fill(folder)}"
        says = f"The disk holding the database file {path} is full."
    child = run_in_mount_namespace(setup, python(KIOSK, url_of(path)))
    assert child.returncode == 0, child.stderr[-2000:]
    assert json.loads(child.stdout) == out_of_order_report()
    log = [line for line in child.stderr.splitlines() if line.startswith("out of order: ")]
    assert len(log) == 1
    assert log[0].startswith(f"out of order: the kiosk's services could not start: {says}")
    assert "Traceback" not in child.stderr
    if fault == "read-only-folder":
        assert patients_in(path) == [PATIENT]
