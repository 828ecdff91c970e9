"""One line for the staff screens from any refusal of the centre."""

from __future__ import annotations

import logging

import pytest

from centre.config import CentreConfig
from centre.errors import (
    CentreUnreachable,
    DeviceRefused,
    IllegalTransition,
    RateLimited,
    ServicePaused,
    TicketMoved,
    UnknownCounter,
    WrongPin,
)
from display.refusals import explain


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (CentreUnreachable("no answer"), "The centre cannot be reached. Try again in a moment."),
        (
            DeviceRefused("revoked"),
            "This device is no longer allowed to connect to the centre.",
        ),
        (
            RateLimited("slow down", seconds=30),
            "Too many tries from this device. Try again in 30 seconds.",
        ),
        (WrongPin("wrong"), "Wrong staff id or PIN."),
        (
            WrongPin("wrong", seconds=15),
            "Wrong staff id or PIN. Wait 15 seconds before trying again.",
        ),
        (
            TicketMoved("moved", number="A002", acted_on="A001"),
            "Ticket A001 was already dealt with at another terminal.",
        ),
        (
            TicketMoved("moved", number="A002", acted_on=None),
            "Another terminal has just called a ticket here.",
        ),
        (
            IllegalTransition("no", number="A001", action="cancelled"),
            "Ticket A001 is not waiting: only a waiting ticket can be cancelled.",
        ),
        (
            IllegalTransition("no", number="A001", action="recalled"),
            "Ticket A001 is being served: it can no longer be recalled.",
        ),
        (UnknownCounter("no", counter="99"), "There is no counter 99 here."),
    ],
)
def test_each_refusal_is_one_line(config: CentreConfig, error: Exception, line: str) -> None:
    assert explain(error, config, "en", where="test") == line


def test_a_paused_service_is_named_in_the_staff_member_s_language(config: CentreConfig) -> None:
    error = ServicePaused("paused", service="traffic-fines")
    name = config.service("traffic-fines").name
    assert explain(error, config, "en", where="test").startswith(name.en)
    assert explain(error, config, "ar", where="test").startswith(name.ar)


def test_an_error_the_centre_did_not_mean_is_logged_in_full(
    config: CentreConfig, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="display.refusals"):
        line = explain(ConnectionError("socket closed"), config, "en", where="counter 3")
    assert line == "The centre's database cannot be reached. Try again in a moment."
    assert caplog.records[0].getMessage() == "counter 3: an action failed"
    assert caplog.records[0].exc_info is not None
