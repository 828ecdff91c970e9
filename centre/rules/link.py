"""The central link as the centre should report it: a dead agent does not stay "online"."""

from __future__ import annotations

from datetime import datetime, timedelta

ONLINE = "online"
OFFLINE = "offline"
AUTH_FAILED = "auth_failed"
OFF = "off"
LINK_STATES = (ONLINE, OFFLINE, AUTH_FAILED, OFF)
# A running agent touches last_ok every pull; this long without it means no agent runs.
MIN_STALE_AFTER = timedelta(minutes=2)
STALE_PULLS = 6


def stale_after(pull_seconds: float) -> timedelta:
    """How long after its last success an "online" link is taken to be down."""
    return max(MIN_STALE_AFTER, timedelta(seconds=STALE_PULLS * pull_seconds))


def effective_link(link: str, last_ok: datetime | None, now: datetime, pull_seconds: float) -> str:
    """``link`` as stored, except that an "online" link not confirmed lately is "offline"."""
    if link != ONLINE:
        return link
    if last_ok is None or now - last_ok > stale_after(pull_seconds):
        return OFFLINE
    return ONLINE
