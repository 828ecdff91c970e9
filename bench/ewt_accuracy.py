"""How honest the estimated wait is: simulated days, the estimate shown at issue against the wait.

Prints one line per scenario (quiet, normal, rush with a counter outage),
pooled over ``--seeds`` simulated days each, e.g.
``rush mae_min=4.1 p90_min=9.0 naive_mae_min=9.8 naive_p90_min=20.1 ratio=0.42``:
mean and 90th-percentile absolute error in minutes of the estimate printed on
each ticket, the same for the naive figure (people ahead x the service's
configured time / counters open that serve it), and their ratio. Then the
simulator's own speed on the busy day: ``busy visitors=3000 seconds=12.3``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the simulator is not part of the installed packages
    sys.path.insert(0, str(ROOT))

from sim.cli import SimOptions, simulate_day  # noqa: E402
from sim.figures import accuracy_of  # noqa: E402


def accuracy_line(scenario: str, seeds: list[int]) -> str:
    days = [simulate_day(SimOptions(scenario=scenario, seed=seed)) for seed in seeds]
    pooled = accuracy_of(*days)
    if pooled is None:
        return f"{scenario} no ticket was called"
    return (
        f"{scenario} mae_min={pooled.mae:.1f} p90_min={pooled.p90:.1f} "
        f"naive_mae_min={pooled.naive_mae:.1f} naive_p90_min={pooled.naive_p90:.1f} "
        f"ratio={pooled.ratio:.2f}"
    )


def speed_line(seed: int) -> str:
    started = time.perf_counter()
    result = simulate_day(SimOptions(scenario="busy", seed=seed))
    seconds = time.perf_counter() - started
    return f"busy visitors={len(result.plan.visitors)} seconds={seconds:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="days per scenario (seeds 1..N)")
    parser.add_argument("--scenarios", default="quiet,normal,rush")
    parser.add_argument("--no-speed", action="store_true", help="skip the busy day")
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    for scenario in args.scenarios.split(","):
        print(accuracy_line(scenario, seeds), flush=True)
    if not args.no_speed:
        print(speed_line(1), flush=True)


if __name__ == "__main__":
    main()
