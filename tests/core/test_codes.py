"""What a check-in code is: its length and tidying, trivial digit strings, random codes."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.codes import (
    CODE_LENGTH,
    CODE_MAX_DIGITS,
    CODE_MIN_DIGITS,
    CodeSpaceExhaustedError,
    InvalidCheckInCodeError,
    generate_code,
    is_trivial,
    validate_code,
)


@pytest.mark.parametrize(
    "digits",
    ["123456", "654321", "111111", "000000", "121212", "246802", "890123", "123123", "123321",
     "112112", "110100", "999899"],
)  # fmt: skip
def test_trivial_codes(digits: str) -> None:
    assert is_trivial(digits)


@pytest.mark.parametrize("digits", ["482913", "305718", "716254", "551937", "472915", "583920"])
def test_ordinary_codes_and_the_demo_ones_are_not_trivial(digits: str) -> None:
    assert not is_trivial(digits)


def test_the_rule_costs_well_under_one_percent_of_six_digit_codes() -> None:
    trivial = sum(is_trivial("".join(d)) for d in itertools.product("0123456789", repeat=6))
    assert 0 < trivial < 10_000


def test_only_digits_are_judged() -> None:
    with pytest.raises(ValueError, match="digits"):
        is_trivial("12a456")


@given(st.integers(0, 2**32))
def test_generated_codes_are_six_digits_not_trivial_no_leading_zero(seed: int) -> None:
    code = generate_code(set(), randbelow=random.Random(seed).randrange)
    assert len(code) == 6
    assert code.isdigit()
    assert code[0] != "0"
    assert not is_trivial(code)


def test_taken_and_trivial_draws_are_skipped() -> None:
    draws = iter([123456 - 100000, 482913 - 100000, 305718 - 100000])
    code = generate_code({"482913"}, randbelow=lambda _n: next(draws))
    assert code == "305718"


def test_exhaustion_is_an_error_not_a_loop() -> None:
    with pytest.raises(CodeSpaceExhaustedError):
        generate_code({"482913"}, randbelow=lambda _n: 382913, attempts=5)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("482913", "482913"), (" 482913\n", "482913"), ("1234", "1234"), ("9" * 12, "9" * 12)],
)
def test_a_code_is_4_to_12_digits_with_the_scanners_spaces_and_newline_removed(
    typed: str, stored: str
) -> None:
    assert validate_code(typed) == stored


@pytest.mark.parametrize("typed", ["", "123", "9" * 13, "12ab56", "12 34", "١٢٣٤٥٦", "-12345"])
def test_anything_else_is_not_a_code(typed: str) -> None:
    with pytest.raises(InvalidCheckInCodeError, match="4 to 12 digits"):
        validate_code(typed)


def test_generated_codes_are_valid_codes_and_lengths_outside_the_rule_are_refused() -> None:
    assert CODE_MIN_DIGITS <= CODE_LENGTH <= CODE_MAX_DIGITS
    assert validate_code(generate_code(set())) is not None
    for length in (CODE_MIN_DIGITS - 1, CODE_MAX_DIGITS + 1):
        with pytest.raises(ValueError, match="4 to 12 digits"):
            generate_code(set(), length=length)
