"""The reports' words: every figure named in both languages, keys, periods, units and titles."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date

import pytest

from centre import reports as rp
from centre.config import CentreConfig
from display.reports import labels
from display.reports.labels import Unit

ARABIC = re.compile("[\u0600-\u06ff]")
DASH = "\N{EN DASH}"


def a_report(by: str = "service", rows: list[rp.Row] | None = None) -> rp.Report:
    total = rp.Row("total", 0, 0, 0, 0, None, None, None, None, None, None, 0)
    return rp.Report(date(2026, 11, 1), date(2026, 11, 30), by, rows or [], total, [])


@pytest.mark.parametrize(
    ("row_type", "figures"),
    [(rp.Row, labels.ROW_FIGURES), (rp.BookingRow, labels.BOOKING_FIGURES)],
)
def test_every_figure_of_the_reports_has_words_in_both_languages(
    row_type: type, figures: dict[str, labels.Figure]
) -> None:
    names = [f.name for f in dataclasses.fields(row_type) if f.name != "key"]
    # A figure added to centre.reports without words here fails this test (its export
    # would head it with its bare name).
    assert sorted(names) == sorted(figures)
    for name in names:
        figure = figures[name]
        assert ARABIC.search(figure.label.ar), name
        assert ARABIC.search(figure.meaning.ar), name
        assert figure.label.en, name
        assert figure.meaning.en, name
        assert not ARABIC.search(figure.label.en + figure.meaning.en), name
    for by in rp.BY:
        assert ARABIC.search(labels.SPLITS[by].ar)
        assert ARABIC.search(labels.SPLIT_MEANINGS[by].ar)


def test_the_columns_follow_the_rows_fields_in_order() -> None:
    columns = labels.row_columns(a_report("counter"))
    expected = []
    for field in dataclasses.fields(rp.Row):
        if field.name == "rating_counts":
            expected += [f"rating_counts.{n}" for n in range(1, 6)]
        else:
            expected.append(field.name)
    assert [c.name for c in columns] == expected
    assert [labels.header(c, "en") for c in columns[:6]] == [
        "Counter", "Visitors", "Served", "No-shows", "Cancelled", "Mean wait (min)",
    ]  # fmt: skip
    assert [labels.header(c, "ar") for c in columns[:6]] == [
        "الكاونتر", "المراجعون", "تمت خدمتهم", "لم يحضروا", "الملغاة", "متوسط الانتظار (دقيقة)",
    ]  # fmt: skip
    by_name = {c.name: c for c in columns}
    assert labels.header(by_name["sla_pct"], "en") == "Within max wait (%)"
    assert labels.header(by_name["rating_counts.5"], "en") == "Rated 5"
    assert labels.header(by_name["rating_counts.5"], "ar") == "تقييم 5"
    bookings = labels.booking_columns(a_report())
    assert [labels.header(c, "en") for c in bookings] == [
        "Service", "Slot", "Booked", "Checked in", "Did not come", "Did not come (%)",
    ]  # fmt: skip


@dataclass(frozen=True)
class LaterRow(rp.Row):
    """A row as centre.reports might give it one day, with figures this module never saw."""

    queue_length: int = 7
    idle_s: float | None = 90.0
    shares: tuple[int, ...] = (1, 2)
    note: str | None = None


def test_a_figure_without_words_still_gets_a_column_headed_by_its_name(
    config: CentreConfig,
) -> None:
    row = LaterRow("1", 3, 2, 0, 0, None, None, None, None, None, None, 0)
    report = dataclasses.replace(a_report("counter"), rows=[row], total=row)
    columns = labels.row_columns(report)
    later = columns[-5:]
    assert [labels.header(c, "en") for c in later] == [
        "Queue length", "Idle (min)", "Shares 1", "Shares 2", "Note",
    ]  # fmt: skip
    # Its name in both languages (the unit is still said in Arabic).
    assert [labels.header(c, "ar") for c in later] == [
        "Queue length", "Idle (دقيقة)", "Shares 1", "Shares 2", "Note",
    ]  # fmt: skip
    assert [labels.cell_text(c, row, "en", config, "counter") for c in later] == [
        "7", "1.5", "1", "2", "—",
    ]  # fmt: skip
    meanings = dict(labels.definitions(columns, "en"))
    assert meanings["Queue length"] == "—"


@pytest.mark.parametrize(
    ("by", "key", "en", "ar"),
    [
        ("day", "2026-11-22", "Sun 22 Nov 2026", "الأحد 22 نوفمبر 2026"),
        ("week", "2026-W47", "Week 47, 2026", "الأسبوع 47، 2026"),
        ("month", "2026-11", "November 2026", "نوفمبر 2026"),
        ("service", "licence-renewal", "Driving licence renewal", "تجديد رخصة السياقة"),
        ("service", "retired-service", "retired-service", "retired-service"),
        ("counter", "4", "Counter 4", "الكاونتر 4"),
        ("counter", None, "Not called", "لم يناد عليها"),
        ("clerk", "c101", "c101", "c101"),
        ("clerk", None, "No clerk signed in", "بلا موظف مسجل"),
        ("hour", "09", "09:00", "09:00"),
        ("weekday-hour", "sun-09", "Sunday 09:00", "الأحد 09:00"),
        ("weekday-hour", "thu-13", "Thursday 13:00", "الخميس 13:00"),
        # A key of a shape not known here is shown as it is, never a crash.
        ("weekday-hour", "someday-9", "someday-9", "someday-9"),
        ("month", "2026", "2026", "2026"),
    ],
)
def test_keys_as_people_read_them(
    config: CentreConfig, by: str, key: str | None, en: str, ar: str
) -> None:
    assert labels.key_label(by, key, "en", config) == en
    assert labels.key_label(by, key, "ar", config) == ar


def test_a_counters_configured_name_is_its_label(config: CentreConfig) -> None:
    counters = [
        c.model_copy(update={"name": {"ar": "شباك كبار السن", "en": "Seniors' desk"}})
        if c.id == "2"
        else c
        for c in config.counters
    ]
    named = config.model_copy(update={"counters": counters})
    assert labels.key_label("counter", "2", "en", named) == "Seniors' desk"
    assert labels.key_label("counter", "2", "ar", named) == "شباك كبار السن"


@pytest.mark.parametrize(
    ("start", "end", "en", "ar"),
    [
        (date(2026, 11, 22), date(2026, 11, 22), "22 Nov 2026", "22 نوفمبر 2026"),
        (date(2026, 11, 1), date(2026, 11, 30), f"1{DASH}30 Nov 2026", "من 1 إلى 30 نوفمبر 2026"),
        (
            date(2026, 11, 28), date(2026, 12, 3), f"28 Nov {DASH} 3 Dec 2026",
            "من 28 نوفمبر إلى 3 ديسمبر 2026",
        ),
        (
            date(2026, 12, 28), date(2027, 1, 3), f"28 Dec 2026 {DASH} 3 Jan 2027",
            "من 28 ديسمبر 2026 إلى 3 يناير 2027",
        ),
    ],
)  # fmt: skip
def test_periods(start: date, end: date, en: str, ar: str) -> None:
    assert labels.period_label(start, end, "en") == en
    assert labels.period_label(start, end, "ar") == ar


def test_titles() -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    assert (
        labels.report_title(start, end, "service", "en") == f"Report 1{DASH}30 Nov 2026 by service"
    )
    assert (
        labels.report_title(start, end, "service", "ar")
        == "تقرير من 1 إلى 30 نوفمبر 2026 حسب الخدمة"
    )
    assert (
        labels.report_title(start, end, "weekday-hour", "en")
        == f"Report 1{DASH}30 Nov 2026 by weekday and hour"
    )
    assert labels.page_label(2, 5, "en") == "Page 2 of 5"
    assert labels.page_label(2, 5, "ar") == "صفحة 2 من 5"


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [
        (Unit.SECONDS, 450.0, "7.5"),
        (Unit.SECONDS, 1880.0, "31.3"),
        (Unit.SECONDS, 0.0, "0.0"),
        (Unit.SECONDS, 90_000.0, "1,500.0"),
        (Unit.PERCENT, 66.7, "66.7%"),
        (Unit.PERCENT, 100.0, "100.0%"),
        (Unit.RATING, 4.5, "4.50"),
        (Unit.RATE, 1.14, "1.1"),
        (Unit.COUNT, 1234, "1,234"),
        (Unit.COUNT, 0, "0"),
        (Unit.NUMBER, 2.5, "2.5"),
        (Unit.TEXT, "09:15", "09:15"),
        # No data is the null mark in every unit, never 0.
        (Unit.SECONDS, None, "—"),
        (Unit.PERCENT, None, "—"),
        (Unit.COUNT, None, "—"),
    ],
)
def test_values_as_people_read_them(unit: Unit, value: object, shown: str) -> None:
    assert labels.format_value(unit, value) == shown


def test_weekdays_run_from_sunday_in_the_centres_words() -> None:
    assert [labels.weekday_name(d, "en") for d in ("sun", "mon", "sat")] == [
        "Sunday", "Monday", "Saturday",
    ]  # fmt: skip
    assert [labels.weekday_name(d, "ar") for d in ("sun", "mon", "sat")] == [
        "الأحد", "الاثنين", "السبت",
    ]  # fmt: skip
    assert labels.weekday_name(date(2026, 11, 26).weekday(), "ar") == "الخميس"


def test_the_default_language_is_the_centres_first(config: CentreConfig) -> None:
    assert config.centre.languages[0] == "ar"
    assert labels.default_language(config) == "ar"
    english = config.model_copy(
        update={"centre": config.centre.model_copy(update={"languages": ["en", "ar"]})}
    )
    assert labels.default_language(english) == "en"
    none = config.model_copy(update={"centre": config.centre.model_copy(update={"languages": []})})
    assert labels.default_language(none) == "en"


def test_the_words_and_the_workbook_load_no_qt() -> None:
    # taboor report --xlsx runs headless: only a PDF brings Qt in.
    code = (
        "import sys, display.reports.labels, display.reports.export; "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
