"""The kiosk's screens and log never show a database password, wherever the URL holds one
(issue 13): on a real PostgreSQL database reached with ``password=`` in its URL (the test
server trusts its socket, so the password is carried but not needed), the "Set up this kiosk"
screen and the out-of-order log line show ``password=***``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.models import StaffUser
from kiosk.services import KioskServices
from kiosk.ui.shell.setup import QtSetupScreen
from tests.clinic import ANN, TODAY
from tests.db.postgres_server import PostgresServer
from tests.ui.conftest import OpenWindow, check_in
from tests.ui.shell.test_out_of_order import out_of_order_lines

pytestmark = pytest.mark.postgres

PASSWORD = "N0t-F0r-Th3-L0g"


def _with_password(url: str) -> str:
    return f"{url}&password={PASSWORD}"


@pytest.fixture
def unstaffed(postgres_fresh_url: str) -> Iterator[KioskServices]:
    """A new clinic on the server, no staff member yet, opened with a password in its URL."""
    services = KioskServices.open(_with_password(postgres_fresh_url), today=lambda: TODAY)
    with Session(services.database) as session:
        session.execute(delete(StaffUser))
        session.commit()
    yield services
    services.close()


def test_the_setup_screen_shows_no_password(
    open_window: OpenWindow, unstaffed: KioskServices
) -> None:
    window = open_window(services=unstaffed)
    screen = window.current_screen()
    assert isinstance(screen, QtSetupScreen)
    assert "password=***" in screen.command.text()
    assert PASSWORD not in screen.command.text()


def test_the_out_of_order_line_shows_no_password(
    open_window: OpenWindow,
    postgres_server: PostgresServer,
    postgres_fresh_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = _with_password(postgres_fresh_url)
    name = make_url(url).database
    assert name is not None
    KioskServices.open(url, demo_data=True, today=lambda: TODAY).close()
    window = open_window(services=lambda: KioskServices.open(url, today=lambda: TODAY))
    # The server stops taking connections to it (a restart, a network cut), then check-in.
    postgres_server.admin("ALTER DATABASE {} ALLOW_CONNECTIONS false", name)
    postgres_server.query(
        "postgres",
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
    )
    check_in(window, ANN)
    (line,) = out_of_order_lines(caplog)
    assert "password=***" in line.getMessage()
    assert PASSWORD not in caplog.text
    postgres_server.admin("ALTER DATABASE {} ALLOW_CONNECTIONS true", name)
