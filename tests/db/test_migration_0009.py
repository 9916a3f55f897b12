"""Migration 0009 (a patient's preferred language) with data in it, both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from db.connection import SCHEMA_REVISION, current_revision, downgrade, upgrade
from db.repositories.patients import PatientRepository
from db.validation import InvalidLanguageError


def _columns(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {c["name"] for c in inspect(connection).get_columns("patients")}


def test_0009_adds_the_preferred_language_and_back(engine: Engine) -> None:
    repo = PatientRepository(engine)
    maria = repo.add("Maria", "482913")
    tom = repo.add("Tom", "716254")
    assert repo.set_language(maria.id, "es").language == "es"
    tom_now = repo.get(tom.id)
    assert tom_now is not None
    assert tom_now.language is None

    downgrade(engine, "0008")
    assert current_revision(engine) == "0008"
    assert "language" not in _columns(engine)

    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert "language" in _columns(engine)
    found = repo.find_by_code("482913")
    assert found is not None
    assert (found.display_name, found.language) == ("Maria", None)  # the clinic's again


def test_a_language_is_one_the_kiosk_speaks(engine: Engine) -> None:
    repo = PatientRepository(engine)
    ann = repo.add("Ann", "551937")
    assert repo.set_language(ann.id, " ES ").language == "es"
    with pytest.raises(InvalidLanguageError, match="en, es"):
        repo.set_language(ann.id, "xx")
    with pytest.raises(InvalidLanguageError):
        repo.set_language(ann.id, "pseudo")  # the test language is not a patient's
    ann_now = repo.get(ann.id)
    assert ann_now is not None
    assert ann_now.language == "es"
    assert repo.set_language(ann.id, None).language is None
