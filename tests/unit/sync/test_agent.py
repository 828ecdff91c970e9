"""The sync agent's pieces that need no server: reports, exit codes, signals, the stale link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from centre.rules.link import AUTH_FAILED, OFF, OFFLINE, ONLINE, effective_link, stale_after
from sync.agent import CycleReport, parse_pull_page
from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralUnreachable,
    MalformedAnswer,
    SyncError,
)
from sync.wire import WireError

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def test_once_exits_0_only_when_nothing_is_pending() -> None:
    assert CycleReport(pending=0).exit_code == 0
    assert CycleReport(pending=3).exit_code == 4


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (CentralUnreachable("down"), 4),
        (CentralRateLimited("slow down", 30.0), 4),
        (MalformedAnswer("nonsense"), 4),
        (CentralAuthFailed("no", 401), 5),
    ],
)
def test_once_exits_with_the_errors_code(error: SyncError, code: int) -> None:
    report = CycleReport()
    report.note(error)
    assert report.exit_code == code


def test_the_weightiest_error_of_a_cycle_is_kept() -> None:
    report = CycleReport()
    report.note(MalformedAnswer("bad page"))
    report.note(CentralUnreachable("then down"))
    report.note(MalformedAnswer("bad again"))
    assert str(report.error) == "then down"
    report.note(CentralAuthFailed("refused", 403))
    report.note(CentralUnreachable("down"))
    assert isinstance(report.error, CentralAuthFailed)


def test_the_summary_says_what_happened() -> None:
    report = CycleReport(pulled=120, skipped=2, pushed=30, duplicates=5, set_aside=1, pending=0)
    assert report.summary() == (
        "pulled 120 appointments (2 set aside), pushed 35 events (5 the central already had), "
        "1 events refused by the central and set aside, 0 pending"
    )


@pytest.mark.parametrize("link", [OFFLINE, AUTH_FAILED, OFF])
def test_only_an_online_link_goes_stale(link: str) -> None:
    assert effective_link(link, None, NOW, 5.0) == link


def test_an_online_link_not_confirmed_lately_is_offline() -> None:
    assert effective_link(ONLINE, NOW - timedelta(seconds=30), NOW, 5.0) == ONLINE
    assert effective_link(ONLINE, NOW - timedelta(minutes=3), NOW, 5.0) == OFFLINE
    assert effective_link(ONLINE, None, NOW, 5.0) == OFFLINE
    # A slow pull period stretches the grace.
    assert stale_after(60) == timedelta(minutes=6)
    assert effective_link(ONLINE, NOW - timedelta(minutes=3), NOW, 60) == ONLINE


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        {"appointments": {}, "cursor": "c", "more": False},
        {"appointments": [], "cursor": None, "more": False},
        {"appointments": [], "cursor": "c", "more": 1},
        {"appointments": [], "more": False},
    ],
)
def test_a_page_whose_envelope_breaks_the_contract_is_refused(value: object) -> None:
    with pytest.raises(WireError):
        parse_pull_page(value)


def test_a_page_keeps_its_good_bookings() -> None:
    good = {
        "id": "a-1",
        "reference": "TD-261122-0001",
        "cpr": "990012345",
        "name": {"ar": "مريم", "en": "Maryam"},
        "service": "licence-renewal",
        "slot_start": "2026-11-22T09:00:00+03:00",
        "slot_end": "2026-11-22T09:10:00+03:00",
        "status": "booked",
        "updated_at": "2026-11-21T18:00:00+03:00",
    }
    parsed = parse_pull_page(
        {"appointments": [good, "junk", {**good, "id": 7}], "cursor": "c", "more": True}
    )
    assert [a.id for a in parsed.appointments] == ["a-1"]
    assert parsed.problems == ("appointments[1]: not an object", "appointments[2].id: not a string")
    assert (parsed.cursor, parsed.more) == ("c", True)
