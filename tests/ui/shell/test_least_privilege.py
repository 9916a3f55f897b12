"""The kiosk itself, connecting as the least-privilege kiosk role (``deploy/postgresql/
roles.sql``) to a database whose schema is older than it: out of order for patients, and one
line in the log saying that the schema's owner must run ``kiosk db upgrade`` — never a
traceback, never an attempt at changing the tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from db.connection import downgrade, upgrade
from kiosk.services import KioskServices
from tests.clinic import TODAY
from tests.db.least_privilege import LeastPrivilege
from tests.db.postgres_server import PostgresServer
from tests.ui.conftest import OpenWindow
from tests.ui.shell.test_out_of_order import assert_out_of_order, out_of_order_lines

pytestmark = pytest.mark.postgres


@pytest.fixture
def older_clinic(postgres_server: PostgresServer) -> Iterator[LeastPrivilege]:
    clinic = LeastPrivilege.make(postgres_server)
    upgrade(clinic.owner_url)
    clinic.run_roles_sql()
    downgrade(clinic.owner_url, "0004")
    yield clinic
    clinic.drop()


def test_the_kiosk_role_on_an_older_schema_is_out_of_order_and_says_who_must_upgrade(
    open_window: OpenWindow, older_clinic: LeastPrivilege, caplog: pytest.LogCaptureFixture
) -> None:
    url = older_clinic.kiosk_url
    window = open_window(services=lambda: KioskServices.open(url, today=lambda: TODAY))
    assert_out_of_order(window)
    (line,) = out_of_order_lines(caplog)
    message = line.getMessage()
    assert line.exc_info is None
    assert "\n" not in message
    assert "its schema is at revision 0004, older than this kiosk's" in message
    assert "the schema's owner must run `kiosk db upgrade --db <the owner's URL>` first" in message
    assert older_clinic.server.query(
        older_clinic.database, "SELECT version_num FROM alembic_version"
    ) == [("0004",)]
