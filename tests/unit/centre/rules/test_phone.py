"""Mobile numbers: typed input to E.164, refusals that do not repeat the number, masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centre.rules.phone import masked_phone, normalise_phone

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("36001234", "+97336001234"),
        ("6600 1234", "+97366001234"),
        (" 3600-1234 ", "+97336001234"),
        ("+973 3600 1234", "+97336001234"),
        ("00973 36 00 12 34", "+97336001234"),
        ("973.3600.1234", "+97336001234"),
        ("(+973) 3600-1234", "+97336001234"),
        ("[973] 36001234", "+97336001234"),
        ("٣٦٠٠١٢٣٤", "+97336001234"),  # Arabic-Indic digits
        ("۳۶۰۰۱۲۳۴", "+97336001234"),  # Persian digits
        ("+٩٧٣ ٣٦٠٠\u2013١٢٣٤", "+97336001234"),  # an en dash
        ("\u00a03600\u00a01234", "+97336001234"),  # no-break spaces
        ("+966 50 123 4567", "+966501234567"),  # Saudi, with its country code
        ("0044 7911 123456", "+447911123456"),
        ("+1 (202) 555-0123", "+12025550123"),
        ("+123456789012345", "+123456789012345"),  # 15 digits, the most E.164 allows
        ("+12345678", "+12345678"),  # 8 digits, the fewest accepted
    ],
)
def test_accepts_the_ways_people_type_a_number(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "digits only"),
        ("+", "digits only"),
        ("3600 12a4", "digits only"),
        ("36001234\x00", "digits only"),
        ("+973 3600 1234 ext 5", "digits only"),
        ("3600123", "country code"),  # 7 digits: not Bahraini, and no country code
        ("0501234567", "country code"),  # a Saudi number typed nationally
        ("7911123456", "country code"),  # a British mobile without its 0 or country code
        ("+1234567", "8 to 15 digits"),
        ("+1234567890123456", "8 to 15 digits"),
        ("+0123456789", "does not start with 0"),
        ("000973 3600 1234", "does not start with 0"),
        ("+973 3600 12345", "8 digits"),
        ("+973 3600 123", "8 digits"),
        ("17001234", "starts with 3 or 6"),  # a fixed line
        ("+973 8000 1234", "starts with 3 or 6"),  # toll-free
        ("90123456", "starts with 3 or 6"),  # premium rate
        ("1" * 65, "at most 15 digits"),
    ],
)
def test_refuses_what_is_not_a_mobile_number(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalise_phone(typed)


@pytest.mark.parametrize("typed", ["17001234", "3600123", "+973 3600 12345", "0501234567"])
def test_a_refusal_does_not_repeat_the_number(typed: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        normalise_phone(typed)
    digits = "".join(c for c in typed if c.isdigit())
    assert digits[-4:] not in str(caught.value)


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+97336001234", "+973****1234"),
        ("+966501234567", "+********4567"),
        ("+12025550123", "+*******0123"),
        ("", "+"),
        ("+1234", "+****"),
        ("not a number", "+"),
    ],
)
def test_masking_shows_the_last_four_digits_at_most(e164: str, masked: str) -> None:
    assert masked_phone(e164) == masked


bahraini_mobiles = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("36"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
international = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("123456789"),
    st.text(alphabet="0123456789", min_size=7, max_size=14),
).filter(lambda digits: not digits.startswith("973"))
separators = st.sampled_from(["", " ", "-", ".", "\u2013", " - "])


def typed_as(digits: str, script: str, separator: str) -> str:
    """``digits`` in ``script``'s digits, a ``separator`` after every second one."""
    local = digits.translate(str.maketrans("0123456789", script))
    return separator.join(local[i : i + 2] for i in range(0, len(local), 2))


@given(st.one_of(bahraini_mobiles, international.map(lambda d: "+" + d)))
def test_normalising_is_idempotent(typed: str) -> None:
    once = normalise_phone(typed)
    assert normalise_phone(once) == once


@given(
    bahraini_mobiles,
    st.sampled_from(["0123456789", ARABIC_INDIC, PERSIAN]),
    separators,
    st.sampled_from(["", "973", "+973", "00973"]),
)
def test_any_form_of_a_bahraini_mobile_gives_one_number(
    national: str, script: str, separator: str, prefix: str
) -> None:
    plus = "+" if prefix.startswith("+") else ""
    typed = plus + typed_as(prefix.removeprefix("+") + national, script, separator)
    assert normalise_phone(typed) == "+973" + national


@given(
    international,
    st.sampled_from(["0123456789", ARABIC_INDIC, PERSIAN]),
    separators,
    st.sampled_from(["+", "00", "+ ", "00 "]),
)
def test_any_form_of_an_international_number_gives_one_number(
    digits: str, script: str, separator: str, prefix: str
) -> None:
    typed = prefix.translate(str.maketrans("0", script[0])) + typed_as(digits, script, separator)
    assert normalise_phone(typed) == "+" + digits


@given(st.text(max_size=80))
def test_anything_typed_is_normalised_or_refused_with_value_error(typed: str) -> None:
    try:
        e164 = normalise_phone(typed)
    except ValueError:
        return
    assert e164.startswith("+")
    assert e164[1:].isascii()
    assert e164[1:].isdigit()
    assert 8 <= len(e164) - 1 <= 15
    assert masked_phone(e164).endswith(e164[-4:])
