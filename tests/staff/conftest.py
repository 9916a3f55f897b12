"""Staff-service fixtures: a few patients in the ``engine`` database (tests/db/fixtures.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.repositories.patients import PatientRepository


@pytest.fixture
def patients(engine: Engine) -> dict[str, int]:
    """Maria 482913 and Tom 716254 (active), Old 305718 (deactivated): code → id."""
    repo = PatientRepository(engine)
    found = {code: repo.add(name, code).id for name, code in (
        ("Maria", "482913"), ("Tom", "716254"), ("Old", "305718"))}  # fmt: skip
    repo.set_active(found["305718"], False)
    return found
