"""Exported reports read back: the workbook with openpyxl, the PDF with pdftotext."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pytestqt.qtbot import QtBot

from centre import reports as rp
from centre import staff
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from display.reports import labels
from display.reports.export import write_pdf, write_xlsx
from tests.documents import pages_of, pdf_text, pdftotext, readable, squeezed
from tests.helpers import make_appointment
from tests.unit.centre.test_reports import SUNDAY, Day, at

# The first rows of the report sheet: the centre's name, the title, a blank line.
HEADER_ROW = 4
MONDAY_MORNING = at(SUNDAY + timedelta(days=1), "08:00")


@pytest.fixture
def a_sunday(sqlite_store: Store, config: CentreConfig, clock: FixedClock) -> Store:
    """A Sunday of the real use cases: two walk-ins served and waited on, a no-show after a
    74-minute wait, a cancelled ticket, a booking checked in and one that never came, two
    ratings, and a clerk with a 15-minute break."""
    store, d = sqlite_store, Day(sqlite_store, config, clock)
    d.when("07:00")
    staff.add_staff(store, clock, "c101", name_ar="فاطمة", name_en="Fatima", pin="2468")
    came = make_appointment(
        store, cpr="900101234", service="licence-renewal", slot=at(SUNDAY, "09:00")
    )
    missed = make_appointment(
        store, cpr="900105678", service="traffic-fines", slot=at(SUNDAY, "09:15")
    )
    uc.store_appointments(store, [came, missed])
    staff.sign_in(store, d.when("08:00").clock, config, "1", "c101", "2468")
    t1 = d.issue("08:05", "licence-renewal")
    t2 = d.issue("08:06", "traffic-fines")
    t3 = d.issue("08:07", "traffic-fines")
    assert d.call("08:15", "1") == t1
    d.serve("08:16", "08:26", "1")
    staff.start_break(store, d.when("08:30").clock, config, "1")
    staff.end_break(store, d.when("08:45").clock, config, "1")
    t4 = uc.check_in_by_cpr(store, d.when("08:50").clock, config, "900101234", came.id)
    assert d.call("09:00", "1") == t4.ticket.id
    d.serve("09:01", "09:11", "1")
    assert d.call("09:20", "4") == t2
    d.act("09:25", "no_show", "4")
    uc.cancel_ticket(d.when("09:30").store, clock, config, t3)
    d.rate("09:40", t1, 5)
    d.rate("09:41", t4.ticket.id, 4)
    staff.sign_out(store, d.when("10:00").clock, config, "1")
    return store


def report_of(store: Store, config: CentreConfig, by: str = "service") -> rp.Report:
    return rp.report(store, config, SUNDAY, SUNDAY, by, now=MONDAY_MORNING)


def sheet_rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def table(sheet: Worksheet) -> dict[str, dict[str, Any]]:
    """The report sheet's rows by their first cell, each as {header: value}."""
    rows = sheet_rows(sheet)
    header = rows[HEADER_ROW - 1]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[HEADER_ROW:]}


# -- the workbook ---------------------------------------------------------------


def test_the_workbook_in_english_holds_the_reports_numbers(
    a_sunday: Store, config: CentreConfig, tmp_path: Path
) -> None:
    found = report_of(a_sunday, config)
    path = write_xlsx(found, config, tmp_path / "november.xlsx", "en")
    assert path == tmp_path / "november.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == ["Report", "Bookings", "Definitions"]
    sheet = book["Report"]
    assert not sheet.sheet_view.rightToLeft
    rows = sheet_rows(sheet)
    assert rows[0][0] == "General Directorate of Traffic - Dana Mall branch"
    assert rows[1][0] == "Report 22 Nov 2026 by service"
    columns = labels.row_columns(found)
    assert rows[HEADER_ROW - 1] == [labels.header(c, "en") for c in columns]
    got = table(sheet)
    assert list(got) == ["Driving licence renewal", "Payment of traffic fines", "Total"]
    # Times in minutes, shares as fractions, counts as whole numbers; no data: an empty cell.
    renewal = got["Driving licence renewal"]
    assert renewal | {
        "Visitors": 2, "Served": 2, "No-shows": 0, "Cancelled": 0, "Mean wait (min)": 10.0,
        "Median wait (min)": 10.0, "90th percentile wait (min)": 10.0,
        "Mean service time (min)": 10.0, "Within max wait (%)": 1.0, "Satisfaction": 4.5,
        "Ratings": 2, "Walk-ins": 1, "Appointments": 1, "Rated 1": 0, "Rated 4": 1,
        "Rated 5": 1, "Served per hour": None, "Time on break (min)": None,
    } == renewal  # fmt: skip
    fines = got["Payment of traffic fines"]
    assert fines | {
        "Visitors": 2, "No-shows": 1, "Cancelled": 1, "Mean wait (min)": 74.0,
        "Mean service time (min)": None, "Within max wait (%)": 0.0, "Satisfaction": None,
        "Ratings": 0, "Walk-ins": 2,
    } == fines  # fmt: skip
    total = got["Total"]
    assert total | {
        "Visitors": 4, "Served": 2, "Mean wait (min)": pytest.approx(1880 / 60),
        "90th percentile wait (min)": pytest.approx(3672 / 60),
        "Within max wait (%)": pytest.approx(0.667), "Served per hour": 1.14,
        "Time on break (min)": 15.0,
    } == total  # fmt: skip
    # Every cell is the report's own figure, numbers as numbers.
    for row, line in zip([*found.rows, found.total], got.values(), strict=True):
        for column in columns[1:]:
            value, cell = column.value(row), line[labels.header(column, "en")]
            if value is None:
                assert cell is None
                continue
            assert isinstance(value, int | float)
            assert isinstance(cell, int | float)
            if column.unit is labels.Unit.SECONDS:
                assert cell == pytest.approx(value / 60)
            elif column.unit is labels.Unit.PERCENT:
                assert cell == pytest.approx(value / 100)
            else:
                assert cell == value
    formats = {
        head: sheet.cell(HEADER_ROW + 1, index + 1).number_format
        for index, head in enumerate(rows[HEADER_ROW - 1])
    }
    assert formats["Within max wait (%)"] == "0.0%"
    assert formats["Mean wait (min)"] == "#,##0.0"
    assert sheet.freeze_panes == f"B{HEADER_ROW + 1}"


def test_the_workbook_in_arabic_runs_right_to_left_with_arabic_words(
    a_sunday: Store, config: CentreConfig, tmp_path: Path
) -> None:
    found = report_of(a_sunday, config)
    book = load_workbook(write_xlsx(found, config, tmp_path / "نوفمبر.xlsx", "ar"))
    assert book.sheetnames == ["التقرير", "المواعيد", "التعريفات"]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    sheet = book["التقرير"]
    rows = sheet_rows(sheet)
    assert rows[0][0] == "الإدارة العامة للمرور - فرع مجمع الدانة"
    assert rows[1][0] == "تقرير 22 نوفمبر 2026 حسب الخدمة"
    assert rows[HEADER_ROW - 1][:6] == [
        "الخدمة", "المراجعون", "تمت خدمتهم", "لم يحضروا", "الملغاة", "متوسط الانتظار (دقيقة)",
    ]  # fmt: skip
    got = table(sheet)
    assert list(got) == ["تجديد رخصة السياقة", "دفع المخالفات المرورية", "الإجمالي"]
    total = got["الإجمالي"]
    assert total | {
        "المراجعون": 4, "تمت خدمتهم": 2, "لم يحضروا": 1, "الملغاة": 1,
        "متوسط الانتظار (دقيقة)": pytest.approx(1880 / 60), "ضمن حد الانتظار (%)": 0.667,
        "الرضا": 4.5, "التقييمات": 2, "دون موعد": 3, "بموعد": 1, "تقييم 4": 1, "تقييم 5": 1,
        "مدة الاستراحة (دقيقة)": 15.0,
    } == total  # fmt: skip
    assert got["دفع المخالفات المرورية"]["الرضا"] is None


def test_the_workbooks_bookings_and_definitions(
    a_sunday: Store, config: CentreConfig, tmp_path: Path
) -> None:
    found = report_of(a_sunday, config)
    book = load_workbook(write_xlsx(found, config, tmp_path / "r.xlsx", "en"))
    bookings = sheet_rows(book["Bookings"])
    assert bookings[1][0] == "Bookings 22 Nov 2026"
    assert bookings[HEADER_ROW - 1:] == [
        ["Service", "Slot", "Booked", "Checked in", "Did not come", "Did not come (%)"],
        ["Driving licence renewal", "09:00", 1, 1, 0, 0.0],
        ["Payment of traffic fines", "09:15", 1, 0, 1, 1.0],
    ]  # fmt: skip
    definitions = sheet_rows(book["Definitions"])
    split = definitions.index(["Bookings", None])
    figures = {row[0]: row[1] for row in definitions[3:split]}
    booking = {row[0]: row[1] for row in definitions[split + 1 :] if row[1]}
    assert list(figures)[:3] == ["Service", "Visitors", "Served"]
    assert "not the one it was transferred to" in figures["Service"]
    assert "first call" in figures["Mean wait (min)"]
    assert "left from the phone is not one" in figures["No-shows"]
    # One line for a figure of several numbers.
    assert "Ratings of each score" in figures
    assert "Rated 1" not in figures
    assert list(booking) == [
        "Service", "Slot", "Booked", "Checked in", "Did not come", "Did not come (%)",
    ]  # fmt: skip
    assert booking["Did not come"] == "Booked, never checked in."
    assert "A figure with no data shows — (an empty cell in the workbook), never 0." in [
        row[0] for row in definitions
    ]
    arabic = load_workbook(write_xlsx(found, config, tmp_path / "r-ar.xlsx", "ar"))
    meanings = {row[0]: row[1] for row in sheet_rows(arabic["التعريفات"]) if row[0]}
    assert "أول نداء" in meanings["متوسط الانتظار (دقيقة)"]


def test_a_day_is_a_date_and_a_ticket_never_called_has_its_row(
    a_sunday: Store, config: CentreConfig, tmp_path: Path
) -> None:
    by_day = report_of(a_sunday, config, "day")
    sheet = load_workbook(write_xlsx(by_day, config, tmp_path / "d.xlsx", "en"))["Report"]
    first = sheet.cell(HEADER_ROW + 1, 1)
    assert isinstance(first.value, datetime)
    assert first.value.date() == SUNDAY
    assert first.number_format == "yyyy-mm-dd"
    by_clerk = report_of(a_sunday, config, "clerk")
    sheet = load_workbook(write_xlsx(by_clerk, config, tmp_path / "c.xlsx", "ar"))["التقرير"]
    got = table(sheet)
    assert list(got) == ["c101", "بلا موظف مسجل", "الإجمالي"]
    assert got["c101"]["المخدومون في الساعة"] == 1.14


def test_a_period_without_bookings_says_so(config: CentreConfig, tmp_path: Path) -> None:
    empty = many_days(0)
    rows = sheet_rows(
        load_workbook(write_xlsx(empty, config, tmp_path / "e.xlsx", "en"))["Bookings"]
    )
    assert rows[-1] == ["No bookings on the period's closed days.", None, None, None, None, None]


# -- the PDF --------------------------------------------------------------------


def tokens(line: str) -> list[str]:
    return line.split()


def lines_with(text: str, label: str) -> list[str]:
    """The lines of ``text`` that start (or, right to left, end) with ``label``."""
    return [line for line in text.splitlines() if label in line]


def test_the_pdf_in_english(
    a_sunday: Store, config: CentreConfig, tmp_path: Path, qapp: Any
) -> None:
    pdftotext()
    found = report_of(a_sunday, config)
    path = write_pdf(found, config, tmp_path / "november.pdf", "en")
    assert path.read_bytes().startswith(b"%PDF")
    text = readable(pdf_text(path))
    assert "General Directorate of Traffic - Dana Mall branch" in text
    assert "Report 22 Nov 2026 by service" in text
    assert "Page 1 of " in text
    # Each row is in two tables of ten figures (A4 is not wide enough for twenty), in
    # order, then its bookings' line.
    name = "Driving licence renewal"
    first, second, booked = (tokens(line.replace(name, "")) for line in lines_with(text, name))
    assert first == ["2", "2", "0", "0", "10.0", "10.0", "10.0", "10.0", "100.0%", "4.50"]
    assert second == ["2", "1", "1", "0", "0", "0", "1", "1", "—", "—"]
    assert booked == ["09:00", "1", "1", "0", "0.0%"]
    first, second = (tokens(line.replace("Total", "", 1)) for line in lines_with(text, "Total"))
    assert first == ["4", "2", "1", "1", "31.3", "10.0", "61.2", "10.0", "66.7%", "4.50"]
    assert second == ["2", "3", "1", "0", "0", "0", "1", "1", "1.1", "15.0"]
    fines = lines_with(text, "Payment of traffic fines")
    assert tokens(fines[0].replace("Payment of traffic fines", "")) == [
        "2", "0", "1", "1", "74.0", "74.0", "74.0", "—", "0.0%", "—",
    ]  # fmt: skip
    for label in ("Visitors", "Mean wait", "Within max", "Did not come", "Definitions"):
        assert label in text
    assert "From arrival (issue, or check-in for a booking) to the first call" in text


def test_the_pdf_in_arabic_is_shaped_arabic_text(
    a_sunday: Store, config: CentreConfig, tmp_path: Path, qapp: Any
) -> None:
    pdftotext()
    found = report_of(a_sunday, config)
    raw = pdf_text(write_pdf(found, config, tmp_path / "نوفمبر.pdf", "ar"))
    # pdftotext gives the glyphs Qt chose as presentation forms: "تقرير" comes out joined,
    # teh initial, qaf medial, reh final, yeh initial, reh final; unshaped it would be five
    # isolated letters.
    assert "\ufe97\ufed8\ufeae\ufef3\ufeae" in raw
    assert "\ufe95\ufed5\ufead\ufef1\ufead" not in raw
    text = readable(raw)
    # Words in their reading order, whatever spaces pdftotext puts around the numbers.
    assert "الإدارةالعامةللمرور-فرعمجمعالدانة" in squeezed(raw)
    assert "تقرير22نوفمبر2026حسبالخدمة" in squeezed(raw)
    for word in ("المراجعون", "تمت خدمتهم", "متوسط الانتظار", "الإجمالي", "المواعيد"):
        assert word in text
    assert "صفحة1من" in squeezed(raw)
    # The table runs right to left: a row's line reads from its last figure to its name.
    name = "تجديد رخصة السياقة"
    first, second, booked = (
        list(reversed(tokens(line.replace(name, "")))) for line in lines_with(text, name)
    )
    assert first == ["2", "2", "0", "0", "10.0", "10.0", "10.0", "10.0", "100.0%", "4.50"]
    assert second == ["2", "1", "1", "0", "0", "0", "1", "1", "—", "—"]
    assert booked == ["09:00", "1", "1", "0", "0.0%"]
    total = lines_with(text, "الإجمالي")
    assert list(reversed(tokens(total[0].replace("الإجمالي", "")))) == [
        "4", "2", "1", "1", "31.3", "10.0", "61.2", "10.0", "66.7%", "4.50",
    ]  # fmt: skip


def many_days(count: int) -> rp.Report:
    """A hand-made report of ``count`` days (no store: the writers take any report)."""
    start = date(2026, 1, 1)
    rows = [
        rp.Row((start + timedelta(days=n)).isoformat(), n, n, 0, 0, 60.0 * n, None, None,
               None, None, None, 0)
        for n in range(count)
    ]  # fmt: skip
    total = rp.Row("total", sum(range(count)), sum(range(count)), 0, 0, None, None, None,
                   None, None, None, 0)  # fmt: skip
    return rp.Report(start, start + timedelta(days=max(count - 1, 0)), "day", rows, total, [])


@pytest.mark.parametrize(
    ("lang", "visitors", "page"), [("en", "Visitors", "Page"), ("ar", "المراجعون", "صفحة")]
)
def test_a_long_report_repeats_its_header_on_every_page(
    config: CentreConfig, tmp_path: Path, qapp: Any, lang: str, visitors: str, page: str
) -> None:
    pdftotext()
    path = write_pdf(many_days(90), config, tmp_path / "quarter.pdf", lang)
    pages = pages_of(path)
    assert pages >= 3
    of = "من" if lang == "ar" else "of"
    for number in range(1, pages + 1):
        assert f"{page}{number}{of}{pages}" in squeezed(pdf_text(path, number))
    for number in range(1, 3):
        assert visitors in readable(pdf_text(path, number))
    last_day = squeezed(pdf_text(path))
    assert squeezed(labels.key_label("day", "2026-03-31", lang, config)) in last_day
    assert "89.0" in last_day  # the last day's wait: 89 minutes


@dataclass(frozen=True)
class LaterRow(rp.Row):
    """A row with a figure the exports have no words for yet."""

    idle_s: float | None = None


def test_a_figure_added_later_is_exported_under_its_name(
    config: CentreConfig, tmp_path: Path, qapp: Any
) -> None:
    pdftotext()
    row = LaterRow("1", 3, 2, 0, 0, None, None, None, None, None, None, 0, idle_s=150.0)
    report = dataclasses.replace(many_days(0), by="counter", rows=[row], total=row)
    sheet = load_workbook(write_xlsx(report, config, tmp_path / "l.xlsx", "en"))["Report"]
    assert table(sheet)["Counter 1"]["Idle (min)"] == 2.5
    text = readable(pdf_text(write_pdf(report, config, tmp_path / "l.pdf", "en")))
    assert "Idle" in text
    assert "2.5" in text


def test_the_pdf_is_written_on_a_worker_thread_as_the_reports_tab_does(
    config: CentreConfig, tmp_path: Path, qtbot: QtBot
) -> None:
    pdftotext()
    done: list[Path] = []
    worker = threading.Thread(
        target=lambda: done.append(write_pdf(many_days(3), config, tmp_path / "t.pdf", "ar"))
    )
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive())
    assert done == [tmp_path / "t.pdf"]
    assert "تقرير" in readable(pdf_text(done[0]))


def test_a_folder_that_is_missing_is_an_os_error_and_leaves_no_file(
    config: CentreConfig, tmp_path: Path, qapp: Any
) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(FileNotFoundError):
        write_xlsx(many_days(1), config, missing / "r.xlsx", "en")
    with pytest.raises(FileNotFoundError):
        write_pdf(many_days(1), config, missing / "r.pdf", "en")
    assert not missing.exists()
