"""The supervisor's Reports tab: a period and a split, the figures as a table and as charts.

The widgets only show what :class:`display.reports.viewmodel.ReportsViewModel`
holds and pass the supervisor's choices to it. Every word of a figure, a
split, a weekday or a key comes from :mod:`display.reports.labels`, the same
words as the exported files; the tab's own words (buttons, hints) go through
Qt's catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QDate, QMargins, QSignalBlocker, QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from centre.config import CentreConfig
from centre.reports import BY, WEEKDAYS, Report, Row
from display.reports import labels
from display.reports.labels import Column, Unit
from display.reports.viewmodel import ExportKind, Period, QuickPeriod, ReportsViewModel
from ui.i18n import direction
from ui.widgets import load_style, named, set_flag

# Qt's lupdate finds the strings of calls to ``translate``.
translate = QCoreApplication.translate

#: The centre's week, Sunday first (the weekday names of the keys, Monday first there).
WEEK = (WEEKDAYS[-1], *WEEKDAYS[:-1])
VISITORS_COLOUR = "#9db4d3"
SERVED_COLOUR = "#1f5fa8"
MEDIAN_COLOUR = "#6fa83a"
P90_COLOUR = "#b35c00"
SLA_COLOUR = "#1f7a3a"
# The maps shade from white to these at the busiest hour and at the longest wait.
ARRIVALS_COLOUR = "#1f5fa8"
WAITS_COLOUR = "#c0392b"
TOTAL_BACKGROUND = "#e8eef6"
# A chart's plot is its view less this many pixels: the value axis's labels and the margins.
PLOT_INSET = 80


def quick_names() -> dict[QuickPeriod, str]:
    """The quick periods' names in the application's language."""
    return {
        QuickPeriod.YESTERDAY: translate("ReportsTab", "Yesterday"),
        QuickPeriod.LAST_7_DAYS: translate("ReportsTab", "Last 7 days"),
        QuickPeriod.THIS_MONTH: translate("ReportsTab", "This month"),
        QuickPeriod.LAST_MONTH: translate("ReportsTab", "Last month"),
    }


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _item(text: str, *, lead: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if lead:
        # Leading edge: mirrored in a right-to-left table.
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    else:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def _size_rows(table: QTableWidget, pixels: int) -> None:
    rows = table.verticalHeader()
    rows.setMinimumSectionSize(1)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(int(pixels * 1.9))


def _face_colours() -> tuple[str, ...]:
    """The five faces' colours, 1 (very unhappy, red) to 5 (very happy, green), as the
    Today tab draws them."""
    # Imported when used: the supervisor's screen imports this module.
    from display.supervisor.widgets import FACE_COLOURS  # noqa: PLC0415

    return FACE_COLOURS


def _shade(colour: str, share: float) -> QColor:
    """``colour`` mixed into white: ``share`` 0 is white, 1 the colour itself."""
    full = QColor(colour)
    share = min(max(share, 0.0), 1.0)
    return QColor(
        round(255 + (full.red() - 255) * share),
        round(255 + (full.green() - 255) * share),
        round(255 + (full.blue() - 255) * share),
    )


# -- tables -----------------------------------------------------------------------


class FiguresTable(QTableWidget):
    """Rows of figures under a header, one column per field of the rows, the total last."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setObjectName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._columns: list[Column] = []

    @property
    def columns(self) -> list[Column]:
        """The columns shown, in order."""
        return list(self._columns)

    def show_rows(
        self,
        columns: Sequence[Column],
        rows: Sequence[tuple[object, bool]],
        text: Callable[[Column, object, bool], str],
        lang: str,
    ) -> None:
        """One line per ``(row, is_total)``; ``text`` gives each cell's words."""
        self._columns = list(columns)
        self.clear()
        self.setColumnCount(len(columns))
        self.setRowCount(len(rows))
        self.setHorizontalHeaderLabels([labels.header(column, lang) for column in columns])
        for line, (row, total) in enumerate(rows):
            for index, column in enumerate(columns):
                cell = _item(text(column, row, total), lead=index == 0)
                if total:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                    cell.setBackground(QBrush(QColor(TOTAL_BACKGROUND)))
                self.setItem(line, index, cell)

    def headers(self) -> list[str]:
        """The columns' headings as shown."""
        found = []
        for index in range(self.columnCount()):
            item = self.horizontalHeaderItem(index)
            found.append(item.text() if item is not None else "")
        return found

    def texts(self, line: int) -> list[str]:
        """The cells of line ``line`` as shown."""
        found = []
        for index in range(self.columnCount()):
            item = self.item(line, index)
            found.append(item.text() if item is not None else "")
        return found

    def column_texts(self, name: str) -> list[str]:
        """The cells of the column of the figure ``name`` (``rating_counts.5`` for a part)."""
        index = [column.name for column in self._columns].index(name)
        return [self._text(line, index) for line in range(self.rowCount())]

    def _text(self, line: int, index: int) -> str:
        item = self.item(line, index)
        return item.text() if item is not None else ""


# -- charts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bars:
    """One set of bars: its legend and its value for each category (``None``: no data)."""

    label: str
    values: list[float | None]
    colour: str


class BarChart(QChartView):
    """Sets of bars over categories, side by side (or one bar per category, coloured).

    However many categories (a year by day is some 300), the axis names only as
    many as fit side by side, evenly spaced from the first, and bars too many to
    draw apart touch, drawn crisp, so that a long period still reads as a shape.
    """

    def __init__(self, name: str, *, stacked: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        # Categories run left to right in both languages, as on a timeline.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._chart = QChart()
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setBackgroundVisible(False)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self._series: QBarSeries | QStackedBarSeries = (
            QStackedBarSeries() if stacked else QBarSeries()
        )
        self._chart.addSeries(self._series)
        # Category i is the bar at x = i; a label sits under its bar, not between two.
        self._categories = QCategoryAxis()
        self._categories.setLabelsPosition(
            QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue
        )
        self._categories.setGridLineVisible(False)
        self._values = QValueAxis()
        self._chart.addAxis(self._categories, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(self._values, Qt.AlignmentFlag.AlignLeft)
        self._series.attachAxis(self._categories)
        self._series.attachAxis(self._values)
        self.setChart(self._chart)
        self._shown: list[tuple[str, list[float | None]]] = []
        self._categories_shown: list[str] = []
        self.setMinimumHeight(180)

    def set_font(self, font: QFont) -> None:
        """Legend and axes in ``font``."""
        self._chart.legend().setFont(font)
        self._categories.setLabelsFont(font)
        self._values.setLabelsFont(font)
        self._place_labels()

    def set_legend_visible(self, visible: bool) -> None:
        """Show the legend or not (one set of bars needs none)."""
        self._chart.legend().setVisible(visible)

    def show_bars(
        self, categories: Sequence[str], bars: Sequence[Bars], *, top: float | None = None
    ) -> None:
        """Draw ``bars`` over ``categories``; the value axis runs to ``top`` (or past the
        highest bar). A bar with no data is drawn empty."""
        self._series.clear()
        for each in bars:
            bar_set = QBarSet(each.label)
            bar_set.setColor(QColor(each.colour))
            bar_set.setBorderColor(QColor(each.colour))
            bar_set.append([value or 0.0 for value in each.values])
            self._series.append(bar_set)
        highest = max([value or 0.0 for each in bars for value in each.values] + [0.0], default=0.0)
        self._values.setRange(0, top if top is not None else _nice_top(highest))
        self._values.setLabelFormat("%.0f" if (top or highest) >= 10 else "%.1f")
        self._shown = [(each.label, list(each.values)) for each in bars]
        self._categories_shown = list(categories)
        self._categories.setRange(-0.5, max(len(categories), 1) - 0.5)
        self._place_labels()

    def shown(self) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
        """The categories and each set's (legend, values), as last drawn."""
        return list(self._categories_shown), list(self._shown)

    def labels(self) -> list[str]:
        """The categories the axis names, left to right."""
        return list(self._categories.categoriesLabels())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_labels()

    def _place_labels(self) -> None:
        categories = self._categories_shown
        # The plot's width: the view's, less the value axis and the margins. (The chart's own
        # plot area follows only once it is laid out, which a hidden tab's never is.)
        plot = max(self.viewport().width() - PLOT_INSET, 50)
        # Bars too thin to draw apart touch, without outlines or blurred edges.
        sets = max(len(self._shown), 1) if isinstance(self._series, QBarSeries) else 1
        dense = plot / (max(len(categories), 1) * sets) < 4
        self._series.setBarWidth(1.0 if dense else 0.5)
        for bar_set in self._series.barSets():
            bar_set.setBorderColor(QColor(Qt.GlobalColor.transparent) if dense else bar_set.color())
        self.setRenderHint(QPainter.RenderHint.Antialiasing, not dense)
        metrics = QFontMetrics(self._categories.labelsFont())
        text = max((metrics.horizontalAdvance(c) for c in categories), default=0)
        every = label_step(len(categories), plot, text)
        if categories[::every] == self._categories.categoriesLabels():
            return  # named as they are: no need to lay the chart out again
        for label in self._categories.categoriesLabels():
            self._categories.remove(label)
        for index in range(0, len(categories), every):
            self._categories.append(categories[index], index)


def label_step(count: int, width: float, text: float) -> int:
    """Name every how-many-th of ``count`` categories over ``width`` pixels, each name up to
    ``text`` pixels wide: Qt Charts cuts a name short unless the next is half as far again."""
    fits = max(int(width // (text * 1.5 + 8)), 1)
    return max(-(-count // fits), 1)


def _nice_top(highest: float) -> float:
    """A round top for a value axis just above ``highest``."""
    if highest <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if highest / step <= 8:
            return float(-(-highest // step) * step)
    return highest * 1.1


class HeatMap(QTableWidget):
    """A weekday and hour map: one line per weekday (Sunday first), one column per hour, each
    cell's number written in it and shaded by how high it is."""

    def __init__(self, name: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setObjectName(name)
        self._colour = colour
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setShowGrid(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setHighlightSections(False)
        self.horizontalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setMinimumSectionSize(1)

    def show_map(
        self,
        values: dict[tuple[str, int], float],
        hours: Sequence[int],
        lang: str,
        text: Callable[[float], str],
    ) -> None:
        """``values`` by (weekday, hour); an hour or weekday with no value is left blank."""
        self.clear()
        self.setRowCount(len(WEEK))
        self.setColumnCount(len(hours))
        self.setVerticalHeaderLabels([labels.weekday_name(day, lang) for day in WEEK])
        self.setHorizontalHeaderLabels([f"{hour:02d}" for hour in hours])
        highest = max(values.values(), default=0.0)
        for line, day in enumerate(WEEK):
            for index, hour in enumerate(hours):
                value = values.get((day, hour))
                cell = _item("" if value is None else text(value))
                if value is not None and highest > 0:
                    share = value / highest
                    cell.setBackground(QBrush(_shade(self._colour, share)))
                    # Dark cells carry white words (the number, never colour alone).
                    cell.setForeground(QBrush(QColor("#ffffff" if share > 0.55 else "#13233a")))
                self.setItem(line, index, cell)

    def value_text(self, weekday: str, hour: str) -> str:
        """The text of the cell of ``weekday`` (``sun``) and ``hour`` (``09``)."""
        line = WEEK.index(weekday)
        for index in range(self.columnCount()):
            header = self.horizontalHeaderItem(index)
            if header is not None and header.text() == hour:
                item = self.item(line, index)
                return item.text() if item is not None else ""
        return ""


# -- the tab ------------------------------------------------------------------------


class ReportsTab(QWidget):
    """Reports over any period: choose the days and the split; read the figures, export them."""

    def __init__(
        self, view_model: ReportsViewModel, config: CentreConfig, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reports")
        self.setStyleSheet(load_style("reports"))
        # Shown across the whole window (the live queues step aside): its controls must not
        # widen the other tabs, which share the tab widget's width with it.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._vm = view_model
        self._config = config
        self._lang = view_model.language
        self._build()
        view_model.period_changed.connect(self._show_period)
        view_model.split_changed.connect(self._show_split)
        view_model.report_changed.connect(self._show_report)
        view_model.busy_changed.connect(self._show_busy)
        view_model.message_shown.connect(self._show_message)
        self.start.dateChanged.connect(self._dates_chosen)
        self.end.dateChanged.connect(self._dates_chosen)
        self.split.currentIndexChanged.connect(self._split_chosen)
        for choice, button in self.quick.items():
            button.clicked.connect(lambda _=False, c=choice: view_model.choose(c))
        self.export_pdf.clicked.connect(lambda: self._ask_export(ExportKind.PDF))
        self.export_xlsx.clicked.connect(lambda: self._ask_export(ExportKind.XLSX))
        self._show_period(view_model.period)
        self.retranslate(view_model.language)

    # -- building ----------------------------------------------------------------

    def _build(self) -> None:
        controls = self._build_controls()
        self.title = named(QLabel(), "reportTitle")
        self.message = named(QLabel(), "reportMessage")
        self.message.setWordWrap(True)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.message, 1)
        self.table = FiguresTable("reportTable")
        body = QSplitter(Qt.Orientation.Vertical)
        body.setChildrenCollapsible(False)
        body.addWidget(self.table)
        body.addWidget(self._build_views())
        # Shares of the room to start with (the supervisor can drag them).
        body.setSizes([450, 550])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(controls)
        layout.addLayout(heading)
        layout.addWidget(body, 1)

    def _build_controls(self) -> QHBoxLayout:
        self.start_label = named(QLabel(), "fieldLabel")
        self.end_label = named(QLabel(), "fieldLabel")
        self.start = self._date_edit("periodStart")
        self.end = self._date_edit("periodEnd")
        self.quick = {choice: named(QPushButton(), "quickPeriod") for choice in QuickPeriod}
        self.split_label = named(QLabel(), "fieldLabel")
        self.split = named(QComboBox(), "split")
        self.split.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for by in BY:
            self.split.addItem("", by)
        self.export_pdf = named(QPushButton(), "exportPdf")
        self.export_xlsx = named(QPushButton(), "exportXlsx")
        controls = QHBoxLayout()
        controls.setSpacing(8)
        for widget in (self.start_label, self.start, self.end_label, self.end):
            controls.addWidget(widget)
        controls.addSpacing(12)
        for button in self.quick.values():
            controls.addWidget(button)
        controls.addSpacing(12)
        controls.addWidget(self.split_label)
        controls.addWidget(self.split)
        controls.addStretch(1)
        controls.addWidget(self.export_pdf)
        controls.addWidget(self.export_xlsx)
        return controls

    def _build_views(self) -> QTabWidget:
        """Below the table, one view at a time across the whole width: the charts, the
        weekday and hour map (that split only), the bookings (when there are any)."""
        self.visitors_chart = BarChart("visitorsChart")
        self.waits_chart = BarChart("waitsChart")
        self.sla_chart = BarChart("slaChart")
        self.ratings_chart = BarChart("ratingsChart", stacked=True)
        self.ratings_chart.set_legend_visible(False)
        self.arrivals_map = HeatMap("arrivalsMap", ARRIVALS_COLOUR)
        self.waits_map = HeatMap("waitsMap", WAITS_COLOUR)
        self.arrivals_title = named(QLabel(), "sectionTitle")
        self.waits_map_title = named(QLabel(), "sectionTitle")
        # The two maps side by side: a week's seven lines each, tall enough to read.
        maps = QWidget()
        maps_layout = QHBoxLayout(maps)
        maps_layout.setContentsMargins(4, 4, 4, 4)
        for title, heat_map in (
            (self.arrivals_title, self.arrivals_map),
            (self.waits_map_title, self.waits_map),
        ):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(heat_map, 1)
            maps_layout.addLayout(column, 1)
        self.maps = maps
        self.bookings = FiguresTable("bookingsTable")
        self.charts = named(QTabWidget(), "reportCharts")
        for page in (
            self.visitors_chart,
            self.waits_chart,
            self.sla_chart,
            self.ratings_chart,
            self.maps,
            self.bookings,
        ):
            self.charts.addTab(page, "")
        return self.charts

    def _date_edit(self, name: str) -> QDateEdit:
        edit = named(QDateEdit(), name)
        # ISO dates in both languages: unambiguous, and what the exports' names carry. Left
        # to right before the format is set: Qt reverses a right-to-left edit's format.
        edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(QDate(2000, 1, 1))
        return edit

    # -- what the window calls ----------------------------------------------------

    def retranslate(self, lang: str) -> None:
        """Words in the application's language; the figures' words in ``lang``."""
        self._lang = lang
        self.setLayoutDirection(direction(lang))
        self.start_label.setText(translate("ReportsTab", "From"))
        self.end_label.setText(translate("ReportsTab", "To"))
        for choice, name in quick_names().items():
            self.quick[choice].setText(name)
        self.split_label.setText(translate("ReportsTab", "Split by"))
        for index, by in enumerate(BY):
            self.split.setItemText(index, labels.split_noun(by).get(lang))
        self.export_pdf.setText(translate("ReportsTab", "Export PDF…"))
        self.export_xlsx.setText(translate("ReportsTab", "Export XLSX…"))
        # The figures' own words where a chart shows one figure (the exports' words).
        titles = [
            translate("ReportsTab", "Visitors and served"),
            translate("ReportsTab", "Waits"),
            _figure_label("sla_pct", lang),
            _figure_label("ratings", lang),
            labels.split_noun("weekday-hour").get(lang),
            labels.BOOKINGS.get(lang),
        ]
        for index, title in enumerate(titles):
            self.charts.setTabText(index, title)
        self.arrivals_title.setText(_figure_label("visitors", lang))
        self.waits_map_title.setText(labels.header(_column("wait_p50_s"), lang))
        self._show_report(self._vm.report)
        self._show_busy(self._vm.busy)

    def size_fonts(self, font: Callable[[int, bool], QFont]) -> None:
        """Fonts for the tab (``font(pixels, bold)``, sized to the window by it)."""
        small = font(16, False)
        for table in (self.table, self.bookings, self.arrivals_map, self.waits_map):
            table.setFont(small)
            for header in (table.horizontalHeader(), table.verticalHeader()):
                for part in (header, header.viewport()):
                    part.setFont(font(15, True))
            _size_rows(table, small.pixelSize())
        for map_table in (self.arrivals_map, self.waits_map):
            map_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for chart in (self.visitors_chart, self.waits_chart, self.sla_chart, self.ratings_chart):
            chart.set_font(font(14, False))
        for part in (self.charts, self.charts.tabBar()):
            part.setFont(font(16, False))
        self.title.setFont(font(20, True))
        self.message.setFont(font(18, True))
        for title in (self.arrivals_title, self.waits_map_title):
            title.setFont(font(18, True))

    def export_dialog(self, kind: ExportKind) -> QFileDialog:
        """The dialog asking where to write the export: Qt's own, not the desktop's, so it
        speaks the screen's language and runs in its direction; it offers the documents
        folder and the report's name."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        suggested = str(Path(folder) / self._vm.suggested_name(kind))
        dialog = QFileDialog(self)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setLayoutDirection(direction(self._lang))
        dialog.setDefaultSuffix(kind.value)
        if kind is ExportKind.PDF:
            dialog.setWindowTitle(translate("ReportsTab", "Export the report as PDF"))
            dialog.setNameFilter(translate("ReportsTab", "PDF documents (*.pdf)"))
        else:
            dialog.setWindowTitle(translate("ReportsTab", "Export the report as XLSX"))
            dialog.setNameFilter(translate("ReportsTab", "Excel workbooks (*.xlsx)"))
        words = {
            QFileDialog.DialogLabel.LookIn: translate("ReportsTab", "Folder:"),
            QFileDialog.DialogLabel.FileName: translate("ReportsTab", "File name:"),
            QFileDialog.DialogLabel.FileType: translate("ReportsTab", "Type:"),
            QFileDialog.DialogLabel.Accept: translate("ReportsTab", "Save"),
            QFileDialog.DialogLabel.Reject: translate("ReportsTab", "Cancel"),
        }
        for part, text in words.items():
            dialog.setLabelText(part, text)
        dialog.selectFile(suggested)
        return dialog

    # -- acting ------------------------------------------------------------------

    def _dates_chosen(self) -> None:
        self._vm.set_period(_date(self.start.date()), _date(self.end.date()))

    def _split_chosen(self, index: int) -> None:
        self._vm.set_split(str(self.split.itemData(index)))

    def _ask_export(self, kind: ExportKind) -> None:
        dialog = self.export_dialog(kind)
        try:
            if dialog.exec() != QFileDialog.DialogCode.Accepted:
                return
            chosen = dialog.selectedFiles()
        finally:
            dialog.deleteLater()
        if chosen:
            self._vm.export(kind, Path(chosen[0]))

    # -- showing -----------------------------------------------------------------

    def _show_period(self, period: Period) -> None:
        for edit, day in ((self.start, period.start), (self.end, period.end)):
            # Set from the view-model: not a choice of the supervisor's, so no read.
            blocker = QSignalBlocker(edit)
            edit.setDate(_qdate(day))
            blocker.unblock()
        chosen = self._vm.quick
        for choice, button in self.quick.items():
            set_flag(button, "chosen", choice is chosen)

    def _show_split(self, by: str) -> None:
        index = self.split.findData(by)
        if index >= 0 and index != self.split.currentIndex():
            # Set from the view-model: not a choice of the supervisor's, so no read.
            blocker = QSignalBlocker(self.split)
            self.split.setCurrentIndex(index)
            blocker.unblock()
        mapped = by == "weekday-hour"
        maps = self.charts.indexOf(self.maps)
        if mapped != self.charts.isTabVisible(maps):
            self.charts.setTabVisible(maps, mapped)
            # The map is what a weekday and hour split is for: shown as it comes.
            self.charts.setCurrentIndex(maps if mapped else 0)

    def _show_busy(self, busy: bool) -> None:
        shown = self._vm.report is not None
        self.export_pdf.setEnabled(shown and not busy)
        self.export_xlsx.setEnabled(shown and not busy)
        set_flag(self.table, "stale", busy)
        if busy:
            self.message.setText(translate("ReportsTab", "Reading the report…"))
            set_flag(self.message, "error", False)
        elif self.message.property("error") != "true":
            self.message.setText("")

    def _show_message(self, text: str, is_error: bool) -> None:
        self.message.setText(text)
        set_flag(self.message, "error", is_error and bool(text))

    def _show_report(self, report: Report | None) -> None:
        self._show_split(self._vm.split)
        self._show_busy(self._vm.busy)
        if report is None:
            self.title.setText(translate("ReportsTab", "Choose a period to see its figures."))
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self._show_bookings_tab(False)
            return
        lang = self._lang
        self.title.setText(labels.report_title(report.start, report.end, report.by, lang))
        config = self._config

        def text(column: Column, row: object, total: bool) -> str:
            return labels.cell_text(column, row, lang, config, report.by, total=total)

        rows: list[tuple[object, bool]] = [(row, False) for row in report.rows]
        rows.append((report.total, True))
        self.table.show_rows(labels.row_columns(report), rows, text, lang)
        bookings = list(report.bookings)
        self._show_bookings_tab(bool(bookings))
        if bookings:
            self.bookings.show_rows(
                labels.booking_columns(report), [(row, False) for row in bookings], text, lang
            )
        self._show_charts(report)

    def _show_bookings_tab(self, shown: bool) -> None:
        index = self.charts.indexOf(self.bookings)
        if not shown and self.charts.currentIndex() == index:
            self.charts.setCurrentIndex(0)
        self.charts.setTabVisible(index, shown)

    def shows_bookings(self) -> bool:
        """Whether the bookings' tab is offered (the period has bookings on closed days)."""
        return self.charts.isTabVisible(self.charts.indexOf(self.bookings))

    def _show_charts(self, report: Report) -> None:
        lang, config = self._lang, self._config
        keys = [labels.key_label(report.by, row.key, lang, config) for row in report.rows]
        rows = report.rows

        def minutes(values: Sequence[float | None]) -> list[float | None]:
            return [None if value is None else labels.minutes(value) for value in values]

        self.visitors_chart.show_bars(
            keys,
            [
                Bars(
                    _figure_label("visitors", lang),
                    [float(r.visitors) for r in rows],
                    VISITORS_COLOUR,
                ),
                Bars(_figure_label("served", lang), [float(r.served) for r in rows], SERVED_COLOUR),
            ],
        )
        self.waits_chart.show_bars(
            keys,
            [
                Bars(
                    labels.header(_column("wait_p50_s"), lang),
                    minutes([r.wait_p50_s for r in rows]),
                    MEDIAN_COLOUR,
                ),
                Bars(
                    labels.header(_column("wait_p90_s"), lang),
                    minutes([r.wait_p90_s for r in rows]),
                    P90_COLOUR,
                ),
            ],
        )
        self.sla_chart.show_bars(
            keys,
            [Bars(labels.header(_column("sla_pct"), lang), [r.sla_pct for r in rows], SLA_COLOUR)],
            top=100.0,
        )
        self._show_ratings(report.total)
        if report.by == "weekday-hour":
            self._show_maps(rows)

    def _show_ratings(self, total: Row) -> None:
        counts = list(total.rating_counts)
        parts = labels.ROW_FIGURES["rating_counts"].parts
        names = [part.get(self._lang) for part in parts][: len(counts)]
        colours = _face_colours()
        # One set per score, each with a bar at its own score only: a colour per face.
        bars = [
            Bars(
                name,
                [
                    float(counts[index]) if column == index else None
                    for column in range(len(counts))
                ],
                colours[index % len(colours)],
            )
            for index, name in enumerate(names)
        ]
        self.ratings_chart.show_bars(names, bars)

    def _show_maps(self, rows: Sequence[Row]) -> None:
        arrivals: dict[tuple[str, int], float] = {}
        waits: dict[tuple[str, int], float] = {}
        for row in rows:
            if row.key is None:
                continue
            weekday, _, hour = row.key.partition("-")
            if weekday not in WEEK or not hour.isdigit():
                continue
            arrivals[(weekday, int(hour))] = float(row.visitors)
            if row.wait_p50_s is not None:
                waits[(weekday, int(hour))] = labels.minutes(row.wait_p50_s)
        hours = sorted({hour for _, hour in arrivals})
        if hours:
            hours = list(range(hours[0], hours[-1] + 1))
        self.arrivals_map.show_map(arrivals, hours, self._lang, lambda v: f"{v:,.0f}")
        self.waits_map.show_map(
            waits, hours, self._lang, lambda v: labels.format_value(Unit.RATE, v)
        )


def _column(name: str) -> Column:
    return Column(labels.ROW_FIGURES[name])


def _figure_label(name: str, lang: str) -> str:
    return labels.ROW_FIGURES[name].label.get(lang)


__all__ = ["BarChart", "Bars", "FiguresTable", "HeatMap", "ReportsTab", "label_step", "quick_names"]
