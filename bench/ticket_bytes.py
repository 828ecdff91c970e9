"""Bytes per bilingual ticket, their time on a serial line, and the time to lay a ticket out."""

from __future__ import annotations

import dataclasses
import statistics
import time

from printer import (
    PROFILE_58MM,
    PROFILE_80MM,
    PrinterProfile,
    TicketSlip,
    render_ticket,
    render_ticket_raster,
    sample_slip,
)

BAUD_RATES = (9600, 38400, 115200)
LAYOUT_RUNS = 50


def line_time_s(size: int, baud: int) -> float:
    """Seconds a serial line takes: ten bits a byte (start, eight data, stop)."""
    return size * 10 / baud


def report_bytes(name: str, data: bytes) -> None:
    times = " ".join(f"t{baud}_s={line_time_s(len(data), baud):.2f}" for baud in BAUD_RATES)
    print(f"{name} bytes={len(data)} {times}")


def layout_ms(slip: TicketSlip, profile: PrinterProfile, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render_ticket(slip, profile)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    slip = sample_slip()
    first = layout_ms(slip, PROFILE_80MM, 1)[0]  # loads the fonts
    report_bytes("native_qr", render_ticket(slip, PROFILE_80MM))
    report_bytes(
        "image_qr", render_ticket(slip, dataclasses.replace(PROFILE_80MM, native_qr=False))
    )
    report_bytes("native_qr_58mm", render_ticket(slip, PROFILE_58MM))
    report_bytes("whole_raster", render_ticket_raster(slip, PROFILE_80MM))
    timings = layout_ms(slip, PROFILE_80MM, LAYOUT_RUNS)
    print(
        f"layout_80mm first_ms={first:.1f} median_ms={statistics.median(timings):.1f} "
        f"max_ms={max(timings):.1f} runs={LAYOUT_RUNS}"
    )
    # Every ticket has a new number and time: time a day's worth of distinct slips too.
    distinct = [
        dataclasses.replace(slip, number=f"A{n:03d}", ahead=n % 40, eta_minutes=n % 60)
        for n in range(LAYOUT_RUNS)
    ]
    distinct_timings = []
    for each in distinct:
        started = time.perf_counter()
        render_ticket(each, PROFILE_80MM)
        distinct_timings.append((time.perf_counter() - started) * 1000)
    print(
        f"layout_80mm_distinct median_ms={statistics.median(distinct_timings):.1f} "
        f"runs={LAYOUT_RUNS}"
    )


if __name__ == "__main__":
    main()
