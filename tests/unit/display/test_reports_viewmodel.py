"""The Reports tab's view-model on a real SQLite store: periods, splits, refusals, exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from centre import reports as rp
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import BadInput, CentreUnreachable
from centre.local import LocalCentre
from centre.store.unit_of_work import Store
from display.reports.viewmodel import (
    DEFAULT_QUICK,
    DEFAULT_SPLIT,
    ExportKind,
    Period,
    QuickPeriod,
    ReportsViewModel,
    quick_period,
)
from tests.helpers import MORNING
from ui.i18n import Translations

DAY = MORNING.date()  # Sunday 22 November 2026


@pytest.mark.parametrize(
    ("today", "choice", "start", "end"),
    [
        (date(2026, 12, 6), QuickPeriod.YESTERDAY, date(2026, 12, 5), date(2026, 12, 5)),
        (date(2026, 12, 6), QuickPeriod.LAST_7_DAYS, date(2026, 11, 29), date(2026, 12, 5)),
        (date(2026, 12, 6), QuickPeriod.THIS_MONTH, date(2026, 12, 1), date(2026, 12, 6)),
        (date(2026, 12, 6), QuickPeriod.LAST_MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        # Across a year's turn, and a leap February.
        (date(2027, 1, 1), QuickPeriod.YESTERDAY, date(2026, 12, 31), date(2026, 12, 31)),
        (date(2027, 1, 1), QuickPeriod.THIS_MONTH, date(2027, 1, 1), date(2027, 1, 1)),
        (date(2027, 1, 1), QuickPeriod.LAST_MONTH, date(2026, 12, 1), date(2026, 12, 31)),
        (date(2028, 3, 1), QuickPeriod.LAST_MONTH, date(2028, 2, 1), date(2028, 2, 29)),
        (date(2028, 3, 1), QuickPeriod.LAST_7_DAYS, date(2028, 2, 23), date(2028, 2, 29)),
    ],
)
def test_quick_periods(today: date, choice: QuickPeriod, start: date, end: date) -> None:
    period = quick_period(choice, today)
    assert period == Period(start, end)
    assert period.days == (end - start).days + 1


@pytest.fixture
def centre(sqlite_store: Store, clock: FixedClock, config: CentreConfig) -> LocalCentre:
    """A centre with three tickets on 22 November 2026, and its clock a week later."""
    for service in ("licence-renewal", "licence-renewal", "traffic-fines"):
        uc.issue_ticket(sqlite_store, clock, config, service)
        clock.advance(timedelta(minutes=4))
    uc.call_next(sqlite_store, clock, config, "1")
    clock.set(MORNING + timedelta(days=7))
    return LocalCentre(sqlite_store, clock, config)


@pytest.fixture
def reports(qtbot: QtBot, centre: LocalCentre) -> Iterator[ReportsViewModel]:
    made = ReportsViewModel(centre, lang="en")
    yield made
    made.stop()


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    installed = Translations(qapp)
    yield installed
    installed.use("en")


def test_it_starts_on_the_last_seven_days_by_day_and_reads_nothing_unasked(
    reports: ReportsViewModel,
) -> None:
    today = date(2026, 11, 29)
    assert reports.today() == today
    assert reports.period == quick_period(DEFAULT_QUICK, today)
    assert reports.quick is QuickPeriod.LAST_7_DAYS
    assert reports.split == DEFAULT_SPLIT == "day"
    assert reports.report is None
    assert not reports.busy


def test_a_quick_period_and_a_split_read_the_centres_report(
    qtbot: QtBot, reports: ReportsViewModel, centre: LocalCentre
) -> None:
    with qtbot.waitSignals([reports.period_changed, reports.report_changed], timeout=5000):
        reports.choose(QuickPeriod.LAST_MONTH)
    assert reports.quick is QuickPeriod.LAST_MONTH
    assert reports.period == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert reports.report == _expected(centre, reports, "day")
    with qtbot.waitSignals([reports.period_changed, reports.report_changed], timeout=5000):
        reports.choose(QuickPeriod.THIS_MONTH)
    assert reports.report is not None
    assert reports.report.total.visitors == 3
    with qtbot.waitSignals([reports.split_changed, reports.report_changed], timeout=5000):
        reports.set_split("service")
    assert reports.report == _expected(centre, reports, "service")
    assert [row.key for row in reports.report.rows] == ["licence-renewal", "traffic-fines"]
    with qtbot.waitSignal(reports.report_changed, timeout=5000):
        reports.set_period(DAY, DAY)
    assert reports.report.start == reports.report.end == DAY
    assert reports.quick is None
    assert not reports.busy


def test_bad_choices_are_one_line_in_the_supervisors_language(
    qtbot: QtBot, reports: ReportsViewModel, translations: Translations
) -> None:
    with qtbot.waitSignal(reports.message_shown) as said:
        reports.set_period(DAY, DAY - timedelta(days=1))
    assert said.args == ["The period starts after it ends: choose the dates again.", True]
    with qtbot.waitSignal(reports.message_shown) as said:
        reports.set_split("year")
    assert said.args == ["There is no such split.", True]
    assert reports.split == "day"
    with qtbot.waitSignal(reports.message_shown) as said:
        reports.export(ExportKind.PDF, Path("report.pdf"))
    assert said.args == ["Show a report first, then export it.", True]
    assert not reports.busy

    translations.use("ar")
    reports.set_language("ar")
    with qtbot.waitSignal(reports.message_shown) as said:
        reports.load()
    assert said.args == ["تبدأ الفترة بعد نهايتها: اختر التاريخين من جديد.", True]
    # The centre refuses a period too long for it (over HTTP: a 422, bad input).
    assert reports.explain(BadInput("query: at most 3660 days at once")) == (
        "لا يستطيع المركز إعداد تقرير عن هذه الفترة: اختر فترة أقصر."
    )
    assert reports.explain(CentreUnreachable("gone")) == (
        "تعذّر الوصول إلى المركز. حاول مرة أخرى بعد لحظات."
    )


def test_exports_are_named_after_the_report_and_written_off_the_gui_thread(
    qtbot: QtBot, reports: ReportsViewModel, tmp_path: Path
) -> None:
    assert reports.suggested_name("pdf") == "taboor-report-2026-11-22-2026-11-28-day.pdf"
    with qtbot.waitSignal(reports.report_changed, timeout=5000):
        reports.set_split("service")
    assert reports.suggested_name(ExportKind.XLSX) == (
        "taboor-report-2026-11-22-2026-11-28-service.xlsx"
    )
    with qtbot.waitSignal(reports.exported, timeout=20_000) as written:
        reports.export("xlsx", tmp_path / "week.XLSX")
    assert written.args == [str(tmp_path / "week.XLSX")]
    assert (tmp_path / "week.XLSX").stat().st_size > 0
    assert not reports.busy


def test_clearing_forgets_the_report_and_keeps_the_choices(
    qtbot: QtBot, reports: ReportsViewModel
) -> None:
    with qtbot.waitSignal(reports.report_changed, timeout=5000):
        reports.choose(QuickPeriod.YESTERDAY)
    with qtbot.waitSignal(reports.report_changed) as cleared:
        reports.clear()
    assert cleared.args == [None]
    assert reports.report is None
    assert reports.quick is QuickPeriod.YESTERDAY


def _expected(centre: LocalCentre, reports: ReportsViewModel, by: str) -> rp.Report:
    """The report as the centre makes it, read here straight from its store."""
    period = reports.period
    return rp.report(centre.store, centre.config, period.start, period.end, by, centre.clock.now())
