"""The screen over a counter, facing visitors: its number, its ticket, and a rating when done.

When the counter marks its ticket done, the screen asks the visitor, in
Arabic and English at once, to rate the service with one of five faces.
:mod:`display.counter_screen.viewmodel` follows the counter;
:mod:`display.counter_screen.window` draws it.
"""

from display.counter_screen.viewmodel import CounterCall, CounterScreenViewModel, RatingPrompt
from display.counter_screen.window import CounterScreenWindow

__all__ = ["CounterCall", "CounterScreenViewModel", "CounterScreenWindow", "RatingPrompt"]
