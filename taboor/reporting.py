"""The ``taboor report`` command: a period's figures as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from centre.errors import BadInput
from taboor.handlers import EXIT_OK, Command, centre_for, print_json

if TYPE_CHECKING:
    from centre.reports import Report, Row

BY = ("day", "week", "month", "service", "counter", "clerk", "hour", "weekday-hour")
COLUMNS = (
    "key",
    "visitors",
    "served",
    "no_shows",
    "cancelled",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p90_s",
    "service_mean_s",
    "sla_pct",
    "satisfaction",
    "ratings",
)


def register(command: Command) -> None:
    """Add ``taboor report`` to the parser."""
    report = command(
        "report", cmd_report, "figures over a period: visitors, waits, service levels, ratings"
    )
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--by", default="day", choices=BY, help="how to split it (default: day)")
    out = report.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--csv", metavar="DIR", help="write DIR/report-BY.csv")


def cmd_report(args: argparse.Namespace) -> int:
    """Print or write a period's report."""
    from centre.reports import report  # noqa: PLC0415

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if start > end:
        raise BadInput(f"--from {start} is after --to {end}")
    with centre_for(args) as centre:
        found = report(centre.store, centre.config, start, end, args.by)
    if args.json:
        print_json(found.as_json())
    elif args.csv:
        path = write_csv(found, Path(args.csv))
        sys.stdout.write(f"{path}\n")
    else:
        print_table(found, sys.stdout)
    return EXIT_OK


def write_csv(found: Report, folder: Path) -> Path:
    """Write the report's rows and total as ``folder/report-{by}.csv``, with a header row."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-{found.by}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in [*found.rows, found.total]:
            writer.writerow(_cells(row))
    return path


def print_table(found: Report, out: TextIO) -> None:
    """The report as an aligned text table (``-``: no data)."""
    out.write(f"report {found.start} to {found.end} by {found.by}\n")
    lines = [list(COLUMNS), *(_cells(row, "-") for row in [*found.rows, found.total])]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    for number, line in enumerate(lines):
        if number == len(lines) - 1:
            out.write("  ".join("-" * width for width in widths) + "\n")
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        out.write("  ".join(cells).rstrip() + "\n")


def _cells(row: Row, empty: str = "") -> list[str]:
    values: dict[str, Any] = row.as_json()
    return [empty if values[name] is None else str(values[name]) for name in COLUMNS]


def _day(text: str, option: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option} wants a date as YYYY-MM-DD, not {text!r}") from None


__all__ = ["cmd_report", "print_table", "register", "write_csv"]
