"""The ``taboor report`` command: a period's figures as a table, JSON, CSV, XLSX or PDF."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from centre.errors import BadInput
from taboor.handlers import EXIT_OK, Command, centre_for, print_json

if TYPE_CHECKING:
    from centre.config import CentreConfig
    from centre.reports import Report, Row

BY = ("day", "week", "month", "service", "counter", "clerk", "hour", "weekday-hour")
# centre.config.LANGUAGES, written out: parsing the command line loads no pydantic.
LANGUAGES = ("ar", "en")


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
    out.add_argument(
        "--csv", metavar="DIR", help="write DIR/report-BY.csv and DIR/report-bookings.csv"
    )
    out.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook")
    out.add_argument("--pdf", metavar="FILE", help="write a PDF (A4 landscape)")
    report.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of --xlsx and --pdf (default: the centre's first language)",
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Print or write a period's report."""
    from centre.reports import report

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if start > end:
        raise BadInput(f"--from {start} is after --to {end}")
    if args.lang and not (args.xlsx or args.pdf):
        raise BadInput("--lang goes with --xlsx or --pdf")
    with centre_for(args) as centre:
        found = report(centre.store, centre.config, start, end, args.by, centre.clock.now())
        config = centre.config
    if args.json:
        print_json(found.as_json())
    elif args.csv or args.xlsx or args.pdf:
        sys.stdout.write(f"{write_file(found, config, args)}\n")
    else:
        print_table(found, sys.stdout)
    return EXIT_OK


def write_file(found: Report, config: CentreConfig, args: argparse.Namespace) -> Path:
    """Write the file ``--csv``, ``--xlsx`` or ``--pdf`` asks for; a path that cannot be
    written is bad input (one line, exit 2)."""
    from display.reports import export, labels

    given = args.csv or args.xlsx or args.pdf
    lang = args.lang or labels.default_language(config)
    try:
        if args.csv:
            return write_csv(found, Path(given))
        if args.xlsx:
            return export.write_xlsx(found, config, Path(given), lang)
        return export.write_pdf(found, config, Path(given), lang)
    except OSError as error:
        raise BadInput(f"cannot write {given}: {error.strerror or error}") from None


def write_csv(found: Report, folder: Path) -> Path:
    """Write the report's rows and total as ``folder/report-{by}.csv`` (every figure, the
    ratings' distribution as ``ratings_1`` to ``ratings_5``) and its bookings by service and
    slot as ``folder/report-bookings.csv``, each with a header row; the first file's path."""
    from centre.reports import BOOKING_FIGURES, FIGURES

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-{found.by}.csv"
    spread = {"rating_counts": [f"ratings_{stars}" for stars in range(1, 6)]}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([title for name in FIGURES for title in spread.get(name, [name])])
        for row in [*found.rows, found.total]:
            values = row.as_json()
            writer.writerow(
                [
                    "" if value is None else str(value)
                    for name in FIGURES
                    for value in (values[name] if name in spread else [values[name]])
                ]
            )
    with (folder / "report-bookings.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(BOOKING_FIGURES)
        for booking in found.bookings:
            values = booking.as_json()
            writer.writerow(["" if values[n] is None else str(values[n]) for n in BOOKING_FIGURES])
    return path


def print_table(found: Report, out: TextIO) -> None:
    """The report as an aligned text table (``-``: no data)."""
    out.write(f"report {found.start} to {found.end} by {found.by}\n")
    from centre.reports import CONTRACT_FIGURES

    # The figures every reader knows; the rest are in --json, --csv, --xlsx and --pdf.
    rows = [*found.rows, found.total]
    lines = [list(CONTRACT_FIGURES), *(_cells(row, CONTRACT_FIGURES, "-") for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(CONTRACT_FIGURES))]
    for number, line in enumerate(lines):
        if number == len(lines) - 1:
            out.write("  ".join("-" * width for width in widths) + "\n")
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        out.write("  ".join(cells).rstrip() + "\n")


def _cells(row: Row, names: Sequence[str], empty: str = "") -> list[str]:
    values: dict[str, Any] = row.as_json()
    return [empty if values[name] is None else str(values[name]) for name in names]


def _day(text: str, option: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option} wants a date as YYYY-MM-DD, not {text!r}") from None


__all__ = ["BY", "LANGUAGES", "cmd_report", "print_table", "register", "write_csv", "write_file"]
