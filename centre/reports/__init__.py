"""Reports over any period: visitors, waits, service times, service levels and ratings.

``report(store, config, start, end, by)`` reads the tickets of the business
days ``start`` to ``end`` (both included) and splits them by day, ISO week,
month, service, counter, clerk, hour or weekday and hour, with a total row.

Definitions (one meaning for each figure):

- **visitors**: tickets of the period: walk-ins issued and bookings checked in
  (a booking never checked in is not a visitor). A ticket counts once
  however it moved: tickets are counted, not events, so a transfer or a
  recall adds nothing.
- **served**, **no_shows**, **cancelled**: visitors whose ticket ended served,
  no-show or cancelled. A ticket whose visitor left the queue from the phone
  is cancelled, never a no-show; so is a waiting ticket the supervisor
  withdrew or the day's close cancelled. A called ticket the day's close
  ended is a no-show. Tickets still open count as visitors only.
- **wait** (``wait_mean_s``, ``wait_p50_s``, ``wait_p90_s``): seconds from
  arrival to the ticket's *first* call, over the tickets that were called.
  Arrival is ``issued_at``: issue for a walk-in, check-in for a booking;
  never ``arrived_at``, which is only the queue position ("more time" from
  the phone moves it back). The first call is the ticket's earliest
  ``called`` event: the ticket's own ``called_at`` is cleared by a transfer
  and then holds the call after it. Percentiles interpolate linearly between
  order statistics (``percentile``; the simulator's figures use it too).
- **service_mean_s**: mean of ``finished_at - started_at`` over served
  tickets: the visit at the counter that finished the ticket (a transfer
  clears ``started_at``, so time at a counter before a transfer is not in it).
- **sla_pct**: percent (0-100) of the called tickets whose wait was within
  the maximum wait (``max_wait_minutes``) of the service they were issued
  for; a ticket is transferred only after a call, so that is also the
  service of its first call, read from that ``called`` event. A service no
  longer configured has no maximum: its tickets are left out of this share.
- **satisfaction**: mean rating (1-5) of the visitors' ratings of these
  tickets; **ratings**: how many; **rating_counts**: how many of each rating,
  ``[ones, twos, threes, fours, fives]``.
- **walk_ins**, **appointments**: the visitors who took a ticket without a
  booking, and those who checked in a booking; they add up to ``visitors``.
- **served_per_hour**, **break_s** (the clerk split's rows and the total row;
  ``null`` in the other rows): a clerk's time is from signing in at a counter
  to signing out, counted on the day they signed in; a clerk not signed out
  by the end of that day stopped at the counter's last call or finished
  ticket of that day (today: now). ``break_s`` is the seconds of it on a
  break; ``served_per_hour`` the row's served tickets per hour of that time
  less the breaks. In the total row, both are over every clerk, and the
  served are those whose first call had a clerk signed in. ``null`` when no
  clerk signed in; a clerk signed in without a break has ``break_s`` 0.
- A figure with no data is ``None`` (JSON ``null``), never 0. Means and
  percentiles of seconds are rounded to 0.1 s, ``sla_pct`` to 0.1 point and
  ``satisfaction`` to 0.01.

Split keys; each ticket is in exactly one row of every split, with all its
figures, so the rows' counts add up to the total:

- ``day``: its business day (``2026-11-22``); ``week``: that day's ISO week
  (``2026-W47``); ``month``: ``2026-11``.
- ``service``: the code of the service it was issued for (not the one it was
  transferred to).
- ``counter``: the counter of its first call; ``clerk``: the staff id of the
  clerk signed in at that counter at that call (from the log's
  ``staff_signed_in`` / ``staff_signed_out`` events, as the call event names
  no clerk). A ticket never called, or called at a counter with nobody signed
  in, has the key ``None``.
- ``hour``: the hour of its arrival, centre time (``09``); ``weekday-hour``:
  weekday and hour of its arrival (``sun-09``), Sunday first.
- Only keys with tickets have rows; the total row's key is ``"total"``.

Bookings (``bookings``, the same for every split): for each service and slot
(the booking's start time of day, ``"09:15"``), over the period's closed days
(before today: until its day closes a booking may still come), how many were
**booked** (a booking the central cancelled is left out unless it was checked
in first), how many **checked_in**, the **no_shows** (booked, never checked
in) and **no_show_pct**. A slot whose bookings often do not come shows
speculative bookings.

Reads run in one read transaction of their own (``store.read()``), so no
writer waits for a report. A closed day is read from its roll-up
(:mod:`centre.reports.rollups`, written as the day closes), any other day from
its tickets and log (:mod:`centre.reports.reads`); both go through the same
cells (:mod:`centre.reports.core`), so they give the same figures.

The simulator's figures (``sim.figures``) use these definitions:
``tests/integration/test_sim_reports.py`` checks that a report over simulated
days gives them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from centre.config import CentreConfig
from centre.errors import BadInput
from centre.reports.core import (
    BOOKING_FIGURES,
    BY,
    CONTRACT_FIGURES,
    FIGURES,
    TOTAL,
    WEEKDAYS,
    BookingRow,
    Cell,
    CellKey,
    ClerkTime,
    Facts,
    Report,
    Row,
    Visit,
    key_of,
    percentile,
    row_of,
    split,
    tally,
)
from centre.reports.reads import ClerkLog, FirstCall, raw_facts
from centre.reports.rollups import read_rolled, roll_up, roll_up_closed_days, rolled_days
from centre.store.unit_of_work import Store


def report(
    store: Store,
    config: CentreConfig,
    start: date,
    end: date,
    by: str,
    now: datetime | None = None,
) -> Report:
    """The figures of the business days ``start`` to ``end`` split by ``by`` (see the module)."""
    if by not in BY:
        raise BadInput(f"no report by {by!r} (by: {', '.join(BY)})")
    if start > end:
        raise BadInput(f"the period starts ({start}) after it ends ({end})")
    now = now or datetime.now(UTC)
    facts = period_facts(store, config, start, end, now, by)
    return Report(start, end, by, facts.split(by), facts.total(), facts.booking_rows())


def period_facts(
    store: Store, config: CentreConfig, start: date, end: date, now: datetime, by: str | None
) -> Facts:
    """The facts of the days ``start`` to ``end``: rolled-up days from their roll-ups (with
    ``by``, only what that split and the total read), the others from their tickets and log."""
    with store.read() as repo:
        facts = read_rolled(repo, start, end, by)
        rolled = rolled_days(repo, start, end)
        days = (start + timedelta(days=n) for n in range((end - start).days + 1))
        missing = [day for day in days if day not in rolled]
        if missing:
            facts.merge(raw_facts(repo, config, missing, now))
    return facts


__all__ = [
    "BOOKING_FIGURES",
    "BY",
    "CONTRACT_FIGURES",
    "FIGURES",
    "TOTAL",
    "WEEKDAYS",
    "BookingRow",
    "Cell",
    "CellKey",
    "ClerkLog",
    "ClerkTime",
    "Facts",
    "FirstCall",
    "Report",
    "Row",
    "Visit",
    "key_of",
    "percentile",
    "period_facts",
    "report",
    "roll_up",
    "roll_up_closed_days",
    "row_of",
    "split",
    "tally",
]
