"""The centre's screens: hall screen, counter terminal and counter screen, following the event log.

Exceptions (all in :mod:`display.errors`)::

    DisplayError            anything the display package refuses or fails at on purpose
     ├── CatalogueError     the translation catalogue cannot be rebuilt (lupdate / lrelease)
     ├── UnsupportedQt      the installed PySide6 would abort a screen on this Python
     └── TicketMoved        a clerk acted on a ticket another terminal had already moved on

Errors of the centre's rules (:class:`centre.errors.TaboorError`) reach the
clerk as one translated line, never as an exception.
"""

from display.errors import CatalogueError, DisplayError, TicketMoved, UnsupportedQt

__all__ = ["CatalogueError", "DisplayError", "TicketMoved", "UnsupportedQt"]
