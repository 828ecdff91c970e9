"""The CPR (Bahraini personal number): parsing typed input, masking, keyed digests."""

from __future__ import annotations

import hashlib
import hmac
import re

from centre.errors import InvalidCpr

CPR_LENGTH = 9
# Arabic-Indic (U+0660..) and Extended Arabic-Indic / Persian (U+06F0..) digits to ASCII.
LATIN_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)
# Spaces, ASCII and Unicode dashes (U+2010..U+2014), underscores and dots.
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2014_.]+")


def parse_cpr(typed: str) -> str:
    """Return the nine ASCII digits of a typed CPR, or raise :class:`InvalidCpr`.

    Arabic-Indic and Persian digits, spaces and dashes are accepted. No check
    digit is verified: there is no public algorithm and older numbers differ.
    """
    if len(typed) > 64:
        raise InvalidCpr("a CPR has 9 digits")
    cleaned = _SEPARATORS.sub("", typed.strip()).translate(LATIN_DIGITS)
    if not cleaned.isascii() or not cleaned.isdigit():
        raise InvalidCpr("a CPR has digits only")
    if len(cleaned) != CPR_LENGTH:
        raise InvalidCpr(f"a CPR has 9 digits, this has {len(cleaned)}", digits=len(cleaned))
    return cleaned


def mask_cpr(cpr: str) -> str:
    """The form a screen may show: ``*****1234``."""
    return "*" * (len(cpr) - 4) + cpr[-4:]


def mask_last4(last4: str) -> str:
    """The masked form from the four digits the store keeps."""
    return "*" * (CPR_LENGTH - 4) + last4


# Nine digits of any script, possibly split by single spaces or dashes: what a CPR typed
# into free text looks like. Runs of more digits (an id, a timestamp) are left alone.
_CPR_IN_TEXT = re.compile("(?<![\\d\\-])(?:\\d[ \\-\u2010-\u2014]?){8}\\d(?!\\d)")


def mask_cprs_in(text: str) -> str:
    """``text`` with anything shaped like a CPR masked (``*****1234``): for free text that
    a person typed (a hall message, a reason) and for messages that repeat input."""

    def masked(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0)).translate(LATIN_DIGITS)
        return mask_cpr(digits)

    return _CPR_IN_TEXT.sub(masked, text)


def cpr_digest(cpr: str, key: bytes) -> str:
    """A keyed digest of a parsed CPR: lets the store find a booking without keeping the CPR."""
    return hmac.new(key, cpr.encode("ascii"), hashlib.sha256).hexdigest()
