"""The Reports tab's bar charts: a long period's axis names only what fits, and its bars show."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QLabel, QTabWidget
from pytestqt.qtbot import QtBot

from display.reports.tab import BarChart, Bars, label_step


def days(count: int) -> list[str]:
    return [(date(2026, 1, 1) + timedelta(days=i)).isoformat() for i in range(count)]


def chart(qtbot: QtBot, categories: list[str], width: int = 900) -> BarChart:
    view = BarChart("chart")
    qtbot.addWidget(view)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    values: list[float | None] = [float(20 + (i * 7) % 30) for i in range(len(categories))]
    bars = [Bars("Visitors", values, "#9db4d3"), Bars("Served", values, "#1f5fa8")]
    view.show_bars(categories, bars)
    return view


def test_a_week_names_every_day(qtbot: QtBot) -> None:
    view = chart(qtbot, days(7))
    assert view.labels() == days(7)


def test_a_year_by_day_names_evenly_spaced_days_that_fit_side_by_side(qtbot: QtBot) -> None:
    year = days(300)
    view = chart(qtbot, year)
    named = view.labels()
    assert named[0] == year[0]
    positions = [year.index(label) for label in named]
    steps = {b - a for a, b in pairwise(positions)}
    assert len(steps) == 1
    # Each name has half as much room again as it is wide (Qt Charts' rule for not
    # cutting it short), across the plot.
    text = QFontMetrics(view.chart().axes()[0].labelsFont()).horizontalAdvance(year[0])
    plot = view.chart().plotArea().width()
    assert len(named) * text * 1.5 <= plot
    assert len(named) >= 3


def test_a_wider_window_names_more_and_a_narrower_fewer(qtbot: QtBot) -> None:
    year = days(300)
    wide = chart(qtbot, year, width=1800).labels()
    middle = chart(qtbot, year, width=900).labels()
    narrow = chart(qtbot, year, width=500).labels()
    assert len(wide) > len(middle) > len(narrow) >= 1


def test_a_years_bars_are_drawn_not_washed_out(qtbot: QtBot) -> None:
    view = chart(qtbot, days(300))
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    plot = view.chart().plotArea().toRect()
    # Half way up the shortest bar, across the plot: most of the line is bar colour.
    y = plot.bottom() - 2
    dark = 0
    for x in range(plot.left() + 2, plot.right() - 2):
        colour = image.pixelColor(x, y)
        if colour.lightness() < 200:
            dark += 1
    assert dark > 0.8 * (plot.width() - 4)


def test_label_step() -> None:
    assert label_step(7, 800, 70) == 1
    assert label_step(300, 800, 70) == 43
    assert label_step(1, 10, 70) == 1
    assert label_step(0, 800, 70) == 1


def test_a_chart_filled_on_a_hidden_tab_names_what_fits_once_shown(qtbot: QtBot) -> None:
    # The Reports tab reads its first report before its charts' tab is ever laid out.
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QLabel("today"), "Today")
    view = BarChart("chart")
    tabs.addTab(view, "Chart")
    tabs.resize(1800, 400)
    tabs.show()
    qtbot.waitExposed(tabs)
    values: list[float | None] = [1.0] * 5
    view.show_bars(days(5), [Bars("Visitors", values, "#9db4d3")])
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.labels() == days(5))
