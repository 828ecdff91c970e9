"""Opening hours: whether the centre serves visitors now, and when it next opens."""

from __future__ import annotations

from datetime import datetime, timedelta

from centre.config import CentreConfig

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def opens_next(config: CentreConfig, now: datetime) -> datetime | None:
    """When the centre next opens, or ``None`` while it is open."""
    hours = config.centre.hours
    local = now.astimezone(config.centre.zone)
    days = {str(d).lower()[:3] for d in hours.days}
    if _WEEKDAYS[local.weekday()] in days and hours.open <= local.time() < hours.close:
        return None
    for ahead in range(8):
        day = (local + timedelta(days=ahead)).date()
        if _WEEKDAYS[day.weekday()] not in days:
            continue
        opening = datetime.combine(day, hours.open, tzinfo=config.centre.zone)
        if opening > local:
            return opening
    return None


__all__ = ["opens_next"]
