"""Nothing personal or secret leaks from the centre server: no CPR, PIN or token in any
answer, any event it streams, or any line it logs, whatever a device sends."""

from __future__ import annotations

import logging

import httpx
import pytest

from centre import devices, staff
from centre.clock import FixedClock
from centre.config import CentreConfig
from centre.store.unit_of_work import Store
from centre.usecases import store_appointments
from tests.helpers import MORNING, make_appointment
from tests.live_server import live_server

CPR = "990031337"  # invented
# What a visitor or a device may type: the CPR in several forms, and near misses.
TYPED = [CPR, "990-031-337", "٩٩٠٠٣١٣٣٧", "99003133", "9900313377", "990031336"]
# What must never come back: every form of a CPR (the 10-digit miss contains the CPR).
CPR_FORMS = [CPR, "990-031-337", "٩٩٠٠٣١٣٣٧", "990031336"]
PIN = "73915862"  # a PIN that would stand out wherever it leaked
WRONG_PIN = "48260593"


def test_no_cpr_pin_or_token_in_any_answer_event_or_log_line(
    store: Store, clock: FixedClock, config: CentreConfig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store_appointments(
        store, [make_appointment(store, cpr=CPR, service="licence-renewal", slot=MORNING)]
    )
    staff.add_staff(store, clock, "c101", name_ar="موظف", name_en="Clerk", pin=PIN)
    staff.add_staff(
        store, clock, "s100", name_ar="مشرف", name_en="Boss", role=staff.SUPERVISOR, pin=PIN
    )
    seen: list[str] = []
    secrets: list[str] = [PIN, WRONG_PIN]

    def keep(answer: httpx.Response) -> httpx.Response:
        seen.append(answer.text)
        seen.extend(f"{k}: {v}" for k, v in answer.headers.items())
        return answer

    with live_server(store, clock, config) as live:
        tokens = {
            role: live.enrol(role, "1" if role == "counter" else None)
            for role in ("kiosk", "counter", "supervisor", "hall", "integrator")
        }
        pairing = devices.add_device(store, clock, config, "tv-9", "hall", link=True)
        assert pairing.pairing_code is not None
        secrets += [*tokens.values(), pairing.pairing_code]
        kiosk = live.client(tokens["kiosk"])
        for typed in TYPED:
            keep(kiosk.post("/api/v1/checkins/options", json={"cpr": typed}))
            keep(kiosk.post("/api/v1/checkins", json={"cpr": typed}))
            keep(kiosk.post("/api/v1/checkins", json={"cpr": typed, "service": "A"}))
            keep(kiosk.post("/api/v1/tickets", json={"service": typed}))
            keep(kiosk.get(f"/api/v1/status?{typed}=1"))
        keep(kiosk.post("/api/v1/checkins", json={"qr": f"TB1.{CPR}.{CPR}"}))
        counter = live.client(tokens["counter"])
        for pin in (WRONG_PIN, PIN):
            keep(counter.post("/api/v1/counters/1/sign-in", json={"staff": "c101", "pin": pin}))
        keep(counter.post("/api/v1/counters/1/sign-in", json={"staff": CPR, "pin": PIN}))
        keep(counter.post("/api/v1/counters/1/call"))
        keep(counter.get("/api/v1/counters/1/desk"))
        boss = live.client(tokens["supervisor"])
        keep(boss.post("/api/v1/supervisor/sign-in", json={"staff": "s100", "pin": WRONG_PIN}))
        keep(boss.post("/api/v1/supervisor/sign-in", json={"staff": "s100", "pin": PIN}))
        keep(boss.get("/api/v1/supervisor/report"))
        keep(boss.post(f"/api/v1/tickets/{CPR}/cancel"))
        keep(boss.put("/api/v1/hall/message", json={"ar": "", "en": f"Call {CPR}"}))
        for token in tokens.values():
            keep(live.client(token[:-2]).get("/api/v1/status"))  # a token nearly right
            keep(live.client(f"{token}x").get("/api/v1/status"))
        keep(live.client().post("/api/v1/pair", json={"code": pairing.pairing_code}))
        keep(live.client().post("/api/v1/pair", json={"code": pairing.pairing_code}))
        integrator = live.client(tokens["integrator"])
        keep(integrator.get("/api/v1/events", params={"since": 0}))
        keep(integrator.get("/api/v1/tickets"))
        with integrator.stream("GET", "/api/v1/events/stream", params={"since": 0}) as stream:
            for line in stream.iter_lines():
                seen.append(line)
                if line.startswith("id: ") and int(line[4:]) >= live.state.hub.head:
                    break
    # The supervisor's own hall message is the one place a typed number may show, masked.
    assert any("*****1337" in text for text in seen)
    # The server's log lines (the test's own HTTP client logs the URLs it asked for).
    logged = [
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    ]
    assert any(line.startswith("supervisor-") for line in logged)  # the access log ran
    everything = "\n".join([*seen, *logged])
    for secret in secrets:
        assert secret not in everything
    for form in CPR_FORMS:
        assert form not in everything
