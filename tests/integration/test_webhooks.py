"""Integrators' webhook endpoints in the store: adding, listing with backlogs, delivery records."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta

import pytest

from centre import usecases as uc
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.errors import BadInput
from centre.store.unit_of_work import Store
from centre.supervision import day_report
from centre.webhooks import (
    Webhook,
    add_webhook,
    event_types,
    events_to_deliver,
    record_delivered,
    record_failure,
    remove_webhook,
    webhook_changes_after,
    webhook_list,
    webhooks_for_delivery,
)

SECRET = "0123456789abcdef0123"  # noqa: S105 - a test's invented secret


def issue(store: Store, clock: FixedClock, config: CentreConfig, count: int = 1) -> None:
    for _ in range(count):
        uc.issue_ticket(store, clock, config, "licence-renewal")


def test_an_endpoint_gets_the_events_appended_after_it_was_added(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    issue(store, clock, config, 2)
    head = uc.last_seq(store)

    added = add_webhook(store, clock, "https://hooks.example.com/in", ["called", "served"], SECRET)

    assert added.id == 1
    assert added.url == "https://hooks.example.com/in"
    assert added.events == ("called", "served")
    assert added.delivered_seq == head
    assert added.created_at == clock.now()
    assert (added.failures, added.last_ok, added.last_error, added.backlog) == (0, None, None, 0)
    issue(store, clock, config)
    uc.call_next(store, clock, config, "1")
    [listed] = webhook_list(store)
    assert listed.backlog == 1  # the call; the tickets issued are not its kind


def test_adding_and_removing_are_events_that_show_only_the_origin(
    store: Store, clock: FixedClock
) -> None:
    url = "https://user:pw@Hooks.Example.com:8443/taboor/T0KEN?key=s3cret"
    added = add_webhook(store, clock, url, ["*"], SECRET)
    removed = remove_webhook(store, clock, added.id)

    assert removed.id == added.id
    events = uc.events_since(store)
    assert [e.type.value for e in events] == ["webhook_added", "webhook_removed"]
    for event in events:
        assert event.data == {"webhook": added.id, "origin": "https://hooks.example.com:8443"}
    assert webhook_list(store) == []
    # With every kind, its own webhook_added is the first thing it would have been sent.
    assert added.backlog == 1


def test_the_secret_stays_in_the_store_but_for_the_dispatcher(
    store: Store, clock: FixedClock
) -> None:
    added = add_webhook(store, clock, "http://10.0.0.5:9000/", ["called"], SECRET)
    [listed] = webhook_list(store)
    [target] = webhooks_for_delivery(store)
    assert "secret" not in {f.name for f in fields(Webhook)}
    assert target.webhook == replace(added, backlog=0)
    assert target.secret == SECRET
    assert SECRET not in repr(target)
    assert SECRET not in repr(listed)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/",
        "hooks.example.com/in",
        "https://",
        "https:///path",
        "http://hooks example.com/",
        "http://hooks.example.com:99999/",
        "http://[::1/",
        "",
    ],
)
def test_a_url_must_be_http_or_https_with_a_host(store: Store, clock: FixedClock, url: str) -> None:
    with pytest.raises(BadInput, match=r"^a webhook URL is http:// or https:// and a host$"):
        add_webhook(store, clock, url, ["called"], SECRET)
    assert webhook_list(store) == []
    assert uc.last_seq(store) == 0


def test_unknown_event_types_are_refused_naming_the_valid_ones(
    store: Store, clock: FixedClock
) -> None:
    with pytest.raises(BadInput) as refused:
        add_webhook(store, clock, "https://h.example.com/", ["called", "caled", "servd"], SECRET)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("unknown event types caled, servd (valid: *, ticket_issued, ")
    assert all(kind in message for kind in event_types())
    with pytest.raises(BadInput, match=r"^unknown event type caled \("):
        add_webhook(store, clock, "https://h.example.com/", ["caled"], SECRET)
    with pytest.raises(BadInput, match="name the events"):
        add_webhook(store, clock, "https://h.example.com/", ["", " "], SECRET)
    assert webhook_list(store) == []


def test_event_names_are_tidied_and_star_means_all(store: Store, clock: FixedClock) -> None:
    first = add_webhook(
        store, clock, "https://h.example.com/", [" served", "called", "served"], SECRET
    )
    every = add_webhook(store, clock, "https://h.example.com/", ["called", "*"], SECRET)
    assert first.events == ("served", "called")
    assert every.events == ("*",)


def test_a_secret_has_at_least_16_characters(store: Store, clock: FixedClock) -> None:
    with pytest.raises(BadInput, match="at least 16 characters"):
        add_webhook(store, clock, "https://h.example.com/", ["*"], "fifteen-chars!!")
    add_webhook(store, clock, "https://h.example.com/", ["*"], "sixteen-chars!!!")


def test_removing_an_unknown_endpoint_is_bad_input(store: Store, clock: FixedClock) -> None:
    with pytest.raises(BadInput, match=r"^no webhook 7$"):
        remove_webhook(store, clock, 7)


def test_an_id_is_never_given_twice(store: Store, clock: FixedClock) -> None:
    first = add_webhook(store, clock, "https://a.example.com/", ["*"], SECRET)
    second = add_webhook(store, clock, "https://b.example.com/", ["*"], SECRET)
    remove_webhook(store, clock, second.id)
    third = add_webhook(store, clock, "https://c.example.com/", ["*"], SECRET)
    remove_webhook(store, clock, first.id)
    remove_webhook(store, clock, third.id)
    fourth = add_webhook(store, clock, "https://d.example.com/", ["*"], SECRET)
    assert [first.id, second.id, third.id, fourth.id] == [1, 2, 3, 4]


def test_delivery_moves_on_never_back_and_clears_the_failures(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    added = add_webhook(store, clock, "https://h.example.com/", ["ticket_issued"], SECRET)
    issue(store, clock, config, 3)
    clock.advance(timedelta(minutes=1))
    record_failure(store, clock, added.id, "HTTP 500 Internal Server Error")
    record_failure(store, clock, added.id, "timed out\n(ReadTimeout)")
    [failing] = webhook_list(store)
    assert (failing.failures, failing.last_error) == (2, "timed out (ReadTimeout)")
    assert failing.last_error_at == clock.now()
    assert failing.backlog == 3

    events = uc.events_since(store)
    clock.advance(timedelta(minutes=1))
    record_delivered(store, clock, added.id, events[-2].seq or 0)
    [better] = webhook_list(store)
    assert (better.failures, better.backlog, better.last_ok) == (0, 1, clock.now())
    assert better.last_error == "timed out (ReadTimeout)"

    record_delivered(store, clock, added.id, added.delivered_seq)
    [webhook] = webhook_list(store)
    assert webhook.delivered_seq == events[-2].seq


def test_an_error_is_kept_as_one_short_line(store: Store, clock: FixedClock) -> None:
    added = add_webhook(store, clock, "https://h.example.com/", ["*"], SECRET)
    record_failure(store, clock, added.id, "x" * 5000)
    [webhook] = webhook_list(store)
    assert webhook.last_error == "x" * 200


def test_recording_for_a_removed_endpoint_does_nothing(store: Store, clock: FixedClock) -> None:
    added = add_webhook(store, clock, "https://h.example.com/", ["*"], SECRET)
    remove_webhook(store, clock, added.id)
    record_delivered(store, clock, added.id, 10)
    record_failure(store, clock, added.id, "HTTP 500")
    assert webhook_list(store) == []


def test_events_to_deliver_are_the_endpoints_kinds_up_to_the_head(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    add_webhook(store, clock, "https://h.example.com/", ["called"], SECRET)
    [webhook] = webhook_list(store)
    issue(store, clock, config, 3)
    uc.call_next(store, clock, config, "1")
    uc.start_serving(store, clock, config, "1")
    uc.finish(store, clock, config, "1")
    uc.call_next(store, clock, config, "1")

    head, events = events_to_deliver(store, webhook, webhook.delivered_seq)
    assert head == uc.last_seq(store)
    assert [e.type.value for e in events] == ["called", "called"]
    _, first = events_to_deliver(store, webhook, webhook.delivered_seq, limit=1)
    assert first == events[:1]
    assert events_to_deliver(store, webhook, head) == (head, [])


def test_changes_to_the_endpoints_are_seen_in_the_log(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    issue(store, clock, config)
    head, changed = webhook_changes_after(store, 0)
    assert (head, changed) == (1, False)
    added = add_webhook(store, clock, "https://h.example.com/", ["*"], SECRET)
    assert webhook_changes_after(store, head) == (2, True)
    issue(store, clock, config)
    assert webhook_changes_after(store, 2) == (3, False)
    remove_webhook(store, clock, added.id)
    assert webhook_changes_after(store, 3) == (4, True)


def test_the_supervisor_sees_each_endpoints_backlog(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    assert day_report(store, clock, config).webhooks == []
    calls = add_webhook(store, clock, "https://a.example.com/in?key=k1", ["called"], SECRET)
    every = add_webhook(store, clock, "https://b.example.com/taboor/T0KEN", ["*"], SECRET)
    issue(store, clock, config, 2)
    uc.call_next(store, clock, config, "1")
    record_failure(store, clock, every.id, "HTTP 503 Service Unavailable")

    report = day_report(store, clock, config)

    kinds = [e.type.value for e in uc.events_since(store, every.delivered_seq)]
    assert kinds == ["webhook_added", "ticket_issued", "ticket_issued", "counter_opened", "called"]
    assert [(w.id, w.backlog, w.failures) for w in report.webhooks] == [
        (calls.id, 1, 0),
        (every.id, 5, 1),
    ]
    # The screens get no path or query: a receiver's token may be in them.
    assert [w.url for w in report.webhooks] == ["https://a.example.com", "https://b.example.com"]
