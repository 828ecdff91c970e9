"""`taboor tabs`: several screens as the tabs of one window, in one process, for a small screen.

Each tab holds a screen's real window and view-model, built by the same
``build_*`` functions as the screen's own command. The tabs share one Qt
application, so they share its translator: the application speaks the
language of the tab shown. A clerk's, a supervisor's or a visitor's switch
applies at once to their own tab and is remembered while another tab is shown;
the hall and the counter screens show both languages and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from centre.port import CentrePort
from display.app import build_counter, build_counter_screen, build_hall, build_supervisor
from kiosk.app import build_kiosk
from taboor.bootstrap import Centre, device_name
from taboor.printing import kiosk_printer, reprint, slip_for
from ui.app import application
from ui.i18n import SOURCE_LANGUAGE, Translations, check_language

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def tab_title(screen: str) -> str:
    """A screen's tab title, short and in both languages ("Counter 1 · الشباك ١")."""
    role, _, counter = screen.partition(":")
    arabic = counter.translate(_ARABIC_DIGITS)
    titles = {
        "kiosk": "Kiosk · الكشك",
        "hall": "Hall · القاعة",
        "counter": f"Counter {counter} · الشباك {arabic}",
        "counter-screen": f"Counter {counter} screen · شاشة الشباك {arabic}",
        "supervisor": "Supervisor · المشرف",
    }
    return titles[role]


class TabLanguage:
    """The language of one tab's screen, spoken by the application while that tab is shown.

    It stands in for :class:`ui.i18n.Translations` wherever a screen switches language.
    """

    def __init__(self, tabs: ScreenTabs, lang: str) -> None:
        self._tabs = tabs
        self.page: QWidget | None = None
        self.language = check_language(lang)

    def use(self, lang: str) -> None:
        """The screen now speaks ``lang``; so does the application, if its tab is shown."""
        self.language = check_language(lang)
        if self.page is not None and self._tabs.currentWidget() is self.page:
            self._tabs.speak(self.language)


@dataclass
class Tab:
    """One screen of the window: its title, its page and view-model, how to start and stop it."""

    title: str
    page: QWidget
    view_model: QObject
    start: Callable[[], None]
    stop: Callable[[], None]
    language: TabLanguage | None = None


class ScreenTabs(QTabWidget):
    """Screens as the tabs of one window; the application speaks the language of the tab shown."""

    def __init__(self, translations: Translations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._translations = translations
        self._stopped = False
        self.tabs: list[Tab] = []
        self.setWindowTitle("Taboor · طابور")
        self.setDocumentMode(True)
        # The tab bar keeps its order whatever language the screen shown speaks;
        # each screen lays itself out in its own language.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.resize(1280, 800)
        self.currentChanged.connect(self._on_current)

    @property
    def language(self) -> str:
        """The language the application speaks now."""
        return self._translations.language

    def language_switch(self, lang: str) -> TabLanguage:
        """The language of a screen about to be added, starting with ``lang``."""
        return TabLanguage(self, lang)

    def add(self, tab: Tab) -> None:
        """Add a built screen as the last tab."""
        self.tabs.append(tab)
        if tab.language is not None:
            tab.language.page = tab.page
        self.addTab(tab.page, tab.title)

    def remove(self, page: QWidget) -> None:
        """Take a screen's tab away (the kiosk's staff exit); none left closes the window."""
        index = self.indexOf(page)
        if index >= 0:
            self.removeTab(index)
        if self.count() == 0:
            self.close()

    def speak(self, lang: str) -> None:
        """Translate the application into ``lang`` (every tab retranslates); not once stopped."""
        # Pages deleted after the stop change the current tab: that is no reason to speak.
        if not self._stopped and lang != self._translations.language:
            self._translations.use(lang)

    def start(self) -> None:
        """Start every screen's view-model."""
        for tab in self.tabs:
            tab.start()

    def stop(self) -> None:
        """Stop every screen, the last added first; the application's language stays as it is."""
        if self._stopped:
            return
        self._stopped = True
        for tab in reversed(self.tabs):
            tab.stop()

    def _on_current(self, index: int) -> None:
        page = self.widget(index)
        for tab in self.tabs:
            if tab.page is page and tab.language is not None:
                self.speak(tab.language.language)


#: The port of each screen: a screen name as ``--screens`` takes it, to the port it reaches
#: the centre through (each screen is a device of its own).
PortOf = Callable[[str], CentrePort]


def open_tab(port_of: PortOf, screen: str, tabs: ScreenTabs) -> Tab:
    """Build ``screen`` (a name as ``--screens`` takes it) as a tab of ``tabs``."""
    role, _, counter = screen.partition(":")
    title = tab_title(screen)
    port = port_of(screen)
    config = port.config
    if role == "kiosk":
        language = tabs.language_switch(config.centre.languages[0])
        uri = kiosk_printer(config)
        kiosk = build_kiosk(port, partial(slip_for, config), uri, translations=language)
        kiosk.view_model.exit_granted.connect(lambda: tabs.remove(kiosk.window))
        return Tab(title, kiosk.window, kiosk.view_model, kiosk.start_parts, kiosk.stop, language)
    if role == "hall":
        hall, hall_model = build_hall(port)
        return Tab(title, hall, hall_model, hall_model.start, hall_model.stop)
    if role == "counter-screen":
        facing, facing_model = build_counter_screen(port, counter)
        return Tab(title, facing, facing_model, facing_model.start, facing_model.stop)
    if role == "counter":
        terminal, terminal_model = build_counter(port, counter)
        language = tabs.language_switch(terminal_model.language)
        terminal_model.language_changed.connect(language.use)
        return Tab(
            title, terminal, terminal_model, terminal_model.start, terminal_model.stop, language
        )
    supervisor, supervisor_model = build_supervisor(port, partial(reprint, port))
    language = tabs.language_switch(supervisor_model.language)
    supervisor_model.language_changed.connect(language.use)
    return Tab(
        title, supervisor, supervisor_model, supervisor_model.start, supervisor_model.stop, language
    )


def local_ports(centre: Centre) -> PortOf:
    """Each screen's port on this machine's store, acting as a device named by its role."""

    def port_of(screen: str) -> CentrePort:
        return centre.port(device=device_name(screen.replace(":", "-")))

    return port_of


def build_tabs(port_of: PortOf, screens: Sequence[str], translations: Translations) -> ScreenTabs:
    """The window of ``screens``, one tab each, not yet shown or started."""
    tabs = ScreenTabs(translations)
    try:
        for screen in screens:
            tabs.add(open_tab(port_of, screen, tabs))
    except BaseException:
        tabs.stop()
        tabs.deleteLater()
        raise
    return tabs


def run_tabs(port_of: PortOf, screens: Sequence[str], *, fullscreen: bool = False) -> int:
    """Run ``screens`` as the tabs of one window until it is closed; returns the exit code."""
    app = application()
    translations = Translations(app)
    try:
        tabs = build_tabs(port_of, screens, translations)
        try:
            if fullscreen:
                tabs.showFullScreen()
            else:
                tabs.show()
            tabs.start()
            return app.exec()
        finally:
            tabs.stop()
            tabs.close()
            tabs.deleteLater()
    finally:
        translations.use(SOURCE_LANGUAGE)


__all__ = [
    "PortOf",
    "ScreenTabs",
    "Tab",
    "TabLanguage",
    "build_tabs",
    "local_ports",
    "open_tab",
    "run_tabs",
    "tab_title",
]
