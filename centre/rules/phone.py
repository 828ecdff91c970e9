"""A visitor's mobile number: typed input to E.164 (``+97336001234``), and its masked form.

What is accepted, after dropping spaces, dashes, dots and brackets and reading
Arabic-Indic and Persian digits as ASCII:

- ``+`` or ``00`` then 8 to 15 digits: an international number, country code
  first (E.164 allows at most 15 digits; a country code never starts with 0);
- 8 digits alone: a Bahraini number (Bahrain's numbers are eight digits, with
  no trunk prefix), so ``+973`` is put in front;
- ``973`` and 8 digits alone: a Bahraini number typed with its country code.

Any other number without ``+`` or ``00`` is refused rather than guessed: a
foreign number typed nationally (``0501234567``, ``7911123456``) could
otherwise reach a stranger in another country.

A Bahraini number must be a mobile: its first digit is 3 or 6. The national
numbering plan (as libphonenumber's metadata reads it) puts every mobile in
``3xxxxxxx`` and a few ``6xxxxxxx`` blocks (``66xxxxxx`` mostly); fixed lines
start with 1, 6 or 7, toll-free and premium numbers with 8 or 9. The few
fixed-line ``6`` blocks are let through: the gateway refuses those, and a
finer table would need keeping up to date.

Refusals raise :class:`ValueError` with a short English message that never
repeats the number.
"""

from __future__ import annotations

import re

from centre.rules.cpr import LATIN_DIGITS

BAHRAIN_CODE = "973"
BAHRAIN_LENGTH = 8
#: First digits of Bahraini mobile numbers.
BAHRAIN_MOBILE_FIRST = ("3", "6")
#: How many digits an international number has, country code included (E.164).
MIN_DIGITS = 8
MAX_DIGITS = 15
# Longer input is refused before any work: nobody types a phone number this long.
_MAX_TYPED = 64
# Spaces (Unicode ones included), ASCII and Unicode dashes (U+2010..U+2015, the minus
# sign U+2212), dots and brackets.
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015\u2212.()\\[\\]]+")


def normalise_phone(text: str) -> str:
    """The E.164 form (``+97336001234``) of a typed mobile number, or :class:`ValueError`."""
    digits = _international_digits(text)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise ValueError("a phone number has 8 to 15 digits")
    if digits.startswith("0"):
        raise ValueError("a country code does not start with 0")
    if digits.startswith(BAHRAIN_CODE):
        national = digits[len(BAHRAIN_CODE) :]
        if len(national) != BAHRAIN_LENGTH:
            raise ValueError("a Bahraini number has 8 digits")
        if not national.startswith(BAHRAIN_MOBILE_FIRST):
            raise ValueError("a Bahraini mobile number starts with 3 or 6")
    return "+" + digits


def _international_digits(text: str) -> str:
    """The ASCII digits of a typed number, its country code first."""
    if len(text) > _MAX_TYPED:
        raise ValueError("a phone number has at most 15 digits")
    cleaned = _SEPARATORS.sub("", text).translate(LATIN_DIGITS)
    if cleaned.startswith("+"):
        return _ascii_digits(cleaned[1:])
    if cleaned.startswith("00"):
        return _ascii_digits(cleaned[2:])
    digits = _ascii_digits(cleaned)
    if len(digits) == BAHRAIN_LENGTH:
        return BAHRAIN_CODE + digits
    if len(digits) == len(BAHRAIN_CODE) + BAHRAIN_LENGTH and digits.startswith(BAHRAIN_CODE):
        return digits
    raise ValueError("a number from outside Bahrain needs its country code, after + or 00")


def _ascii_digits(text: str) -> str:
    if not (text.isascii() and text.isdigit()):
        raise ValueError("a phone number has digits only")
    return text


def masked_phone(e164: str) -> str:
    """The form a log or a screen may show: ``+973****1234`` (only the last four digits).

    A Bahraini number keeps its country code; any other keeps none, since
    country codes differ in length. Never raises, whatever it is given.
    """
    digits = "".join(c for c in e164 if c.isascii() and c.isdigit())
    if len(digits) == len(BAHRAIN_CODE) + BAHRAIN_LENGTH and digits.startswith(BAHRAIN_CODE):
        return f"+{BAHRAIN_CODE}{'*' * (BAHRAIN_LENGTH - 4)}{digits[-4:]}"
    if len(digits) < MIN_DIGITS:
        return "+" + "*" * len(digits)
    return "+" + "*" * (len(digits) - 4) + digits[-4:]


__all__ = ["masked_phone", "normalise_phone"]
