"""Server-sent messages: made once for every stream, the same as made for one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from centre.domain import Event, EventType
from server.routes.contract import SseMessages, sse_message

BAHRAIN = ZoneInfo("Asia/Bahrain")


def events(count: int) -> list[Event]:
    at = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    return [
        replace(Event.new(EventType.CALLED, at, ticket_number=f"A{n:03d}", counter="1"), seq=n)
        for n in range(1, count + 1)
    ]


def test_a_batch_is_its_events_messages_in_order() -> None:
    batch = events(3)
    expected = "".join(sse_message(e, BAHRAIN) for e in batch).encode()
    messages = SseMessages()
    assert messages.of(batch, BAHRAIN) == expected
    assert messages.of(batch, BAHRAIN) == expected  # again, from what was made


def test_each_zone_gets_its_own_times() -> None:
    [event] = events(1)
    messages = SseMessages()
    assert messages.of([event], BAHRAIN) != messages.of([event], ZoneInfo("UTC"))
    assert messages.of([event], ZoneInfo("UTC")) == sse_message(event, ZoneInfo("UTC")).encode()


def test_old_messages_are_forgotten_and_made_again_alike() -> None:
    batch = events(10)
    messages = SseMessages(keep=3)
    for event in batch:
        messages.of([event], BAHRAIN)
    assert messages.of(batch[:1], BAHRAIN) == sse_message(batch[0], BAHRAIN).encode()
