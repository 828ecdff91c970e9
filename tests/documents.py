"""Reading exported documents back: a PDF's text through poppler's ``pdftotext``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

# Bidi controls pdftotext puts around right-to-left runs and numbers in them (LRM, RLM,
# LRE, RLE, PDF, LRO, RLO, and the isolates).
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdftotext() -> str:
    """The ``pdftotext`` command; a skip naming its package where it is missing (a failure
    under CI, which must have it: ``scripts/test`` installs poppler-utils)."""
    found = shutil.which("pdftotext")
    if found is None:
        message = "pdftotext is not installed (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def pdf_text(path: Path, page: int | None = None) -> str:
    """The PDF's text as ``pdftotext -layout`` gives it (one page, or all), unchanged.

    Arabic comes out as Unicode presentation forms: the glyphs Qt chose, each
    letter in its initial, medial, final or isolated form.
    """
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    done = subprocess.run(
        [pdftotext(), "-layout", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def readable(text: str) -> str:
    """``text`` as a person would type it: presentation forms back to letters (NFKC), the
    bidi controls dropped."""
    return _BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))


def squeezed(text: str) -> str:
    """:func:`readable` ``text`` without any spaces: pdftotext moves the spaces around the
    numbers in a right-to-left line, so Arabic is compared without them."""
    return re.sub(r"\s+", "", readable(text))


def pages_of(path: Path) -> int:
    """How many pages the PDF has (``pdftotext`` ends each with a form feed)."""
    return pdf_text(path).count("\f")


__all__ = ["pages_of", "pdf_text", "pdftotext", "readable", "squeezed"]
