"""Qt foundations shared by the kiosk and the screens: languages, fonts, widgets, workers.

Exceptions (all in :mod:`ui.errors`)::

    UiError                 anything the shared Qt layer refuses or fails at on purpose
     ├── CatalogueError     the translation catalogue cannot be rebuilt (lupdate / lrelease)
     └── UnsupportedQt      the installed PySide6 would abort a window on this Python
"""

from ui.errors import CatalogueError, UiError, UnsupportedQt

__all__ = ["CatalogueError", "UiError", "UnsupportedQt"]
