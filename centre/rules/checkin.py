"""The check-in window: how early before and how late after its slot a booking may check in."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from centre.config import CheckInWindow


class WindowVerdict(StrEnum):
    """Where ``now`` falls against an appointment's check-in window."""

    EARLY = "early"
    OPEN = "open"
    LATE = "late"


def window_verdict(slot_start: datetime, window: CheckInWindow, now: datetime) -> WindowVerdict:
    """Whether a booking for ``slot_start`` may check in at ``now``."""
    if now < slot_start - timedelta(minutes=window.early_minutes):
        return WindowVerdict.EARLY
    if now > slot_start + timedelta(minutes=window.late_minutes):
        return WindowVerdict.LATE
    return WindowVerdict.OPEN


def opens_at(slot_start: datetime, window: CheckInWindow) -> datetime:
    """When check-in opens for ``slot_start``."""
    return slot_start - timedelta(minutes=window.early_minutes)
