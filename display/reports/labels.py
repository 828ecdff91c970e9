"""The words of the reports in Arabic and English: figures, splits, keys, units and titles.

One place for them: the exports (:mod:`display.reports.export`) and the
supervisor's Reports tab read the same words. Pure Python, no Qt, so that
``taboor report --xlsx`` loads none.

The tables are driven by the report's own rows: :func:`row_columns` makes one
:class:`Column` per field of the row's dataclass, in its order (a field
holding several numbers, ``rating_counts``, one per number). A field this
module has no words for yet still gets a column, headed by its name, so a new
figure in :mod:`centre.reports` shows up and never breaks an export.

How figures are shown, everywhere a person reads them (the PDF, the tab, the
spreadsheet's cell formats); CSV and JSON keep the raw figures:

- seconds as minutes with one decimal (``7.5``), the unit ``min`` / ``دقيقة``
  in the column's header;
- percentages with one decimal and ``%`` (``66.7%``);
- the mean rating with two decimals, served per hour with one;
- counts as whole numbers, thousands grouped (``1,234``);
- a figure with no data as :data:`NULL` (``—``), never 0;
- digits are the Western ones in both languages, as on the centre's tickets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from centre.config import CentreConfig
from centre.reports import WEEKDAYS, BookingRow, Report
from display.views import service_label

#: What a figure with no data shows.
NULL = "\N{EM DASH}"
#: Between the first and last day of a period in English.
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class Words:
    """A text in Arabic and English.

    Not :class:`centre.config.Names`: that is a validated piece of the
    configuration (at most 120 characters); these are the program's own words.
    """

    ar: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``ar`` or ``en``)."""
        return self.ar if lang == "ar" else self.en


class Unit(StrEnum):
    """What a column holds, which says how it is shown."""

    KEY = "key"  # the split's key: a day, a service code, a counter...
    SERVICE = "service"  # a service code, shown as the service's name
    TEXT = "text"  # shown as it is (a booking's slot, "09:15")
    COUNT = "count"
    SECONDS = "seconds"  # shown in minutes
    PERCENT = "percent"  # 0-100
    RATING = "rating"  # a mean rating, 1-5
    RATE = "rate"  # a number per hour
    NUMBER = "number"  # a number of a figure this module has no words for


@dataclass(frozen=True)
class Figure:
    """A figure of a report: its name in the row, its label, its unit and what it means."""

    name: str
    label: Words
    unit: Unit
    meaning: Words
    # A figure holding several numbers (``rating_counts``): the label of each.
    parts: tuple[Words, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a table: a figure, or one number of a figure that holds several."""

    figure: Figure
    part: int | None = None

    @property
    def name(self) -> str:
        """The figure's name, with the part's number for one of several (``rating_counts.5``)."""
        return self.figure.name if self.part is None else f"{self.figure.name}.{self.part + 1}"

    @property
    def unit(self) -> Unit:
        """What the column holds."""
        return self.figure.unit

    def value(self, row: object) -> object:
        """The raw figure of ``row`` in this column (``None``: no data)."""
        value = getattr(row, self.figure.name, None)
        if self.part is None:
            return value
        if isinstance(value, Sequence) and not isinstance(value, str) and self.part < len(value):
            return value[self.part]
        return None


# -- the words ------------------------------------------------------------------

MINUTES = Words("دقيقة", "min")
TOTAL = Words("الإجمالي", "Total")
REPORT = Words("التقرير", "Report")
BOOKINGS = Words("المواعيد", "Bookings")
NO_BOOKINGS = Words(
    "لا توجد مواعيد في أيام الفترة المغلقة.", "No bookings on the period's closed days."
)
DEFINITIONS = Words("التعريفات", "Definitions")
FIGURE = Words("الرقم", "Figure")
MEANING = Words("المعنى", "Meaning")
#: Said once under the definitions, as true of every figure.
NOTES = (
    Words(
        "الرقم الذي لا بيانات له يظهر «—» (خلية فارغة في جدول البيانات)، ولا يظهر صفرًا أبدًا.",
        "A figure with no data shows — (an empty cell in the workbook), never 0.",
    ),
    Words(
        "الأوقات بالدقائق، والتذكرة تُحسب مرة واحدة مهما تنقّلت (تحويل أو إعادة نداء).",
        "Times are in minutes. A ticket counts once however it moved (transfers, recalls).",
    ),
)

#: The splits (``--by``): a heading's noun.
SPLITS: Mapping[str, Words] = {
    "day": Words("اليوم", "Day"),
    "week": Words("الأسبوع", "Week"),
    "month": Words("الشهر", "Month"),
    "service": Words("الخدمة", "Service"),
    "counter": Words("الكاونتر", "Counter"),
    "clerk": Words("الموظف", "Clerk"),
    "hour": Words("الساعة", "Hour"),
    "weekday-hour": Words("اليوم والساعة", "Weekday and hour"),
}
#: What puts a ticket in a row of each split.
SPLIT_MEANINGS: Mapping[str, Words] = {
    "day": Words("يوم العمل الذي صدرت فيه التذكرة.", "The business day of the ticket."),
    "week": Words("أسبوع ذلك اليوم (ISO).", "The ISO week of that day."),
    "month": Words("شهر ذلك اليوم.", "The month of that day."),
    "service": Words(
        "الخدمة التي صدرت لها التذكرة، لا التي حُوّلت إليها.",
        "The service the ticket was issued for, not the one it was transferred to.",
    ),
    "counter": Words(
        "الكاونتر الذي نادى على التذكرة أول مرة.", "The counter of the ticket's first call."
    ),
    "clerk": Words(
        "الموظف المسجّل عند ذلك الكاونتر وقت النداء الأول.",
        "The clerk signed in at that counter at the first call.",
    ),
    "hour": Words("ساعة الوصول بتوقيت المركز.", "The hour of arrival, centre time."),
    "weekday-hour": Words(
        "يوم الأسبوع وساعة الوصول بتوقيت المركز.", "The weekday and hour of arrival, centre time."
    ),
}
#: The row of the tickets a split has no key for (``None``).
NO_KEY: Mapping[str, Words] = {
    "counter": Words("لم يناد عليها", "Not called"),
    "clerk": Words("بلا موظف مسجل", "No clerk signed in"),
}

#: Monday first, as :data:`centre.reports.WEEKDAYS` and :meth:`date.weekday`.
WEEKDAY_NAMES = (
    Words("الاثنين", "Monday"),
    Words("الثلاثاء", "Tuesday"),
    Words("الأربعاء", "Wednesday"),
    Words("الخميس", "Thursday"),
    Words("الجمعة", "Friday"),
    Words("السبت", "Saturday"),
    Words("الأحد", "Sunday"),
)
MONTH_NAMES = (
    Words("يناير", "January"),
    Words("فبراير", "February"),
    Words("مارس", "March"),
    Words("أبريل", "April"),
    Words("مايو", "May"),
    Words("يونيو", "June"),
    Words("يوليو", "July"),
    Words("أغسطس", "August"),
    Words("سبتمبر", "September"),
    Words("أكتوبر", "October"),
    Words("نوفمبر", "November"),
    Words("ديسمبر", "December"),
)


def _figure(name: str, unit: Unit, ar: str, en: str, meaning_ar: str, meaning_en: str) -> Figure:
    return Figure(name, Words(ar, en), unit, Words(meaning_ar, meaning_en))


#: The figures of a report's rows (``centre.reports.Row``), with their meanings.
ROW_FIGURES: Mapping[str, Figure] = {
    f.name: f
    for f in (
        _figure(
            "visitors", Unit.COUNT, "المراجعون", "Visitors",
            "تذاكر الفترة: تذاكر الحضور دون موعد والمواعيد التي سُجّل حضورها؛ "
            "تُحسب التذكرة مرة واحدة مهما تنقّلت.",
            "Tickets of the period: walk-ins issued and bookings checked in; "
            "a ticket counts once however it moved.",
        ),
        _figure(
            "served", Unit.COUNT, "تمت خدمتهم", "Served",
            "المراجعون الذين انتهت تذاكرهم بإتمام الخدمة.",
            "Visitors whose ticket ended served.",
        ),
        _figure(
            "no_shows", Unit.COUNT, "لم يحضروا", "No-shows",
            "نودي عليهم ولم يحضروا إلى الكاونتر؛ من غادر عبر الهاتف لا يُعدّ منهم.",
            "Called and never came to the counter; a visitor who left from the phone "
            "is not one.",
        ),
        _figure(
            "cancelled", Unit.COUNT, "الملغاة", "Cancelled",
            "تذاكر غادر أصحابها عبر الهاتف، أو سحبها المشرف، أو أُلغيت عند إغلاق اليوم.",
            "Left from the phone, withdrawn by the supervisor, or cancelled as the day closed.",
        ),
        _figure(
            "wait_mean_s", Unit.SECONDS, "متوسط الانتظار", "Mean wait",
            "من الوصول (إصدار التذكرة، أو تسجيل حضور الموعد) حتى أول نداء، "
            "للتذاكر التي نودي عليها.",
            "From arrival (issue, or check-in for a booking) to the first call, "
            "over the tickets called.",
        ),
        _figure(
            "wait_p50_s", Unit.SECONDS, "وسيط الانتظار", "Median wait",
            "نصف التذاكر التي نودي عليها انتظرت هذه المدة أو أقل.",
            "Half of the tickets called waited this long or less.",
        ),
        _figure(
            "wait_p90_s", Unit.SECONDS, "المئين 90 للانتظار", "90th percentile wait",
            "تسع من كل عشر تذاكر نودي عليها انتظرت هذه المدة أو أقل.",
            "Nine in ten of the tickets called waited this long or less.",
        ),
        _figure(
            "service_mean_s", Unit.SECONDS, "متوسط مدة الخدمة", "Mean service time",
            "من بدء الخدمة حتى انتهائها عند الكاونتر الذي أنهى التذكرة، للتذاكر التي تمت خدمتها.",
            "From start to finish at the counter that finished the ticket, over served tickets.",
        ),
        _figure(
            "sla_pct", Unit.PERCENT, "ضمن حد الانتظار", "Within max wait",
            "نسبة التذاكر التي نودي عليها أول مرة ضمن الحد الأقصى لانتظار خدمتها.",
            "Share of the tickets called whose first call came within their service's "
            "maximum wait.",
        ),
        _figure(
            "satisfaction", Unit.RATING, "الرضا", "Satisfaction",
            "متوسط تقييمات المراجعين من 1 إلى 5.",
            "Mean of the visitors' ratings, 1 to 5.",
        ),
        _figure(
            "ratings", Unit.COUNT, "التقييمات", "Ratings",
            "عدد المراجعين الذين قيّموا الخدمة.",
            "How many visitors rated.",
        ),
        _figure(
            "walk_ins", Unit.COUNT, "دون موعد", "Walk-ins",
            "مراجعون أخذوا تذكرة دون موعد.",
            "Visitors who took a ticket without a booking.",
        ),
        _figure(
            "appointments", Unit.COUNT, "بموعد", "Appointments",
            "مراجعون سجّلوا حضور موعد محجوز.",
            "Visitors who checked in a booking.",
        ),
        Figure(
            "rating_counts",
            Words("التقييمات بكل درجة", "Ratings of each score"),
            Unit.COUNT,
            Words("عدد التقييمات بكل درجة من 1 إلى 5.", "How many ratings of 1, 2, 3, 4 and 5."),
            parts=tuple(Words(f"تقييم {n}", f"Rated {n}") for n in range(1, 6)),
        ),
        _figure(
            "served_per_hour", Unit.RATE, "المخدومون في الساعة", "Served per hour",
            "التذاكر التي تمت خدمتها لكل ساعة قضاها الموظف عند الكاونتر، دون الاستراحات "
            "(صفوف الموظفين والإجمالي).",
            "Tickets served per hour a clerk was signed in at a counter, breaks left out "
            "(clerk rows and the total).",
        ),
        _figure(
            "break_s", Unit.SECONDS, "مدة الاستراحة", "Time on break",
            "الوقت الذي قضاه الموظف في استراحة أثناء تسجيل دخوله (صفوف الموظفين والإجمالي).",
            "Time a clerk spent on a break while signed in (clerk rows and the total).",
        ),
    )
}  # fmt: skip

#: The figures of the bookings' rows (``centre.reports.BookingRow``).
BOOKING_FIGURES: Mapping[str, Figure] = {
    f.name: f
    for f in (
        _figure(
            "service", Unit.SERVICE, "الخدمة", "Service",
            "الخدمة المحجوزة.", "The service booked.",
        ),
        _figure(
            "slot", Unit.TEXT, "وقت الموعد", "Slot",
            "وقت بدء الموعد بتوقيت المركز.", "The start of the booking's slot, centre time.",
        ),
        _figure(
            "booked", Unit.COUNT, "المحجوزة", "Booked",
            "مواعيد هذا الوقت في أيام الفترة المغلقة؛ لا يُحسب موعد ألغاه النظام المركزي "
            "إلا إن سُجّل حضوره قبل ذلك.",
            "Bookings of the slot on the period's closed days; one the central cancelled "
            "is left out unless it was checked in first.",
        ),
        _figure(
            "checked_in", Unit.COUNT, "سجلوا الحضور", "Checked in",
            "مواعيد سجّل أصحابها الحضور.", "Bookings whose visitor checked in.",
        ),
        _figure(
            "no_shows", Unit.COUNT, "لم يحضروا", "Did not come",
            "مواعيد محجوزة لم يُسجَّل حضورها.", "Booked, never checked in.",
        ),
        _figure(
            "no_show_pct", Unit.PERCENT, "نسبة عدم الحضور", "Did not come",
            "نسبة المواعيد التي لم يُسجَّل حضورها؛ ارتفاعها في وقت ما يدل على حجوزات احتياطية.",
            "Share of the bookings never checked in; a slot often missed shows speculative "
            "bookings.",
        ),
    )
}  # fmt: skip


# -- columns --------------------------------------------------------------------


def key_figure(by: str) -> Figure:
    """The first column of a report split by ``by``: its key, headed by the split's noun."""
    return Figure(
        "key",
        split_noun(by),
        Unit.KEY,
        SPLIT_MEANINGS.get(by, Words(by, by)),
    )


def row_columns(report: Report) -> list[Column]:
    """The columns of the report's rows and total: every field of the row, in order."""
    rows = [*report.rows, report.total]
    figures = {**ROW_FIGURES, "key": key_figure(report.by)}
    return columns_of(type(report.total), figures, rows)


def booking_columns(report: Report) -> list[Column]:
    """The columns of the report's bookings (by service and slot)."""
    bookings: Sequence[object] = report.bookings
    return columns_of(BookingRow, BOOKING_FIGURES, bookings)


def columns_of(
    row_type: type, figures: Mapping[str, Figure], rows: Sequence[object] = ()
) -> list[Column]:
    """A column per field of the dataclass ``row_type`` (one per number of a field holding
    several); a field with no words in ``figures`` is headed by its own name."""
    columns = []
    for field in dataclasses.fields(row_type):
        sample = [getattr(row, field.name, None) for row in rows]
        figure = figures.get(field.name) or _unknown(field.name, sample)
        if figure.parts:
            columns += [Column(figure, part) for part in range(len(figure.parts))]
        else:
            columns.append(Column(figure))
    return columns


def _unknown(name: str, sample: Sequence[object]) -> Figure:
    """Words for a field added to the rows after this module: its name, and a unit guessed
    from the name or its values."""
    label = name.removesuffix("_s").removesuffix("_pct").replace("_", " ").capitalize()
    given = [value for value in sample if value is not None]
    many = [v for v in given if isinstance(v, Sequence) and not isinstance(v, str)]
    unit = Unit.NUMBER
    if name.endswith("_s"):
        unit = Unit.SECONDS
    elif name.endswith("_pct"):
        unit = Unit.PERCENT
    elif given and all(isinstance(v, str) for v in given):
        unit = Unit.TEXT
    parts: tuple[Words, ...] = ()
    if many:
        count = max(len(v) for v in many)
        parts = tuple(Words(f"{label} {n}", f"{label} {n}") for n in range(1, count + 1))
    return Figure(name, Words(label, label), unit, Words("", ""), parts)


def header(column: Column, lang: str) -> str:
    """The column's heading in ``lang``, with its unit: ``Mean wait (min)``."""
    figure = column.figure
    label = figure.label.get(lang)
    if column.part is not None and column.part < len(figure.parts):
        label = figure.parts[column.part].get(lang)
    if figure.unit is Unit.SECONDS:
        return f"{label} ({MINUTES.get(lang)})"
    if figure.unit is Unit.PERCENT:
        return f"{label} (%)"
    return label


def definitions(columns: Sequence[Column], lang: str) -> list[tuple[str, str]]:
    """(heading, meaning) of each figure of ``columns``, once for a figure of several numbers."""
    seen: set[str] = set()
    found = []
    for column in columns:
        figure = column.figure
        if figure.name in seen:
            continue
        seen.add(figure.name)
        label = figure.label.get(lang) if figure.parts else header(column, lang)
        found.append((label, figure.meaning.get(lang) or NULL))
    return found


# -- values ---------------------------------------------------------------------


def minutes(seconds: float) -> float:
    """Seconds as minutes (the unit every export shows times in)."""
    return seconds / 60


# How each unit's numbers read; seconds are given in minutes first.
_FORMATS: Mapping[Unit, str] = {
    Unit.SECONDS: "{:,.1f}",
    Unit.PERCENT: "{:.1f}%",
    Unit.RATING: "{:.2f}",
    Unit.RATE: "{:,.1f}",
}


def format_value(unit: Unit, value: object) -> str:
    """A figure as people read it (see the module): ``7.5``, ``66.7%``, ``1,234``, ``—``."""
    if value is None:
        return NULL
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit is Unit.SECONDS:
        value = minutes(value)
    form = _FORMATS.get(unit)
    if form is not None:
        return form.format(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def cell_text(
    column: Column,
    row: object,
    lang: str,
    config: CentreConfig,
    by: str,
    *,
    total: bool = False,
) -> str:
    """The text of ``row`` in ``column`` (``total``: the row is the report's total)."""
    value = column.value(row)
    if column.unit is Unit.KEY:
        return TOTAL.get(lang) if total else key_label(by, _text_or_none(value), lang, config)
    if column.unit is Unit.SERVICE and isinstance(value, str):
        return service_label(config, value, lang)
    return format_value(column.unit, value)


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


# -- keys, dates and titles -----------------------------------------------------


def split_noun(by: str) -> Words:
    """The split's noun: ``Service`` / ``الخدمة`` (the key column's heading)."""
    return SPLITS.get(by, Words(by, by))


def weekday_name(weekday: int | str, lang: str) -> str:
    """A weekday's name: ``0`` (Monday, as :meth:`date.weekday`) or ``"mon"``."""
    index = WEEKDAYS.index(weekday) if isinstance(weekday, str) else weekday
    return WEEKDAY_NAMES[index].get(lang)


def month_name(month: int, lang: str, *, short: bool = False) -> str:
    """A month's name (1: January); ``short``: three letters in English (Arabic has none)."""
    name = MONTH_NAMES[month - 1].get(lang)
    return name[:3] if short and lang != "ar" else name


def day_label(day: date, lang: str, *, weekday: bool = False) -> str:
    """``22 Nov 2026`` / ``22 نوفمبر 2026`` (``weekday``: ``Sun 22 Nov 2026``)."""
    text = f"{day.day} {month_name(day.month, lang, short=True)} {day.year}"
    if not weekday:
        return text
    name = weekday_name(day.weekday(), lang)
    return f"{name if lang == 'ar' else name[:3]} {text}"


def key_label(by: str, key: str | None, lang: str, config: CentreConfig) -> str:
    """A row's key as people read it: ``sun-09`` → ``Sunday 09:00`` / ``الأحد 09:00``,
    ``2026-11`` → ``November 2026``, a service code → its name, a counter → its name."""
    if key is None:
        return NO_KEY.get(by, Words(NULL, NULL)).get(lang)
    label = _KEY_LABELS.get(by)
    if label is None:  # the clerk's staff id, or a split this module does not know
        return key
    try:
        return label(key, lang, config)
    except (ValueError, IndexError):
        # A key of a shape this module does not know (a newer report): shown as it is.
        return key


def _day_key(key: str, lang: str, config: CentreConfig) -> str:
    return day_label(date.fromisoformat(key), lang, weekday=True)


def _week_key(key: str, lang: str, config: CentreConfig) -> str:
    year, _, week = key.partition("-W")
    return f"الأسبوع {int(week)}، {year}" if lang == "ar" else f"Week {int(week)}, {year}"


def _month_key(key: str, lang: str, config: CentreConfig) -> str:
    year, _, month = key.partition("-")
    return f"{month_name(int(month), lang)} {int(year)}"


def _hour_key(key: str, lang: str, config: CentreConfig) -> str:
    return f"{int(key):02d}:00"


def _weekday_hour_key(key: str, lang: str, config: CentreConfig) -> str:
    weekday, _, hour = key.partition("-")
    if weekday not in WEEKDAYS:
        raise ValueError(key)
    return f"{weekday_name(weekday, lang)} {int(hour):02d}:00"


def _service_key(key: str, lang: str, config: CentreConfig) -> str:
    return service_label(config, key, lang)


def _counter_key(key: str, lang: str, config: CentreConfig) -> str:
    return counter_label(config, key, lang)


_KEY_LABELS: Mapping[str, Callable[[str, str, CentreConfig], str]] = {
    "day": _day_key,
    "week": _week_key,
    "month": _month_key,
    "service": _service_key,
    "counter": _counter_key,
    "hour": _hour_key,
    "weekday-hour": _weekday_hour_key,
}


def counter_label(config: CentreConfig, counter: str, lang: str) -> str:
    """A counter's configured name in ``lang``, else ``Counter 4`` / ``الكاونتر 4``."""
    for configured in config.counters:
        if configured.id == counter and configured.name is not None:
            return configured.name.get(lang)
    return f"{SPLITS['counter'].get(lang)} {counter}"


def period_label(start: date, end: date, lang: str) -> str:
    """The days ``start`` to ``end``: ``1-30 Nov 2026`` (an en dash), ``من 1 إلى 30 نوفمبر 2026``.

    Arabic says "from ... to ..." in words: a dash between two numbers in a
    right-to-left line can show them the wrong way round.
    """
    if start == end:
        return day_label(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        first = str(start.day)
    elif start.year == end.year:
        first = f"{start.day} {month_name(start.month, lang, short=True)}"
    else:
        first = day_label(start, lang)
    last = day_label(end, lang)
    if lang == "ar":
        return f"من {first} إلى {last}"
    return f"{first}{DASH}{last}" if first.isdigit() else f"{first} {DASH} {last}"


def report_title(start: date, end: date, by: str, lang: str) -> str:
    """``Report 1-30 Nov 2026 by service`` / ``تقرير من 1 إلى 30 نوفمبر 2026 حسب الخدمة``."""
    period = period_label(start, end, lang)
    noun = split_noun(by)
    if lang == "ar":
        return f"تقرير {period} حسب {noun.ar}"
    return f"Report {period} by {noun.en.lower()}"


def centre_name(config: CentreConfig, lang: str) -> str:
    """The centre's name in ``lang``."""
    return config.centre.name.get(lang)


def default_language(config: CentreConfig) -> str:
    """The language a report is written in unless asked: the centre's first, else English."""
    return config.centre.languages[0] if config.centre.languages else "en"


def page_label(number: int, count: int, lang: str) -> str:
    """``Page 2 of 5`` / ``صفحة 2 من 5``."""
    return f"صفحة {number} من {count}" if lang == "ar" else f"Page {number} of {count}"


__all__ = [
    "BOOKINGS",
    "BOOKING_FIGURES",
    "DASH",
    "DEFINITIONS",
    "FIGURE",
    "MEANING",
    "MINUTES",
    "MONTH_NAMES",
    "NOTES",
    "NO_BOOKINGS",
    "NO_KEY",
    "NULL",
    "REPORT",
    "ROW_FIGURES",
    "SPLITS",
    "SPLIT_MEANINGS",
    "TOTAL",
    "WEEKDAY_NAMES",
    "Column",
    "Figure",
    "Unit",
    "Words",
    "booking_columns",
    "cell_text",
    "centre_name",
    "columns_of",
    "counter_label",
    "day_label",
    "default_language",
    "definitions",
    "format_value",
    "header",
    "key_figure",
    "key_label",
    "minutes",
    "month_name",
    "page_label",
    "period_label",
    "report_title",
    "row_columns",
    "split_noun",
    "weekday_name",
]
