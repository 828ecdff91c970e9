"""Taboor's link to the central booking API: client, back-off, QR signatures, reference server.

Exceptions (all in :mod:`sync.errors`)::

    SyncError                   anything the link to the central fails at on purpose
     ├── CentralUnreachable     time-out, refused or dropped connection, TLS, 5xx:
     │                          retry later with back-off (``status``: the 5xx or None)
     ├── CentralRateLimited     429: wait ``retry_after`` seconds
     ├── CentralAuthFailed      401/403 or no usable token: stop syncing (exit 5)
     ├── CentralRejected        422 on events: nothing stored; ``rejected`` names them
     └── MalformedAnswer        an answer outside the contract: skip it, try later

The client speaks HTTP through httpx, and no httpx exception leaves it: every
``httpx.HTTPError`` (``TimeoutException``, ``ConnectError``, TLS failures
among them, ``RemoteProtocolError``…) becomes :class:`CentralUnreachable`,
without the request (and its token) as its cause. ``taboor sync --once``
exits with ``error.exit_code``: 5 for :class:`CentralAuthFailed`, 4 for the
rest. The reference server lives in :mod:`sync.central_sim` (imported on
demand: it is not needed to sync).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralRejected,
    CentralUnreachable,
    MalformedAnswer,
    RejectedEvent,
    SyncError,
)

if TYPE_CHECKING:
    from sync.backoff import Backoff, with_retries
    from sync.client import CentralClient, load_token
    from sync.qr import Ed25519QrVerifier, sign_booking_qr
    from sync.wire import (
        MAX_EVENTS_PER_REQUEST,
        Appointment,
        AppointmentPage,
        PersonName,
        PushResult,
        QueueSnapshot,
        ServiceQueue,
    )

# Loaded on first use, so ``import sync`` and ``import sync.qr`` (the kiosk's
# verifier) do not pull in httpx, and ``import sync.client`` does not pull in
# cryptography.
_LAZY = {
    "Backoff": "sync.backoff",
    "with_retries": "sync.backoff",
    "CentralClient": "sync.client",
    "load_token": "sync.client",
    "Ed25519QrVerifier": "sync.qr",
    "sign_booking_qr": "sync.qr",
    "MAX_EVENTS_PER_REQUEST": "sync.wire",
    "Appointment": "sync.wire",
    "AppointmentPage": "sync.wire",
    "PersonName": "sync.wire",
    "PushResult": "sync.wire",
    "QueueSnapshot": "sync.wire",
    "ServiceQueue": "sync.wire",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sync' has no attribute {name!r}")


__all__ = [
    "MAX_EVENTS_PER_REQUEST",
    "Appointment",
    "AppointmentPage",
    "Backoff",
    "CentralAuthFailed",
    "CentralClient",
    "CentralRateLimited",
    "CentralRejected",
    "CentralUnreachable",
    "Ed25519QrVerifier",
    "MalformedAnswer",
    "PersonName",
    "PushResult",
    "QueueSnapshot",
    "RejectedEvent",
    "ServiceQueue",
    "SyncError",
    "load_token",
    "sign_booking_qr",
    "with_retries",
]
