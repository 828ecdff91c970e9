"""The centre server keeps to its OpenAPI document under generated requests, with every role.

Schemathesis sends each operation schema-valid and invalid bodies, paths and
queries, with and without the token, as a kiosk, a hall, a counter with a
clerk signed in, a supervisor signed in and an integrator. No answer may be a
500, and each must be one the document declares, in the shape it declares.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402 (after the optional import)
from schemathesis.checks import positive_data_acceptance  # noqa: E402

from centre.store.unit_of_work import Store  # noqa: E402
from centre.usecases import issue_ticket, store_appointments  # noqa: E402
from server.openapi import DOCUMENT, render  # noqa: E402
from tests.helpers import MORNING, clock_at, make_appointment, unlimited_config  # noqa: E402
from tests.live_server import LiveServer, live_server  # noqa: E402

ROLES = ("kiosk", "hall", "counter", "supervisor", "integrator")
schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text(encoding="utf-8")))
# Aim at things that exist, so the happy paths are exercised too.
schema.config.update(parameters={"counter": "1", "service": "licence-renewal"})
answered: Counter[tuple[str, str, int]] = Counter()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("openapi")
    store = Store.open(f"sqlite:///{folder / 'taboor.db'}")
    clock = clock_at()
    config = unlimited_config()
    store_appointments(
        store, [make_appointment(store, cpr="990012345", service="licence-renewal", slot=MORNING)]
    )
    for _ in range(5):
        issue_ticket(store, clock, config, "licence-renewal")
    # Generated requests come fast: this suite is not about the rate limits.
    limits = {"requests_per_second": 1e6, "request_burst": 1e6, "sign_ins_per_minute": 10**6}
    with live_server(store, clock, config, **limits) as server:
        tokens = {
            "kiosk": server.enrol("kiosk"),
            "hall": server.enrol("hall"),
            "counter": server.clerk_at("1"),
            "supervisor": server.supervisor(),
            "integrator": server.enrol("integrator"),
        }
        yield server, tokens
    store.close()


def test_the_document_in_the_repository_is_the_servers() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(), "run python -m server.openapi"


def test_the_server_serves_its_document(live: tuple[LiveServer, dict[str, str]]) -> None:
    server, _ = live
    served = httpx.get(f"{server.url}/api/v1/openapi.json", timeout=10).json()
    assert served == json.loads(DOCUMENT.read_text(encoding="utf-8"))


@schema.exclude(path="/api/v1/events/stream").parametrize()  # type: ignore[untyped-decorator]
@settings(
    max_examples=8,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_breaks_the_server(
    case: Any, live: tuple[LiveServer, dict[str, str]]
) -> None:
    server, tokens = live
    # Each generated request goes out once per role (generating it costs more
    # than sending it). A schema-valid body may still be refused by the
    # centre's rules (409) or the device's role (403): positive acceptance is
    # not expected of every role.
    for role in ROLES:
        response = case.call_and_validate(
            base_url=server.url,
            headers={"Authorization": f"Bearer {tokens[role]}"},
            timeout=10,
            excluded_checks=[positive_data_acceptance],
        )
        answered[(role, case.operation.label, response.status_code)] += 1
        assert response.status_code < 500, role


def test_every_role_reached_its_happy_paths() -> None:
    if not answered:
        pytest.skip("run with the test above")
    ok = {(role, label) for role, label, status in answered if 200 <= status < 300}
    assert ("kiosk", "POST /api/v1/tickets") in ok
    assert ("hall", "GET /api/v1/queue") in ok
    assert ("counter", "POST /api/v1/counters/{counter}/call") in ok
    assert ("supervisor", "GET /api/v1/supervisor/report") in ok
    assert ("integrator", "GET /api/v1/events") in ok
    assert not [key for key in answered if key[2] >= 500]
