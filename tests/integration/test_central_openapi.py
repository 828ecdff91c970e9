"""The reference central answers generated requests as ``sync/openapi.yaml`` says (schemathesis)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402 (after the optional import)
from schemathesis.checks import positive_data_acceptance  # noqa: E402
from schemathesis.config import HttpBearerAuthConfig  # noqa: E402

from sync.central_sim import CentralSim  # noqa: E402
from tests.helpers import MORNING, demo_config  # noqa: E402

TOKEN = "openapi-token"  # noqa: S105 (a made-up token for a local test server)
SPEC = Path(__file__).resolve().parents[2] / "sync" / "openapi.yaml"

schema = schemathesis.openapi.from_path(SPEC)
# Aim the generated requests at a centre that exists, so the happy paths are exercised
# (schemathesis still sends bad bodies, queries, methods and missing credentials).
schema.config.update(parameters={"centre": "traffic-dana"})
# Credentials through the spec's security scheme, so schemathesis knows when it
# leaves them out on purpose (and then expects 401).
schema.config.auth.openapi.schemes["bearer"] = HttpBearerAuthConfig(bearer=TOKEN)
answered: Counter[tuple[str, int]] = Counter()


@pytest.fixture(scope="module")
def central() -> Iterator[CentralSim]:
    sim = CentralSim([demo_config()], token=TOKEN, appointments_per_day=30, clock=lambda: MORNING)
    sim.start()
    yield sim
    sim.stop()


@schema.parametrize()  # type: ignore[untyped-decorator]
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_central_keeps_to_its_contract(case: Any, central: CentralSim) -> None:
    # A batch of schema-valid events may still break rules a schema cannot say
    # (ids unique, seq rising in the batch): the central rightly answers 422.
    excluded = [positive_data_acceptance] if case.method == "POST" else []
    response = case.call_and_validate(base_url=central.url, timeout=5, excluded_checks=excluded)
    answered[(case.operation.label, response.status_code)] += 1


def test_the_generated_requests_reached_every_happy_path() -> None:
    if not answered:
        pytest.skip("run with the contract test above")
    successes = {label for label, status in answered if 200 <= status < 300}
    assert successes == {
        "GET /v1/health",
        "GET /v1/centres/{centre}/appointments",
        "POST /v1/centres/{centre}/events",
        "PUT /v1/centres/{centre}/queue",
    }
    assert any(status == 401 for _, status in answered)
    assert any(status == 400 for _, status in answered)
