"""Past days for a centre: simulated days played one after another on its own store.

Reports over a period need days behind them: ``play_history`` plays the
centre's last working days, oldest first, each a :func:`sim.day.run_day` on
a clock of that day, through the real use cases (the simulated visitors rate
their service as they leave). For ``taboor hq --demo`` and the head-office
benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from sim.day import run_day
from sim.plan import plan_day
from sim.scenarios import Scenario

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class PlayedDay:
    """One past day as played: its date and its tickets."""

    day: date
    tickets: int


def working_days_before(config: CentreConfig, day: date, count: int) -> list[date]:
    """The ``count`` days before ``day`` the centre opens on, oldest first."""
    open_days = set(config.centre.hours.days)
    found: list[date] = []
    at = day
    while len(found) < count:
        at -= timedelta(days=1)
        if WEEKDAYS[at.weekday()] in open_days:
            found.append(at)
    return sorted(found)


def play_history(
    store: Store,
    config: CentreConfig,
    days: list[date],
    scenario: Scenario,
    seed: int,
    minutes: float | None = None,
) -> list[PlayedDay]:
    """Play each of ``days`` (oldest first) on ``store``, a seed of its own each.

    ``minutes``: only that many minutes of each day from opening (its visitors scaled).
    """
    played = []
    for offset, day in enumerate(days):
        plan = plan_day(config, scenario, seed + offset, store.cpr_key(), day=day, minutes=minutes)
        result = run_day(store, config, scenario, plan, seed + offset)
        played.append(PlayedDay(day, len(result.tickets)))
    return played


__all__ = ["PlayedDay", "play_history", "working_days_before"]
