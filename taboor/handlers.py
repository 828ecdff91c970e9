"""What every ``taboor`` command handler shares: the exit codes, opening the centre, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taboor.bootstrap import Centre

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3

#: A command's handler: its parsed arguments in, its exit code out.
Handler = Callable[[argparse.Namespace], int]
#: Adds a sub-command to the parser: ``command(name, handler, help_text)``.
Command = Callable[..., argparse.ArgumentParser]


def centre_for(args: argparse.Namespace) -> Centre:
    """The centre of ``--config`` and ``--db``, its business day rolled over if a new one began."""
    from centre.usecases import roll_day
    from taboor.bootstrap import open_centre

    centre = open_centre(args.config, args.db)
    roll_day(centre.store, centre.clock, centre.config)
    return centre


def print_json(value: Any) -> None:
    """``value`` as one line of JSON on standard output, Arabic as it is."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_UNEXPECTED",
    "Command",
    "Handler",
    "centre_for",
    "print_json",
]
