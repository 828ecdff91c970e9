"""Entry points: ``simulate_main`` (one process, as fast as it goes), ``soak_main`` (processes)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from centre.config import DEFAULT_CONFIG, CentreConfig, load_config
from centre.errors import TaboorError
from sim.day import DayResult, run_day
from sim.figures import figures_of, print_figures, write_csv
from sim.options import SimOptions
from sim.plan import plan_day
from sim.scenarios import SCENARIOS, scaled_config, scenario
from sim.stores import sim_store


def parse_options(argv: Sequence[str]) -> SimOptions:
    """``simulate`` options from a command line."""
    parser = argparse.ArgumentParser(
        prog="taboor simulate", description="Run a simulated centre day and print its figures."
    )
    parser.add_argument("--scenario", default="normal", choices=sorted(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--csv", type=Path, metavar="DIR", help="write the figures as CSV here")
    parser.add_argument("--charts", type=Path, metavar="DIR", help="draw PNG charts here")
    parser.add_argument(
        "--db", metavar="URL", help="an empty database (default: a throwaway SQLite file)"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=60.0,
        help="with --processes: simulated seconds per real second (default 60)",
    )
    parser.add_argument(
        "--processes", action="store_true", help="kiosks and counters as separate processes"
    )
    parser.add_argument("--config", type=Path, metavar="PATH")
    parser.add_argument("--kiosks", type=int, default=10, help="with --processes")
    parser.add_argument("--counters", type=int, default=20, help="with --processes")
    parser.add_argument("--minutes", type=float, help="play only this many minutes from opening")
    args = parser.parse_args(list(argv))
    return SimOptions(
        scenario=args.scenario,
        seed=args.seed,
        csv=args.csv,
        charts=args.charts,
        db=args.db,
        speed=args.speed,
        processes=args.processes,
        config=args.config,
        kiosks=args.kiosks,
        counters=args.counters,
        minutes=args.minutes,
    )


def simulate_main(
    options: SimOptions | Sequence[str] | None = None,
    *,
    config: CentreConfig | None = None,
    out: TextIO | None = None,
) -> int:
    """Run a simulated day and print its figures; the exit code (0 done, 2 bad input)."""
    opts = _options(options)
    out = out or sys.stdout
    if opts.processes:
        return soak_main(opts, config=config, out=out)
    try:
        result = simulate_day(opts, config=config)
    except TaboorError as error:
        sys.stderr.write(f"taboor simulate: {error}\n")
        return error.exit_code
    figures = figures_of(result)
    print_figures(figures, out)
    if opts.csv is not None:
        for path in write_csv(result, figures, opts.csv):
            out.write(f"wrote {path}\n")
    if opts.charts is not None:
        from sim.charts import draw_charts  # noqa: PLC0415  (Pillow only when asked)

        for path in draw_charts(figures, opts.charts):
            out.write(f"wrote {path}\n")
    return 0


def simulate_day(
    options: SimOptions, *, config: CentreConfig | None = None, fast: bool = True
) -> DayResult:
    """Play one day of ``options.scenario`` in this process and return it."""
    chosen = scenario(options.scenario)
    base = config or load_config(options.config or DEFAULT_CONFIG)
    centre = scaled_config(base, chosen.counter_scale)
    with sim_store(options.db, fast=fast) as store:
        plan = plan_day(centre, chosen, options.seed, store.cpr_key(), minutes=options.minutes)
        return run_day(store, centre, chosen, plan, options.seed)


def soak_main(
    options: SimOptions | Sequence[str] | None = None,
    *,
    config: CentreConfig | None = None,
    out: TextIO | None = None,
) -> int:
    """Run the day with kiosks and counters as processes; 0 when nothing was lost or doubled."""
    from sim.soak import run_soak  # noqa: PLC0415

    opts = _options(options)
    out = out or sys.stdout
    try:
        report = run_soak(opts, config=config)
    except TaboorError as error:
        sys.stderr.write(f"taboor simulate: {error}\n")
        return error.exit_code
    report.print(out)
    return 0 if report.ok else 1


def _options(options: SimOptions | Sequence[str] | None) -> SimOptions:
    if options is None:
        return SimOptions()
    if isinstance(options, SimOptions):
        return options
    return parse_options(options)
