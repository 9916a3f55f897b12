"""Staff-mode fixtures: the database fixtures of tests/db, and a few patients."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.repositories.patients import PatientRepository
from tests.db.conftest import db_url, engine, user_data_root

__all__ = ["db_url", "engine", "patients", "user_data_root"]


@pytest.fixture
def patients(engine: Engine) -> dict[str, int]:
    """Maria 482913 and Tom 716254 (active), Old 305718 (deactivated): code → id."""
    repo = PatientRepository(engine)
    found = {code: repo.add(name, code).id for name, code in (
        ("Maria", "482913"), ("Tom", "716254"), ("Old", "305718"))}  # fmt: skip
    repo.set_active(found["305718"], False)
    return found
