"""`taboor tabs`: every kind of screen as a tab of one window, on a real store, offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication

import taboor.tabs
import ui.app
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import UnknownCounter
from centre.store.unit_of_work import Store
from display.counter_screen import CounterScreenWindow
from display.hall import HallWindow
from display.supervisor import SupervisorViewModel, SupervisorWindow
from display.terminal import CounterViewModel, CounterWindow
from kiosk.viewmodel import KioskViewModel
from kiosk.window import KioskWindow
from taboor.bootstrap import Centre
from taboor.cli import EXIT_BAD_INPUT, main
from taboor.launcher import SCREENS
from taboor.tabs import PortOf, ScreenTabs, Tab, build_tabs, local_ports, run_tabs, tab_title
from tests.unit.display.helpers import guard_pytestqt_disconnects
from ui.i18n import Translations


@pytest.fixture(autouse=True)
def _whole_true_refcount(monkeypatch: pytest.MonkeyPatch) -> None:
    # PySide6 6.12 loses a reference to True on each disconnect pytest-qt makes.
    guard_pytestqt_disconnects(monkeypatch)


@pytest.fixture(autouse=True)
def _any_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    # Run whatever PySide6 is installed: the wiring is under test here.
    monkeypatch.setattr(ui.app, "void_calls_lose_none", lambda: False)


@pytest.fixture
def centre(
    sqlite_store: Store,
    config: CentreConfig,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Centre:
    # The kiosk's virtual printer writes under the data directory; the hall keeps quiet.
    monkeypatch.setenv("TABOOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TABOOR_SPEAKER", "none")
    return Centre(config, sqlite_store, clock)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Tab]:
    """Every tab ``run_tabs`` opens, its ``stop`` noting that it ran."""
    tabs: list[Tab] = []
    real_open = taboor.tabs.open_tab

    def open_and_note(port_of: PortOf, screen: str, host: ScreenTabs) -> Tab:
        tab = real_open(port_of, screen, host)
        real_stop = tab.stop

        def stop() -> None:
            tab.title = f"stopped {tab.title}"
            real_stop()

        tab.stop = stop
        tabs.append(tab)
        return tab

    monkeypatch.setattr(taboor.tabs, "open_tab", open_and_note)
    return tabs


@pytest.fixture
def host(qapp: QApplication, centre: Centre) -> Iterator[Callable[..., ScreenTabs]]:
    """Builds a tab window of the screens named; stops and deletes it afterwards."""
    built: list[tuple[ScreenTabs, Translations]] = []

    def build(*screens: str) -> ScreenTabs:
        translations = Translations(qapp)
        tabs = build_tabs(local_ports(centre), screens, translations)
        built.append((tabs, translations))
        return tabs

    yield build
    for tabs, translations in built:
        tabs.stop()
        tabs.close()
        tabs.deleteLater()
        translations.use("en")


def close_window_soon(qapp: QApplication) -> None:
    def close() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, ScreenTabs)]
        assert len(windows) == 1
        windows[0].close()

    QTimer.singleShot(400, close)


def test_every_screen_runs_as_a_tab_and_closing_the_window_stops_them(
    qapp: QApplication, centre: Centre, opened: list[Tab]
) -> None:
    close_window_soon(qapp)
    assert run_tabs(local_ports(centre), SCREENS) == 0
    kinds = [type(tab.page) for tab in opened]
    assert kinds == [
        KioskWindow,
        HallWindow,
        CounterWindow,
        CounterWindow,
        CounterScreenWindow,
        SupervisorWindow,
    ]
    assert [tab.title for tab in opened] == [
        "stopped Kiosk · الكشك",
        "stopped Hall · القاعة",
        "stopped Counter 1 · الشباك ١",
        "stopped Counter 2 · الشباك ٢",
        "stopped Counter 1 screen · شاشة الشباك ١",
        "stopped Supervisor · المشرف",
    ]
    # The clerks spoke Arabic; the application is left as it was found.
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QCoreApplication.translate("SupervisorWindow", "Pause it") == "Pause it"


def test_the_application_speaks_the_language_of_the_tab_shown(
    host: Callable[..., ScreenTabs],
) -> None:
    tabs = host("counter:1", "hall", "supervisor")
    counter, hall, supervisor = tabs.tabs
    counter_model, supervisor_model = counter.view_model, supervisor.view_model
    assert isinstance(counter_model, CounterViewModel)
    assert isinstance(supervisor_model, SupervisorViewModel)

    # The first tab shown is the clerk's, in the centre's first language.
    assert tabs.currentWidget() is counter.page
    assert tabs.language == "ar"
    assert QCoreApplication.translate("SupervisorWindow", "Pause it") == "أوقفها مؤقتًا"

    # The hall shows both languages: showing it changes nothing.
    tabs.setCurrentWidget(hall.page)
    assert tabs.language == "ar"
    # The clerk's switch, made while another tab is shown, waits for that tab.
    counter_model.set_language("en")
    assert tabs.language == "ar"
    tabs.setCurrentWidget(counter.page)
    assert tabs.language == "en"
    assert QCoreApplication.translate("SupervisorWindow", "Pause it") == "Pause it"

    # The supervisor kept Arabic; a switch on the tab shown applies at once.
    tabs.setCurrentWidget(supervisor.page)
    assert tabs.language == "ar"
    assert supervisor.page.layoutDirection() == Qt.LayoutDirection.RightToLeft
    supervisor_model.set_language("en")
    assert tabs.language == "en"
    assert supervisor.page.layoutDirection() == Qt.LayoutDirection.LeftToRight
    # The tab bar keeps its order whatever the screen shown speaks.
    assert tabs.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_kiosk_follows_its_visitor_only_on_its_own_tab(
    host: Callable[..., ScreenTabs],
) -> None:
    tabs = host("kiosk", "supervisor")
    kiosk, supervisor = tabs.tabs
    visitor = kiosk.view_model
    assert isinstance(visitor, KioskViewModel)
    assert tabs.language == visitor.language == "ar"
    visitor.set_language("en")
    assert tabs.language == "en"
    tabs.setCurrentWidget(supervisor.page)
    assert tabs.language == "ar"
    visitor.set_language("ar")
    visitor.set_language("en")
    assert tabs.language == "ar"
    tabs.setCurrentWidget(kiosk.page)
    assert tabs.language == "en"
    # Stopped, the window speaks no more (its pages are deleted later, changing tabs).
    tabs.stop()
    tabs.setCurrentWidget(supervisor.page)
    assert tabs.language == "en"


def test_staff_leaving_the_kiosk_takes_its_tab_away(host: Callable[..., ScreenTabs]) -> None:
    tabs = host("kiosk", "hall")
    kiosk, hall = tabs.tabs
    assert isinstance(kiosk.view_model, KioskViewModel)
    kiosk.view_model.exit_granted.emit()
    assert tabs.count() == 1
    assert tabs.currentWidget() is hall.page


def test_an_unknown_counter_is_refused_before_any_window(
    qapp: QApplication, centre: Centre
) -> None:
    with pytest.raises(UnknownCounter, match="no counter '99'"):
        run_tabs(local_ports(centre), ["hall", "counter:99"])
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, ScreenTabs) and w.isVisible()]


@pytest.mark.parametrize(
    ("screens", "says"),
    [
        ("none", "taboor: name at least one screen, e.g. taboor tabs hall,counter:1"),
        (
            "hall,lobby",
            "taboor: no screen 'lobby' (screens: kiosk, hall, counter:N, "
            "counter-screen:N, supervisor)",
        ),
    ],
)
def test_the_command_refuses_a_bad_list_in_one_line(
    screens: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tabs", screens]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.splitlines() == [says]


def test_tab_titles_are_short_and_in_both_languages() -> None:
    assert tab_title("counter-screen:12") == "Counter 12 screen · شاشة الشباك ١٢"
    assert tab_title("hall") == "Hall · القاعة"
