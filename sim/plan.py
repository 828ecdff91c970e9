"""The day's visitors, drawn once from a seed: who comes when, for what, and how long they take."""

from __future__ import annotations

import math
import random
import uuid
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from centre.config import CentreConfig, ServiceConfig
from centre.domain import Appointment
from centre.rules.cpr import cpr_digest
from sim.scenarios import KEPT_WAITING_WEIGHTS, RATING_WEIGHTS, WALK_IN_PROFILE, Scenario

# Sunday 22 November 2026: a working day in Manama (the tests' day too).
DEFAULT_DAY = date(2026, 11, 22)
SLOT_MINUTES = 10
PRIORITY_CLASSES = ("elderly", "disabled", "pregnant")


@dataclass(frozen=True)
class Visitor:
    """One person coming to the centre (times in seconds after opening)."""

    index: int
    kind: str  # walk_in, priority, appointment
    service: str
    arrive_s: float
    service_s: float
    walk_s: float
    patience_s: float
    absent: bool
    priority: str = "normal"
    lang: str = "ar"
    cpr: str | None = None
    appointment_id: str | None = None
    slot_s: float | None = None
    comes: bool = True
    # Sent on to this service's queue after the first visit, where it takes ``then_s``.
    transfer_to: str | None = None
    then_s: float = 0.0
    # How content the visitor is, 0 to 1 (see ``rating``); None: gives no rating.
    rates_at: float | None = None

    def rating(self, *, kept_waiting: bool) -> int | None:
        """The rating (1-5) the visitor gives once served (``None``: gives none)."""
        if self.rates_at is None:
            return None
        weights = KEPT_WAITING_WEIGHTS if kept_waiting else RATING_WEIGHTS
        cumulative = list(accumulate(weights))
        return min(bisect_left(cumulative, self.rates_at * cumulative[-1]) + 1, len(weights))


@dataclass(frozen=True)
class BreakPlan:
    """When a counter's clerk steps away (seconds after opening) and for how long."""

    counter: str
    start_s: float
    seconds: float
    outage: bool = False


@dataclass(frozen=True)
class DayPlan:
    """Everything random about a day, drawn from the seed."""

    day: date
    opens_at: datetime
    open_s: float  # opening to closing, seconds
    visitors: list[Visitor]
    appointments: list[Appointment]
    breaks: list[BreakPlan]

    def at(self, seconds: float) -> datetime:
        """The instant ``seconds`` after opening."""
        return self.opens_at + timedelta(seconds=seconds)


def plan_day(
    config: CentreConfig,
    scenario: Scenario,
    seed: int,
    cpr_key: bytes,
    day: date = DEFAULT_DAY,
    minutes: float | None = None,
) -> DayPlan:
    """Draw the day: arrivals by the time-of-day profile, bookings, service times, breaks.

    ``minutes`` cuts the day short after opening (visitors scaled to the part kept).
    """
    rng = random.Random(seed)
    zone = config.centre.zone
    hours = config.centre.hours
    opens_at = datetime.combine(day, hours.open, tzinfo=zone).astimezone(UTC)
    closes_at = datetime.combine(day, hours.close, tzinfo=zone).astimezone(UTC)
    open_s = (closes_at - opens_at).total_seconds()
    rates = _hour_rates(hours.open, open_s)
    kept = 1.0
    if minutes is not None and minutes * 60 < open_s:
        kept = _share_of_rate(rates, minutes * 60)
        open_s = minutes * 60
    count = max(1, round(scenario.visitors * kept))
    booked = round(count * scenario.appointment_share)
    walk_in_services = [s for s in config.services if s.walk_in]
    visitors: list[Visitor] = []
    appointments: list[Appointment] = []
    for _ in range(count - booked):
        service = _pick(rng, walk_in_services)
        priority = rng.random() < scenario.priority_share
        visitors.append(
            _visitor(
                rng,
                scenario,
                len(visitors),
                "priority" if priority else "walk_in",
                service,
                _draw_time(rng, rates, open_s),
                priority=rng.choice(PRIORITY_CLASSES) if priority else "normal",
            )
        )
    slots = _slot_weights(rates, open_s)
    for _ in range(booked):
        service = _pick(rng, list(config.services))
        slot_s = _draw_slot(rng, slots)
        window = service.checkin
        late = rng.random() < 0.04
        offset = rng.uniform(0, 30) if late else rng.gauss(-9, 7)
        arrive = min(max(slot_s + offset * 60, 0.0), open_s - 60)
        index = len(visitors)
        cpr = f"99{index:07d}"  # month 00: never a real CPR
        appointment = _appointment(config, day, opens_at, service, slot_s, cpr, cpr_key, seed)
        appointments.append(appointment)
        comes = rng.random() >= scenario.appointment_missed
        visitors.append(
            _visitor(
                rng,
                scenario,
                index,
                "appointment",
                service,
                max(arrive, slot_s - window.early_minutes * 60 - 20 * 60),
                cpr=cpr,
                appointment_id=appointment.id,
                slot_s=slot_s,
                comes=comes,
            )
        )
    breaks = _breaks(rng, config, scenario)
    # Drawn apart, so that transfers and ratings leave every other draw of the seed as it was.
    onward, rating = random.Random(f"{seed}/sent on"), random.Random(f"{seed}/rating")
    visitors = [_rates(rating, scenario, _sent_on(onward, config, scenario, v)) for v in visitors]
    visitors.sort(key=lambda v: (v.arrive_s, v.index))
    return DayPlan(day, opens_at, open_s, visitors, appointments, breaks)


def _visitor(
    rng: random.Random,
    scenario: Scenario,
    index: int,
    kind: str,
    service: ServiceConfig,
    arrive_s: float,
    priority: str = "normal",
    cpr: str | None = None,
    appointment_id: str | None = None,
    slot_s: float | None = None,
    comes: bool = True,
) -> Visitor:
    return Visitor(
        index=index,
        kind=kind,
        service=service.code,
        arrive_s=arrive_s,
        service_s=_lognormal(rng, service.service_minutes * 60, scenario.service_cv),
        walk_s=rng.uniform(15, 60),
        patience_s=_lognormal(rng, scenario.patience_minutes * 60, 0.45),
        absent=rng.random() < scenario.absent_share,
        priority=priority,
        lang=rng.choice(("ar", "ar", "en")),
        cpr=cpr,
        appointment_id=appointment_id,
        slot_s=slot_s,
        comes=comes,
    )


def _sent_on(
    rng: random.Random, config: CentreConfig, scenario: Scenario, visitor: Visitor
) -> Visitor:
    # Whether the clerk finds that the visitor needs another walk-in service as well.
    if rng.random() >= scenario.transfer_share:
        return visitor
    served = {code for counter in config.counters for code in counter.services}
    onward = [
        s for s in config.services if s.walk_in and s.code in served and s.code != visitor.service
    ]
    if not onward:
        return visitor
    service = _pick(rng, onward)
    then_s = _lognormal(rng, service.service_minutes * 60, scenario.service_cv)
    return replace(visitor, transfer_to=service.code, then_s=then_s)


def _rates(rng: random.Random, scenario: Scenario, visitor: Visitor) -> Visitor:
    # Whether the visitor rates the service once served, and how content the visitor is.
    if rng.random() >= scenario.rated_share:
        return visitor
    return replace(visitor, rates_at=rng.random())


def _lognormal(rng: random.Random, mean: float, cv: float) -> float:
    sigma = math.sqrt(math.log(1 + cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    return max(rng.lognormvariate(mu, sigma), 20.0)


def _pick(rng: random.Random, services: list[ServiceConfig]) -> ServiceConfig:
    # Demand follows each service's daily quota (100 where it has none).
    weights = [s.daily_quota or 100 for s in services]
    return rng.choices(services, weights=weights)[0]


def _hour_rates(opens: time, open_s: float) -> list[float]:
    # Rate per started quarter hour of the open day.
    quarters = math.ceil(open_s / 900)
    start = opens.hour * 60 + opens.minute
    return [WALK_IN_PROFILE.get(((start + 15 * q) // 60) % 24, 1.0) for q in range(quarters)]


def _share_of_rate(rates: list[float], seconds: float) -> float:
    whole = sum(rates)
    full, part = divmod(seconds / 900, 1)
    kept = sum(rates[: int(full)]) + (rates[int(full)] * part if int(full) < len(rates) else 0)
    return kept / whole if whole else 1.0


def _draw_time(rng: random.Random, rates: list[float], open_s: float) -> float:
    # Inverse transform over the piecewise-constant rate, stopping 10 minutes before closing.
    last = max(open_s - 600, 60.0)
    while True:
        quarter = rng.choices(range(len(rates)), weights=rates)[0]
        at = (quarter + rng.random()) * 900
        if at < last:
            return at


def _slot_weights(rates: list[float], open_s: float) -> tuple[list[float], list[float]]:
    # Bookings on a ten-minute grid, from half an hour after opening to half an hour
    # before closing, flatter than walk-ins (the booking system spreads them).
    first, last = 30 * 60, max(open_s - 30 * 60, 30 * 60)
    slots = [float(s) for s in range(int(first), int(last) + 1, SLOT_MINUTES * 60)]
    weights = [math.sqrt(rates[min(int(s // 900), len(rates) - 1)]) for s in slots]
    return slots, list(accumulate(weights))


def _draw_slot(rng: random.Random, slots: tuple[list[float], list[float]]) -> float:
    times, cumulative = slots
    return times[min(bisect_left(cumulative, rng.random() * cumulative[-1]), len(times) - 1)]


def _appointment(
    config: CentreConfig,
    day: date,
    opens_at: datetime,
    service: ServiceConfig,
    slot_s: float,
    cpr: str,
    cpr_key: bytes,
    seed: int,
) -> Appointment:
    start = opens_at + timedelta(seconds=slot_s)
    # Ids from the seed and CPR: the same day twice books the same appointments.
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"taboor-sim/{config.centre.id}/{day}/{seed}/{cpr}")
    return Appointment(
        id=f"sim-{key}",
        reference=f"SIM-{key.hex[:10].upper()}",
        service=service.code,
        slot_start=start,
        slot_end=start + timedelta(minutes=SLOT_MINUTES),
        business_day=day,
        cpr_digest=cpr_digest(cpr, cpr_key),
        cpr_last4=cpr[-4:],
        name_ar="زائر تجريبي",
        name_en="Simulated visitor",
        updated_at=opens_at - timedelta(days=1),
        origin="sim",
    )


def _breaks(rng: random.Random, config: CentreConfig, scenario: Scenario) -> list[BreakPlan]:
    # Breaks in centre time, staggered so that about a quarter of the clerks are away at once.
    opening = config.centre.hours.open
    open_minutes = opening.hour * 60 + opening.minute
    planned: list[BreakPlan] = []
    for index, counter in enumerate(config.counters):
        for pause in scenario.breaks:
            start = pause.start.hour * 60 + pause.start.minute - open_minutes
            minute = start + (index % 4) * pause.stagger_minutes + rng.uniform(-5, 5)
            planned.append(BreakPlan(counter.id, minute * 60.0, pause.minutes * 60.0))
    outage = scenario.outage
    if outage is not None and outage.counter_index < len(config.counters):
        start = outage.start.hour * 60 + outage.start.minute - open_minutes
        counter_id = config.counters[outage.counter_index].id
        planned.append(BreakPlan(counter_id, start * 60.0, outage.minutes * 60.0, outage=True))
    return sorted(planned, key=lambda b: (b.start_s, b.counter))
