"""The demo centre: sample appointments for today and a guide to driving it from the shell."""

from __future__ import annotations

from taboor.bootstrap import Centre


def prepare_demo(centre: Centre) -> str:
    """Make sure today's sample appointments are in the store; return what to type next."""
    raise NotImplementedError
