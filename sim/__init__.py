"""The day simulator: a centre's day played through the real use cases on a simulated clock.

``simulate_main`` runs one day in this process as fast as it can and prints
its figures (``--csv``, ``--charts`` write them out); ``soak_main`` runs the
same day with kiosks and counters as separate processes against a shared
database, compressed in time, and checks that nothing was lost or doubled.

Exceptions: :class:`SimError` (a ``centre.errors.BadInput``: unknown
scenario, a database that is not empty) is the only one of its own.
"""

from __future__ import annotations

from sim.cli import simulate_main, soak_main
from sim.day import DayResult, run_day
from sim.options import SimOptions, SoakOptions
from sim.scenarios import SCENARIOS, Scenario, SimError

__all__ = [
    "SCENARIOS",
    "DayResult",
    "Scenario",
    "SimError",
    "SimOptions",
    "SoakOptions",
    "run_day",
    "simulate_main",
    "soak_main",
]
