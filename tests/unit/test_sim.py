"""The day simulator's pure parts: scenarios, the day's plan, percentiles, charts."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image

from centre.config import CentreConfig
from sim.charts import tickets_per_hour, waits_by_service
from sim.figures import (
    Accuracy,
    CounterFigures,
    DayFigures,
    ServiceLevel,
    WaitFigures,
    percentile,
)
from sim.plan import plan_day
from sim.scenarios import SCENARIOS, SimError, scaled_config, scenario

KEY = b"k" * 32


def test_scenarios_by_name() -> None:
    assert set(SCENARIOS) == {"quiet", "normal", "rush", "busy"}
    assert scenario("rush").outage is not None
    assert scenario("busy").visitors == 3000
    with pytest.raises(SimError, match="no scenario 'party'"):
        scenario("party")


def test_scaled_config_repeats_counters_and_grows_quotas(config: CentreConfig) -> None:
    assert scaled_config(config, 1) is config
    bigger = scaled_config(config, 3)
    ids = [c.id for c in bigger.counters]
    assert len(ids) == 3 * len(config.counters) == len(set(ids))
    assert ids[: len(config.counters)] == [c.id for c in config.counters]
    renewal = next(s for s in bigger.services if s.code == "licence-renewal")
    assert renewal.daily_quota == 3 * 400
    assert [c.id for c in scaled_config(config, counters=10).counters][-2:] == ["1-2", "2-2"]


def test_the_same_seed_plans_the_same_day(config: CentreConfig) -> None:
    first = plan_day(config, scenario("normal"), 7, KEY)
    again = plan_day(config, scenario("normal"), 7, KEY)
    other = plan_day(config, scenario("normal"), 8, KEY)
    assert first == again
    assert first.visitors != other.visitors


def test_a_planned_day_looks_like_the_scenario(config: CentreConfig) -> None:
    chosen = scenario("normal")
    plan = plan_day(config, chosen, 1, KEY)
    assert len(plan.visitors) == chosen.visitors
    kinds = Counter(v.kind for v in plan.visitors)
    assert kinds["appointment"] == round(chosen.visitors * chosen.appointment_share)
    assert 0 < kinds["priority"] < kinds["walk_in"] / 5
    assert all(0 <= v.arrive_s < plan.open_s for v in plan.visitors)
    assert len(plan.appointments) == kinds["appointment"]
    assert {a.id for a in plan.appointments} == {v.appointment_id for v in plan.visitors} - {None}
    assert all(v.cpr is None or (len(v.cpr) == 9 and v.cpr.isdigit()) for v in plan.visitors)
    # The morning peak is busier than the lunch dip.
    hour = [int(v.arrive_s // 3600) for v in plan.visitors if v.kind != "appointment"]
    assert hour.count(2) > hour.count(6)  # 09:00 against 13:00
    # Service times are skewed around each service's configured mean.
    renewal = [v.service_s for v in plan.visitors if v.service == "licence-renewal"]
    mean = sum(renewal) / len(renewal)
    assert 0.8 * 360 < mean < 1.2 * 360
    assert percentile(renewal, 0.5) < mean


def test_rush_plans_an_outage_and_breaks(config: CentreConfig) -> None:
    plan = plan_day(config, scenario("rush"), 1, KEY)
    outages = [b for b in plan.breaks if b.outage]
    assert len(outages) == 1
    assert outages[0].counter == config.counters[2].id
    assert len([b for b in plan.breaks if not b.outage]) == 3 * len(config.counters)


def test_a_short_day_keeps_the_visitors_of_its_part(config: CentreConfig) -> None:
    plan = plan_day(config, scenario("normal"), 1, KEY, minutes=120)
    assert plan.open_s == 7200
    assert 10 < len(plan.visitors) < 200
    assert all(v.arrive_s < 7200 for v in plan.visitors)


def test_percentile() -> None:
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([0, 10], 0.9) == pytest.approx(9)
    assert percentile([5], 0.9) == 5


def figures() -> DayFigures:
    waits = WaitFigures(10, 4.0, 12.5)
    return DayFigures(
        scenario="rush",
        seed=1,
        day="2026-11-22",
        counters_configured=2,
        visitors=30,
        never_came=1,
        turned_away={},
        issued=29,
        by_state={"served": 27, "no_show": 2},
        waits={"walk_in": waits},
        services=[
            ServiceLevel("licence-renewal", 45, 20, 18, waits),
            ServiceLevel("traffic-fines", 30, 9, 9, WaitFigures(9, 1.0, 3.0)),
            ServiceLevel("driving-test", 60, 0, 0, WaitFigures(0, None, None)),
        ],
        hourly=[(7, 10, 8), (8, 19, 21)],
        counters=[CounterFigures("1", 600, 400, 20)],
        accuracy=Accuracy(29, 2.0, 5.0, -0.5, 4.0, 9.0),
        events=120,
        wall_seconds=0.5,
    )


@pytest.mark.parametrize("draw", [tickets_per_hour, waits_by_service])
def test_charts_are_pictures_with_something_drawn(draw: object) -> None:
    assert callable(draw)
    image = draw(figures())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    again = Image.open(io.BytesIO(buffer.getvalue()))
    assert again.size == (1000, 560)
    colours = again.convert("RGB").getcolors(maxcolors=100_000)
    assert colours is not None
    assert len(colours) > 10  # bars, text and grid, not a blank page


def test_figures_ratio() -> None:
    accuracy = figures().accuracy
    assert accuracy is not None
    assert accuracy.ratio == 0.5
    assert ServiceLevel("x", 30, 0, 0, WaitFigures(0, None, None)).attainment is None
    assert CounterFigures("1", 0, 0, 0).utilisation is None
