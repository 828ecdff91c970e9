"""``taboor report``'s parser: its words for the languages are the centre's."""

from __future__ import annotations

from centre.config import LANGUAGES
from taboor import reporting


def test_the_command_line_offers_the_centres_languages() -> None:
    # Written out in taboor.reporting so that parsing loads no pydantic; kept equal here.
    assert reporting.LANGUAGES == LANGUAGES
