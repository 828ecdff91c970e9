"""The centre's screens: hall screen, counter terminal and counter screen, following the event log.

Exceptions (all in :mod:`display.errors`)::

    DisplayError            anything the display package refuses or fails at on purpose
     ├── CatalogueError     the translation catalogue cannot be rebuilt (lupdate / lrelease)
     └── UnsupportedQt      the installed PySide6 would abort a screen on this Python

Errors of the centre's rules (:class:`centre.errors.TaboorError`) reach the
clerk as one translated line, never as an exception (among them
:class:`centre.errors.TicketMoved`, when another terminal moved the ticket on).
"""

from display.errors import CatalogueError, DisplayError, UnsupportedQt

__all__ = ["CatalogueError", "DisplayError", "UnsupportedQt"]
