"""The in-process adapter of the centre port: the use cases on a store in this process.

It is the embedded one-machine centre, what the centre server itself calls for
each request (as the device that made it), and what tests drive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from centre import devices, reports, staff, supervision
from centre import usecases as uc
from centre.actor import acting_as
from centre.clock import Clock
from centre.config import CentreConfig, CounterConfig
from centre.domain import Event, Ticket
from centre.errors import BadInput, OwnDevice
from centre.offline import check_in_unverified
from centre.phones import JoinLink, join_link, keep_number, public_secret
from centre.port import EventFeed
from centre.rules.public import ticket_ref
from centre.rules.qr import QrVerifier
from centre.staff import StaffMember
from centre.store.tail import (
    POSTGRES_POLL_SECONDS,
    SQLITE_POLL_SECONDS,
    PgNotifyWakeup,
    StoreLog,
    TimerWakeup,
    listen_connector,
)
from centre.store.unit_of_work import Store
from centre.supervision import DayReport
from centre.usecases import AppointmentOption, CounterDesk, QueueStatus, TicketView


class LocalCentre:
    """The :class:`centre.port.CentrePort` of a store opened in this process.

    ``device`` names this device: its reports (a kiosk's printer) are filed
    under it, and every event it causes records it
    (:data:`centre.actor.BY_DEVICE`). The supervisor signed in here is kept in
    memory: this process is the device.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: CentreConfig,
        *,
        verifier: QrVerifier | None = None,
        device: str | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.store = store
        self._clock = clock
        self._config = config
        self._verifier = verifier
        self.device = device
        self._secret = secret
        self._supervisor: StaffMember | None = None

    def linked(self, view: TicketView) -> TicketView:
        """``view`` with the ticket's phone link, when the centre has a public address."""
        public = self._config.public
        if public.url is None:
            return view
        if self._secret is None:
            self._secret = public_secret(self.store)
        return replace(
            view, link=f"{public.address()}/t/{ticket_ref(self._secret, view.ticket.id)}"
        )

    @property
    def config(self) -> CentreConfig:
        """The centre's configuration."""
        return self._config

    @property
    def clock(self) -> Clock:
        """The clock every use case reads."""
        return self._clock

    @property
    def supervisor(self) -> StaffMember | None:
        """The supervisor signed in through this adapter, if any."""
        return self._supervisor

    # -- following ------------------------------------------------------------

    def last_seq(self) -> int:
        """The seq of the newest event in the log."""
        return uc.last_seq(self.store)

    def event_feed(self, name: str) -> EventFeed:
        """LISTEN/NOTIFY with a slow poll on PostgreSQL, a 100 ms poll on SQLite.

        ``name`` identifies the listening connection (PostgreSQL ``application_name``).
        """
        if self.store.dialect == "postgresql":
            return EventFeed(
                StoreLog(self.store),
                PgNotifyWakeup(listen_connector(self.store, name)),
                POSTGRES_POLL_SECONDS,
                self.store.on_commit,
            )
        return EventFeed(
            StoreLog(self.store), TimerWakeup(), SQLITE_POLL_SECONDS, self.store.on_commit
        )

    def events_since(self, seq: int, limit: int | None = None) -> list[Event]:
        """The log after ``seq``, oldest first."""
        return uc.events_since(self.store, seq, limit)

    # -- reads ----------------------------------------------------------------

    def queue_status(self) -> QueueStatus:
        """Every queue and counter at a glance."""
        return uc.queue_status(self.store, self._clock, self._config)

    def counter_desk(self, counter_id: str) -> CounterDesk:
        """A counter now, with its ticket, booking and clerk."""
        return uc.counter_desk(self.store, self._clock, self._config, counter_id)

    def find_ticket(self, ref: str) -> Ticket:
        """A ticket by id or number."""
        return uc.find_ticket(self.store, self._clock, self._config, ref)

    def ticket_view(self, ref: str) -> TicketView:
        """A ticket by id or number, with people ahead and estimate as of now."""
        ticket = self.find_ticket(ref)
        return self.linked(uc.view_of(self.store, self._clock, self._config, ticket))

    def hall_message(self) -> tuple[str, str] | None:
        """The hall's message, if the supervisor set one."""
        return uc.hall_message(self.store)

    def keep_number(self, ticket_id: str, phone: str, lang: str) -> None:
        """A visitor's mobile number for texts about a ticket, until it ends."""
        keep_number(self.store, self._clock, self._config, ticket_id, phone, lang)

    def join_link(self) -> JoinLink | None:
        """The paperless-ticket address the hall shows now (None without [public] url)."""
        if self._config.public.url is None:
            return None
        if self._secret is None:
            self._secret = public_secret(self.store)
        return join_link(self._config, self._secret, self._clock.now())

    def recent_calls(self, head: int, count: int) -> list[Event]:
        """Today's latest calls up to ``head``, newest first, one per ticket."""
        return uc.recent_calls(self.store, self._clock, self._config, head, count)

    def day_report(self) -> DayReport:
        """The supervisor's screen in one read."""
        return supervision.day_report(self.store, self._clock, self._config)

    def has_staff_accounts(self) -> bool:
        """Whether any staff account exists."""
        return bool(staff.staff_list(self.store))

    def report(self, start: date, end: date, by: str) -> reports.Report:
        """A period's figures, read in a transaction of their own (no writer waits for it)."""
        return reports.report(self.store, self._config, start, end, by, self._clock.now())

    # -- visitors -------------------------------------------------------------

    def issue_ticket(self, service: str, priority: str = "normal", lang: str = "ar") -> TicketView:
        """A walk-in ticket."""
        with acting_as(self.device):
            return self.linked(
                uc.issue_ticket(self.store, self._clock, self._config, service, priority, lang)
            )

    def appointments_for_cpr(self, cpr: str) -> list[AppointmentOption]:
        """Today's appointments of a CPR."""
        return uc.appointments_for_cpr(self.store, self._clock, self._config, cpr)

    def check_in_by_cpr(
        self, cpr: str, appointment_id: str | None = None, lang: str = "ar"
    ) -> TicketView:
        """Check in today's appointment of a CPR."""
        with acting_as(self.device):
            return self.linked(
                uc.check_in_by_cpr(
                    self.store,
                    self._clock,
                    self._config,
                    cpr,
                    appointment_id=appointment_id,
                    lang=lang,
                )
            )

    def check_in_by_qr(self, payload: str, lang: str = "ar") -> TicketView:
        """Check in a scanned booking QR."""
        with acting_as(self.device):
            return self.linked(
                uc.check_in_by_qr(
                    self.store,
                    self._clock,
                    self._config,
                    payload,
                    verifier=self._verifier,
                    lang=lang,
                )
            )

    def check_in_unverified(self, cpr: str, service: str, lang: str = "ar") -> TicketView:
        """A ticket for a CPR whose booking has not been pulled, while the link is down."""
        with acting_as(self.device):
            return self.linked(
                check_in_unverified(self.store, self._clock, self._config, cpr, service, lang)
            )

    def record_print_failure(self, ticket: Ticket, printer: str, reason: str) -> None:
        """Log that a ticket did not print."""
        with acting_as(self.device):
            uc.record_print_failure(self.store, self._clock, ticket, printer, reason)

    def report_device(self, kind: str, state: str, detail: str = "") -> bool:
        """Report this device's state; True when it changed."""
        if self.device is None:
            raise BadInput("this device has no name to report its state under")
        with acting_as(self.device):
            return supervision.report_device(
                self.store, self._clock, self.device, kind, state, detail
            )

    def record_feedback(self, ticket_ref: str, rating: int) -> None:
        """A visitor's rating of a served ticket."""
        with acting_as(self.device):
            supervision.record_feedback(self.store, self._clock, self._config, ticket_ref, rating)

    # -- counters -------------------------------------------------------------

    def sign_in(self, counter_id: str, staff_id: str, pin: str) -> StaffMember:
        """Sign a clerk in at a counter."""
        with acting_as(self.device):
            return staff.sign_in(self.store, self._clock, self._config, counter_id, staff_id, pin)

    def sign_out(self, counter_id: str) -> None:
        """The clerk leaves the counter."""
        with acting_as(self.device):
            staff.sign_out(self.store, self._clock, self._config, counter_id)

    def call_next(self, counter_id: str) -> TicketView | None:
        """Call the next ticket to a counter."""
        with acting_as(self.device):
            return uc.call_next(self.store, self._clock, self._config, counter_id)

    def recall(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """Call the counter's ticket again."""
        with acting_as(self.device):
            return uc.recall(self.store, self._clock, self._config, counter_id, expected=expected)

    def start_serving(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The called visitor reached the counter."""
        with acting_as(self.device):
            return uc.start_serving(
                self.store, self._clock, self._config, counter_id, expected=expected
            )

    def finish(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The counter is done with its ticket."""
        with acting_as(self.device):
            return uc.finish(self.store, self._clock, self._config, counter_id, expected=expected)

    def no_show(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The called visitor did not come."""
        with acting_as(self.device):
            return uc.no_show(self.store, self._clock, self._config, counter_id, expected=expected)

    def transfer(self, counter_id: str, service: str, *, expected: str | None = None) -> TicketView:
        """Send the counter's ticket to another service's queue."""
        with acting_as(self.device):
            return uc.transfer(
                self.store, self._clock, self._config, counter_id, service, expected=expected
            )

    def open_counter(self, counter_id: str) -> None:
        """Open a counter."""
        with acting_as(self.device):
            uc.open_counter(self.store, self._clock, self._config, counter_id)

    def close_counter(self, counter_id: str) -> None:
        """Close a counter."""
        with acting_as(self.device):
            uc.close_counter(self.store, self._clock, self._config, counter_id)

    def start_break(self, counter_id: str, reason: str = "") -> None:
        """Start a break at a counter."""
        with acting_as(self.device):
            staff.start_break(self.store, self._clock, self._config, counter_id, reason)

    def end_break(self, counter_id: str) -> None:
        """End a counter's break."""
        with acting_as(self.device):
            staff.end_break(self.store, self._clock, self._config, counter_id)

    # -- the supervisor -------------------------------------------------------

    def supervisor_sign_in(self, staff_id: str, pin: str) -> StaffMember:
        """Check a supervisor's staff id and PIN; they are signed in here when right."""
        member = staff.check_pin(self.store, self._clock, staff_id, pin, role=staff.SUPERVISOR)
        self._supervisor = member
        return member

    def supervisor_sign_out(self) -> None:
        """Nobody is signed in as supervisor here any more."""
        self._supervisor = None

    def pause_service(self, service: str, reason: str = "") -> None:
        """Stop issuing tickets for a service."""
        with acting_as(self.device):
            uc.pause_service(self.store, self._clock, self._config, service, reason)

    def resume_service(self, service: str) -> None:
        """Issue tickets for a service again."""
        with acting_as(self.device):
            uc.resume_service(self.store, self._clock, self._config, service)

    def set_hall_message(self, ar: str = "", en: str = "") -> None:
        """Set or clear the hall screens' message."""
        with acting_as(self.device):
            uc.set_hall_message(self.store, self._clock, ar, en)

    def set_counter_services(
        self, counter_id: str, services: Sequence[str] | None
    ) -> CounterConfig:
        """Which services a counter calls today."""
        with acting_as(self.device):
            return uc.set_counter_services(
                self.store, self._clock, self._config, counter_id, services
            )

    def cancel_ticket(self, ref: str, reason: str = "") -> TicketView:
        """Withdraw a waiting ticket."""
        with acting_as(self.device):
            return uc.cancel_ticket(self.store, self._clock, self._config, ref, reason)

    def revoke_device(self, name: str) -> None:
        """Stop a device at once; never this one (its supervisor would be locked out)."""
        if self.device is not None and name.strip() == self.device:
            raise OwnDevice(
                f"device {self.device} is the one in use: revoke it from another",
                device=self.device,
            )
        with acting_as(self.device):
            devices.revoke_device(self.store, self._clock, name)


__all__ = ["LocalCentre"]
