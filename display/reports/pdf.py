"""A report laid out as a PDF by Qt: A4 landscape, Arabic shaped, header rows repeated.

The report becomes HTML in a :class:`QTextDocument` (title, the rows and
total, the bookings, the definitions), which Qt paginates; each page is
painted on a :class:`QPdfWriter` with a footer naming the report and the
page. Qt shapes Arabic with HarfBuzz and embeds the bundled fonts
(``assets/fonts``, through :class:`ui.fonts.FontBook`) with their Unicode
maps, so the text can be searched and copied.

Qt's tables do not run right to left, so an Arabic table is written with its
columns in reverse order: the key column ends up on the right, where an
Arabic reader starts.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import (
    QBuffer,
    QCoreApplication,
    QEventLoop,
    QIODevice,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
    QThread,
)
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from centre.config import CentreConfig
from centre.reports import Report
from display.reports import labels
from display.reports.labels import Column, Unit
from ui.app import desktop_problem
from ui.fonts import FontBook

#: Dots per inch the PDF is laid out at (text is vector; this is the layout's grain).
RESOLUTION = 300
MARGIN_MM = 12
TABLE_PT = 7.5
TEXT_PT = 9.0
#: Figures in one table at most: more are laid out in further tables, each led by the key.
FIGURES_PER_TABLE = 12
#: The share of a table's width given to its first column (the key, or a service).
KEY_WIDTH_PCT = 16
_NUMBERS = frozenset({Unit.COUNT, Unit.SECONDS, Unit.PERCENT, Unit.RATING, Unit.RATE, Unit.NUMBER})
# The application made here for a process that had none (the command line): kept for the
# process's life, as Qt allows one application per process and fonts belong to it.
_MADE: list[QGuiApplication] = []


def gui_application() -> QGuiApplication:
    """The running Qt GUI application, or a new one (offscreen when there is no desktop)."""
    running = QCoreApplication.instance()
    if isinstance(running, QGuiApplication):
        return running
    if running is not None:
        raise RuntimeError("a PDF needs a QGuiApplication, and a QCoreApplication runs")
    if "QT_QPA_PLATFORM" not in os.environ and desktop_problem() is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _MADE.append(QGuiApplication(["taboor"]))
    return _MADE[0]


@cache
def _fonts() -> FontBook:
    # Loaded once per process: each load would add the bundled fonts again.
    return FontBook.load()


def pdf_bytes(report: Report, config: CentreConfig, lang: str) -> bytes:
    """The report as a PDF file's bytes, in ``lang`` (on any thread, once an application runs)."""
    app = gui_application()
    if QThread.currentThread() is not app.thread():
        # A thread Qt did not start (the Reports tab's worker) has no event dispatcher, and
        # the document's layout starts timers, which then warn. A QEventLoop gives the thread
        # one; the timers need never fire, as the layout is finished by asking its pages.
        QEventLoop()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(RESOLUTION)
    title = labels.report_title(report.start, report.end, report.by, lang)
    writer.setTitle(f"{labels.centre_name(config, lang)}: {title}")
    writer.setCreator("Taboor")

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDocumentMargin(0)
    document.setDefaultFont(_font(lang, TEXT_PT))
    option = document.defaultTextOption()
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    )
    document.setDefaultTextOption(option)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    footer_font = _font(lang, TEXT_PT - 1)
    footer_height = 3 * footer_font.pointSizeF() * RESOLUTION / 72
    body = QSizeF(page.width(), page.height() - footer_height)
    # Pages first, then the text: the text is laid out once, on pages.
    document.setPageSize(body)
    document.setHtml(report_html(report, config, lang))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("Qt could not start the PDF")
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(0, -index * body.height())
            document.drawContents(
                painter, QRectF(0, index * body.height(), body.width(), body.height())
            )
            painter.restore()
            footer = QRectF(0, body.height(), body.width(), footer_height)
            _footer(painter, footer, footer_font, lang, title, index + 1, pages)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def _font(lang: str, points: float) -> QFont:
    font = QFont()
    families = _fonts().families(lang)
    if families:
        font.setFamilies(families)
    font.setPointSizeF(points)
    return font


def _footer(
    painter: QPainter, area: QRectF, font: QFont, lang: str, title: str, page: int, pages: int
) -> None:
    """The report's title at the reader's start, the page's number at the other end."""
    painter.save()
    painter.setFont(font)
    painter.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    )
    start, end = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
    if lang == "ar":
        start, end = end, start
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(area, start | bottom, title)
    painter.drawText(area, end | bottom, labels.page_label(page, pages, lang))
    painter.restore()


# -- the document ---------------------------------------------------------------


def report_html(report: Report, config: CentreConfig, lang: str) -> str:
    """The report as the HTML Qt lays out: title, rows and total, bookings, definitions."""
    direction = "rtl" if lang == "ar" else "ltr"
    columns = labels.row_columns(report)
    bookings = labels.booking_columns(report)
    rows = [*((row, False) for row in report.rows), (report.total, True)]
    parts = [
        f'<html><body dir="{direction}">',
        _paragraph(labels.centre_name(config, lang), direction, size=16, bold=True),
        _paragraph(labels.report_title(report.start, report.end, report.by, lang), direction),
    ]
    parts += [_table(chunk, rows, report, config, lang) for chunk in _chunks(columns)]
    caption = labels.BOOKINGS.get(lang)
    if report.bookings:
        booked = [(row, False) for row in report.bookings]
        parts.append(_table(bookings, booked, report, config, lang, caption=caption))
    else:
        parts.append(_paragraph(caption, direction, bold=True))
        parts.append(_paragraph(labels.NO_BOOKINGS.get(lang), direction, size=TEXT_PT))
    head = (labels.FIGURE.get(lang), labels.MEANING.get(lang))
    sections = [
        (None, labels.definitions(columns, lang)),
        (labels.BOOKINGS.get(lang), labels.definitions(bookings, lang)),
    ]
    parts.append(_text_table(head, sections, lang, caption=labels.DEFINITIONS.get(lang)))
    parts += [_paragraph(note.get(lang), direction, size=TEXT_PT) for note in labels.NOTES]
    parts.append("</body></html>")
    return "\n".join(parts)


def _paragraph(text: str, direction: str, *, size: float = 12, bold: bool = False) -> str:
    weight = "font-weight:bold; " if bold else ""
    return (
        f'<p dir="{direction}" style="{weight}font-size:{size}pt; margin-bottom:4pt">'
        f"{html.escape(text)}</p>"
    )


def _chunks(columns: Sequence[Column]) -> list[list[Column]]:
    """The key column with the figures in tables of at most :data:`FIGURES_PER_TABLE` figures,
    as even as may be, a figure of several numbers (``rating_counts``) kept in one."""
    key, figures = list(columns[:1]), list(columns[1:])
    groups: list[list[Column]] = []
    for column in figures:
        if groups and groups[-1][-1].figure.name == column.figure.name:
            groups[-1].append(column)
        else:
            groups.append([column])
    tables = max(1, -(-len(figures) // FIGURES_PER_TABLE))
    share = -(-len(figures) // tables)
    chunks: list[list[Column]] = [[]]
    for group in groups:
        if chunks[-1] and len(chunks[-1]) + len(group) > share:
            chunks.append([])
        chunks[-1].extend(group)
    return [key + chunk for chunk in chunks]


def _table(
    columns: Sequence[Column],
    rows: Sequence[tuple[object, bool]],
    report: Report,
    config: CentreConfig,
    lang: str,
    *,
    caption: str | None = None,
) -> str:
    """A table of figures: its caption and header repeated on each page, the total in bold."""
    ordered = list(reversed(columns)) if lang == "ar" else list(columns)
    head = "".join(
        f'<th align="{_align(column, lang)}"{_width(column, columns)}>'
        f"{html.escape(labels.header(column, lang))}</th>"
        for column in ordered
    )
    lines = [_TABLE_OPEN, "<thead>", _caption(caption, len(columns), lang)]
    lines += [f'<tr bgcolor="{_HEADER_COLOUR}">{head}</tr></thead>', "<tbody>"]
    for row, total in rows:
        cells = []
        for column in ordered:
            text = html.escape(labels.cell_text(column, row, lang, config, report.by, total=total))
            shown = f"<b>{text}</b>" if total else text
            cells.append(f'<td align="{_align(column, lang)}">{shown}</td>')
        colour = f' bgcolor="{_TOTAL_COLOUR}"' if total else ""
        lines.append(f"<tr{colour}>{''.join(cells)}</tr>")
    lines.append(f"</tbody></table>{_GAP}")
    return "\n".join(lines)


def _text_table(
    head: Sequence[str],
    sections: Sequence[tuple[str | None, Sequence[tuple[str, str]]]],
    lang: str,
    *,
    caption: str,
) -> str:
    """A table of text (the definitions) in sections, each under its title, mirrored for
    Arabic."""
    side = "right" if lang == "ar" else "left"

    def line(cells: Sequence[str], tag: str) -> str:
        ordered = list(reversed(cells)) if lang == "ar" else list(cells)
        return "".join(f'<{tag} align="{side}">{html.escape(cell)}</{tag}>' for cell in ordered)

    body = []
    for title, rows in sections:
        if title is not None:
            bold = f"<b>{html.escape(title)}</b>"
            body.append(f'<tr><td colspan="{len(head)}" align="{side}">{bold}</td></tr>')
        body += [f"<tr>{line(row, 'td')}</tr>" for row in rows]
    return (
        f"{_TABLE_OPEN}<thead>{_caption(caption, len(head), lang)}"
        f'<tr bgcolor="{_HEADER_COLOUR}">{line(head, "th")}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{_GAP}"
    )


def _caption(caption: str | None, span: int, lang: str) -> str:
    """A table's title as its first header row: it never ends a page without its table."""
    if caption is None:
        return ""
    side = "right" if lang == "ar" else "left"
    return (
        f'<tr><th colspan="{span}" align="{side}" style="font-size:12pt">'
        f"{html.escape(caption)}</th></tr>"
    )


_HEADER_COLOUR = "#e8e8e8"
_TOTAL_COLOUR = "#f2f2f2"
# Room after a table (Qt lets a table touch what follows it).
_GAP = '\n<p style="font-size:6pt; margin:0">&nbsp;</p>'
_TABLE_OPEN = (
    '<table width="100%" cellspacing="0" cellpadding="3" border="1" '
    f'style="border-collapse:collapse; border-color:#999999; font-size:{TABLE_PT}pt">'
)


def _width(column: Column, columns: Sequence[Column]) -> str:
    """The first column's share of the width; the others share the rest evenly."""
    if column is columns[0]:
        return f' width="{KEY_WIDTH_PCT}%"'
    return f' width="{(100 - KEY_WIDTH_PCT) / max(len(columns) - 1, 1):.1f}%"'


def _align(column: Column, lang: str) -> str:
    """Text starts where the reader starts; numbers line up at the other end."""
    numbers = column.unit in _NUMBERS
    if lang == "ar":
        return "left" if numbers else "right"
    return "right" if numbers else "left"


__all__ = ["RESOLUTION", "gui_application", "pdf_bytes", "report_html"]
