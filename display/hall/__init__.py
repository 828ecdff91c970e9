"""The hall screen: the number called now, the last calls and every queue, in Arabic and English.

:mod:`display.hall.viewmodel` follows the centre; :mod:`display.hall.window` draws it.
"""

from display.hall.viewmodel import Call, HallViewModel, Message
from display.hall.window import HallWindow

__all__ = ["Call", "HallViewModel", "HallWindow", "Message"]
