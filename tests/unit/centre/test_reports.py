"""Reports over a period: every figure of hand-built days, and totals that agree across splits."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centre import phones, staff
from centre import reports as rp
from centre import supervision as sv
from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.domain import AppointmentStatus, TicketState
from centre.errors import BadInput, TaboorError
from centre.store.unit_of_work import Store
from tests.helpers import BAHRAIN, make_appointment

SUNDAY = date(2026, 11, 22)
MONDAY = date(2026, 11, 23)


def at(day: date, hhmm: str) -> datetime:
    hour, minute = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hour), int(minute), tzinfo=BAHRAIN)


class Day:
    """Drives the real use cases at set times of a day."""

    def __init__(self, store: Store, config: CentreConfig, clock: FixedClock) -> None:
        self.store, self.config, self.clock = store, config, clock
        self.day = SUNDAY

    def when(self, hhmm: str) -> Day:
        self.clock.set(at(self.day, hhmm))
        return self

    def issue(self, hhmm: str, service: str) -> str:
        return uc.issue_ticket(self.when(hhmm).store, self.clock, self.config, service).ticket.id

    def call(self, hhmm: str, counter: str) -> str:
        view = uc.call_next(self.when(hhmm).store, self.clock, self.config, counter)
        assert view is not None
        return view.ticket.id

    def act(self, hhmm: str, action: str, counter: str) -> None:
        getattr(uc, action)(self.when(hhmm).store, self.clock, self.config, counter)

    def serve(self, start: str, end: str, counter: str) -> None:
        self.act(start, "start_serving", counter)
        self.act(end, "finish", counter)

    def rate(self, hhmm: str, ticket: str, rating: int) -> None:
        sv.record_feedback(self.when(hhmm).store, self.clock, self.config, ticket, rating)


@pytest.fixture
def hand_built(
    store: Store, config: CentreConfig, clock: FixedClock
) -> tuple[Store, CentreConfig, dict[str, str]]:
    """Two days (on both databases): a transfer, a recall, more time, a no-show, a cancel,
    a visitor who left."""
    d = Day(store, config, clock)
    d.when("08:00")
    staff.add_staff(store, clock, "c101", name_ar="فاطمة", name_en="Fatima", pin="2468")
    staff.add_staff(store, clock, "c102", name_ar="علي", name_en="Ali", pin="1357")
    staff.sign_in(store, d.when("08:55").clock, config, "1", "c101", "2468")
    t = {
        "t1": d.issue("09:00", "licence-renewal"),
        "t2": d.issue("09:02", "licence-renewal"),
        "t3": d.issue("09:03", "traffic-fines"),
        "t4": d.issue("09:04", "licence-renewal"),
        "t5": d.issue("09:05", "licence-renewal"),
    }
    # t4 asks for more time: it moves behind t5, but its wait still runs from 09:04.
    phones.ask_more_time(d.when("09:06").store, clock, config, t["t4"])
    assert d.call("09:10", "1") == t["t1"]
    d.act("09:11", "recall", "1")
    d.act("09:12", "start_serving", "1")
    uc.transfer(d.when("09:15").store, clock, config, "1", "traffic-fines")
    assert d.call("09:16", "1") == t["t2"]
    d.serve("09:17", "09:22", "1")
    # t1 is called again after its transfer: its wait stays to the first call (09:10).
    assert d.call("09:20", "4") == t["t1"]
    d.serve("09:21", "09:31", "4")
    assert d.call("09:32", "4") == t["t3"]
    d.act("09:35", "no_show", "4")
    t["t6"] = d.issue("09:40", "licence-lost")
    t["t7"] = d.issue("09:41", "vehicle-registration")
    uc.cancel_ticket(d.when("09:45").store, clock, config, t["t7"])
    phones.leave_queue(d.when("09:50").store, clock, config, t["t6"])
    assert d.call("10:00", "2") == t["t5"]
    d.serve("10:01", "10:06", "2")
    assert d.call("10:10", "2") == t["t4"]
    d.serve("10:11", "10:19", "2")
    t["t8"] = d.issue("10:30", "ownership-transfer")
    d.rate("10:40", t["t1"], 2)
    d.rate("10:41", t["t2"], 4)
    d.day = MONDAY
    staff.sign_in(store, d.when("07:55").clock, config, "1", "c102", "1357")
    t["t9"] = d.issue("08:00", "licence-renewal")
    assert d.call("08:30", "1") == t["t9"]
    d.serve("08:30", "08:40", "1")
    d.rate("08:45", t["t9"], 5)
    return store, config, t


def row(
    key: str | None,
    visitors: int,
    served: int = 0,
    no_shows: int = 0,
    cancelled: int = 0,
    waits: tuple[float | None, float | None, float | None] = (None, None, None),
    service_mean_s: float | None = None,
    sla_pct: float | None = None,
    satisfaction: float | None = None,
    ratings: int = 0,
    *,
    bookings: int = 0,
    stars: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0),
    per_hour: float | None = None,
    break_s: float | None = None,
) -> rp.Row:
    return rp.Row(
        key, visitors, served, no_shows, cancelled, *waits, service_mean_s, sla_pct,
        satisfaction, ratings, visitors - bookings, bookings, stars, per_hour, break_s,
    )  # fmt: skip


def test_every_figure_of_two_hand_built_days(
    hand_built: tuple[Store, CentreConfig, dict[str, str]],
) -> None:
    store, config, _ = hand_built
    found = rp.report(store, config, SUNDAY, MONDAY, "day")
    # Waits: t1 600 (first call, not the call after its transfer), t2 840, t3 1740,
    # t4 3960 (from issue at 09:04, not from its moved-back place), t5 3300, t9 1800.
    # Clerks: c101 at counter 1 from 08:55 to its last finished ticket (09:22): 1,620 s;
    # c102 from 07:55 to 08:40: 2,700 s. They served t1 and t2, and t9 (their first calls):
    # 3 in 4,320 s, 2.5 an hour. Nobody was signed in at counters 2 and 4.
    assert found.total == row(
        "total", 9, served=5, no_shows=1, cancelled=2, waits=(2040.0, 1770.0, 3630.0),
        service_mean_s=456.0, sla_pct=66.7, satisfaction=3.67, ratings=3,
        stars=(0, 1, 0, 1, 1), per_hour=2.5, break_s=0.0,
    )  # fmt: skip
    assert found.rows == [
        row(
            "2026-11-22", 8, served=4, no_shows=1, cancelled=2,
            waits=(2088.0, 1740.0, 3696.0), service_mean_s=420.0, sla_pct=60.0,
            satisfaction=3.0, ratings=2, stars=(0, 1, 0, 1, 0),
        ),
        row(
            "2026-11-23", 1, served=1, waits=(1800.0, 1800.0, 1800.0), service_mean_s=600.0,
            sla_pct=100.0, satisfaction=5.0, ratings=1, stars=(0, 0, 0, 0, 1),
        ),
    ]  # fmt: skip
    # No bookings on those days.
    assert found.bookings == []


def test_by_service_counts_a_transferred_ticket_once_under_the_service_it_was_issued_for(
    hand_built: tuple[Store, CentreConfig, dict[str, str]],
) -> None:
    store, config, _ = hand_built
    rows = rp.report(store, config, SUNDAY, MONDAY, "service").rows
    assert rows == [
        row("licence-lost", 1, cancelled=1),
        row(
            "licence-renewal", 5, served=5, waits=(2100.0, 1800.0, 3696.0),
            service_mean_s=456.0, sla_pct=60.0, satisfaction=3.67, ratings=3,
            stars=(0, 1, 0, 1, 1),
        ),
        # Nothing known of its wait, service or ratings: null, never 0.
        row("ownership-transfer", 1),
        row("traffic-fines", 1, no_shows=1, waits=(1740.0, 1740.0, 1740.0), sla_pct=100.0),
        row("vehicle-registration", 1, cancelled=1),
    ]  # fmt: skip


def test_by_counter_and_clerk_go_by_the_first_call(
    hand_built: tuple[Store, CentreConfig, dict[str, str]],
) -> None:
    store, config, _ = hand_built
    counters = rp.report(store, config, SUNDAY, MONDAY, "counter").rows
    assert [(r.key, r.visitors, r.served, r.no_shows, r.cancelled) for r in counters] == [
        ("1", 3, 3, 0, 0),  # t1 (served at 4 after its transfer), t2, t9
        ("2", 2, 2, 0, 0),
        ("4", 1, 0, 1, 0),
        (None, 3, 0, 0, 2),  # never called: t6 left, t7 cancelled, t8 still waiting
    ]
    assert counters[0].wait_mean_s == 1080.0  # (600 + 840 + 1800) / 3
    assert counters[0].service_mean_s == 500.0  # (600 + 300 + 600) / 3
    assert counters[3].wait_mean_s is None
    clerks = rp.report(store, config, SUNDAY, MONDAY, "clerk").rows
    # c101 was at counter 1 on Sunday, c102 from Monday; nobody signed in at 2 and 4.
    fields = [(r.key, r.visitors, r.ratings, r.satisfaction) for r in clerks]
    assert fields == [("c101", 2, 2, 3.0), ("c102", 1, 1, 5.0), (None, 6, 0, None)]
    # Served per hour at the desk: c101 2 in 1,620 s, c102 1 in 2,700 s.
    assert [(r.served_per_hour, r.break_s) for r in clerks] == [
        (4.44, 0.0),
        (1.33, 0.0),
        (None, None),
    ]
    assert all(r.served_per_hour is None for r in counters)


def test_a_visitor_who_left_from_the_phone_is_cancelled_not_a_no_show(
    hand_built: tuple[Store, CentreConfig, dict[str, str]],
) -> None:
    store, config, t = hand_built
    with store.read() as repo:
        left = repo.ticket(t["t6"])
    assert left is not None
    assert left.left_queue
    assert left.state is TicketState.CANCELLED
    lost = rp.report(store, config, SUNDAY, SUNDAY, "service").rows[0]
    assert (lost.key, lost.cancelled, lost.no_shows) == ("licence-lost", 1, 0)


def test_time_keys(hand_built: tuple[Store, CentreConfig, dict[str, str]]) -> None:
    store, config, _ = hand_built

    def keys(by: str) -> list[tuple[str | None, int]]:
        return [(r.key, r.visitors) for r in rp.report(store, config, SUNDAY, MONDAY, by).rows]

    assert keys("week") == [("2026-W47", 8), ("2026-W48", 1)]
    assert keys("month") == [("2026-11", 9)]
    assert keys("hour") == [("08", 1), ("09", 7), ("10", 1)]
    assert keys("weekday-hour") == [("sun-09", 7), ("sun-10", 1), ("mon-08", 1)]


def test_a_period_without_tickets_has_null_figures(
    hand_built: tuple[Store, CentreConfig, dict[str, str]],
) -> None:
    store, config, _ = hand_built
    found = rp.report(store, config, date(2026, 12, 1), date(2026, 12, 31), "month")
    assert found.rows == []
    assert found.total == row("total", 0)
    assert found.as_json() == {
        "from": "2026-12-01",
        "to": "2026-12-31",
        "by": "month",
        "rows": [],
        "total": {
            "key": "total", "visitors": 0, "served": 0, "no_shows": 0, "cancelled": 0,
            "wait_mean_s": None, "wait_p50_s": None, "wait_p90_s": None,
            "service_mean_s": None, "sla_pct": None, "satisfaction": None, "ratings": 0,
            "walk_ins": 0, "appointments": 0, "rating_counts": [0, 0, 0, 0, 0],
            "served_per_hour": None, "break_s": None,
        },
        "bookings": [],
    }  # fmt: skip


def test_bad_periods_and_splits_are_refused(sqlite_store: Store, config: CentreConfig) -> None:
    with pytest.raises(BadInput, match="after it ends"):
        rp.report(sqlite_store, config, MONDAY, SUNDAY, "day")
    with pytest.raises(BadInput, match="no report by"):
        rp.report(sqlite_store, config, SUNDAY, SUNDAY, "year")


def test_percentiles_interpolate_between_order_statistics() -> None:
    assert rp.percentile([], 0.5) is None
    assert rp.percentile([7.0], 0.9) == 7.0
    assert rp.percentile([10.0, 0.0, 20.0, 30.0], 0.5) == 15.0
    assert rp.percentile([0.0, 10.0, 20.0, 30.0, 40.0, 50.0], 0.9) == 45.0


def test_the_command_line_offers_the_same_splits() -> None:
    from taboor import reporting  # noqa: PLC0415

    assert reporting.BY == rp.BY


# -- totals agree across splits ------------------------------------------------

SERVICES = ("licence-renewal", "licence-lost", "vehicle-registration", "traffic-fines")
COUNTERS = ("1", "2", "3", "4")
issue = st.tuples(st.just("issue"), st.sampled_from(SERVICES))
call = st.tuples(st.just("call"), st.sampled_from(COUNTERS))
step = st.one_of(
    issue,
    issue,
    call,
    call,
    st.tuples(st.sampled_from(["recall", "start", "done", "no_show"]), st.sampled_from(COUNTERS)),
    st.tuples(st.just("transfer"), st.sampled_from(COUNTERS), st.sampled_from(SERVICES)),
    st.tuples(st.sampled_from(["leave", "more_time", "cancel"]), st.integers(0, 9)),
    st.tuples(st.just("rate"), st.integers(0, 9), st.integers(1, 5)),
    st.tuples(st.just("sign_in"), st.sampled_from(COUNTERS), st.sampled_from(["c101", "c102"])),
)
_days = count()


def play(day: Day, steps: list[tuple[object, ...]]) -> None:
    store, config, clock = day.store, day.config, day.clock
    issued: list[str] = []
    pins = {"c101": "2468", "c102": "1357"}

    def nth(index: object) -> str:
        return issued[int(str(index)) % len(issued)]

    actions: dict[object, Callable[..., object]] = {
        "issue": lambda s: issued.append(uc.issue_ticket(store, clock, config, s).ticket.id),
        "call": lambda c: uc.call_next(store, clock, config, c),
        "recall": lambda c: uc.recall(store, clock, config, c),
        "start": lambda c: uc.start_serving(store, clock, config, c),
        "done": lambda c: uc.finish(store, clock, config, c),
        "no_show": lambda c: uc.no_show(store, clock, config, c),
        "transfer": lambda c, s: uc.transfer(store, clock, config, c, s),
        "sign_in": lambda c, who: staff.sign_in(store, clock, config, c, who, pins[who]),
        "leave": lambda i: phones.leave_queue(store, clock, config, nth(i)),
        "more_time": lambda i: phones.ask_more_time(store, clock, config, nth(i)),
        "cancel": lambda i: uc.cancel_ticket(store, clock, config, nth(i)),
        "rate": lambda i, r: sv.record_feedback(store, clock, config, nth(i), r),
    }
    for number, (kind, *args) in enumerate(steps):
        clock.set(at(day.day, "08:00") + timedelta(minutes=3 * number))
        if kind in ("leave", "more_time", "cancel", "rate") and not issued:
            continue
        # Refused by the rules (nobody waiting, counter busy...): the day goes on.
        with contextlib.suppress(TaboorError):
            actions[kind](*args)
    # Every counter ends its ticket, so the next example's day starts free.
    clock.advance(timedelta(minutes=5))
    for counter in COUNTERS:
        for action in (uc.start_serving, uc.finish):
            with contextlib.suppress(TaboorError):
                action(store, clock, config, counter)


@pytest.fixture
def staffed(sqlite_store: Store, config: CentreConfig, clock: FixedClock) -> Day:
    staff.add_staff(sqlite_store, clock, "c101", name_ar="فاطمة", name_en="Fatima", pin="2468")
    staff.add_staff(sqlite_store, clock, "c102", name_ar="علي", name_en="Ali", pin="1357")
    return Day(sqlite_store, config, clock)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(step, min_size=10, max_size=30),
    second=st.lists(step, max_size=12),
)
def test_totals_agree_across_every_split(
    staffed: Day, first: list[tuple[object, ...]], second: list[tuple[object, ...]]
) -> None:
    # Each example plays two fresh days of its own in the one store.
    offset = 2 * next(_days)
    start = date(2027, 1, 3) + timedelta(days=offset)
    for shift, steps in enumerate((first, second)):
        staffed.day = start + timedelta(days=shift)
        play(staffed, steps)
    end = start + timedelta(days=1)
    store, config = staffed.store, staffed.config
    with store.read() as repo:
        tickets = repo.tickets_of_day(start) + repo.tickets_of_day(end)
    total = rp.report(store, config, start, end, "day").total
    assert total.visitors == len(tickets)
    assert total.served == sum(t.state is TicketState.SERVED for t in tickets)
    assert total.no_shows == sum(t.state is TicketState.NO_SHOW for t in tickets)
    assert total.cancelled == sum(t.state is TicketState.CANCELLED for t in tickets)
    for by in rp.BY:
        found = rp.report(store, config, start, end, by)
        assert found.total == total
        for figure in (
            "visitors", "served", "no_shows", "cancelled", "ratings", "walk_ins", "appointments",
        ):  # fmt: skip
            assert sum(getattr(r, figure) for r in found.rows) == getattr(total, figure), (
                by,
                figure,
            )
        assert len({r.key for r in found.rows}) == len(found.rows)
        stars = [sum(r.rating_counts[n] for r in found.rows) for n in range(5)]
        assert tuple(stars) == total.rating_counts
    # Rolled up, the days report the same.
    before = {by: rp.report(store, config, start, end, by) for by in rp.BY}
    for day in (start, end):
        rp.roll_up(store, config, day, datetime.combine(end + timedelta(days=1), time(6), BAHRAIN))
    for by in rp.BY:
        assert rp.report(store, config, start, end, by) == before[by], by


TUESDAY = date(2026, 11, 24)


@pytest.fixture
def booked_day(
    store: Store, config: CentreConfig, clock: FixedClock
) -> tuple[Store, CentreConfig, FixedClock]:
    """A Tuesday with bookings (one checked in, two that never came, one the central
    cancelled) and a clerk who takes a break and signs out."""
    d = Day(store, config, clock)
    d.day = TUESDAY
    d.when("07:00")
    staff.add_staff(store, clock, "c101", name_ar="فاطمة", name_en="Fatima", pin="2468")
    came = make_appointment(
        store, cpr="900101234", service="licence-renewal", slot=at(TUESDAY, "09:00")
    )
    uc.store_appointments(
        store,
        [
            came,
            make_appointment(
                store, cpr="900105678", service="licence-renewal", slot=at(TUESDAY, "09:00")
            ),
            make_appointment(
                store,
                cpr="900109999",
                service="licence-renewal",
                slot=at(TUESDAY, "09:15"),
                status=AppointmentStatus.CANCELLED,
            ),
            make_appointment(
                store, cpr="900104321", service="traffic-fines", slot=at(TUESDAY, "09:15")
            ),
        ],
    )
    staff.sign_in(store, d.when("08:00").clock, config, "1", "c101", "2468")
    d.issue("08:05", "licence-renewal")
    d.call("08:10", "1")
    d.serve("08:10", "08:20", "1")
    staff.start_break(store, d.when("08:30").clock, config, "1")
    staff.end_break(store, d.when("08:45").clock, config, "1")
    uc.check_in_by_cpr(store, d.when("08:50").clock, config, "900101234", came.id)
    d.call("09:00", "1")
    d.serve("09:00", "09:10", "1")
    staff.sign_out(store, d.when("09:30").clock, config, "1")
    return store, config, clock


def test_walk_ins_bookings_and_a_clerks_time(
    booked_day: tuple[Store, CentreConfig, FixedClock],
) -> None:
    store, config, _ = booked_day
    found = rp.report(store, config, TUESDAY, TUESDAY, "clerk")
    # Signed in 08:00 to 09:30 with a 15-minute break: 4,500 s at the desk, 2 served.
    assert found.rows == [
        row(
            "c101", 2, served=2, waits=(450.0, 450.0, 570.0), service_mean_s=600.0,
            sla_pct=100.0, bookings=1, per_hour=1.6, break_s=900.0,
        ),
    ]  # fmt: skip
    assert (found.total.walk_ins, found.total.appointments) == (1, 1)
    assert (found.total.served_per_hour, found.total.break_s) == (1.6, 900.0)
    # The cancelled booking is not counted; the two that never came are no-shows.
    assert found.bookings == [
        rp.BookingRow("licence-renewal", "09:00", 2, 1, 1, 50.0),
        rp.BookingRow("traffic-fines", "09:15", 1, 0, 1, 100.0),
    ]
    # Until the day closes, a booking not yet checked in may still come.
    same_day = at(TUESDAY, "10:00")
    assert rp.report(store, config, TUESDAY, TUESDAY, "day", now=same_day).bookings == []


def test_a_rolled_up_day_reports_as_its_tickets_did(
    booked_day: tuple[Store, CentreConfig, FixedClock],
    hand_built: tuple[Store, CentreConfig, dict[str, str]],
) -> None:
    store, config, clock = booked_day
    before = {by: rp.report(store, config, SUNDAY, TUESDAY, by) for by in rp.BY}
    next_morning = at(TUESDAY + timedelta(days=1), "06:00")
    assert rp.roll_up_closed_days(store, config, next_morning) == 3
    assert rp.roll_up_closed_days(store, config, next_morning) == 0
    with store.read() as repo:
        assert rp.rollups.rolled_days(repo, SUNDAY, TUESDAY) == {SUNDAY, MONDAY, TUESDAY}
    for by in rp.BY:
        assert rp.report(store, config, SUNDAY, TUESDAY, by) == before[by], by
    # A rating given after its day was rolled up counts: the day is read from its tickets
    # until it is rolled up again.
    t5 = hand_built[2]["t5"]
    clock.set(next_morning)
    sv.record_feedback(store, clock, config, t5, 1)
    rated = rp.report(store, config, SUNDAY, SUNDAY, "day").total
    assert (rated.ratings, rated.rating_counts) == (3, (1, 1, 0, 1, 0))
    assert rp.roll_up_closed_days(store, config, next_morning) == 1
    assert rp.report(store, config, SUNDAY, SUNDAY, "day").total == rated


def test_the_days_close_rolls_them_up(
    booked_day: tuple[Store, CentreConfig, FixedClock],
) -> None:
    store, config, clock = booked_day
    clock.set(at(TUESDAY + timedelta(days=1), "07:00"))
    uc.roll_day(store, clock, config)
    with store.read() as repo:
        assert rp.rollups.rolled_days(repo, TUESDAY, TUESDAY) == {TUESDAY}
