"""Which device a change came through: every event a write appends records it.

The centre server runs each request as its device (:func:`acting_as`); the
store then adds the device's name to the data of every event the request
appends, under :data:`BY_DEVICE`, so every action can be traced to the device
that made it. Outside a request (the command line, the embedded demo) no
device is acting and events carry none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: The key of an event's data naming the device the change came through.
BY_DEVICE = "by_device"

_acting: ContextVar[str | None] = ContextVar("taboor_acting_device", default=None)


@contextmanager
def acting_as(device: str | None) -> Iterator[None]:
    """Record ``device`` on every event appended inside this block (``None``: no device)."""
    token = _acting.set(device)
    try:
        yield
    finally:
        _acting.reset(token)


def acting_device() -> str | None:
    """The device acting now, if any."""
    return _acting.get()


__all__ = ["BY_DEVICE", "acting_as", "acting_device"]
