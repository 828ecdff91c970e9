"""The visitor's phone over real HTTP on both databases: links, live views, more time, leaving,
ratings, texts and paperless tickets (docs/phone.md)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest

from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig, SmsConfig
from centre.domain import EventType
from centre.store.unit_of_work import Store
from centre.usecases import events_since
from tests.live_server import LiveServer, free_socket, live_server

PUBLIC_URL = "https://phones.example"
PHONE = "phone-aaaaaaaaaaaaaaaa"


@pytest.fixture
def public_config(config: CentreConfig) -> CentreConfig:
    public = PublicConfig(url=PUBLIC_URL)
    # A gateway nobody answers at: texts are queued and retried, and never hold anything up.
    sms = SmsConfig(url="http://127.0.0.1:9/send")
    return config.model_copy(update={"public": public, "sms": sms})


@pytest.fixture
def live(store: Store, clock: FixedClock, public_config: CentreConfig) -> Iterator[LiveServer]:
    with live_server(store, clock, public_config) as server:
        yield server


def issue(live: LiveServer, kiosk: httpx.Client, service: str = "licence-renewal") -> str:
    """A walk-in ticket's link path (``/t/{ref}``)."""
    answer = kiosk.post("/api/v1/tickets", json={"service": service})
    assert answer.status_code == 201, answer.text
    link = str(answer.json()["link"])
    assert link.startswith(f"{PUBLIC_URL}/t/")
    return urlsplit(link).path


def api(path: str) -> str:
    return path.replace("/t/", "/api/v1/public/tickets/", 1)


def forged(path: str) -> str:
    last = path[-1]
    return path[:-1] + ("A" if last != "A" else "B")


def test_a_tickets_link_opens_its_page_and_a_forged_one_gets_the_same_404(
    live: LiveServer,
) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    path = issue(live, kiosk)
    phone = live.client()
    page = phone.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    unknown = phone.get("/t/00000000-0000-4000-8000-000000000000.AAAAAAAAAAAAAAAA")
    wrong_mac = phone.get(forged(path))
    malformed = phone.get("/t/A001")
    assert unknown.status_code == wrong_mac.status_code == malformed.status_code == 404
    assert unknown.content == wrong_mac.content == malformed.content
    assert phone.get(api(forged(path))).json() == phone.get(api("/t/nothing")).json()


def test_the_public_view_tells_the_ticket_and_nothing_personal(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    first = issue(live, kiosk)
    second = issue(live, kiosk)
    phone = live.client()
    body = phone.get(api(second)).json()
    assert body["number"] == "A002"
    assert body["state"] == "waiting"
    assert body["ahead"] == 1
    assert body["service_name"]["en"]
    assert body["more_time_left"] == 2
    assert body["alert_ahead"] == 3
    assert not {"id", "cpr", "name", "appointment_id"} & set(body)
    assert phone.get(api(first)).json()["ahead"] == 0


def test_a_call_reaches_the_followed_page(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    path = issue(live, kiosk)
    counter = live.client(live.clerk_at("1"))
    with live.client().stream("GET", api(path) + "/stream") as stream:
        lines = stream.iter_lines()
        views = _views(lines)
        assert next(views)["state"] == "waiting"
        assert counter.post("/api/v1/counters/1/call").status_code == 200
        called = next(views)
        assert called["state"] == "called"
        assert called["counter"] == "1"
        assert counter.post("/api/v1/counters/1/recall").status_code == 200
        assert next(views)["recalls"] == 1


def test_more_time_moves_the_ticket_back_and_the_counter_calls_the_next_first(
    live: LiveServer,
) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    assert isinstance(live.clock, FixedClock)
    paths = []
    for _ in range(5):
        paths.append(issue(live, kiosk))
        live.clock.advance(timedelta(seconds=20))
    phone = live.client()
    answer = phone.post(api(paths[0]) + "/more-time")
    assert answer.status_code == 200, answer.text
    assert answer.json()["ahead"] == 3
    assert answer.json()["more_time_left"] == 1
    counter = live.client(live.clerk_at("1"))
    assert counter.post("/api/v1/counters/1/call").json()["number"] == "A002"
    # A005 is last now: nobody to let go first.
    nobody = phone.post(api(paths[4]) + "/more-time")
    assert (nobody.status_code, nobody.json()["code"]) == (409, "nobody_behind")
    again = phone.post(api(paths[0]) + "/more-time").json()
    assert (again["more_time_left"], again["ahead"]) == (0, 3)
    used_up = phone.post(api(paths[0]) + "/more-time")
    assert used_up.status_code == 409
    assert used_up.json()["code"] == "more_time_used_up"
    kinds = [e.type for e in events_since(live.store)]
    assert kinds.count(EventType.MORE_TIME) == 2


def test_leaving_cancels_and_is_not_a_no_show(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    path = issue(live, kiosk)
    phone = live.client()
    answer = phone.post(api(path) + "/leave")
    assert answer.status_code == 200
    assert answer.json()["state"] == "cancelled"
    assert answer.json()["left"] is True
    again = phone.post(api(path) + "/leave")
    assert (again.status_code, again.json()["code"]) == (409, "illegal_transition")
    [cancelled] = [e for e in events_since(live.store) if e.type is EventType.CANCELLED]
    assert cancelled.data["reason"] == "left"
    assert not [e for e in events_since(live.store) if e.type is EventType.NO_SHOW]


def test_a_served_ticket_is_rated_once(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    path = issue(live, kiosk)
    phone = live.client()
    early = phone.post(api(path) + "/feedback", json={"rating": 5})
    assert (early.status_code, early.json()["code"]) == (409, "not_served")
    counter = live.client(live.clerk_at("1"))
    for action in ("call", "start", "done"):
        assert counter.post(f"/api/v1/counters/1/{action}").status_code == 200
    assert phone.post(api(path) + "/feedback", json={"rating": 4}).status_code == 204
    assert phone.get(api(path)).json()["rating"] == 4
    twice = phone.post(api(path) + "/feedback", json={"rating": 1})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_rated")
    assert phone.post(api(path) + "/feedback", json={"rating": 9}).status_code == 422


def test_a_mobile_number_is_kept_only_until_the_ticket_ends(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    path = issue(live, kiosk)
    phone = live.client()
    bad = phone.put(api(path) + "/sms", json={"phone": "12"})
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_phone")
    assert "12" not in bad.json()["error"].split()
    assert phone.put(api(path) + "/sms", json={"phone": "3600 1234"}).status_code == 204
    assert phone.get(api(path)).json()["sms"] is True
    # The kiosk may take a number for its visitor too (the same rule).
    kiosk_ticket = kiosk.post("/api/v1/tickets", json={"service": "licence-renewal"}).json()
    typed = kiosk.put(f"/api/v1/tickets/{kiosk_ticket['id']}/sms", json={"phone": "6612 3456"})
    assert typed.status_code == 204
    with live.store.read() as repo:
        assert {row.phone for row in repo.contacts()} == {"+97336001234", "+97366123456"}
    supervisor = live.client(live.supervisor())
    cancelled = supervisor.post(f"/api/v1/tickets/{kiosk_ticket['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    counter = live.client(live.clerk_at("1"))
    for action in ("call", "no-show"):
        assert counter.post(f"/api/v1/counters/1/{action}").status_code == 200
    with live.store.read() as repo:
        assert repo.contacts() == []
    ended = phone.put(api(path) + "/sms", json={"phone": "3600 1234"})
    assert ended.status_code == 409
    texts = json.dumps([e.data for e in events_since(live.store)])
    assert "36001234" not in texts


def test_a_paperless_ticket_from_the_halls_code(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    shown = hall.get("/api/v1/hall/join")
    assert shown.status_code == 200
    url = shown.json()["url"]
    assert url.startswith(f"{PUBLIC_URL}/j/")
    code = url.rsplit("/", 1)[1]
    phone = live.client()
    assert phone.get(f"/j/{code}").status_code == 200
    listed = phone.get("/api/v1/public/services", params={"code": code}).json()
    open_ones = [s["service"] for s in listed["services"] if s["open"]]
    assert "licence-renewal" in open_ones
    body = {"code": code, "service": "licence-renewal", "lang": "en", "phone": PHONE}
    taken = phone.post("/api/v1/public/tickets", json=body)
    assert taken.status_code == 201, taken.text
    link = taken.json()["link"]
    assert phone.get(link).status_code == 200
    assert taken.json()["ticket"]["state"] == "waiting"
    again = phone.post("/api/v1/public/tickets", json=body)
    assert (again.status_code, again.json()["code"]) == (409, "already_has_ticket")
    assert again.json()["link"] == link
    other = phone.post("/api/v1/public/tickets", json={**body, "phone": "phone-bbbbbbbbbbbbbbbb"})
    assert other.status_code == 201


def test_an_expired_or_forged_hall_code_is_refused(live: LiveServer) -> None:
    hall = live.client(live.enrol("hall"))
    code = hall.get("/api/v1/hall/join").json()["url"].rsplit("/", 1)[1]
    phone = live.client()
    body = {"code": code, "service": "licence-renewal", "lang": "ar", "phone": PHONE}
    assert isinstance(live.clock, FixedClock)
    live.clock.advance(timedelta(seconds=61))
    # The previous window's code still works ...
    assert phone.get(f"/j/{code}").status_code == 200
    live.clock.advance(timedelta(seconds=61))
    # ... not the one before it.
    assert phone.get(f"/j/{code}").status_code == 410
    expired = phone.post("/api/v1/public/tickets", json=body)
    assert (expired.status_code, expired.json()["code"]) == (410, "code_expired")
    fresh = hall.get("/api/v1/hall/join").json()["url"].rsplit("/", 1)[1]
    assert phone.get(f"/j/{forged(fresh)}").status_code == 410


def test_a_paperless_ticket_counts_in_the_daily_quota(
    store: Store, clock: FixedClock, public_config: CentreConfig
) -> None:
    services = [
        s.model_copy(update={"daily_quota": 1}) if s.code == "licence-renewal" else s
        for s in public_config.services
    ]
    config = public_config.model_copy(update={"services": services})
    with live_server(store, clock, config) as live:
        code = live.client(live.enrol("hall")).get("/api/v1/hall/join").json()["url"]
        code = code.rsplit("/", 1)[1]
        phone = live.client()
        answers = [
            phone.post(
                "/api/v1/public/tickets",
                json={"code": code, "service": "licence-renewal", "phone": f"phone-{n:016d}"},
            )
            for n in range(4)
        ]
        codes = [a.status_code for a in answers]
        assert codes.count(201) <= 2  # the quota's own rule decides how many
        assert answers[-1].json()["code"] == "quota_reached"
        listed = phone.get("/api/v1/public/services", params={"code": code}).json()
        [renewal] = [s for s in listed["services"] if s["service"] == "licence-renewal"]
        assert (renewal["open"], renewal["reason"]) == (False, "full")


def test_a_flood_from_one_address_gets_429(
    store: Store, clock: FixedClock, public_config: CentreConfig
) -> None:
    with live_server(store, clock, public_config, public_rate=1.0, public_burst=5.0) as live:
        phone = live.client()
        codes = [phone.get("/t/nothing").status_code for _ in range(8)]
        assert codes[:5] == [404] * 5
        assert 429 in codes[5:]
        limited = phone.get("/api/v1/public/tickets/nothing")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        # The device API is not held up by the phones' limit.
        assert live.client(live.enrol("hall")).get("/api/v1/status").status_code == 200


def test_without_a_public_address_tickets_carry_no_link_and_the_hall_no_code(
    store: Store, clock: FixedClock, config: CentreConfig
) -> None:
    with live_server(store, clock, config) as live:
        answer = live.client(live.enrol("kiosk")).post(
            "/api/v1/tickets", json={"service": "licence-renewal"}
        )
        assert answer.json()["link"] is None
        shown = live.client(live.enrol("hall")).get("/api/v1/hall/join")
        assert (shown.status_code, shown.json()["code"]) == (404, "public_off")
        number = live.client(live.enrol("kiosk")).put(
            f"/api/v1/tickets/{answer.json()['id']}/sms", json={"phone": "36001234"}
        )
        assert (number.status_code, number.json()["code"]) == (409, "texts_off")
        assert live.client().get("/j/1.AAAAAAAAAAA").status_code == 410


def _views(lines: Iterator[str]) -> Iterator[dict[str, object]]:
    event = None
    for line in lines:
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "ticket":
            yield json.loads(line[6:])


def test_the_public_listener_serves_the_phones_and_refuses_the_device_api(
    store: Store, clock: FixedClock, public_config: CentreConfig
) -> None:
    probe = free_socket()
    public_port = probe.getsockname()[1]
    probe.close()
    public = public_config.public.model_copy(update={"host": "127.0.0.1", "port": public_port})
    config = public_config.model_copy(update={"public": public})
    with live_server(store, clock, config) as live:
        kiosk = live.enrol("kiosk")
        path = issue(live, live.client(kiosk))
        outside = httpx.Client(base_url=f"http://127.0.0.1:{public_port}", timeout=10)
        with outside:
            assert outside.get(path).status_code == 200
            assert outside.get(api(path)).json()["number"] == "A001"
            assert outside.get("/p/phone.js").status_code == 200
            # The device API does not exist on the phones' side, token or not.
            headers = {"Authorization": f"Bearer {kiosk}"}
            refused = outside.post(
                "/api/v1/tickets", json={"service": "licence-renewal"}, headers=headers
            )
            assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
            assert outside.get("/api/v1/status", headers=headers).status_code == 404
            assert outside.get("/api/v1/openapi.json").status_code == 404
        # The LAN side still has it.
        assert live.client(kiosk).get("/api/v1/status").status_code == 200


def test_one_tickets_link_never_reaches_another_ticket(live: LiveServer) -> None:
    kiosk = live.client(live.enrol("kiosk"))
    mine = issue(live, kiosk)
    theirs_answer = kiosk.post("/api/v1/tickets", json={"service": "licence-renewal"})
    theirs_id = theirs_answer.json()["id"]
    my_mac = mine.rsplit(".", 1)[1]
    phone = live.client()
    spliced = f"/t/{theirs_id}.{my_mac}"
    assert phone.get(spliced).status_code == 404
    for action in ("leave", "more-time"):
        refused = phone.post(api(spliced) + f"/{action}")
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert phone.put(api(spliced) + "/sms", json={"phone": "36001234"}).status_code == 404
    # The other ticket is untouched, and a ticket's number alone opens nothing.
    with live.store.read() as repo:
        other = repo.ticket(theirs_id)
    assert other is not None
    assert (other.state.value, other.deferrals) == ("waiting", 0)
    assert phone.get("/t/A002").status_code == 404
    assert phone.get(f"/t/{theirs_id}").status_code == 404


def test_one_address_holds_at_most_its_streams_even_in_a_burst(
    store: Store, clock: FixedClock, public_config: CentreConfig
) -> None:
    with live_server(store, clock, public_config, public_streams=3) as live:
        path = issue(live, live.client(live.enrol("kiosk")))
        started = threading.Barrier(8)
        statuses: list[int] = []
        done = threading.Event()

        def open_one() -> None:
            with httpx.Client(base_url=live.url, timeout=10) as client:
                started.wait()
                with client.stream("GET", api(path) + "/stream") as answer:
                    statuses.append(answer.status_code)
                    if answer.status_code == 200:
                        done.wait(10)

        threads = [threading.Thread(target=open_one) for _ in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(statuses) < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sorted(statuses) == [200] * 3 + [429] * 5
        done.set()
        for thread in threads:
            thread.join()
        # Every place is given back once its stream ends.
        while live.state.streams_by_address and time.monotonic() < deadline:
            time.sleep(0.02)
        assert live.state.streams_by_address == {}
