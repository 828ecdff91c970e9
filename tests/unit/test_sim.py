"""The day simulator's pure parts: scenarios, the day's plan, charts."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace

import pytest
from PIL import Image

from centre.config import CentreConfig
from centre.reports import percentile
from sim.charts import tickets_per_hour, waits_by_service
from sim.figures import (
    Accuracy,
    CounterFigures,
    DayFigures,
    ServiceLevel,
    WaitFigures,
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


def test_transfers_and_ratings_leave_the_rest_of_the_plan_as_it_was(
    config: CentreConfig,
) -> None:
    chosen = replace(scenario("normal"), transfer_share=0.3)
    plan = plan_day(config, chosen, 5, KEY)
    plain = plan_day(config, replace(chosen, transfer_share=0.0, rated_share=0.0), 5, KEY)
    unmoved = [replace(v, transfer_to=None, then_s=0.0, rates_at=None) for v in plan.visitors]
    assert unmoved == plain.visitors
    assert plan.breaks == plain.breaks
    sent_on = [v for v in plan.visitors if v.transfer_to is not None]
    assert 0.2 * len(plan.visitors) < len(sent_on) < 0.4 * len(plan.visitors)
    served_by_counters = {code for counter in config.counters for code in counter.services}
    for visitor in sent_on:
        assert visitor.transfer_to != visitor.service
        assert visitor.transfer_to in served_by_counters
        assert config.service(visitor.transfer_to).walk_in
        assert visitor.then_s >= 20.0
    rating = [v for v in plan.visitors if v.rates_at is not None]
    assert 0.5 < len(rating) / len(plan.visitors) < 0.7


def test_visitors_kept_waiting_rate_lower(config: CentreConfig) -> None:
    plan = plan_day(config, scenario("normal"), 5, KEY)
    content = Counter(v.rating(kept_waiting=False) for v in plan.visitors)
    kept = Counter(v.rating(kept_waiting=True) for v in plan.visitors)
    assert set(content) == set(kept) == {None, 1, 2, 3, 4, 5}
    assert content[None] == kept[None] == sum(1 for v in plan.visitors if v.rates_at is None)
    assert content[4] + content[5] > 2 * (content[1] + content[2] + content[3])
    assert kept[1] > content[1]
    assert kept[5] < content[5]
    lowest, highest = (replace(plan.visitors[0], rates_at=at) for at in (0.0, 0.9999))
    assert lowest.rating(kept_waiting=False) == lowest.rating(kept_waiting=True) == 1
    assert highest.rating(kept_waiting=False) == highest.rating(kept_waiting=True) == 5


def figures() -> DayFigures:
    waits = WaitFigures(10, 300.0, 240.0, 750.0)
    return DayFigures(
        scenario="rush",
        seed=1,
        day="2026-11-22",
        counters_configured=2,
        planned=30,
        booked=8,
        never_came=1,
        turned_away={},
        visitors=29,
        by_kind={"walk_in": 20, "appointment": 7, "priority": 2},
        by_state={"served": 27, "no_show": 2},
        transferred=1,
        waits={"all": WaitFigures(29, 280.0, 200.0, 700.0), "walk_in": waits},
        within=27,
        service_mean_s=360.0,
        satisfaction=4.2,
        ratings=15,
        rating_counts=(0, 1, 2, 5, 7),
        services=[
            ServiceLevel("licence-renewal", 45, 20, 20, 18, waits),
            ServiceLevel("traffic-fines", 30, 9, 9, 9, WaitFigures(9, 60.0, 60.0, 180.0)),
            ServiceLevel("driving-test", 60, 0, 0, 0, WaitFigures(0, None, None, None)),
        ],
        hourly=[(7, 10, 8), (8, 19, 19)],
        counters=[CounterFigures("1", 600, 400, 22, 20)],
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
    assert ServiceLevel("x", 30, 3, 0, 0, WaitFigures(0, None, None, None)).attainment is None
    assert ServiceLevel("x", 30, 3, 2, 1, WaitFigures(2, 1.0, 1.0, 1.0)).attainment == 0.5
    assert figures().attainment == 27 / 29
    assert CounterFigures("1", 0, 0, 0, 0).utilisation is None
