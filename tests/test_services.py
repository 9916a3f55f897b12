"""``KioskServices.open`` on a database having a bad day: one ``DatabaseUnavailableError``
(what the window turns into its out-of-order state), nothing created, the file as it was; and
a new database only when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.problems import DatabaseUnavailableError
from kiosk.services import KioskServices
from tests.clinic import TODAY
from tests.db.faults import FAULTS, patients_in, url_of


@pytest.mark.parametrize("fault", FAULTS)
def test_a_database_that_cannot_be_used_is_one_clear_error(tmp_path: Path, fault: str) -> None:
    make, problem = FAULTS[fault]
    folder = tmp_path / "clinic"
    folder.mkdir()
    url = make(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(DatabaseUnavailableError) as caught:
        KioskServices.open(url, demo_data=True, today=lambda: TODAY)
    assert caught.value.problem is problem
    assert "Traceback" not in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_create_makes_a_new_demo_clinic(tmp_path: Path) -> None:
    path = tmp_path / "new" / "kiosk.sqlite3"
    services = KioskServices.open(url_of(path), create=True, demo_data=True, today=lambda: TODAY)
    services.close()
    assert ("Maria", "482913") in patients_in(path)
