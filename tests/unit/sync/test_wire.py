"""The central API's JSON shapes: strict parsing of answers and checks of requests."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from sync.wire import (
    Appointment,
    PersonName,
    QueueSnapshot,
    ServiceQueue,
    WireError,
    event_problem,
    format_time,
    loads,
    parse_appointment_page,
    parse_push_result,
    parse_queue_snapshot,
    parse_rejection,
    parse_time,
)
from tests.helpers import central_appointment_json

BAHRAIN = timezone(timedelta(hours=3))


def page_json(*items: object, cursor: Any = "c-1", more: Any = False) -> dict[str, Any]:
    return {"appointments": list(items), "cursor": cursor, "more": more}


def event_json(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": "1b4e28ba-2fa1-4d2b-883f-0016d3cca427",
        "seq": 1,
        "type": "ticket_issued",
        "at": "2026-11-22T09:01:00+03:00",
        "ticket": {"id": "t-1", "number": "A001", "service": "licence-renewal"},
        "appointment_id": None,
        "counter": None,
        "data": {},
    }
    event.update(changes)
    return event


def test_a_good_page_parses_into_typed_values() -> None:
    page = parse_appointment_page(page_json(central_appointment_json(), cursor="next", more=True))
    assert page.cursor == "next"
    assert page.more is True
    (appointment,) = page.appointments
    assert appointment.cpr == "990012345"
    assert appointment.name == PersonName("مريم أحمد", "Maryam Ahmed")
    assert appointment.slot_start == datetime(2026, 11, 22, 9, 0, tzinfo=BAHRAIN)
    assert appointment.status == "booked"


def test_an_appointment_survives_a_round_trip() -> None:
    item = central_appointment_json()
    assert parse_appointment_page(page_json(item)).appointments[0].to_json() == item


def test_unknown_members_are_ignored() -> None:
    page = parse_appointment_page(
        {**page_json(central_appointment_json(colour="blue")), "extra": 1}
    )
    assert len(page.appointments) == 1


def test_the_repr_of_an_appointment_hides_cpr_and_name() -> None:
    appointment = parse_appointment_page(page_json(central_appointment_json())).appointments[0]
    text = repr(appointment)
    assert "990012345" not in text
    assert "Maryam" not in text
    assert "TD-261122-0001" in text


BAD_APPOINTMENTS = [
    ("status", "no_show", "unknown status"),
    ("status", None, "unknown status"),
    ("cpr", 990012345, "cpr: not a string"),
    ("cpr", "99001234", "not 9 digits"),
    ("cpr", "٩٩٠٠١٢٣٤٥", "not 9 digits"),
    ("cpr", "99001234\n", "not 9 digits"),
    ("reference", "td-1", "reference"),
    ("name", "Maryam", "name: not an object"),
    ("name", {"ar": "مريم"}, "name.en: not a string"),
    ("slot_start", "2026-11-22T09:00:00", "with an offset"),
    ("slot_start", "tomorrow", "not an ISO-8601 time"),
    ("slot_start", "2026-02-30T09:00:00+03:00", "not an ISO-8601 time"),
    ("slot_end", "2026-11-22T08:00:00+03:00", "ends before it starts"),
    ("id", "", "id: empty"),
    ("id", "x" * 65, "longer than 64"),
    ("service", ["licence-renewal"], "service: not a string"),
    ("updated_at", 1732000000, "updated_at: not a string"),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD_APPOINTMENTS)
def test_a_bad_appointment_spoils_the_page(key: str, value: Any, message: str) -> None:
    with pytest.raises(WireError, match=message):
        parse_appointment_page(
            page_json(central_appointment_json(), central_appointment_json(**{key: value}))
        )


def test_the_cpr_never_appears_in_an_error() -> None:
    with pytest.raises(WireError) as caught:
        parse_appointment_page(page_json(central_appointment_json(cpr="99001234x")))
    assert "99001234" not in str(caught.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "answer: not an object"),
        ({"appointments": {}, "cursor": "c", "more": False}, "not a list"),
        (page_json(more="false"), "more: not a boolean"),
        (page_json(more=0), "more: not a boolean"),
        (page_json(cursor=None), "cursor: not a string"),
        (page_json(cursor=""), "cursor: empty"),
        (page_json(cursor="c" * 513), "longer than 512"),
        (page_json("not an object"), r"appointments\[0\]: not an object"),
    ],
)
def test_a_page_of_the_wrong_shape_is_refused(body: object, message: str) -> None:
    with pytest.raises(WireError, match=message):
        parse_appointment_page(body)


@pytest.mark.parametrize(
    "text",
    [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1, "a": 2}', b"\xff\xfe", b"[" * 100_000, b"{"],
)
def test_loads_refuses_what_json_should_not_carry(text: bytes) -> None:
    with pytest.raises(WireError, match="not JSON"):
        loads(text)


def test_a_push_result_accounts_for_every_event() -> None:
    result = parse_push_result({"accepted": ["a", "b"], "duplicates": ["c"]}, ["a", "b", "c"])
    assert result.accepted == ("a", "b")
    assert result.duplicates == ("c",)


@pytest.mark.parametrize(
    "body",
    [
        {"accepted": ["a"], "duplicates": []},
        {"accepted": ["a", "b", "c", "d"], "duplicates": []},
        {"accepted": ["a", "b"], "duplicates": ["b", "c"]},
        {"accepted": "a,b,c", "duplicates": []},
        {"accepted": ["a", "b", "c"]},
    ],
)
def test_a_push_result_that_does_not_add_up_is_refused(body: object) -> None:
    with pytest.raises(WireError):
        parse_push_result(body, ["a", "b", "c"])


def test_a_rejection_names_events_and_reasons() -> None:
    error, pairs = parse_rejection(
        {"error": "1 rejected", "rejected": [{"id": "a", "reason": "seq"}]}
    )
    assert error == "1 rejected"
    assert pairs == [("a", "seq")]


def test_a_good_event_has_no_problem() -> None:
    assert event_problem(event_json()) is None
    assert event_problem(event_json(ticket=None, counter="3", appointment_id="a-1")) is None
    assert event_problem(event_json(seq=12.0)) is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"id": "not-a-uuid"}, "not a UUID"),
        ({"id": "1B4E28BA-2FA1-4D2B-883F-0016D3CCA427"}, "lower-case UUID4"),
        ({"id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}, "lower-case UUID4"),
        ({"seq": -1}, "seq"),
        ({"seq": True}, "seq"),
        ({"seq": "1"}, "seq"),
        ({"seq": 1.5}, "seq"),
        ({"type": ""}, "type: empty"),
        ({"at": "2026-11-22 09:01"}, "at: not an ISO-8601 time"),
        ({"ticket": {"id": "t-1", "number": "A001"}}, "ticket.service"),
        ({"counter": 3}, "counter: not a string"),
        ({"data": None}, "data: not an object"),
        ({"data": {str(i): i for i in range(101)}}, "too many keys"),
    ],
)
def test_a_bad_event_is_named(changes: dict[str, Any], problem: str) -> None:
    reason = event_problem(event_json(**changes))
    assert reason is not None
    assert problem in reason


@pytest.mark.parametrize("key", ["ticket", "appointment_id", "counter"])
def test_an_event_must_send_null_rather_than_leave_a_key_out(key: str) -> None:
    event = event_json()
    del event[key]
    assert event_problem(event) == f"{key}: missing (send null for none)"


def test_rfc3339_spellings_python_dislikes_are_times_too() -> None:
    assert parse_time("2026-11-22t09:01:00.123456789z", "at") == datetime(
        2026, 11, 22, 9, 1, 0, 123456, tzinfo=UTC
    )


def test_format_time_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="offset"):
        format_time(datetime(2026, 11, 22, 9, 0))  # noqa: DTZ001 (the point of the test)


def test_a_queue_snapshot_round_trips() -> None:
    snapshot = QueueSnapshot(
        at=datetime(2026, 11, 22, 9, 0, tzinfo=BAHRAIN),
        services=(ServiceQueue("licence-renewal", 4, 12), ServiceQueue("driving-test", 0, None)),
        counters_open=5,
    )
    body = json.loads(json.dumps(snapshot.to_json()))
    assert body["at"] == "2026-11-22T09:00:00+03:00"
    assert parse_queue_snapshot(body) == snapshot


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("counters_open",), -1),
        (("counters_open",), "5"),
        (("services", 0, "waiting"), 1.5),
        (("services", 0, "eta_minutes"), "soon"),
        (("at",), "09:00"),
    ],
)
def test_a_bad_queue_snapshot_is_refused(path: tuple[Any, ...], value: Any) -> None:
    body: Any = copy.deepcopy(
        {
            "at": "2026-11-22T09:00:00+03:00",
            "services": [{"service": "a", "waiting": 1, "eta_minutes": 3}],
            "counters_open": 1,
        }
    )
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(WireError):
        parse_queue_snapshot(body)


def test_appointment_to_json_formats_times_with_their_offset() -> None:
    appointment = Appointment(
        id="a",
        reference="TD-261122-0001",
        cpr="990000001",
        name=PersonName("ع", "A"),
        service="s",
        slot_start=datetime(2026, 11, 22, 6, 0, tzinfo=UTC),
        slot_end=datetime(2026, 11, 22, 6, 10, tzinfo=UTC),
        status="cancelled",
        updated_at=datetime(2026, 11, 22, 6, 0, tzinfo=UTC),
    )
    assert appointment.to_json()["slot_start"] == "2026-11-22T06:00:00+00:00"
