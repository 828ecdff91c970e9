"""The port through which every screen and device reaches the centre: in-process or over HTTP.

A kiosk, a counter terminal, the screen over a counter, the hall, the
supervisor's screen and the LED-board keeper each hold a :class:`CentrePort`
and nothing else of the centre. Two adapters implement it:

- :class:`centre.local.LocalCentre` calls the use cases on a store in this
  process (the embedded one-machine shape, the centre server itself, tests);
- ``server.client.RemoteCentre`` asks the centre server over HTTP and follows
  its event stream (every device on a LAN); it never opens a database.

The view-models cannot tell which they have: both return the core's own
values (:class:`centre.usecases.TicketView`, :class:`centre.usecases.QueueStatus`
and so on) and raise the core's own errors (:mod:`centre.errors`), plus
:class:`centre.errors.CentreUnreachable` when the centre cannot be reached and
:class:`centre.errors.DeviceRefused` when it no longer accepts this device.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from centre.clock import Clock
from centre.config import CentreConfig, CounterConfig
from centre.domain import Event, Ticket
from centre.phones import JoinLink
from centre.reports import Report
from centre.staff import StaffMember
from centre.supervision import DayReport
from centre.usecases import AppointmentOption, CounterDesk, QueueStatus, TicketView


class EventLog(Protocol):
    """The part of the event log a follower reads."""

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """The newest ``seq`` known and up to ``limit`` events after ``seq``, oldest first."""
        ...


class Wakeup(Protocol):
    """How a follower learns that the log may have grown."""

    def wait(self, timeout: float) -> None:
        """Block until the log may have grown, ``timeout`` passes or :meth:`interrupt` is called.

        Raises when the link it listens on is broken; the next call reconnects
        and returns at once (what happened meanwhile is read from the log).
        """
        ...

    def interrupt(self) -> None:
        """Make a waiting (or the next) :meth:`wait` return now; safe from any thread."""
        ...

    def close(self) -> None:
        """Release what it holds."""
        ...


@dataclass(frozen=True)
class EventFeed:
    """What a follower of the log needs: the log, its wake-up, how often to look anyway.

    ``commit_listeners`` is the in-process store's list of commit listeners
    (a follower adds itself to wake at once on this process's own commits);
    ``None`` over HTTP, where the stream itself is immediate.
    """

    log: EventLog
    wakeup: Wakeup
    poll_seconds: float
    commit_listeners: list[Callable[[list[Event]], None]] | None = None


class CentrePort(Protocol):
    """Everything the screens and devices ask of the centre."""

    @property
    def config(self) -> CentreConfig:
        """The centre's configuration (over HTTP: as the server gives it)."""
        ...

    @property
    def clock(self) -> Clock:
        """The clock of this device."""
        ...

    # -- following ------------------------------------------------------------

    def last_seq(self) -> int:
        """The seq of the newest event in the log."""
        ...

    def event_feed(self, name: str) -> EventFeed:
        """A new feed of the event log for one follower; ``name`` says whose (for the logs)."""
        ...

    # -- reads ----------------------------------------------------------------

    def queue_status(self) -> QueueStatus:
        """Every queue and counter at a glance."""
        ...

    def counter_desk(self, counter_id: str) -> CounterDesk:
        """A counter now: open or not, its ticket, that ticket's booking, its clerk."""
        ...

    def find_ticket(self, ref: str) -> Ticket:
        """A ticket by id, or by number (today's, or ``YYYY-MM-DD/A023``)."""
        ...

    def ticket_view(self, ref: str) -> TicketView:
        """A ticket as :meth:`find_ticket` finds it, with people ahead and estimate as of now."""
        ...

    def hall_message(self) -> tuple[str, str] | None:
        """The supervisor's message for the hall (Arabic, English), if any."""
        ...

    def join_link(self) -> JoinLink | None:
        """The paperless-ticket address the hall shows now (None: the centre has no
        public address)."""
        ...

    def recent_calls(self, head: int, count: int) -> list[Event]:
        """Today's latest calls up to ``head``, newest first, one per ticket."""
        ...

    def day_report(self) -> DayReport:
        """Everything the supervisor's screen shows (supervisors only)."""
        ...

    def has_staff_accounts(self) -> bool:
        """Whether anyone at all can sign in (a centre just set up may have no accounts)."""
        ...

    def report(self, start: date, end: date, by: str) -> Report:
        """The figures of the business days ``start`` to ``end`` (both included) split ``by``
        (one of :data:`centre.reports.BY`); supervisors and integrators only."""
        ...

    # -- visitors -------------------------------------------------------------

    def issue_ticket(self, service: str, priority: str = "normal", lang: str = "ar") -> TicketView:
        """A walk-in ticket for a service."""
        ...

    def appointments_for_cpr(self, cpr: str) -> list[AppointmentOption]:
        """Today's appointments of a typed CPR, each with whether it can check in now."""
        ...

    def check_in_by_cpr(
        self, cpr: str, appointment_id: str | None = None, lang: str = "ar"
    ) -> TicketView:
        """Check in today's appointment of a CPR (``appointment_id``: which, when several)."""
        ...

    def check_in_by_qr(self, payload: str, lang: str = "ar") -> TicketView:
        """Check in the booking of a scanned QR (a reference, or a signed ``TB1.`` code)."""
        ...

    def check_in_unverified(self, cpr: str, service: str, lang: str = "ar") -> TicketView:
        """While the central link is down: a ticket for a CPR whose booking is not here yet."""
        ...

    def record_print_failure(self, ticket: Ticket, printer: str, reason: str) -> None:
        """Log that a ticket did not print, for the supervisor; the ticket stays valid."""
        ...

    def report_device(self, kind: str, state: str, detail: str = "") -> bool:
        """Report this device's state (a kiosk's printer); True when it changed."""
        ...

    def record_feedback(self, ticket_ref: str, rating: int) -> None:
        """A visitor's rating, 1 to 5, of a served ticket."""
        ...

    def keep_number(self, ticket_id: str, phone: str, lang: str) -> None:
        """A visitor's mobile number, to text them as their turn nears; kept until the
        ticket ends (refused when the centre sends no texts)."""
        ...

    # -- counters -------------------------------------------------------------

    def sign_in(self, counter_id: str, staff_id: str, pin: str) -> StaffMember:
        """Sign a clerk in at a counter with their staff id and PIN."""
        ...

    def sign_out(self, counter_id: str) -> None:
        """The clerk leaves the counter, which closes."""
        ...

    def call_next(self, counter_id: str) -> TicketView | None:
        """Call the next ticket to a counter (``None`` when nobody waits for it)."""
        ...

    def recall(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """Call the counter's ticket again (``expected``: the ticket the clerk saw)."""
        ...

    def start_serving(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The called visitor reached the counter."""
        ...

    def finish(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The counter is done with its ticket."""
        ...

    def no_show(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The called visitor did not come."""
        ...

    def transfer(self, counter_id: str, service: str, *, expected: str | None = None) -> TicketView:
        """Send the counter's ticket to another service's queue, keeping its arrival time."""
        ...

    def open_counter(self, counter_id: str) -> None:
        """Open a counter for calling."""
        ...

    def close_counter(self, counter_id: str) -> None:
        """Close a counter that has no ticket."""
        ...

    def start_break(self, counter_id: str, reason: str = "") -> None:
        """The counter calls nobody until the break ends."""
        ...

    def end_break(self, counter_id: str) -> None:
        """The counter is back from its break."""
        ...

    # -- the supervisor -------------------------------------------------------

    def supervisor_sign_in(self, staff_id: str, pin: str) -> StaffMember:
        """Sign a supervisor in on this device with their staff id and PIN."""
        ...

    def supervisor_sign_out(self) -> None:
        """Sign the supervisor out of this device."""
        ...

    def pause_service(self, service: str, reason: str = "") -> None:
        """Stop issuing tickets for a service."""
        ...

    def resume_service(self, service: str) -> None:
        """Issue tickets for a paused service again."""
        ...

    def set_hall_message(self, ar: str = "", en: str = "") -> None:
        """The hall screens' message line (both empty: back to the footer)."""
        ...

    def set_counter_services(
        self, counter_id: str, services: Sequence[str] | None
    ) -> CounterConfig:
        """Which services a counter calls today (``None``: its configured ones)."""
        ...

    def cancel_ticket(self, ref: str, reason: str = "") -> TicketView:
        """Withdraw a waiting ticket."""
        ...

    def revoke_device(self, name: str) -> None:
        """Stop a device of the centre at once: its token no longer works, its streams close
        (never the device asking: that would lock its supervisor out)."""
        ...


__all__ = ["CentrePort", "EventFeed", "EventLog", "Wakeup"]
