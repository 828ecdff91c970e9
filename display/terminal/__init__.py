"""The counter terminal: a clerk signs in, then calls, serves, finishes or transfers tickets.

:mod:`display.terminal.viewmodel` holds the desk and the clerk's actions;
:mod:`display.terminal.window` is the clerk's screen, one key per action.
"""

from display.terminal.viewmodel import Action, CounterViewModel
from display.terminal.window import SHORTCUTS, CounterWindow, TransferChooser, format_elapsed

__all__ = [
    "SHORTCUTS",
    "Action",
    "CounterViewModel",
    "CounterWindow",
    "TransferChooser",
    "format_elapsed",
]
