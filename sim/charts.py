"""Charts of a simulated day, drawn with Pillow: tickets per hour, and waits per service."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from sim.figures import DayFigures, minutes

WIDTH, HEIGHT = 1000, 560
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 80, 30, 70, 110
BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
GRID = (222, 226, 230)
BLUE = (31, 119, 180)
GREEN = (44, 160, 44)
ORANGE = (255, 127, 14)
RED = (214, 39, 40)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def draw_charts(figures: DayFigures, folder: Path) -> list[Path]:
    """Draw the day's charts as PNG files in ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    hourly = folder / "tickets_per_hour.png"
    tickets_per_hour(figures).save(hourly)
    waits = folder / "waits_by_service.png"
    waits_by_service(figures).save(waits)
    return [hourly, waits]


def tickets_per_hour(figures: DayFigures) -> Image.Image:
    """Bars of the visitors arriving in each hour of the day, and how many of them were served."""
    labels = [f"{hour:02d}:00" for hour, _, _ in figures.hourly]
    series = [
        ("visitors", BLUE, [float(visitors) for _, visitors, _ in figures.hourly]),
        ("of them served", GREEN, [float(served) for _, _, served in figures.hourly]),
    ]
    title = f"Visitors per hour - {figures.scenario} day (seed {figures.seed}, {figures.day})"
    return _bars(title, "visitors", "hour of arrival (centre time)", labels, series, targets=None)


def waits_by_service(figures: DayFigures) -> Image.Image:
    """Bars of the median and 90th-percentile wait of each service, with its target wait."""
    levels = [s for s in figures.services if s.tickets]
    labels = [s.service for s in levels]
    series = [
        ("median wait", BLUE, [minutes(s.waits.p50_s) or 0.0 for s in levels]),
        ("90th percentile", ORANGE, [minutes(s.waits.p90_s) or 0.0 for s in levels]),
    ]
    targets = [float(s.target_minutes) for s in levels]
    title = f"Waits by service, issue to first call - {figures.scenario} day (seed {figures.seed})"
    return _bars(title, "minutes", "service (red line: target wait)", labels, series, targets)


def _bars(
    title: str,
    y_label: str,
    x_label: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, tuple[int, int, int], Sequence[float]]],
    targets: Sequence[float] | None,
) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    big, normal, small = _font(20), _font(14), _font(12)
    draw.text((WIDTH // 2, 18), title, fill=INK, font=big, anchor="mt")
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    values = [v for _, _, vs in series for v in vs] + list(targets or [])
    top_value = _nice_ceiling(max(values, default=0.0))
    # Grid and y axis.
    for step in range(6):
        value = top_value * step / 5
        y = bottom - (bottom - top) * step / 5
        draw.line([(left, y), (right, y)], fill=GRID, width=1)
        draw.text((left - 8, y), _short(value), fill=INK, font=small, anchor="rm")
    draw.line([(left, top), (left, bottom), (right, bottom)], fill=INK, width=2)
    draw.text((18, (top + bottom) // 2), y_label, fill=INK, font=normal, anchor="lm")
    draw.text(((left + right) // 2, HEIGHT - 22), x_label, fill=INK, font=normal, anchor="mb")
    # Bars.
    groups = max(len(labels), 1)
    slot = (right - left) / groups
    bar = slot * 0.8 / max(len(series), 1)
    for index, label in enumerate(labels):
        x0 = left + slot * index + slot * 0.1
        for number, (_, colour, series_values) in enumerate(series):
            value = series_values[index]
            height = (bottom - top) * value / top_value if top_value else 0
            box = (x0 + bar * number, bottom - height, x0 + bar * (number + 1) - 2, bottom)
            draw.rectangle(box, fill=colour)
            if bar >= 18:
                draw.text(
                    ((box[0] + box[2]) / 2, box[1] - 2),
                    _short(value),
                    fill=INK,
                    font=small,
                    anchor="mb",
                )
        if targets is not None and top_value:
            y = bottom - (bottom - top) * targets[index] / top_value
            draw.line([(x0 - 2, y), (x0 + slot * 0.8 + 2, y)], fill=RED, width=3)
        draw.text(
            (left + slot * (index + 0.5), bottom + 8), label, fill=INK, font=small, anchor="mt"
        )
    # Legend.
    x = left + 10
    for name, colour, _ in series:
        draw.rectangle((x, top - 26, x + 14, top - 12), fill=colour)
        draw.text((x + 20, top - 19), name, fill=INK, font=normal, anchor="lm")
        x += 40 + int(draw.textlength(name, font=normal))
    if targets is not None:
        draw.line([(x, top - 19), (x + 14, top - 19)], fill=RED, width=3)
        draw.text((x + 20, top - 19), "target wait", fill=INK, font=normal, anchor="lm")
    return image


def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _nice_ceiling(value: float) -> float:
    # 1, 2 or 5 times a power of ten, at or above ``value``.
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _short(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
