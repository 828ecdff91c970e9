"""Kinds of day the simulator plays: how many come, when, and what goes wrong."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import time

from centre.config import CentreConfig, CounterConfig
from centre.errors import BadInput

# Relative arrival rate of walk-ins by hour of the day (centre time): a
# morning peak, a dip at lunch, a smaller afternoon bump. Hours not named: 1.
WALK_IN_PROFILE: dict[int, float] = {
    6: 0.4,
    7: 0.7,
    8: 1.4,
    9: 1.8,
    10: 1.7,
    11: 1.3,
    12: 0.7,
    13: 0.6,
    14: 0.9,
    15: 1.1,
    16: 1.2,
    17: 0.8,
    18: 0.4,
    19: 0.3,
}


# Most served visitors rate the service as they leave (1 to 5): mostly content, less so
# when kept waiting past the service's maximum wait.
RATED_SHARE = 0.6
RATING_WEIGHTS = (0.04, 0.06, 0.15, 0.35, 0.40)
KEPT_WAITING_WEIGHTS = (0.15, 0.20, 0.30, 0.22, 0.13)


class SimError(BadInput):
    """The simulator cannot run as asked (unknown scenario, a database already in use)."""

    code = "sim_error"


@dataclass(frozen=True)
class Outage:
    """A counter out of order for a while (its clerk finishes the visitor at hand first)."""

    counter_index: int
    start: time
    minutes: int


@dataclass(frozen=True)
class Break:
    """A clerk's break: from about ``start`` (staggered per counter) for ``minutes``."""

    start: time
    minutes: int
    stagger_minutes: int


@dataclass(frozen=True)
class Scenario:
    """One kind of day."""

    name: str
    visitors: int
    appointment_share: float = 0.25
    priority_share: float = 0.07
    # Booked but never came.
    appointment_missed: float = 0.08
    # Checked in, then gone when called (besides those whose patience ran out).
    absent_share: float = 0.03
    # At the counter, found to need another service as well: transferred to its queue.
    transfer_share: float = 0.04
    # Served visitors who rate the service on the screen over the counter.
    rated_share: float = RATED_SHARE
    # How long a visitor waits before giving up: median minutes (log-normal).
    patience_minutes: float = 100.0
    # Service times: log-normal around each service's configured mean, this skewed.
    service_cv: float = 0.6
    # The centre's counters repeated this many times (a bigger centre, same services).
    counter_scale: int = 1
    outage: Outage | None = None
    breaks: tuple[Break, ...] = field(
        default_factory=lambda: (
            Break(time(9, 30), 15, 15),
            Break(time(12, 0), 30, 20),
            Break(time(15, 30), 15, 15),
        )
    )
    # Counters keep calling for this long after closing to empty the hall.
    grace_minutes: int = 45


SCENARIOS: dict[str, Scenario] = {
    "quiet": Scenario("quiet", visitors=260),
    "normal": Scenario("normal", visitors=480),
    "rush": Scenario(
        "rush",
        visitors=720,
        appointment_share=0.22,
        outage=Outage(counter_index=2, start=time(9, 45), minutes=90),
    ),
    "busy": Scenario("busy", visitors=3000, counter_scale=5),
}


def scenario(name: str) -> Scenario:
    """The scenario of this name."""
    try:
        return SCENARIOS[name]
    except KeyError:
        names = ", ".join(SCENARIOS)
        raise SimError(f"no scenario {name!r} (scenarios: {names})", scenario=name) from None


def scaled_config(
    config: CentreConfig, scale: int = 1, counters: int | None = None
) -> CentreConfig:
    """The centre with its counters repeated ``scale`` times (or cycled to ``counters``),
    quotas grown alike; the first copy keeps the configured ids."""
    wanted = counters if counters is not None else len(config.counters) * scale
    if wanted == len(config.counters):
        return config
    made: list[CounterConfig] = []
    copy = 1
    while len(made) < wanted:
        for counter in config.counters:
            if len(made) == wanted:
                break
            counter_id = counter.id if copy == 1 else f"{counter.id}-{copy}"[:16]
            made.append(counter.model_copy(update={"id": counter_id}))
        copy += 1
    grow = wanted / len(config.counters)
    services = [
        s.model_copy(update={"daily_quota": math.ceil(s.daily_quota * grow)})
        if s.daily_quota is not None
        else s
        for s in config.services
    ]
    return config.model_copy(update={"counters": made, "services": services})
