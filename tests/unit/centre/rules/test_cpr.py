"""CPR parsing, masking and digests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centre.errors import InvalidCpr
from centre.rules.cpr import cpr_digest, mask_cpr, mask_last4, parse_cpr


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("880312345", "880312345"),
        ("  880312345 ", "880312345"),
        ("880-312-345", "880312345"),
        ("880 312 345", "880312345"),
        ("٨٨٠٣١٢٣٤٥", "880312345"),  # Arabic-Indic digits
        ("۸۸۰۳۱۲۳۴۵", "880312345"),  # Persian digits
        ("٨٨٠\u2013٣١٢\u2013٣٤٥", "880312345"),  # en dashes
        ("000000001", "000000001"),  # older numbers need not follow YYMM
    ],
)
def test_parse_accepts_the_ways_people_type(typed: str, expected: str) -> None:
    assert parse_cpr(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "88031234", "8803123456", "88031234a", "880312345\x00", "١٢٣", "x" * 5000, "8803.1234"],
)
def test_parse_refuses_anything_but_nine_digits(typed: str) -> None:
    with pytest.raises(InvalidCpr):
        parse_cpr(typed)


def test_refusal_message_does_not_repeat_the_input() -> None:
    with pytest.raises(InvalidCpr) as caught:
        parse_cpr("88031234")
    assert "88031234" not in str(caught.value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_any_nine_digits_round_trip(digits: str) -> None:
    assert parse_cpr(digits) == digits
    assert mask_cpr(digits) == "*****" + digits[-4:]
    assert mask_last4(digits[-4:]) == mask_cpr(digits)


def test_digest_is_keyed_and_stable() -> None:
    assert cpr_digest("880312345", b"a" * 32) == cpr_digest("880312345", b"a" * 32)
    assert cpr_digest("880312345", b"a" * 32) != cpr_digest("880312345", b"b" * 32)
    assert "880312345" not in cpr_digest("880312345", b"a" * 32)
