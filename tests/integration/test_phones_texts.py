"""Texts to a visitor's phone through the centre server and a real local SMS gateway: sent when
the turn nears and at the call, retried when the gateway fails, shown to the supervisor."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from centre.clock import FixedClock
from centre.config import CentreConfig, PublicConfig, SmsConfig
from centre.store.unit_of_work import Store
from centre.usecases import events_since
from server.phones import GATEWAY_DEVICE
from tests.integration.test_sms_gateway import ScriptedGateway
from tests.live_server import LiveServer, live_server

PATIENCE = 20.0


def texting_config(config: CentreConfig, gateway: ScriptedGateway, token: Path) -> CentreConfig:
    return config.model_copy(
        update={
            "public": PublicConfig(url="https://phones.example"),
            "sms": SmsConfig(url=f"{gateway.url}/send", token_file=str(token)),
        }
    )


@pytest.fixture
def token(tmp_path: Path) -> Path:
    path = tmp_path / "sms-token"
    path.write_text("tok-5b2e\n", encoding="utf-8")
    return path


def follow_path(live: LiveServer, kiosk_token: str) -> str:
    answer = live.client(kiosk_token).post("/api/v1/tickets", json={"service": "licence-renewal"})
    assert answer.status_code == 201
    return urlsplit(answer.json()["link"]).path.replace("/t/", "/api/v1/public/tickets/")


def test_texts_when_the_turn_nears_and_at_the_call(
    store: Store, clock: FixedClock, config: CentreConfig, token: Path
) -> None:
    with (
        ScriptedGateway() as gateway,
        live_server(store, clock, texting_config(config, gateway, token)) as live,
    ):
        kiosk = live.enrol("kiosk")
        paths = []
        for _ in range(6):
            paths.append(follow_path(live, kiosk))
            clock.advance(timedelta(seconds=30))
        phone = live.client()
        # Five people ahead: no text yet.
        kept = phone.put(paths[5] + "/sms", json={"phone": "٣٦٠٠ ١٢٣٤", "lang": "en"})
        assert kept.status_code == 204
        counter = live.client(live.clerk_at("1"))
        for _ in range(2):
            assert counter.post("/api/v1/counters/1/call").status_code == 200
            assert counter.post("/api/v1/counters/1/no-show").status_code == 200
        # Three ahead now (the alert count): one "near" text.
        gateway.wait_until(lambda: len(gateway.answered) >= 1)
        [near] = gateway.answered
        assert near.body["to"] == "+97336001234"
        assert "A006" in near.text
        assert "3 people ahead" in near.text
        assert near.headers["authorization"] == "Bearer tok-5b2e"
        for _ in range(3):
            assert counter.post("/api/v1/counters/1/call").status_code == 200
            assert counter.post("/api/v1/counters/1/no-show").status_code == 200
        assert counter.post("/api/v1/counters/1/call").json()["number"] == "A006"
        gateway.wait_until(lambda: len(gateway.answered) >= 2)
        assert "counter" in gateway.answered[1].text
        assert counter.post("/api/v1/counters/1/recall").status_code == 200
        gateway.wait_until(lambda: len(gateway.answered) >= 3)
        assert len([r for r in gateway.answered if "A006" in r.text]) == 3
        # Served: the number goes with the ticket, and nothing more is sent.
        assert counter.post("/api/v1/counters/1/start").status_code == 200
        assert counter.post("/api/v1/counters/1/done").status_code == 200
        with live.store.read() as repo:
            assert repo.contacts() == []
        everything = " ".join(str(e.data) for e in events_since(live.store))
        assert "36001234" not in everything


def test_a_failing_gateway_is_retried_and_shown_to_the_supervisor(
    store: Store, clock: FixedClock, config: CentreConfig, token: Path
) -> None:
    with (
        ScriptedGateway(503, 503) as gateway,
        live_server(store, clock, texting_config(config, gateway, token)) as live,
    ):
        path = follow_path(live, live.enrol("kiosk"))
        assert live.client().put(path + "/sms", json={"phone": "+973 6612 3456"}).status_code == 204
        gateway.wait_until(lambda: len(gateway.arrived) >= 1)
        states = _gateway_states(live, until=lambda s: "error" in s)
        assert states[0] == "error"
        # The back-off's first waits are a few seconds; it is delivered once the gateway mends.
        gateway.wait_until(lambda: any(r.status == 200 for r in gateway.answered))
        assert _gateway_states(live, until=lambda s: s[-1:] == ["ok"])[-1] == "ok"
        # A call never waits for the gateway.
        counter = live.client(live.clerk_at("1"))
        assert counter.post("/api/v1/counters/1/call").status_code == 200


def _gateway_states(live: LiveServer, until: Callable[[list[str]], bool]) -> list[str]:
    deadline = time.monotonic() + PATIENCE
    states: list[str] = []
    while time.monotonic() < deadline:
        states = [
            e.data["state"]
            for e in events_since(live.store)
            if e.data.get("device") == GATEWAY_DEVICE
        ]
        if until(states):
            return states
        time.sleep(0.05)
    pytest.fail(f"the gateway's state never settled: {states}")
