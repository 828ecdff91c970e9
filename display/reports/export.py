"""A period's report as a file: an Excel workbook (openpyxl) or a PDF (Qt), in Arabic or English.

Both writers build the whole file in memory and then write it at once, so a
folder that is missing or cannot be written raises :class:`OSError` (its
``strerror`` says why) before anything is left half-written; the command line
and the Reports tab turn it into one line. The words are
:mod:`display.reports.labels`'; the PDF's layout is :mod:`display.reports.pdf`,
imported only when a PDF is asked for, so that a workbook needs no Qt.

The workbook: a sheet of the report's rows and total, one of the bookings by
service and slot, one of definitions. Numbers are numbers (times in minutes
with the format ``0.0``, percentages as fractions with ``0.0%``), a figure
with no data is an empty cell, a day is a date; Arabic sheets run right to
left.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from centre.config import CentreConfig
from centre.reports import Report
from display.reports import labels
from display.reports.labels import Column, Unit

# Spreadsheet number formats by unit (times are given in minutes, percentages as fractions).
NUMBER_FORMATS = {
    Unit.COUNT: "#,##0",
    Unit.SECONDS: "#,##0.0",
    Unit.PERCENT: "0.0%",
    Unit.RATING: "0.00",
    Unit.RATE: "#,##0.0",
}
DATE_FORMAT = "yyyy-mm-dd"
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_RULE = Border(top=Side(style="thin"), bottom=Side(style="thin"))
_WRAP = Alignment(wrap_text=True, vertical="top")
# Widest a column is made, in characters; longer text wraps.
_WIDEST = 45
_NARROWEST = 8

#: What a spreadsheet cell holds.
Value = str | int | float | date | None


def write_xlsx(report: Report, config: CentreConfig, path: Path | str, lang: str) -> Path:
    """Write ``report`` as an Excel workbook in ``lang`` (``ar`` or ``en``) to ``path``.

    Raises :class:`OSError` when the file cannot be written.
    """
    buffer = io.BytesIO()
    workbook(report, config, lang).save(buffer)
    target = Path(path)
    target.write_bytes(buffer.getvalue())
    return target


def write_pdf(report: Report, config: CentreConfig, path: Path | str, lang: str) -> Path:
    """Write ``report`` as an A4 landscape PDF in ``lang`` (``ar`` or ``en``) to ``path``.

    Needs Qt: it uses the running ``QGuiApplication`` (any thread may call it
    then), or makes one, offscreen when there is no desktop. Raises
    :class:`OSError` when the file cannot be written.
    """
    from display.reports.pdf import pdf_bytes  # noqa: PLC0415 - Qt only when a PDF is asked for

    data = pdf_bytes(report, config, lang)
    target = Path(path)
    target.write_bytes(data)
    return target


def workbook(report: Report, config: CentreConfig, lang: str) -> Workbook:
    """The report's workbook: its rows and total, its bookings, and what each figure means."""
    book = Workbook()
    title = labels.report_title(report.start, report.end, report.by, lang)
    book.properties.title = title
    book.properties.creator = "Taboor"
    columns = labels.row_columns(report)
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = labels.REPORT.get(lang)
    where = _Where(report, config, lang)
    rows = [*((row, False) for row in report.rows), (report.total, True)]
    _table(sheet, [labels.centre_name(config, lang), title], columns, rows, where)

    bookings = labels.booking_columns(report)
    sheet = book.create_sheet(labels.BOOKINGS.get(lang))
    heading = f"{labels.BOOKINGS.get(lang)} {labels.period_label(report.start, report.end, lang)}"
    booked = [(row, False) for row in report.bookings]
    _table(sheet, [labels.centre_name(config, lang), heading], bookings, booked, where)
    if not booked:
        sheet.append([labels.NO_BOOKINGS.get(lang)])

    _definitions(book.create_sheet(labels.DEFINITIONS.get(lang)), columns, bookings, lang)
    for each in book.worksheets:
        each.sheet_view.rightToLeft = lang == "ar"
    return book


@dataclass(frozen=True)
class _Where:
    """What a cell's text depends on besides its row."""

    report: Report
    config: CentreConfig
    lang: str

    def text(self, column: Column, row: object, total: bool) -> str:
        """The cell as people read it."""
        return labels.cell_text(column, row, self.lang, self.config, self.report.by, total=total)


def _table(
    sheet: Worksheet,
    heading: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[tuple[object, bool]],
    where: _Where,
) -> None:
    """Heading lines, then a header row and one row per ``(row, is_total)``."""
    lang = where.lang
    # Rows are counted here: the sheet's max_row looks at every cell, each time.
    line = 0
    for line, text in enumerate(heading, start=1):
        sheet.cell(line, 1, text).font = Font(bold=True, size=14 if line == 1 else 12)
    header_row = line + 2
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(header_row, index, labels.header(column, lang))
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _WRAP, _RULE
    widths = [_longest_word(labels.header(column, lang)) for column in columns]
    for line, (row, total) in enumerate(rows, start=header_row + 1):
        for index, column in enumerate(columns):
            value, form = _value(column, row, total, where)
            cell = sheet.cell(line, index + 1, value)
            if form:
                cell.number_format = form
            if total:
                cell.font, cell.fill, cell.border = _BOLD, _TOTAL_FILL, _RULE
            if value is not None:
                widths[index] = max(widths[index], len(where.text(column, row, total)))
    for index, width in enumerate(widths):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = min(max(width, _NARROWEST) + 2, _WIDEST)
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _print_landscape(sheet)


def _value(column: Column, row: object, total: bool, where: _Where) -> tuple[Value, str | None]:
    """The cell of ``row`` in ``column`` and its number format (``None``: the default)."""
    value = column.value(row)
    unit = column.unit
    if unit is Unit.KEY and not total and where.report.by == "day":
        day = _iso_day(value)
        if day is not None:
            return day, DATE_FORMAT
    if unit in (Unit.KEY, Unit.SERVICE):
        return where.text(column, row, total), None
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return (None if value is None else str(value)), None
    if unit is Unit.SECONDS:
        value = labels.minutes(value)
    elif unit is Unit.PERCENT:
        value = value / 100
    return value, NUMBER_FORMATS.get(unit)


def _iso_day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _definitions(
    sheet: Worksheet, columns: Sequence[Column], bookings: Sequence[Column], lang: str
) -> None:
    """What each figure of the report and of its bookings means, and what is true of all."""
    sheet.append([labels.DEFINITIONS.get(lang)])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([labels.FIGURE.get(lang), labels.MEANING.get(lang)])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _RULE
    for label, meaning in labels.definitions(columns, lang):
        sheet.append([label, meaning])
    sheet.append([labels.BOOKINGS.get(lang)])
    sheet.cell(sheet.max_row, 1).font = _BOLD
    for label, meaning in labels.definitions(bookings, lang):
        sheet.append([label, meaning])
    sheet.append([])
    for note in labels.NOTES:
        sheet.append([note.get(lang)])
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = _WRAP
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 100
    _print_landscape(sheet)


def _print_landscape(sheet: Worksheet) -> None:
    """Printed on A4 landscape, as wide as a page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


__all__ = ["DATE_FORMAT", "NUMBER_FORMATS", "workbook", "write_pdf", "write_xlsx"]
