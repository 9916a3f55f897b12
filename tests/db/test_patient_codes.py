"""Registering patients with generated codes, searching, editing, never reusing a code."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlalchemy import Engine

from db.repositories.audit import Action, entries
from db.repositories.patients import DuplicateCodeError, PatientNotFoundError, PatientRepository
from db.validation import InvalidDisplayNameError
from kiosk.core.codes import is_trivial


@pytest.fixture
def patients(engine: Engine) -> PatientRepository:
    return PatientRepository(engine)


def test_register_generates_a_good_code_and_audits(
    engine: Engine, patients: PatientRepository
) -> None:
    maria = patients.register("Maria", actor="Anna")
    assert len(maria.code) == 6
    assert not is_trivial(maria.code)
    assert patients.find_by_code(maria.code) == maria
    (entry,) = entries(engine, actions=(Action.PATIENT_ADDED,))
    assert entry.actor == "Anna"
    assert entry.detail == f"patient {maria.id}"  # neither the code nor the name


def test_codes_are_unique_and_random(patients: PatientRepository) -> None:
    rng = random.Random(7)
    codes = [patients.register("P", actor="t", randbelow=rng.randrange).code for _ in range(50)]
    assert len(set(codes)) == 50
    numbers = sorted(int(c) for c in codes)
    assert any(b - a > 1000 for a, b in itertools.pairwise(numbers))


def test_register_validates_the_name_first(patients: PatientRepository) -> None:
    with pytest.raises(InvalidDisplayNameError):
        patients.register("Maria Smith 1970", actor="Anna")
    assert patients.search() == ()


def test_search_by_name_or_code(patients: PatientRepository) -> None:
    maria = patients.add("Maria", "482913")
    mario = patients.add("Mario", "482777")
    tom = patients.add("Tom", "716254")
    assert patients.search("mari") == (maria, mario)
    assert patients.search("4829") == (maria,)
    assert patients.search("716") == (tom,)
    assert patients.search("%") == ()
    patients.set_active(tom.id, False, actor="Anna")
    assert patients.search("tom") == ()
    assert patients.search("tom", include_inactive=True)[0].active is False


def test_rename(engine: Engine, patients: PatientRepository) -> None:
    maria = patients.add("Maria", "482913")
    renamed = patients.rename(maria.id, " M.S. ", actor="Anna")
    assert renamed.display_name == "M.S."
    assert patients.find_by_code("482913") == renamed
    with pytest.raises(InvalidDisplayNameError):
        patients.rename(maria.id, "R2D2", actor="Anna")
    assert patients.get(maria.id) == renamed
    with pytest.raises(PatientNotFoundError):
        patients.rename(999, "Tom", actor="Anna")
    assert len(entries(engine, actions=(Action.PATIENT_RENAMED,))) == 1


def test_regenerated_codes_are_retired_for_good(
    engine: Engine, patients: PatientRepository
) -> None:
    maria = patients.add("Maria", "482913")
    again = patients.regenerate_code(maria.id, actor="Anna")
    assert again.code != "482913"
    assert patients.find_by_code("482913") is None
    assert patients.find_by_code(again.code) == again
    with pytest.raises(DuplicateCodeError):
        patients.add("Tom", "482913")
    draws = iter([382913, 382913 + 1])  # first draw: the retired 482913
    newest = patients.regenerate_code(maria.id, actor="Anna", randbelow=lambda _n: next(draws))
    assert newest.code == "482914"
    assert len(entries(engine, actions=(Action.CODE_REGENERATED,))) == 2


def test_deactivate_and_reactivate_are_audited(engine: Engine, patients: PatientRepository) -> None:
    maria = patients.add("Maria", "482913")
    patients.set_active(maria.id, False, actor="Anna")
    patients.set_active(maria.id, True, actor="Ben")
    actions = [e.action for e in entries(engine)]
    assert Action.PATIENT_DEACTIVATED in actions
    assert Action.PATIENT_REACTIVATED in actions
