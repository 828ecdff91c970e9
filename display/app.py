"""Entry points of the screens: each makes the Qt application, wires one screen and runs it.

Each takes the centre as a :class:`centre.port.CentrePort`: the in-process
adapter on a store, or the centre server over HTTP; the screens cannot tell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from centre import usecases as uc
from centre.port import CentrePort
from display.announcer import hall_announcer
from display.counter_screen import CounterScreenViewModel, CounterScreenWindow
from display.follower import EventFollower
from display.hall import HallViewModel, HallWindow
from display.supervisor import SupervisorViewModel, SupervisorWindow
from display.terminal import CounterViewModel, CounterWindow
from ui.app import application
from ui.fonts import FontBook
from ui.i18n import SOURCE_LANGUAGE, Translations, check_language


def build_hall(centre: CentrePort) -> tuple[HallWindow, HallViewModel]:
    """The hall screen and its view-model, not yet shown or started.

    With ``[announcements]`` on, each call is also said aloud (``TABOOR_SPEAKER``
    picks the output); the voice clips are checked here, and a missing or
    malformed one raises :class:`centre.errors.ConfigError` naming it.
    Needs a QApplication (made here if there is none), like every ``build_*``.
    """
    application()
    announcer = hall_announcer(centre.config.announcements)
    follower = EventFollower.for_port(centre, name="taboor-hall")
    view_model = HallViewModel(centre, follower, announcer=announcer)
    if announcer is not None:
        announcer.setParent(view_model)
    return HallWindow(view_model, FontBook.load()), view_model


def build_counter(
    centre: CentrePort, counter_id: str, lang: str | None = None
) -> tuple[CounterWindow, CounterViewModel]:
    """The staff terminal of ``counter_id`` and its view-model, not yet shown or started.

    ``lang`` is the clerk's language (default: the centre's first). The terminal
    installs no catalogue: whoever runs it makes the application follow
    ``language_changed``.
    """
    language = check_language(lang or centre.config.centre.languages[0])
    counter_id = uc.resolve_counter(centre.config, counter_id).id
    application()
    follower = EventFollower.for_port(centre, name=f"taboor-counter-{counter_id}")
    view_model = CounterViewModel(centre, follower, counter_id, lang=language)
    return CounterWindow(view_model, FontBook.load()), view_model


def build_counter_screen(
    centre: CentrePort, counter_id: str
) -> tuple[CounterScreenWindow, CounterScreenViewModel]:
    """The screen over ``counter_id`` and its view-model, not yet shown or started."""
    counter_id = uc.resolve_counter(centre.config, counter_id).id
    application()
    follower = EventFollower.for_port(centre, name=f"taboor-counter-screen-{counter_id}")
    view_model = CounterScreenViewModel(centre, follower, counter_id)
    return CounterScreenWindow(view_model, FontBook.load()), view_model


def build_supervisor(
    centre: CentrePort, reprint: Callable[[str], str] | None = None
) -> tuple[SupervisorWindow, SupervisorViewModel]:
    """The supervisor's screen and its view-model, not yet shown or started.

    ``reprint`` prints a ticket again by its number and returns the number
    printed; without it the screen offers no reprint. The screen starts in the
    centre's first language and, like the counter's, installs no catalogue.
    """
    language = check_language(centre.config.centre.languages[0])
    application()
    follower = EventFollower.for_port(centre, name="taboor-supervisor")
    view_model = SupervisorViewModel(centre, follower, lang=language, reprint=reprint)
    return SupervisorWindow(view_model, FontBook.load()), view_model


def run_hall(centre: CentrePort, fullscreen: bool = False) -> int:
    """Run the hall screen until it is closed; returns the exit code.

    A missing or malformed voice clip raises :class:`centre.errors.ConfigError`
    before the screen opens (see :func:`build_hall`).
    """
    window, view_model = build_hall(centre)
    return _run(application(), window, view_model, fullscreen=fullscreen, kiosk=True)


def run_counter(
    centre: CentrePort, counter_id: str, fullscreen: bool = False, lang: str | None = None
) -> int:
    """Run the staff terminal of ``counter_id`` until it is closed; returns the exit code.

    ``lang`` is the clerk's language (default: the centre's first); the clerk
    can switch it on the screen.
    """
    window, view_model = build_counter(centre, counter_id, lang)
    return _run_speaking(window, view_model, fullscreen=fullscreen)


def run_counter_screen(centre: CentrePort, counter_id: str, fullscreen: bool = False) -> int:
    """Run the screen over ``counter_id`` until it is closed; returns the exit code."""
    window, view_model = build_counter_screen(centre, counter_id)
    return _run(application(), window, view_model, fullscreen=fullscreen, kiosk=True)


def run_supervisor(
    centre: CentrePort, fullscreen: bool = False, reprint: Callable[[str], str] | None = None
) -> int:
    """Run the supervisor's screen until it is closed; returns the exit code.

    ``reprint`` prints a ticket again by its number and returns the number
    printed (the ``taboor`` command wires it to the printer); without it the
    screen offers no reprint. The screen starts in the centre's first language.
    """
    window, view_model = build_supervisor(centre, reprint)
    return _run_speaking(window, view_model, fullscreen=fullscreen)


class _Startable(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


class _Speaking(_Startable, Protocol):
    # A view-model whose person picks the language: a clerk's, a supervisor's.
    @property
    def language(self) -> str: ...

    @property
    def language_changed(self) -> SignalInstance: ...


def _run_speaking(window: QWidget, view_model: _Speaking, *, fullscreen: bool) -> int:
    # The application's catalogue follows the person's language; the window
    # retranslates on the change. Afterwards the application is as it was.
    app = application()
    translations = Translations(app)
    translations.use(view_model.language)
    view_model.language_changed.connect(translations.use)
    try:
        return _run(app, window, view_model, fullscreen=fullscreen, kiosk=False)
    finally:
        translations.use(SOURCE_LANGUAGE)


def _run(
    app: QApplication, window: QWidget, view_model: _Startable, *, fullscreen: bool, kiosk: bool
) -> int:
    if fullscreen:
        if kiosk:
            # Nobody points at a wall screen.
            window.setCursor(Qt.CursorShape.BlankCursor)
        window.showFullScreen()
    else:
        window.show()
    view_model.start()
    try:
        return app.exec()
    finally:
        view_model.stop()
        window.close()
        window.deleteLater()


__all__ = [
    "application",
    "build_counter",
    "build_counter_screen",
    "build_hall",
    "build_supervisor",
    "run_counter",
    "run_counter_screen",
    "run_hall",
    "run_supervisor",
]
