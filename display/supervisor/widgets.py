"""The pieces of the supervisor's screen: queues, counters, the day, health, actions."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from functools import cache

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from centre.config import CentreConfig
from centre.devices import EnrolledDevice
from centre.domain import CounterState, Event, EventType
from centre.rules.link import AUTH_FAILED, OFFLINE, ONLINE
from centre.supervision import CounterLine, DayReport, HourLine, Satisfaction, ServiceLine
from centre.usecases import HALL_MESSAGE_MAX
from ui.i18n import fill, isolate
from ui.signals import emit
from ui.widgets import named, set_flag

# Row colours, always with words in the row too (never colour alone).
BREACH_BACKGROUND = "#f5c2c2"
BREACH_TEXT = "#7a0010"
NEAR_BACKGROUND = "#fde3a7"
NEAR_TEXT = "#5c3b00"
PAUSED_BACKGROUND = "#dfe4ea"
STATE_BACKGROUNDS = {
    CounterState.CLOSED: "#e3e8ef",
    CounterState.OPEN: "#ffffff",
    CounterState.BREAK: "#fde3a7",
    CounterState.CALLING: "#d6e6f7",
    CounterState.SERVING: "#d3ecd9",
}
# The five faces, from very unhappy (1) to very happy (5).
FACE_COLOURS = ("#c0392b", "#e67e22", "#d4a000", "#6fa83a", "#1f7a3a")
ISSUED_COLOUR = "#9db4d3"
SERVED_COLOUR = "#1f5fa8"
REFUSED_SHOWN = 5
ALERTS_SHOWN = 20
#: A device of the centre server not heard from for this long is shown as silent.
SILENT_AFTER = timedelta(minutes=2)
# Qt's lupdate finds the strings of calls to ``translate``.
translate = QCoreApplication.translate


def format_since(seconds: int) -> str:
    """``mm:ss``, or ``h:mm:ss`` from an hour."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_average(satisfaction: Satisfaction | None) -> str:
    """``4.3 (12)``: the average rating and how many; ``—`` before any."""
    if satisfaction is None or satisfaction.average is None:
        return "—"
    return isolate(f"{satisfaction.average:.1f} ({satisfaction.ratings})")


@cache
def face_pixmap(rating: int, size: int) -> QPixmap:
    """One face of the five-face scale (1: very unhappy, red … 5: very happy, green)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(FACE_COLOURS[rating - 1]))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.setBrush(QColor("#ffffff"))
    eye = size * 0.085
    painter.drawEllipse(QPointF(size * 0.34, size * 0.38), eye, eye)
    painter.drawEllipse(QPointF(size * 0.66, size * 0.38), eye, eye)
    pen = QPen(QColor("#ffffff"))
    pen.setWidthF(max(size * 0.08, 1.0))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    # The mouth bends down at 1 and up at 5: a shape, not only a colour.
    mouth_y = size * (0.70 if rating >= 3 else 0.74)
    bend = (rating - 3) * size * 0.09
    mouth = QPainterPath(QPointF(size * 0.30, mouth_y))
    mouth.quadTo(QPointF(size * 0.50, mouth_y + bend), QPointF(size * 0.70, mouth_y))
    painter.drawPath(mouth)
    painter.end()
    return pixmap


def face_icon(rating: int, size: int = 48) -> QIcon:
    """:func:`face_pixmap` as an icon."""
    return QIcon(face_pixmap(rating, size))


def face_names() -> list[str]:
    """The five faces' names, 1 to 5, in the application's language."""
    return [
        translate("SupervisorWindow", "Very unhappy"),
        translate("SupervisorWindow", "Unhappy"),
        translate("SupervisorWindow", "Neutral"),
        translate("SupervisorWindow", "Happy"),
        translate("SupervisorWindow", "Very happy"),
    ]


def link_text(link: str) -> str:
    """The central link's state in words."""
    texts = {
        ONLINE: translate("SupervisorWindow", "Central link: online"),
        OFFLINE: translate("SupervisorWindow", "Central link: offline"),
        AUTH_FAILED: translate("SupervisorWindow", "Central link: credentials refused"),
    }
    return texts.get(link, translate("SupervisorWindow", "Central link: not set up"))


def attention_count(report: DayReport | None) -> int:
    """How many things on the health tab need the supervisor."""
    if report is None:
        return 0
    count = len(report.alerts) + sum(1 for device in report.devices if not device.ok)
    count += 1 if report.unverified else 0
    count += 1 if report.rejected_count else 0
    count += 1 if report.status.sync.link in (OFFLINE, AUTH_FAILED) else 0
    return count


def _item(text: str, *, centre: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if centre:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    else:
        # Leading edge: mirrored in a right-to-left table.
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def _table(columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns)
    _configure(table, name)
    return table


def size_table(table: QTableWidget, pixels: int) -> None:
    """Rows tall enough for text ``pixels`` high."""
    rows = table.verticalHeader()
    rows.setMinimumSectionSize(1)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(int(pixels * 2.0))
    table.setIconSize(table.iconSize().scaled(pixels, pixels, Qt.AspectRatioMode.KeepAspectRatio))


def _stretch(table: QTableWidget, *stretched: int) -> None:
    # The others take what their text needs; the stretched ones share the rest,
    # and nothing ever scrolls sideways.
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setMinimumSectionSize(1)
    for column in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.ResizeToContents
        if column in stretched:
            mode = QHeaderView.ResizeMode.Stretch
        header.setSectionResizeMode(column, mode)


# -- signing in ----------------------------------------------------------------


# -- queues and counters ---------------------------------------------------------


class QueuesTable(QTableWidget):
    """Every service's queue: waiting, longest and estimated wait, served, no-shows, status."""

    # str: the code of the service whose row was clicked
    service_chosen = Signal(str)

    COLUMNS = 7

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, self.COLUMNS, parent)
        _configure(self, "queuesTable")
        _stretch(self, 0)
        self._codes: list[str] = []
        self._levels: dict[str, str] = {}
        self.cellClicked.connect(self._clicked)

    def retranslate(self) -> None:
        """Column titles in the application's language."""
        self.setHorizontalHeaderLabels(
            [
                translate("SupervisorWindow", "Service"),
                translate("SupervisorWindow", "Waiting"),
                translate("SupervisorWindow", "Longest wait"),
                translate("SupervisorWindow", "Estimate"),
                translate("SupervisorWindow", "Served"),
                translate("SupervisorWindow", "No-shows"),
                translate("SupervisorWindow", "Status"),
            ]
        )

    def show_lines(self, lines: list[ServiceLine], lang: str) -> None:
        """One row per service, coloured and worded by how long its queue has waited."""
        self.setRowCount(len(lines))
        self._codes = [line.status.service.code for line in lines]
        self._levels = {}
        for row, line in enumerate(lines):
            status = line.status
            longest = (
                fill(translate("SupervisorWindow", "%1 min"), status.longest_wait_s // 60)
                if status.waiting
                else "—"
            )
            eta = (
                fill(translate("SupervisorWindow", "%1 min"), status.eta_minutes)
                if status.eta_minutes is not None
                else "—"
            )
            level, words = _queue_level(line)
            self._levels[status.service.code] = level
            name = f"{status.service.prefix}  {status.service.name.get(lang)}"
            cells = [
                _item(name),
                _item(str(status.waiting), centre=True, bold=True),
                _item(longest, centre=True),
                _item(eta, centre=True),
                _item(str(line.served), centre=True),
                _item(str(line.no_shows), centre=True),
                _item(words, bold=level != "ok"),
            ]
            cells[0].setToolTip(status.service.name.get(lang))
            if status.pause_reason:
                cells[-1].setToolTip(status.pause_reason)
            for column, cell in enumerate(cells):
                _colour(cell, level, column == len(cells) - 1)
                self.setItem(row, column, cell)

    def level(self, code: str) -> str:
        """``breach``, ``near``, ``paused`` or ``ok``: how the service's row is shown."""
        return self._levels.get(code, "ok")

    def row_texts(self, code: str) -> list[str]:
        """The texts of the service's row, by column."""
        row = self._codes.index(code)
        return [_text(self.item(row, column)) for column in range(self.columnCount())]

    def row_background(self, code: str) -> str:
        """The background colour of the service's row (``#rrggbb``)."""
        item = self.item(self._codes.index(code), 0)
        return item.background().color().name() if item is not None else ""

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._codes):
            emit(self.service_chosen, self._codes[row])


def _queue_level(line: ServiceLine) -> tuple[str, str]:
    status = line.status
    limit = status.service.max_wait_minutes
    words: list[str] = []
    level = "ok"
    if line.breach:
        level = "breach"
        words.append(fill(translate("SupervisorWindow", "Over the %1 min limit"), limit))
    elif line.near_breach:
        level = "near"
        words.append(fill(translate("SupervisorWindow", "Near the %1 min limit"), limit))
    if status.paused:
        # The reason is in the cell's tooltip and on the actions tab.
        level = level if level != "ok" else "paused"
        words.insert(0, translate("SupervisorWindow", "Paused"))
    return level, " · ".join(words) or translate("SupervisorWindow", "On time")


def _colour(item: QTableWidgetItem, level: str, status_cell: bool) -> None:
    if level == "breach":
        item.setBackground(QBrush(QColor(BREACH_BACKGROUND)))
        item.setForeground(QBrush(QColor(BREACH_TEXT)))
    elif level == "near":
        item.setBackground(QBrush(QColor(NEAR_BACKGROUND)))
        item.setForeground(QBrush(QColor(NEAR_TEXT)))
    elif level == "paused" and status_cell:
        item.setBackground(QBrush(QColor(PAUSED_BACKGROUND)))


class CountersTable(QTableWidget):
    """Every counter: its state and since when, clerk, services, ticket, served, satisfaction."""

    # str: the id of the counter whose row was clicked
    counter_chosen = Signal(str)

    COLUMNS = 8
    SINCE_COLUMN = 5

    def __init__(self, config: CentreConfig, parent: QWidget | None = None) -> None:
        super().__init__(0, self.COLUMNS, parent)
        _configure(self, "countersTable")
        _stretch(self, 2)
        self._prefixes = {service.code: service.prefix for service in config.services}
        self._ids: list[str] = []
        self._since: list[datetime | None] = []
        self.cellClicked.connect(self._clicked)

    def retranslate(self) -> None:
        """Column titles in the application's language."""
        self.setHorizontalHeaderLabels(
            [
                translate("SupervisorWindow", "Counter"),
                translate("SupervisorWindow", "State"),
                translate("SupervisorWindow", "Clerk"),
                translate("SupervisorWindow", "Services"),
                translate("SupervisorWindow", "Ticket"),
                translate("SupervisorWindow", "Elapsed"),
                translate("SupervisorWindow", "Served"),
                translate("SupervisorWindow", "Satisfaction"),
            ]
        )

    def show_lines(
        self,
        lines: list[CounterLine],
        by_counter: dict[str, Satisfaction],
        lang: str,
        now: datetime,
    ) -> None:
        """One row per counter."""
        self.setRowCount(len(lines))
        self._ids = [line.snapshot.counter.id for line in lines]
        self._since = [line.since for line in lines]
        states = counter_state_names()
        for row, line in enumerate(lines):
            snapshot = line.snapshot
            counter = snapshot.counter
            name = counter.name.get(lang) if counter.name else counter.id
            clerk = line.staff_name[0 if lang == "ar" else 1] if line.staff_name else "—"
            services = " ".join(self._prefixes.get(code, code) for code in counter.services)
            ticket = snapshot.ticket.number if snapshot.ticket is not None else "—"
            satisfaction = by_counter.get(counter.id)
            state = _item(states[snapshot.state], centre=True, bold=True)
            state.setBackground(QBrush(QColor(STATE_BACKGROUNDS[snapshot.state])))
            rating = _item(format_average(satisfaction), centre=True)
            if satisfaction is not None and satisfaction.average is not None:
                rating.setIcon(face_icon(round(satisfaction.average)))
            cells = [
                _item(name, centre=True, bold=True),
                state,
                _item(clerk),
                _item(isolate(services), centre=True),
                _item(ticket, centre=True, bold=True),
                _item("", centre=True),
                _item(str(line.served), centre=True),
                rating,
            ]
            for column, cell in enumerate(cells):
                self.setItem(row, column, cell)
        self.tick(now)

    def tick(self, now: datetime) -> None:
        """Bring the "for" column (time in the present state) up to ``now``."""
        for row, since in enumerate(self._since):
            item = self.item(row, self.SINCE_COLUMN)
            if item is not None:
                seconds = int((now - since).total_seconds()) if since is not None else None
                item.setText(format_since(seconds) if seconds is not None else "—")

    def row_texts(self, counter_id: str) -> list[str]:
        """The texts of the counter's row, by column."""
        row = self._ids.index(counter_id)
        return [_text(self.item(row, column)) for column in range(self.columnCount())]

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._ids):
            emit(self.counter_chosen, self._ids[row])


def counter_state_names() -> dict[CounterState, str]:
    """Each counter state in words, in the application's language."""
    return {
        CounterState.CLOSED: translate("SupervisorWindow", "Closed"),
        CounterState.OPEN: translate("SupervisorWindow", "Open"),
        CounterState.BREAK: translate("SupervisorWindow", "On a break"),
        CounterState.CALLING: translate("SupervisorWindow", "Calling"),
        CounterState.SERVING: translate("SupervisorWindow", "Serving"),
    }


def _configure(table: QTableWidget, name: str) -> None:
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setAlternatingRowColors(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


def _text(item: QTableWidgetItem | None) -> str:
    return item.text().replace("\u2066", "").replace("\u2069", "") if item is not None else ""


# -- the day -------------------------------------------------------------------


class HourChart(QChartView):
    """Tickets issued and served in each hour of the day, as bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hourChart")
        # Hours run left to right in both languages, as on a clock's timeline.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._chart = QChart()
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setBackgroundVisible(False)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self._issued = QBarSet("")
        self._issued.setColor(QColor(ISSUED_COLOUR))
        self._issued.setBorderColor(QColor(ISSUED_COLOUR))
        self._served = QBarSet("")
        self._served.setColor(QColor(SERVED_COLOUR))
        self._served.setBorderColor(QColor(SERVED_COLOUR))
        self._series = QBarSeries()
        self._series.append(self._issued)
        self._series.append(self._served)
        self._chart.addSeries(self._series)
        self._hours_axis = QBarCategoryAxis()
        self._count_axis = QValueAxis()
        self._count_axis.setLabelFormat("%d")
        self._chart.addAxis(self._hours_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(self._count_axis, Qt.AlignmentFlag.AlignLeft)
        self._series.attachAxis(self._hours_axis)
        self._series.attachAxis(self._count_axis)
        self.setChart(self._chart)
        self._hours: list[HourLine] = []
        self.setMinimumHeight(160)

    def retranslate(self) -> None:
        """The legend in the application's language."""
        self._issued.setLabel(translate("SupervisorWindow", "Issued"))
        self._served.setLabel(translate("SupervisorWindow", "Served"))

    def set_font(self, font: QFont) -> None:
        """Legend and axes in ``font``."""
        self._chart.legend().setFont(font)
        self._hours_axis.setLabelsFont(font)
        self._count_axis.setLabelsFont(font)

    def show_hours(self, hours: list[HourLine]) -> None:
        """One pair of bars per hour."""
        if hours == self._hours:
            return
        self._hours = list(hours)
        self._issued.remove(0, self._issued.count())
        self._served.remove(0, self._served.count())
        self._hours_axis.clear()
        self._issued.append([float(h.issued) for h in hours])
        self._served.append([float(h.served) for h in hours])
        self._hours_axis.append([f"{h.hour:02d}" for h in hours])
        top = max([h.issued for h in hours] + [h.served for h in hours] + [4])
        step = 5 if top <= 40 else 10 if top <= 100 else 50
        self._count_axis.setRange(0, -(-top // step) * step)
        self._count_axis.setTickCount(min(-(-top // step), 8) + 1)

    def shown(self) -> list[tuple[str, int, int]]:
        """(hour, issued, served) as drawn."""
        return [
            (
                self._hours_axis.at(index),
                int(self._issued.at(index)),
                int(self._served.at(index)),
            )
            for index in range(self._hours_axis.count())
        ]


class _Tile(QFrame):
    """One figure of the day, large, with its caption."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.value = named(QLabel("0"), f"tile_{name}")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = named(QLabel(), "tileCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class TodayPanel(QWidget):
    """The day so far: totals, tickets per hour, visitors' satisfaction."""

    TILES = ("issued", "served", "no_shows", "cancelled", "left", "waiting")

    def __init__(self, config: CentreConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self.tiles = {name: _Tile(name) for name in self.TILES}
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        self.chart_title = named(QLabel(), "sectionTitle")
        self.chart = HourChart()
        self.satisfaction_title = named(QLabel(), "sectionTitle")
        self.overall_face = named(QLabel(), "overallFace")
        self.overall = named(QLabel(), "overall")
        overall = QHBoxLayout()
        overall.addWidget(self.overall_face)
        overall.addWidget(self.overall, 1)
        self.satisfaction = _table(8, "satisfactionTable")
        _stretch(self.satisfaction, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(tiles)
        layout.addWidget(self.chart_title)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.satisfaction_title)
        layout.addLayout(overall)
        layout.addWidget(self.satisfaction, 2)
        self._report: DayReport | None = None
        self._face_size = 40

    def set_face_size(self, pixels: int) -> None:
        """How large the overall satisfaction's face is drawn."""
        if pixels != self._face_size:
            self._face_size = pixels
            if self._report is not None:
                self._show_overall(self._report)

    def retranslate(self, lang: str) -> None:
        """Texts in the application's language (names in ``lang``)."""
        captions = {
            "issued": translate("SupervisorWindow", "Issued"),
            "served": translate("SupervisorWindow", "Served"),
            "no_shows": translate("SupervisorWindow", "No-shows"),
            "cancelled": translate("SupervisorWindow", "Cancelled"),
            "left": translate("SupervisorWindow", "Left by phone"),
            "waiting": translate("SupervisorWindow", "Waiting"),
        }
        for name, tile in self.tiles.items():
            tile.caption.setText(captions[name])
        self.chart_title.setText(translate("SupervisorWindow", "Tickets per hour"))
        self.satisfaction_title.setText(translate("SupervisorWindow", "Visitors' satisfaction"))
        self.chart.retranslate()
        self.satisfaction.setHorizontalHeaderLabels(
            [
                translate("SupervisorWindow", "Service"),
                translate("SupervisorWindow", "Average"),
                translate("SupervisorWindow", "Ratings"),
                "",
                "",
                "",
                "",
                "",
            ]
        )
        for rating, name in enumerate(face_names(), start=1):
            header = QTableWidgetItem(face_icon(rating), "")
            header.setToolTip(name)
            self.satisfaction.setHorizontalHeaderItem(2 + rating, header)
        if self._report is not None:
            self.show_report(self._report, lang)

    def _show_overall(self, report: DayReport) -> None:
        overall = report.satisfaction
        if overall.average is None:
            self.overall_face.clear()
            self.overall.setText(translate("SupervisorWindow", "No ratings yet today."))
            return
        self.overall_face.setPixmap(face_pixmap(round(overall.average), self._face_size))
        text = translate("SupervisorWindow", "All services: %1 of 5 (ratings: %2)")
        self.overall.setText(fill(text, f"{overall.average:.1f}", overall.ratings))

    def show_report(self, report: DayReport, lang: str) -> None:
        """The day's figures."""
        self._report = report
        values = {
            "issued": report.issued,
            "served": report.served,
            "no_shows": report.no_shows,
            "cancelled": report.cancelled,
            "left": report.left,
            "waiting": report.waiting,
        }
        for name, tile in self.tiles.items():
            tile.value.setText(str(values[name]))
        self.chart.show_hours(report.hours)
        self._show_overall(report)
        rows = [s for s in self._config.services if s.code in report.by_service]
        self.satisfaction.setRowCount(len(rows))
        for row, service in enumerate(rows):
            rated = report.by_service[service.code]
            average = f"{rated.average:.1f}" if rated.average is not None else "—"
            cells = [
                _item(service.name.get(lang)),
                _item(average, centre=True, bold=True),
                _item(str(rated.ratings), centre=True),
                *(_item(str(count), centre=True) for count in rated.counts),
            ]
            if rated.average is not None:
                cells[1].setIcon(face_icon(round(rated.average)))
            for column, cell in enumerate(cells):
                self.satisfaction.setItem(row, column, cell)


# -- health ----------------------------------------------------------------------


class HealthPanel(QWidget):
    """The central link, devices, events the central refused, and what needs attention.

    Each device of the centre but those the supervisor is signed in on has a
    "Revoke…" button; the window asks before it acts.
    """

    # str, str: the device to revoke and its role
    revoke_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.link_title = named(QLabel(), "sectionTitle")
        self.link = named(QLabel(), "linkState")
        self.link_detail = named(QLabel(), "detail")
        self.link_detail.setWordWrap(True)
        self.devices_title = named(QLabel(), "sectionTitle")
        self.devices = _table(4, "devicesTable")
        _stretch(self.devices, 2)
        self.no_devices = named(QLabel(), "detail")
        self.enrolled_title = named(QLabel(), "sectionTitle")
        self.enrolled = _table(4, "enrolledTable")
        _stretch(self.enrolled, 0)
        self._revoke_buttons: dict[str, QPushButton] = {}
        self.webhooks_title = named(QLabel(), "sectionTitle")
        self.webhooks = _table(4, "webhooksTable")
        _stretch(self.webhooks, 0, 3)
        self.refused_title = named(QLabel(), "sectionTitle")
        self.refused_count = named(QLabel(), "detail")
        self.refused = named(QListWidget(), "refusedList")
        self.alerts_title = named(QLabel(), "sectionTitle")
        self.unverified = named(QLabel(), "unverified")
        self.unverified.setWordWrap(True)
        self.alerts = named(QListWidget(), "alertsList")
        for listing in (self.refused, self.alerts):
            listing.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            listing.setWordWrap(True)
            listing.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        link = QHBoxLayout()
        link.addWidget(self.link)
        link.addWidget(self.link_detail, 1)
        layout.addWidget(self.link_title)
        layout.addLayout(link)
        layout.addWidget(self.alerts_title)
        layout.addWidget(self.unverified)
        layout.addWidget(self.alerts, 2)
        layout.addWidget(self.devices_title)
        layout.addWidget(self.no_devices)
        layout.addWidget(self.devices, 2)
        layout.addWidget(self.enrolled_title)
        layout.addWidget(self.enrolled, 2)
        layout.addWidget(self.webhooks_title)
        layout.addWidget(self.webhooks, 1)
        layout.addWidget(self.refused_title)
        layout.addWidget(self.refused_count)
        layout.addWidget(self.refused, 1)

    def retranslate(self) -> None:
        """Texts in the application's language."""
        self.link_title.setText(translate("SupervisorWindow", "Central booking system"))
        self.devices_title.setText(translate("SupervisorWindow", "Printers and devices"))
        self.refused_title.setText(translate("SupervisorWindow", "Events the central refused"))
        self.alerts_title.setText(translate("SupervisorWindow", "Needs your attention"))
        self.no_devices.setText(translate("SupervisorWindow", "No device has reported yet."))
        self.enrolled_title.setText(translate("SupervisorWindow", "Devices of the centre"))
        self.enrolled.setHorizontalHeaderLabels(
            [
                translate("SupervisorWindow", "Device"),
                translate("SupervisorWindow", "Role"),
                translate("SupervisorWindow", "Last heard"),
                "",
            ]
        )
        for button in self._revoke_buttons.values():
            button.setText(translate("SupervisorWindow", "Revoke…"))
        self.webhooks_title.setText(translate("SupervisorWindow", "Integrations (webhooks)"))
        self.webhooks.setHorizontalHeaderLabels(
            [
                translate("SupervisorWindow", "Receiver"),
                translate("SupervisorWindow", "Waiting"),
                translate("SupervisorWindow", "Failures"),
                translate("SupervisorWindow", "Last error"),
            ]
        )
        self.devices.setHorizontalHeaderLabels(
            [
                translate("SupervisorWindow", "Device"),
                translate("SupervisorWindow", "State"),
                translate("SupervisorWindow", "Detail"),
                translate("SupervisorWindow", "Since"),
            ]
        )

    def show_report(self, report: DayReport, now: datetime, in_use: Collection[str] = ()) -> None:
        """The health of the centre as of ``report``; ``in_use``: the devices the supervisor
        is signed in on (not offered for revoking)."""
        zone = now.tzinfo
        sync = report.status.sync
        self.link.setText(link_text(sync.link))
        set_flag(self.link, "bad", sync.link in (OFFLINE, AUTH_FAILED))
        set_flag(self.link, "off", sync.link not in (ONLINE, OFFLINE, AUTH_FAILED))
        if sync.last_ok is None:
            last = translate("SupervisorWindow", "never")
        else:
            local = sync.last_ok.astimezone(zone)
            last = f"{local:%H:%M}" if local.date() == now.date() else f"{local:%Y-%m-%d %H:%M}"
        self.link_detail.setText(
            fill(
                translate("SupervisorWindow", "Events waiting to be sent: %1 · last success: %2"),
                sync.pending,
                last,
            )
        )
        self._show_devices(report, now)
        self._show_enrolled(report, now, in_use)
        self._show_webhooks(report)
        self.refused_count.setText(
            fill(translate("SupervisorWindow", "Events refused: %1"), report.rejected_count)
            if report.rejected_count
            else translate("SupervisorWindow", "None: the central took every event.")
        )
        self.refused.clear()
        for rejected in report.rejected[:REFUSED_SHOWN]:
            at = rejected.at.astimezone(zone)
            what = _event_words(rejected.event) if rejected.event else f"#{rejected.seq}"
            self.refused.addItem(f"{at:%H:%M}  {what}: {isolate(rejected.reason)}")
        self.unverified.setText(
            fill(
                translate(
                    "SupervisorWindow",
                    "Tickets given while offline whose booking is still to be checked: %1",
                ),
                report.unverified,
            )
            if report.unverified
            else ""
        )
        self.unverified.setVisible(bool(report.unverified))
        set_flag(self.unverified, "bad", bool(report.unverified))
        self.alerts.clear()
        for event in reversed(report.alerts[-ALERTS_SHOWN:]):
            self.alerts.addItem(_alert_text(event, now))
        if not report.alerts:
            self.alerts.addItem(translate("SupervisorWindow", "Nothing to look at."))

    def _show_devices(self, report: DayReport, now: datetime) -> None:
        states = device_state_names()
        self.devices.setRowCount(len(report.devices))
        self.no_devices.setVisible(not report.devices)
        self.devices.setVisible(bool(report.devices))
        for row, device in enumerate(report.devices):
            kind = (
                translate("SupervisorWindow", "Printer")
                if device.kind == "printer"
                else device.kind
            )
            state = _item(states.get(device.state, device.state), centre=True, bold=not device.ok)
            if not device.ok:
                state.setBackground(
                    QBrush(
                        QColor(
                            BREACH_BACKGROUND
                            if device.state in ("paper_out", "offline", "error")
                            else NEAR_BACKGROUND
                        )
                    )
                )
            at = device.at.astimezone(now.tzinfo)
            cells = [
                _item(f"{kind} {isolate(device.id)}"),
                state,
                _item(device.detail),
                _item(f"{at:%H:%M}", centre=True),
            ]
            for column, cell in enumerate(cells):
                self.devices.setItem(row, column, cell)

    def set_busy(self, busy: bool) -> None:
        """No second action while one runs."""
        self._busy = busy
        for button in self._revoke_buttons.values():
            button.setEnabled(not busy)

    def revoke_button(self, name: str) -> QPushButton | None:
        """The "Revoke…" button of a device listed now (None: not listed, or in use)."""
        return self._revoke_buttons.get(name)

    def _show_enrolled(self, report: DayReport, now: datetime, in_use: Collection[str]) -> None:
        roles = role_names()
        self.enrolled_title.setVisible(bool(report.enrolled))
        self.enrolled.setVisible(bool(report.enrolled))
        # Rows are drawn anew: the buttons of the last report go with them.
        self.enrolled.setRowCount(0)
        self._revoke_buttons.clear()
        self.enrolled.setRowCount(len(report.enrolled))

        def silent_for(device: EnrolledDevice) -> bool:
            return device.last_seen is None or now - device.last_seen > SILENT_AFTER

        # The silent ones first: what the supervisor must look into is on top.
        listed = sorted(report.enrolled, key=lambda d: (not silent_for(d), d.name))
        for row, device in enumerate(listed):
            role = roles.get(device.role, device.role)
            if device.counter is not None:
                role = fill(translate("SupervisorWindow", "%1, counter %2"), role, device.counter)
            seen = device.last_seen
            silent = silent_for(device)
            if seen is None:
                heard = translate("SupervisorWindow", "never")
            else:
                local = seen.astimezone(now.tzinfo)
                heard = f"{local:%H:%M}" if local.date() == now.date() else f"{local:%Y-%m-%d}"
            if not device.paired:
                heard = translate("SupervisorWindow", "waiting to be paired")
            last = _item(heard, centre=True, bold=silent)
            if silent:
                last.setBackground(QBrush(QColor(NEAR_BACKGROUND)))
            cells = [_item(isolate(device.name)), _item(role), last]
            for column, cell in enumerate(cells):
                self.enrolled.setItem(row, column, cell)
            if device.name in in_use:
                self.enrolled.setItem(
                    row, 3, _item(translate("SupervisorWindow", "You are signed in on it"))
                )
            else:
                self.enrolled.setCellWidget(row, 3, self._revoke_button(device))

    def _revoke_button(self, device: EnrolledDevice) -> QPushButton:
        button = named(QPushButton(translate("SupervisorWindow", "Revoke…")), "revokeDevice")
        button.setFont(self.enrolled.font())
        button.setEnabled(not self._busy)
        name, role = device.name, device.role
        button.clicked.connect(lambda: emit(self.revoke_requested, name, role))
        self._revoke_buttons[name] = button
        return button

    def _show_webhooks(self, report: DayReport) -> None:
        self.webhooks_title.setVisible(bool(report.webhooks))
        self.webhooks.setVisible(bool(report.webhooks))
        self.webhooks.setRowCount(len(report.webhooks))
        for row, hook in enumerate(report.webhooks):
            waiting = _item(str(hook.backlog), centre=True, bold=bool(hook.failures))
            if hook.failures:
                waiting.setBackground(QBrush(QColor(BREACH_BACKGROUND)))
            cells = [
                _item(isolate(hook.origin)),
                waiting,
                _item(str(hook.failures), centre=True),
                _item(isolate(hook.last_error or "") if hook.failures else ""),
            ]
            for column, cell in enumerate(cells):
                self.webhooks.setItem(row, column, cell)


def role_names() -> dict[str, str]:
    """Each device role in words, in the application's language."""
    return {
        "kiosk": translate("SupervisorWindow", "Kiosk"),
        "hall": translate("SupervisorWindow", "Hall screen"),
        "counter": translate("SupervisorWindow", "Counter"),
        "supervisor": translate("SupervisorWindow", "Supervisor"),
        "integrator": translate("SupervisorWindow", "Integration"),
    }


def device_state_names() -> dict[str, str]:
    """Each device state in words, in the application's language."""
    return {
        "ok": translate("SupervisorWindow", "OK"),
        "paper_low": translate("SupervisorWindow", "Paper low"),
        "paper_out": translate("SupervisorWindow", "Out of paper"),
        "cover_open": translate("SupervisorWindow", "Cover open"),
        "offline": translate("SupervisorWindow", "Offline"),
        "error": translate("SupervisorWindow", "Error"),
    }


def _event_words(event: Event) -> str:
    if event.ticket_number:
        return fill(
            translate("SupervisorWindow", "ticket %1 (%2)"),
            event.ticket_number,
            isolate(event.type.value),
        )
    return isolate(event.type.value)


def _alert_text(event: Event, now: datetime) -> str:
    at = f"{event.at.astimezone(now.tzinfo):%H:%M}"
    number = event.ticket_number or "?"
    if event.type is EventType.BOOKING_CANCELLED_AFTER_CHECK_IN:
        reference = isolate(str(event.data.get("reference", "")))
        text = translate(
            "SupervisorWindow",
            "%1  The booking %2 of ticket %3 was cancelled centrally after check-in.",
        )
        return fill(text, at, reference, number)
    if event.type is EventType.PRINT_FAILED:
        code = str(event.data.get("reason", ""))
        reason = device_state_names().get(code) or isolate(code)
        return fill(
            translate("SupervisorWindow", "%1  Ticket %2 did not print (%3)."), at, number, reason
        )
    return f"{at}  {_event_words(event)}"


# -- actions -----------------------------------------------------------------------


class ActionsPanel(QScrollArea):
    """What the supervisor can change: pause a service, the hall message, counters, tickets."""

    # str, str: the service to pause and why (may be empty)
    pause_requested = Signal(str, str)
    # str: the service to resume
    resume_requested = Signal(str)
    # str, str: the hall message in Arabic and English
    message_requested = Signal(str, str)
    # (no arguments) take the hall message off
    message_clear_requested = Signal()
    # str, object (list[str] | None): a counter and the services it is to call (None: configured)
    services_requested = Signal(str, object)
    # str: the ticket number to cancel
    cancel_requested = Signal(str)
    # str: the ticket number to print again
    reprint_requested = Signal(str)

    def __init__(
        self, config: CentreConfig, *, can_reprint: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actions")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._config = config
        self._report: DayReport | None = None
        self._busy = False
        self._message_set = False
        body = named(QWidget(), "actionsBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        # The most frequent first: a visitor at the desk about a ticket.
        layout.addWidget(self._build_ticket(can_reprint))
        layout.addWidget(self._build_service())
        layout.addWidget(self._build_message())
        layout.addWidget(self._build_counter())
        layout.addStretch(1)
        self.setWidget(body)

    # -- building --------------------------------------------------------------

    def _build_service(self) -> QGroupBox:
        self.service_box = named(QGroupBox(), "actionGroup")
        self.service_choice = named(QComboBox(), "serviceChoice")
        for service in self._config.services:
            self.service_choice.addItem(service.code, service.code)
        _narrow(self.service_choice)
        self.service_choice.currentIndexChanged.connect(lambda _index: self._show_pause_state())
        self.reason = named(QLineEdit(), "reason")
        self.reason.setMaxLength(80)
        self.pause_button = named(QPushButton(), "pauseButton")
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.pause_state = named(QLabel(), "detail")
        grid = QGridLayout(self.service_box)
        grid.addWidget(self.service_choice, 0, 0, 1, 2)
        grid.addWidget(self.reason, 1, 0)
        grid.addWidget(self.pause_button, 1, 1)
        grid.addWidget(self.pause_state, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        return self.service_box

    def _build_message(self) -> QGroupBox:
        self.message_box = named(QGroupBox(), "actionGroup")
        self.message_ar = named(QLineEdit(), "messageAr")
        self.message_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.message_en = named(QLineEdit(), "messageEn")
        self.message_en.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        for field in (self.message_ar, self.message_en):
            field.setMaxLength(HALL_MESSAGE_MAX)
        self.show_message_button = named(QPushButton(), "showMessage")
        self.show_message_button.clicked.connect(
            lambda: emit(self.message_requested, self.message_ar.text(), self.message_en.text())
        )
        self.clear_message_button = named(QPushButton(), "clearMessage")
        self.clear_message_button.clicked.connect(lambda: emit(self.message_clear_requested))
        self.message_now = named(QLabel(), "detail")
        self.message_now.setWordWrap(True)
        self._arabic_label = named(QLabel(), "fieldLabel")
        self._english_label = named(QLabel(), "fieldLabel")
        grid = QGridLayout(self.message_box)
        grid.addWidget(self._arabic_label, 0, 0)
        grid.addWidget(self.message_ar, 0, 1, 1, 3)
        grid.addWidget(self._english_label, 1, 0)
        grid.addWidget(self.message_en, 1, 1, 1, 3)
        grid.addWidget(self.message_now, 2, 0, 1, 2)
        grid.addWidget(self.show_message_button, 2, 2)
        grid.addWidget(self.clear_message_button, 2, 3)
        grid.setColumnStretch(1, 1)
        return self.message_box

    def _build_counter(self) -> QGroupBox:
        self.counter_box = named(QGroupBox(), "actionGroup")
        self.counter_choice = named(QComboBox(), "counterChoice")
        for counter in self._config.counters:
            self.counter_choice.addItem(counter.id, counter.id)
        _narrow(self.counter_choice)
        self.counter_choice.currentIndexChanged.connect(
            lambda _index: self._show_counter_services()
        )
        self.service_boxes: dict[str, QCheckBox] = {}
        boxes = QGridLayout()
        for index, service in enumerate(self._config.services):
            box = named(QCheckBox(), f"serves_{service.code}")
            # Long names are cut at the panel's edge (the tooltip has them whole).
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.service_boxes[service.code] = box
            boxes.addWidget(box, index // 2, index % 2)
        self.apply_services_button = named(QPushButton(), "applyServices")
        self.apply_services_button.clicked.connect(self._apply_services)
        self.reset_services_button = named(QPushButton(), "resetServices")
        self.reset_services_button.clicked.connect(
            lambda: emit(self.services_requested, self.counter_choice.currentData(), None)
        )
        self.counter_state = named(QLabel(), "detail")
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter_state, 1)
        buttons.addWidget(self.apply_services_button)
        buttons.addWidget(self.reset_services_button)
        layout = QVBoxLayout(self.counter_box)
        layout.addWidget(self.counter_choice)
        layout.addLayout(boxes)
        layout.addLayout(buttons)
        return self.counter_box

    def _build_ticket(self, can_reprint: bool) -> QGroupBox:
        self.ticket_box = named(QGroupBox(), "actionGroup")
        self.ticket_number = named(QLineEdit(), "ticketNumber")
        self.ticket_number.setMaxLength(48)
        self.ticket_number.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.ticket_number.returnPressed.connect(self._cancel)
        self.cancel_button = named(QPushButton(), "cancelTicket")
        self.cancel_button.clicked.connect(self._cancel)
        self.reprint_button = named(QPushButton(), "reprintTicket")
        self.reprint_button.clicked.connect(
            lambda: emit(self.reprint_requested, self.ticket_number.text().strip())
        )
        self.reprint_button.setVisible(can_reprint)
        layout = QHBoxLayout(self.ticket_box)
        layout.addWidget(self.ticket_number, 1)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.reprint_button)
        return self.ticket_box

    # -- showing ---------------------------------------------------------------

    def retranslate(self, lang: str) -> None:
        """Texts in the application's language, names in ``lang``."""
        self.service_box.setTitle(translate("SupervisorWindow", "Pause or resume a service"))
        self.reason.setPlaceholderText(translate("SupervisorWindow", "Reason (optional)"))
        self.message_box.setTitle(translate("SupervisorWindow", "Message on the hall screens"))
        self._arabic_label.setText(translate("SupervisorWindow", "Arabic"))
        self._english_label.setText(translate("SupervisorWindow", "English"))
        self.show_message_button.setText(translate("SupervisorWindow", "Show on the hall"))
        self.clear_message_button.setText(translate("SupervisorWindow", "Clear"))
        self.counter_box.setTitle(translate("SupervisorWindow", "A counter's services today"))
        self.apply_services_button.setText(translate("SupervisorWindow", "Apply"))
        self.reset_services_button.setText(translate("SupervisorWindow", "Reset to configured"))
        self.ticket_box.setTitle(translate("SupervisorWindow", "A ticket"))
        self.ticket_number.setPlaceholderText(
            translate("SupervisorWindow", "Ticket number, e.g. A023")
        )
        self.cancel_button.setText(translate("SupervisorWindow", "Cancel ticket…"))
        self.reprint_button.setText(translate("SupervisorWindow", "Print again"))
        for index, service in enumerate(self._config.services):
            self.service_choice.setItemText(index, service.name.get(lang))
            box = self.service_boxes[service.code]
            box.setText(f"{service.prefix}  {service.name.get(lang)}")
            box.setToolTip(service.name.get(lang))
        for index, counter in enumerate(self._config.counters):
            name = counter.name.get(lang) if counter.name else counter.id
            self.counter_choice.setItemText(
                index, fill(translate("SupervisorWindow", "Counter %1"), name)
            )
        self._show_pause_state()
        self._show_counter_services()

    def show_report(self, report: DayReport) -> None:
        """Follow the centre: which services are paused, what each counter calls."""
        before = self._report
        self._report = report
        self._show_pause_state()
        if before is None or self._counter_services(before) != self._counter_services(report):
            self._show_counter_services()

    def show_hall_message(self, message: tuple[str, str] | None) -> None:
        """What the hall shows now."""
        if message is None:
            self.message_now.setText(
                translate("SupervisorWindow", "No message: the hall shows its usual footer.")
            )
        else:
            self.message_now.setText(translate("SupervisorWindow", "The hall shows a message now."))
        self._message_set = message is not None
        self.clear_message_button.setEnabled(self._message_set and not self._busy)

    def select_service(self, code: str) -> None:
        """Choose ``code`` in the service list."""
        index = self.service_choice.findData(code)
        if index >= 0:
            self.service_choice.setCurrentIndex(index)

    def select_counter(self, counter_id: str) -> None:
        """Choose ``counter_id`` in the counter list."""
        index = self.counter_choice.findData(counter_id)
        if index >= 0:
            self.counter_choice.setCurrentIndex(index)

    def set_busy(self, busy: bool) -> None:
        """No second action while one runs."""
        for button in (
            self.pause_button,
            self.show_message_button,
            self.apply_services_button,
            self.reset_services_button,
            self.cancel_button,
            self.reprint_button,
        ):
            button.setEnabled(not busy)
        self._busy = busy
        self.clear_message_button.setEnabled(self._message_set and not busy)

    def chosen_paused(self) -> bool:
        """Whether the chosen service is paused now."""
        code = self.service_choice.currentData()
        if self._report is None:
            return False
        return any(s.status.paused for s in self._report.services if s.status.service.code == code)

    def _show_pause_state(self) -> None:
        paused = self.chosen_paused()
        self.pause_button.setText(
            translate("SupervisorWindow", "Resume")
            if paused
            else translate("SupervisorWindow", "Pause…")
        )
        self.reason.setEnabled(not paused)
        reason = ""
        if self._report is not None:
            code = self.service_choice.currentData()
            reason = next(
                (
                    s.status.pause_reason
                    for s in self._report.services
                    if s.status.service.code == code
                ),
                "",
            )
        if paused:
            self.pause_state.setText(
                fill(translate("SupervisorWindow", "Paused: %1"), reason)
                if reason
                else translate("SupervisorWindow", "Paused: the kiosk gives no tickets for it.")
            )
        else:
            self.pause_state.setText(translate("SupervisorWindow", "Taking tickets."))

    def _counter_services(self, report: DayReport) -> dict[str, list[str]]:
        return {c.snapshot.counter.id: list(c.snapshot.counter.services) for c in report.counters}

    def _show_counter_services(self) -> None:
        counter_id = str(self.counter_choice.currentData())
        configured = self._config.counter(counter_id).services
        calls = list(configured)
        if self._report is not None:
            calls = self._counter_services(self._report).get(counter_id, calls)
        for code, box in self.service_boxes.items():
            box.setChecked(code in calls)
        if set(calls) == set(configured):
            self.counter_state.setText(translate("SupervisorWindow", "As configured."))
        else:
            self.counter_state.setText(translate("SupervisorWindow", "Changed for today."))

    def _pause_or_resume(self) -> None:
        code = str(self.service_choice.currentData())
        if self.chosen_paused():
            emit(self.resume_requested, code)
        else:
            emit(self.pause_requested, code, self.reason.text())

    def _apply_services(self) -> None:
        chosen = [code for code, box in self.service_boxes.items() if box.isChecked()]
        emit(self.services_requested, str(self.counter_choice.currentData()), chosen)

    def _cancel(self) -> None:
        emit(self.cancel_requested, self.ticket_number.text().strip())


def _narrow(choice: QComboBox) -> None:
    # A list as wide as its panel, not as its longest name.
    choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    choice.setMinimumContentsLength(12)


__all__ = [
    "ActionsPanel",
    "CountersTable",
    "HealthPanel",
    "HourChart",
    "QueuesTable",
    "TodayPanel",
    "attention_count",
    "counter_state_names",
    "device_state_names",
    "face_icon",
    "face_names",
    "face_pixmap",
    "format_since",
    "link_text",
]
