"""The supervisor's Reports tab on a real store, and over a real centre server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from centre import reports as rp
from centre import staff
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.local import LocalCentre
from centre.reports import BY, Report
from centre.store.unit_of_work import Store
from display.reports import labels
from display.reports.viewmodel import ExportKind, QuickPeriod, ReportsViewModel
from display.supervisor import SupervisorViewModel, SupervisorWindow
from server.client import RemoteCentre
from tests.helpers import BAHRAIN, make_appointment
from tests.live_server import live_server
from tests.unit.centre.test_reports import MONDAY, Day, at
from tests.unit.display.helpers import Screens, font_book
from ui.i18n import Translations

pytestmark = pytest.mark.usefixtures("qt_disconnects_guarded")

SUPERVISOR = ("s1", "13579")
# A Sunday in December: "last month" is November, whose days are built below.
DECEMBER = datetime(2026, 12, 6, 10, 0, tzinfo=BAHRAIN)
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def november(store: Store, clock: FixedClock, config: CentreConfig) -> None:
    """Two days of November through the real use cases: walk-ins on three services, a clerk
    at counter 1, ratings, and two bookings of which one came; then the clock in December."""
    d = Day(store, config, clock)
    d.when("08:00")
    staff.add_staff(
        store,
        clock,
        SUPERVISOR[0],
        name_ar="نورة خالد",
        name_en="Noura Khalid",
        role=staff.SUPERVISOR,
        pin=SUPERVISOR[1],
    )
    staff.add_staff(store, clock, "c101", name_ar="فاطمة", name_en="Fatima", pin="2468")
    staff.sign_in(store, d.when("08:50").clock, config, "1", "c101", "2468")
    first = d.issue("09:00", "licence-renewal")
    d.issue("09:02", "traffic-fines")
    d.issue("09:05", "licence-renewal")
    assert d.call("09:10", "1") == first
    d.serve("09:11", "09:19", "1")
    d.rate("09:20", first, 4)
    d.issue("09:20", "vehicle-registration")
    d.call("09:25", "1")
    d.act("09:26", "start_serving", "1")
    d.call("09:30", "3")
    d.act("09:36", "no_show", "3")
    d.act("09:40", "finish", "1")
    d.call("09:45", "4")
    d.serve("09:46", "09:50", "4")
    d.day = MONDAY
    came = make_appointment(
        store, cpr="900101234", service="licence-renewal", slot=at(MONDAY, "10:00")
    )
    missed = make_appointment(
        store, cpr="900105678", service="licence-renewal", slot=at(MONDAY, "10:00")
    )
    uc.store_appointments(store, [came, missed])
    d.issue("08:30", "licence-renewal")
    uc.check_in_by_cpr(store, d.when("09:55").clock, config, "900101234", came.id)
    d.call("10:05", "2")
    d.serve("10:06", "10:16", "2")
    d.call("10:20", "2")
    d.serve("10:21", "10:30", "2")
    clock.set(DECEMBER)


@dataclass
class Supervisor:
    """The supervisor's screen on the store of ``screens``, signed in."""

    screens: Screens
    vm: SupervisorViewModel
    window: SupervisorWindow

    @property
    def reports(self) -> ReportsViewModel:
        """The Reports tab's view-model."""
        return self.vm.reports

    def expected(self, start: date, end: date, by: str) -> Report:
        """The report as the centre makes it, read here straight from the store."""
        screens = self.screens
        return rp.report(screens.store, screens.config, start, end, by, screens.clock.now())

    def open_reports(self) -> None:
        """Choose the Reports tab; it reads its first report."""
        with self.screens.qtbot.waitSignal(self.reports.report_changed, timeout=10_000):
            self.window.tabs.setCurrentWidget(self.window.reports)

    def read(self, act: object) -> Report:
        """Do ``act`` (a callable) and wait for the report it reads."""
        assert callable(act)
        with self.screens.qtbot.waitSignal(self.reports.report_changed, timeout=10_000):
            act()
        report = self.reports.report
        assert report is not None
        return report


def supervisor_on(screens: Screens) -> Supervisor:
    """A started supervisor's screen, shown, with the supervisor signed in."""
    qtbot = screens.qtbot
    vm = SupervisorViewModel(screens.centre, screens.follower(), lang="en", refresh_delay_ms=20)
    screens.started.append(vm.stop)
    with qtbot.waitSignal(vm.loaded, timeout=5000):
        vm.start()
    window = SupervisorWindow(vm, font_book())
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitSignal(vm.signed_in_changed, timeout=5000):
        vm.sign_in(*SUPERVISOR)
    return Supervisor(screens, vm, window)


@pytest.fixture
def supervisor(sqlite_screens: Screens) -> Supervisor:
    screens = sqlite_screens
    november(screens.store, screens.clock, screens.config)
    return supervisor_on(screens)


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    """The application's catalogue, back in English afterwards."""
    installed = Translations(qapp)
    yield installed
    installed.use("en")


def shown_cells(supervisor: Supervisor, report: Report, lang: str) -> list[list[str]]:
    """What the table should show for ``report`` in ``lang``, cell by cell."""
    config = supervisor.screens.config
    lines: list[tuple[object, bool]] = [(row, False) for row in report.rows]
    lines.append((report.total, True))
    return [
        [
            labels.cell_text(column, row, lang, config, report.by, total=total)
            for column in labels.row_columns(report)
        ]
        for row, total in lines
    ]


def test_last_month_by_service_shows_the_reports_figures(
    qtbot: QtBot, supervisor: Supervisor
) -> None:
    window, tab = supervisor.window, supervisor.window.reports
    assert window.shows_live()
    supervisor.open_reports()
    # The report takes the whole width: the live queues step aside.
    assert not window.shows_live()
    assert supervisor.reports.period.end == date(2026, 12, 5)  # the last 7 whole days
    qtbot.mouseClick(tab.quick[QuickPeriod.LAST_MONTH], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not supervisor.reports.busy, timeout=10_000)
    assert (tab.start.date(), tab.end.date()) == (QDate(2026, 11, 1), QDate(2026, 11, 30))
    assert tab.quick[QuickPeriod.LAST_MONTH].property("chosen") == "true"
    found = supervisor.read(lambda: tab.split.setCurrentIndex(tab.split.findData("service")))

    expected = supervisor.expected(*NOVEMBER, "service")
    assert found == expected
    table = tab.table
    assert table.rowCount() == len(expected.rows) + 1
    assert [table.texts(line) for line in range(table.rowCount())] == shown_cells(
        supervisor, expected, "en"
    )
    # Read as a person reads them: service names, minutes, the total.
    assert table.column_texts("key") == [
        "Driving licence renewal",
        "Payment of traffic fines",
        "Vehicle registration renewal",
        "Total",
    ]
    assert table.column_texts("visitors") == ["4", "1", "1", "6"]
    assert table.column_texts("served") == ["4", "0", "1", "5"]
    assert table.column_texts("no_shows") == ["0", "1", "0", "1"]
    assert table.column_texts("appointments") == ["1", "0", "0", "1"]
    assert table.column_texts("wait_mean_s")[-1] == labels.format_value(
        labels.Unit.SECONDS, expected.total.wait_mean_s
    )
    assert "Mean wait (min)" in table.headers()
    assert tab.title.text() == f"Report 1{labels.DASH}30 Nov 2026 by service"

    categories, bars = tab.visitors_chart.shown()
    assert categories == [
        "Driving licence renewal",
        "Payment of traffic fines",
        "Vehicle registration renewal",
    ]
    assert bars == [("Visitors", [4.0, 1.0, 1.0]), ("Served", [4.0, 0.0, 1.0])]
    _, ratings = tab.ratings_chart.shown()
    assert [max(v or 0 for v in values) for _, values in ratings] == [0, 0, 0, 1, 0]
    # Monday's two bookings at 10:00, one of which came.
    assert tab.shows_bookings()
    assert tab.bookings.texts(0) == ["Driving licence renewal", "10:00", "2", "1", "1", "50.0%"]


def test_switching_to_arabic_flips_the_layout_and_the_headers(
    qtbot: QtBot, supervisor: Supervisor, translations: Translations
) -> None:
    supervisor.open_reports()
    tab = supervisor.window.reports
    supervisor.read(lambda: supervisor.reports.choose(QuickPeriod.LAST_MONTH))
    assert tab.layoutDirection() == Qt.LayoutDirection.LeftToRight
    supervisor.vm.language_changed.connect(translations.use)
    supervisor.vm.set_language("ar")
    assert supervisor.reports.language == "ar"
    # The catalogue's change reaches the widgets as a posted event.
    qtbot.waitUntil(lambda: tab.quick[QuickPeriod.LAST_MONTH].text() == "الشهر الماضي")
    assert tab.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert tab.table.layoutDirection() == Qt.LayoutDirection.RightToLeft
    headers = tab.table.headers()
    assert headers[:3] == ["اليوم", "المراجعون", "تمت خدمتهم"]
    assert "متوسط الانتظار (دقيقة)" in headers
    assert tab.table.column_texts("key")[-1] == "الإجمالي"
    assert tab.table.column_texts("key")[0] == "الأحد 22 نوفمبر 2026"
    assert tab.title.text() == "تقرير من 1 إلى 30 نوفمبر 2026 حسب اليوم"
    assert tab.split.currentText() == "اليوم"
    assert supervisor.window.tabs.tabText(3) == "التقارير"
    supervisor.vm.set_language("en")
    assert tab.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert tab.table.headers()[1] == "Visitors"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_export_writes_files_that_exist_in_the_screens_language(
    qtbot: QtBot, supervisor: Supervisor, tmp_path: Path, lang: str
) -> None:
    supervisor.open_reports()
    reports = supervisor.reports
    report = supervisor.read(lambda: reports.choose(QuickPeriod.LAST_MONTH))
    supervisor.vm.set_language(lang)
    tab = supervisor.window.reports
    assert tab.export_xlsx.isEnabled()
    assert tab.export_pdf.isEnabled()
    # The path a dialog would give, typed without its suffix: the suffix is added.
    with qtbot.waitSignal(reports.exported, timeout=20_000) as written:
        reports.export("xlsx", tmp_path / "november")
    xlsx = tmp_path / "november.xlsx"
    assert written.args == [str(xlsx)]
    assert xlsx.is_file()
    book = load_workbook(xlsx)
    sheet = book.worksheets[0]
    cells = [[cell.value for cell in line] for line in sheet.iter_rows()]
    header = cells.index([labels.header(c, lang) for c in labels.row_columns(report)])
    total = cells[header + len(report.rows) + 1]
    assert total[0] == labels.TOTAL.get(lang)
    assert total[1:5] == [6, 5, 1, 0]
    assert sheet.sheet_view.rightToLeft is (lang == "ar")
    assert str(xlsx) in tab.message.text()

    pdf = tmp_path / f"november-{lang}.pdf"
    with qtbot.waitSignal(reports.exported, timeout=30_000):
        reports.export("pdf", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_export_dialog_speaks_the_screens_language(
    qtbot: QtBot, supervisor: Supervisor, translations: Translations
) -> None:
    supervisor.open_reports()
    tab = supervisor.window.reports
    supervisor.vm.language_changed.connect(translations.use)
    supervisor.vm.set_language("ar")
    qtbot.waitUntil(lambda: tab.export_pdf.text() == "تصدير PDF…")
    dialog = tab.export_dialog(ExportKind.PDF)
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.windowTitle() == "تصدير التقرير بصيغة PDF"
    assert dialog.labelText(QFileDialog.DialogLabel.Accept) == "حفظ"
    assert dialog.labelText(QFileDialog.DialogLabel.Reject) == "إلغاء"
    assert dialog.nameFilters() == ["مستندات PDF (*.pdf)"]
    assert dialog.defaultSuffix() == "pdf"
    (suggested,) = dialog.selectedFiles()
    assert Path(suggested).name == "taboor-report-2026-11-29-2026-12-05-day.pdf"


def test_an_export_that_cannot_be_written_says_so_in_one_line(
    qtbot: QtBot, supervisor: Supervisor, tmp_path: Path
) -> None:
    supervisor.open_reports()
    reports = supervisor.reports
    with qtbot.waitSignal(reports.message_shown, timeout=20_000) as said:
        reports.export("xlsx", tmp_path / "no such folder" / "report.xlsx")
    text, is_error = said.args
    assert is_error
    assert text.startswith("Cannot write ")
    assert "\n" not in text
    tab = supervisor.window.reports
    assert tab.message.property("error") == "true"
    assert not (tmp_path / "no such folder").exists()


def test_a_period_that_ends_before_it_starts_is_refused(
    qtbot: QtBot, supervisor: Supervisor
) -> None:
    supervisor.open_reports()
    tab = supervisor.window.reports
    shown = supervisor.reports.report
    tab.start.setDate(tab.end.date().addDays(3))
    assert tab.message.text() == "The period starts after it ends: choose the dates again."
    assert tab.message.property("error") == "true"
    assert supervisor.reports.report is shown  # still the report of the last good period
    assert not supervisor.reports.busy


def test_weekday_and_hour_show_a_map_of_arrivals_and_waits(
    qtbot: QtBot, supervisor: Supervisor
) -> None:
    supervisor.open_reports()
    tab = supervisor.window.reports
    supervisor.read(lambda: supervisor.reports.choose(QuickPeriod.LAST_MONTH))
    maps = tab.charts.indexOf(tab.maps)
    assert not tab.charts.isTabVisible(maps)
    found = supervisor.read(lambda: tab.split.setCurrentIndex(tab.split.findData("weekday-hour")))
    assert found == supervisor.expected(*NOVEMBER, "weekday-hour")
    assert tab.charts.isTabVisible(maps)
    # Sunday 09:00: four arrivals; Monday 08:00 one, 09:00 one (the booking).
    assert tab.arrivals_map.value_text("sun", "09") == "4"
    assert tab.arrivals_map.value_text("mon", "08") == "1"
    assert tab.arrivals_map.value_text("tue", "09") == ""
    sunday = next(row for row in found.rows if row.key == "sun-09")
    assert sunday.wait_p50_s is not None
    assert tab.waits_map.value_text("sun", "09") == labels.format_value(
        labels.Unit.RATE, labels.minutes(sunday.wait_p50_s)
    )


class GatedCentre(LocalCentre):
    """The in-process centre, whose reports wait at a gate: a report over years, held."""

    def __init__(self, store: Store, clock: FixedClock, config: CentreConfig) -> None:
        super().__init__(store, clock, config)
        self.gate = threading.Event()
        self.asked: list[tuple[date, date, str]] = []

    def report(self, start: date, end: date, by: str) -> Report:
        """The real report, once the gate opens."""
        self.asked.append((start, end, by))
        self.gate.wait(timeout=30)
        return super().report(start, end, by)


def test_a_slow_report_never_freezes_the_screen_and_choices_are_folded(
    qtbot: QtBot, sqlite_screens: Screens
) -> None:
    screens = sqlite_screens
    november(screens.store, screens.clock, screens.config)
    gated = GatedCentre(screens.store, screens.clock, screens.config)
    screens.centre = gated
    supervisor = supervisor_on(screens)
    window, tab, reports = supervisor.window, supervisor.window.reports, supervisor.reports
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: reports.busy)
    assert tab.message.text() == "Reading the report…"
    assert not tab.export_pdf.isEnabled()
    # The screen answers while the report is read: the supervisor types, and chooses again.
    ticket = window.action_panel.ticket_number
    window.tabs.setCurrentWidget(window.action_panel)
    qtbot.keyClicks(ticket, "A001")
    assert ticket.text() == "A001"
    window.tabs.setCurrentWidget(tab)
    tab.split.setCurrentIndex(tab.split.findData("service"))
    tab.quick[QuickPeriod.LAST_MONTH].click()
    tab.split.setCurrentIndex(tab.split.findData("counter"))
    assert reports.report is None
    with qtbot.waitSignal(reports.report_changed, timeout=10_000):
        gated.gate.set()
    # The first read, then one more for everything chosen meanwhile; only its answer is shown.
    assert gated.asked[1:] == [(*NOVEMBER, "counter")]
    assert len(gated.asked) == 2
    assert reports.report == supervisor.expected(*NOVEMBER, "counter")
    qtbot.waitUntil(lambda: not reports.busy)
    assert tab.message.text() == ""
    assert tab.export_pdf.isEnabled()


def test_a_report_asked_before_signing_out_is_never_shown_after(
    qtbot: QtBot, sqlite_screens: Screens
) -> None:
    screens = sqlite_screens
    november(screens.store, screens.clock, screens.config)
    gated = GatedCentre(screens.store, screens.clock, screens.config)
    screens.centre = gated
    supervisor = supervisor_on(screens)
    reports = supervisor.reports
    supervisor.window.tabs.setCurrentWidget(supervisor.window.reports)
    qtbot.waitUntil(lambda: reports.busy)
    supervisor.vm.sign_out()
    gated.gate.set()
    qtbot.waitUntil(lambda: not reports.busy)
    assert reports.report is None
    assert supervisor.window.reports.table.rowCount() == 0


def test_signing_out_forgets_the_report(qtbot: QtBot, supervisor: Supervisor) -> None:
    supervisor.open_reports()
    supervisor.vm.sign_out()
    assert supervisor.reports.report is None
    assert supervisor.window.tabs.currentWidget() is supervisor.window.today
    assert supervisor.window.reports.table.rowCount() == 0


def test_over_http_the_supervisor_gets_the_same_report(
    qtbot: QtBot,
    request: pytest.FixtureRequest,
    sqlite_store: Store,
    clock: FixedClock,
    config: CentreConfig,
) -> None:
    november(sqlite_store, clock, config)
    with live_server(sqlite_store, clock, config) as live:
        remote = RemoteCentre.connect(live.url, live.enrol("supervisor"), clock=clock)
        request.addfinalizer(remote.close)
        reports = ReportsViewModel(remote, lang="en")
        request.addfinalizer(reports.stop)
        remote.supervisor_sign_in(*SUPERVISOR)
        for by in BY:
            assert remote.report(*NOVEMBER, by) == rp.report(
                sqlite_store, config, *NOVEMBER, by, clock.now()
            ), by
        with qtbot.waitSignal(reports.report_changed, timeout=10_000):
            reports.choose(QuickPeriod.LAST_MONTH)
        shown = reports.report
        assert shown == rp.report(sqlite_store, config, *NOVEMBER, "day", clock.now())
        assert shown is not None
        assert shown.bookings
        assert shown.total.rating_counts == (0, 0, 0, 1, 0)
        # Over ten years: the server refuses it, and the supervisor is told why.
        with qtbot.waitSignal(
            reports.message_shown, timeout=10_000, check_params_cb=lambda _t, error: error
        ) as said:
            reports.set_period(date(2016, 1, 1), date(2026, 12, 5))
        assert said.args[0] == "The centre cannot report on that period: choose a shorter one."
        assert reports.report is shown
    # The server is gone: the supervisor is told, and the last report stays.
    with qtbot.waitSignal(
        reports.message_shown, timeout=20_000, check_params_cb=lambda _t, error: error
    ) as said:
        reports.choose(QuickPeriod.LAST_MONTH)
    assert said.args[0] == "The centre cannot be reached. Try again in a moment."
    assert reports.report is shown
    qtbot.waitUntil(lambda: not reports.busy)


def test_the_split_list_offers_every_split_of_the_reports(supervisor: Supervisor) -> None:
    split = supervisor.window.reports.split
    assert [split.itemData(index) for index in range(split.count())] == list(BY)
    assert split.itemText(BY.index("weekday-hour")) == "Weekday and hour"
