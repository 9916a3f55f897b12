"""Check-in lookup and patient registration."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.repositories.patients import (
    DuplicateCodeError,
    PatientInfo,
    PatientNotFoundError,
    PatientRepository,
)
from db.validation import InvalidDisplayNameError
from kiosk.core.codes import InvalidCheckInCodeError


@pytest.fixture
def patients(engine: Engine) -> PatientRepository:
    return PatientRepository(engine)


def test_check_in_finds_an_active_patient(patients: PatientRepository) -> None:
    added = patients.add("Maria", "482913")
    assert patients.find_by_code("482913") == PatientInfo(added.id, "482913", "Maria")
    assert patients.find_by_code(" 482913 ") == added  # keypads and scanners add spaces


def test_unknown_code_is_none(patients: PatientRepository) -> None:
    patients.add("Maria", "482913")
    assert patients.find_by_code("000000") is None


def test_inactive_patient_cannot_check_in(patients: PatientRepository) -> None:
    maria = patients.add("Maria", "482913")
    patients.set_active(maria.id, False)
    assert patients.find_by_code("482913") is None
    assert patients.list_active() == ()
    patients.set_active(maria.id, True)
    assert patients.find_by_code("482913") == maria


def test_set_active_on_unknown_patient_raises(patients: PatientRepository) -> None:
    with pytest.raises(PatientNotFoundError):
        patients.set_active(999, False)


def test_duplicate_code_is_a_clear_error(patients: PatientRepository) -> None:
    patients.add("Maria", "482913")
    with pytest.raises(DuplicateCodeError, match="482913") as caught:
        patients.add("Tom", "482913")
    assert caught.value.code == "482913"
    assert [p.display_name for p in patients.list_active()] == ["Maria"]


def test_codes_of_inactive_patients_are_not_reused(patients: PatientRepository) -> None:
    maria = patients.add("Maria", "482913")
    patients.set_active(maria.id, False)
    with pytest.raises(DuplicateCodeError):
        patients.add("Tom", "482913")


def test_list_active_is_sorted_by_name(patients: PatientRepository) -> None:
    for name, code in (("Tom", "1111"), ("Ann", "2222"), ("Maria", "3333")):
        patients.add(name, code)
    assert [p.display_name for p in patients.list_active()] == ["Ann", "Maria", "Tom"]


@pytest.mark.parametrize(
    "name", ["Maria", "J.K.", "Anne-Marie", "O'Neil", "Zoë", "Mary Ann", "J", "A" * 20]
)
def test_initials_and_first_names_are_accepted(patients: PatientRepository, name: str) -> None:
    assert patients.add(name, "1234").display_name == name


def test_display_name_is_trimmed(patients: PatientRepository) -> None:
    assert patients.add("  Maria ", "1234").display_name == "Maria"


@pytest.mark.parametrize(
    "name",
    ["", "   ", "A" * 21, "Maria Smith 1970", "maria@example.com", "R2D2", "...", "Tom_", "<b>"],
)
def test_display_name_validation(patients: PatientRepository, name: str) -> None:
    with pytest.raises(InvalidDisplayNameError):
        patients.add(name, "1234")
    assert patients.list_active() == ()


@pytest.mark.parametrize("code", ["", "  ", "123", "12 34", "12-34", "AB12", "1" * 13, "１２３４"])
def test_codes_must_be_typeable_on_the_numeric_keypad(
    patients: PatientRepository, code: str
) -> None:
    with pytest.raises(InvalidCheckInCodeError):
        patients.add("Maria", code)
