"""The browser pages as bytes: the visitor's phone (docs/phone.md), the hall and counter displays,
and the files under ``/p/``."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

#: The languages of the pages, each with its strings in ``/p/{code}.json``.
LANGUAGES: Final = ("ar", "en", "hi", "ur", "ml", "bn", "tl")

#: The media type of every page.
PAGE_TYPE: Final = "text/html; charset=utf-8"

_JSON: Final = "application/json"

#: Every file ``/p/{file}`` may serve, with its media type: nothing else is ever opened.
ASSETS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "phone.js": "text/javascript; charset=utf-8",
        "phone.css": "text/css; charset=utf-8",
        "sw.js": "text/javascript; charset=utf-8",
        "icon.svg": "image/svg+xml",
        "announce.js": "text/javascript; charset=utf-8",
        "display.js": "text/javascript; charset=utf-8",
        "display.css": "text/css; charset=utf-8",
        **{f"{code}.json": _JSON for code in LANGUAGES},
    }
)

# The ticket and the join page are one page, and so is every counter's display: their
# scripts read location.pathname.
_PAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ticket": "phone.html",
        "join": "phone.html",
        "not_found": "not_found.html",
        "expired": "expired.html",
        "display_hall": "display-hall.html",
        "display_counter": "display-counter.html",
    }
)


@cache
def _read(filename: str) -> bytes:
    # Only ever called with a name from ASSETS or _PAGES, never with one from a request.
    return resources.files(__name__).joinpath("static", filename).read_bytes()


def asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of the ``/p/`` file ``name``; None unless it is in ``ASSETS``."""
    media_type = ASSETS.get(name)
    if media_type is None:
        return None
    return _read(name), media_type


def page(kind: str) -> bytes:
    """The HTML of a page: ``ticket`` (``/t/{ref}``), ``join`` (``/j/{code}``),
    ``not_found`` (the 404 of a ticket link), ``expired`` (the 410 of a hall code),
    ``display_hall`` (``/display/hall``) or ``display_counter`` (``/display/counter/{c}``).

    Each is the same bytes for every ticket, code and counter; an unknown kind is a ValueError.
    """
    filename = _PAGES.get(kind)
    if filename is None:
        raise ValueError(f"no page {kind!r}: one of {', '.join(_PAGES)}")
    return _read(filename)


__all__ = ["ASSETS", "LANGUAGES", "PAGE_TYPE", "asset", "page"]
