"""Use cases: what kiosks, counters, screens and the command line ask of the centre.

Each is a function taking the store (unit of work), a clock and the centre's
configuration; each change of state commits together with its events.
The actions on a counter's current ticket take ``expected``, the id of the
ticket the clerk acted on: given, they refuse with ``TicketMoved`` when the
counter has another ticket (or none) by the time they write.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from centre.clock import Clock
from centre.config import CentreConfig, CounterConfig, Names, ServiceConfig
from centre.domain import (
    ACTIVE_STATES,
    Appointment,
    AppointmentStatus,
    CounterState,
    CounterStatus,
    Event,
    EventType,
    Priority,
    Source,
    Ticket,
    TicketState,
)
from centre.errors import (
    AlreadyCheckedIn,
    AlreadyHasTicket,
    AppointmentCancelled,
    BadInput,
    CounterBusy,
    NoAppointment,
    NoCurrentTicket,
    OutsideWindow,
    QuotaReached,
    Refused,
    ServicePaused,
    SeveralAppointments,
    TicketMoved,
    UnknownCounter,
    UnknownService,
    UnknownTicket,
    WrongDay,
)
from centre.reports.rollups import roll_up_closed_days
from centre.rules.checkin import WindowVerdict, opens_at, window_verdict
from centre.rules.cpr import cpr_digest, mask_cprs_in, parse_cpr
from centre.rules.estimate import (
    CALL_OVERHEAD_S,
    CurrentReads,
    LiveQueues,
    OpenCounter,
    QueueNow,
    busy_for_seconds,
    counter_free_in,
    typical_service_seconds,
)
from centre.rules.link import effective_link
from centre.rules.policy import CounterView, choose_next
from centre.rules.qr import BookingQr, QrVerifier, parse_booking_qr
from centre.store.repository import Repository
from centre.store.unit_of_work import Store

# A booking created from a signed QR alone has no end time; this is its slot length.
QR_SLOT_MINUTES = 15


@dataclass(frozen=True)
class TicketView:
    """A ticket with what a visitor is told about it: people ahead and estimated wait."""

    ticket: Ticket
    ahead: int = 0
    eta_minutes: int | None = None
    # The booking's slot, for a checked-in appointment (printed on the ticket).
    slot_start: datetime | None = None
    # The ticket's page for the visitor's phone (CONTRACTS.md section 7), when
    # the centre has a public address: its printed QR holds this.
    link: str | None = None


@dataclass(frozen=True)
class AppointmentOption:
    """One of a visitor's appointments today, and whether it can check in now."""

    appointment: Appointment
    verdict: str  # open, early, late, cancelled, checked_in
    ticket_number: str | None = None


@dataclass(frozen=True)
class ServiceStatus:
    """One service's queue at a glance."""

    service: ServiceConfig
    waiting: int
    eta_minutes: int | None
    longest_wait_s: int
    paused: bool
    pause_reason: str = ""


@dataclass(frozen=True)
class CounterSnapshot:
    """One counter at a glance."""

    counter: CounterConfig
    state: CounterState
    ticket: Ticket | None
    # Who is signed in, the break, the services called today.
    status: CounterStatus | None = None


@dataclass(frozen=True)
class SyncSnapshot:
    """The central link as the sync agent last left it."""

    link: str
    pending: int
    last_ok: datetime | None


@dataclass(frozen=True)
class CounterDesk:
    """A counter as its terminal shows it: open or not, its ticket and that ticket's booking."""

    counter: CounterConfig
    is_open: bool
    ticket: Ticket | None
    appointment: Appointment | None
    # Checked in while the central link was down, with no booking found: the
    # clerk must see the booking (the visitor's app, a printout) before serving.
    verify: bool = False
    staff_id: str | None = None
    on_break: bool = False
    break_since: datetime | None = None
    # The name of the clerk signed in, when there is one.
    staff_name: Names | None = None


@dataclass(frozen=True)
class QueueStatus:
    """The whole centre at a glance."""

    at: datetime
    services: list[ServiceStatus]
    counters: list[CounterSnapshot]
    sync: SyncSnapshot
    events: list[Event] = field(default_factory=list)


# -- lookups ---------------------------------------------------------------


def business_day(config: CentreConfig, at: datetime) -> date:
    """The centre's calendar day at instant ``at``."""
    return at.astimezone(config.centre.zone).date()


def resolve_service(config: CentreConfig, name: str) -> ServiceConfig:
    """The service named by its code or ticket prefix (any case)."""
    wanted = name.strip().lower()
    for service in config.services:
        if wanted in (service.code, service.prefix.lower()):
            return service
    codes = ", ".join(s.code for s in config.services)
    raise UnknownService(f"no service {name!r} here (services: {codes})", service=name)


def resolve_counter(config: CentreConfig, counter_id: str) -> CounterConfig:
    """The counter with this id."""
    for counter in config.counters:
        if counter.id == counter_id.strip():
            return counter
    ids = ", ".join(c.id for c in config.counters)
    raise UnknownCounter(f"no counter {counter_id!r} here (counters: {ids})", counter=counter_id)


def find_ticket(store: Store, clock: Clock, config: CentreConfig, ref: str) -> Ticket:
    """A ticket by id, or by number (today's, or ``YYYY-MM-DD/A023``)."""
    ref = ref.strip()
    with store.read() as repo:
        found = repo.ticket(ref) if len(ref) == 36 else None
        if found is None:
            day_text, _, number = ref.rpartition("/")
            try:
                day = date.fromisoformat(day_text) if day_text else None
            except ValueError:
                raise UnknownTicket(f"no ticket {ref!r}") from None
            day = day or business_day(config, clock.now())
            found = repo.ticket_by_number(day, number.upper())
    if found is None:
        raise UnknownTicket(f"no ticket {ref!r}", ticket=ref)
    return found


def format_number(prefix: str, sequence: int) -> str:
    """The printed ticket number: prefix and at least three digits (``A007``, ``A1234``)."""
    return f"{prefix}{sequence:03d}"


# -- visitors ----------------------------------------------------------------


def issue_ticket(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    service_name: str,
    priority: str = "normal",
    lang: str = "ar",
    *,
    phone_key: str | None = None,
) -> TicketView:
    """Issue a walk-in ticket for a service (``phone_key``: taken paperless on that phone,
    which may hold one open ticket per service)."""
    service = resolve_service(config, service_name)
    level = _priority(config, priority)
    if lang not in ("ar", "en"):
        raise BadInput(f"language must be ar or en, not {lang!r}")
    if not service.walk_in:
        raise Refused(
            f"{service.name.en} is by appointment only", service=service.code, reason="no_walk_in"
        )
    now = clock.now()
    day = business_day(config, now)
    with store.write() as repo:
        _refuse_if_paused(repo, service)
        issued = repo.count_walk_in(day, service.code)
        if service.daily_quota is not None and issued > service.daily_quota:
            raise QuotaReached(
                f"{service.name.en} has given all {service.daily_quota} tickets for today",
                service=service.code,
                quota=service.daily_quota,
            )
        if phone_key is not None:
            held = repo.open_ticket_of_phone(day, phone_key, service.code)
            if held is not None:
                raise AlreadyHasTicket(
                    f"this phone already holds ticket {held.number} of {service.name.en}",
                    ticket_id=held.id,
                    number=held.number,
                )
        ticket = _new_ticket(
            repo, day, now, service, Source.WALK_IN, level, lang, phone_key=phone_key
        )
    # Read after the commit: the write lock is held for the ticket alone.
    return _view_after(store, config, ticket, now)


def appointments_for_cpr(
    store: Store, clock: Clock, config: CentreConfig, typed_cpr: str
) -> list[AppointmentOption]:
    """Today's appointments of the CPR, each with whether it can check in now."""
    digest = cpr_digest(parse_cpr(typed_cpr), store.cpr_key())
    now = clock.now()
    day = business_day(config, now)
    with store.read() as repo:
        booked = repo.appointments_by_cpr(digest)
        return [_option(repo, config, a, now) for a in booked if a.business_day == day]


def check_in_by_cpr(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    typed_cpr: str,
    appointment_id: str | None = None,
    lang: str = "ar",
) -> TicketView:
    """Check in today's appointment of a CPR and give its ticket.

    With several appointments open now, ``appointment_id`` picks one; without
    it the visitor is asked to choose (:class:`SeveralAppointments`).
    """
    digest = cpr_digest(parse_cpr(typed_cpr), store.cpr_key())
    now = clock.now()
    day = business_day(config, now)
    with store.write() as repo:
        booked = repo.appointments_by_cpr(digest)
        today = [a for a in booked if a.business_day == day]
        if appointment_id is not None:
            today = [a for a in today if a.id == appointment_id]
        if not today:
            upcoming = [a for a in booked if a.business_day > day and _is_booked(a)]
            if upcoming and appointment_id is None:
                first = upcoming[0]
                raise WrongDay(
                    f"your appointment is on {first.business_day.isoformat()}, not today",
                    date=first.business_day.isoformat(),
                    service=first.service,
                )
            raise NoAppointment("no appointment today for this CPR at this centre")
        options = [_option(repo, config, a, now) for a in today]
        open_now = [o for o in options if o.verdict == "open"]
        if len(open_now) > 1:
            zone = config.centre.zone
            listed = ", ".join(
                f"{o.appointment.reference} at {o.appointment.slot_start.astimezone(zone):%H:%M}"
                for o in open_now
            )
            raise SeveralAppointments(
                f"several appointments today ({listed}): check in one by its reference",
                choices=[o.appointment.id for o in open_now],
                references=[o.appointment.reference for o in open_now],
            )
        if not open_now:
            _refuse_for(config, options)
        ticket = _check_in(repo, config, open_now[0].appointment, now, lang)
    return _view_after(store, config, ticket, now)


def check_in_by_qr(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    scanned: str,
    verifier: QrVerifier | None = None,
    lang: str = "ar",
) -> TicketView:
    """Check in the booking of a scanned QR (plain reference or signed ``TB1.``)."""
    qr = parse_booking_qr(scanned, verifier)
    now = clock.now()
    day = business_day(config, now)
    if qr.centre is not None and qr.centre != config.centre.id:
        raise NoAppointment("this booking is for another centre", centre=qr.centre)
    if qr.date is not None and qr.date != day:
        raise WrongDay(
            f"your appointment is on {qr.date.isoformat()}, not today", date=qr.date.isoformat()
        )
    with store.write() as repo:
        appointment = repo.appointment_by_reference(qr.reference)
        if appointment is None and qr.verified:
            appointment = _appointment_from_qr(config, qr, now)
            repo.upsert_appointment(appointment)
        if appointment is None:
            raise NoAppointment(f"no booking {qr.reference} at this centre")
        if appointment.business_day != day:
            raise WrongDay(
                f"your appointment is on {appointment.business_day.isoformat()}, not today",
                date=appointment.business_day.isoformat(),
            )
        option = _option(repo, config, appointment, now)
        if option.verdict != "open":
            _refuse_for(config, [option])
        ticket = _check_in(repo, config, appointment, now, lang)
    return _view_after(store, config, ticket, now)


# -- counters ----------------------------------------------------------------


def call_next(
    store: Store, clock: Clock, config: CentreConfig, counter_id: str
) -> TicketView | None:
    """Call the next ticket to a counter (``None`` when nobody waits for it)."""
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    day = business_day(config, now)
    with store.write() as repo:
        refuse_if_busy(repo, counter.id, "finish, no-show or transfer it first")
        status = _opened(repo, counter.id, day, now)
        # The clerk calling is back from the break.
        repo.append(status.end_break(now))
        counter = effective_counter(counter, status)
        heads = repo.queue_heads(day, counter.services, now)
        view = CounterView(
            weights={code: counter.weight(code) for code in counter.services},
            max_wait={
                code: timedelta(minutes=config.service(code).max_wait_minutes)
                for code in counter.services
            },
            priority_share=config.policy.priority_share,
            contested_calls=status.contested_calls,
            contested_priority=status.contested_priority,
        )
        picked = choose_next(heads, view, now)
        if picked is None:
            repo.save_counter(status, now)
            return None
        ticket, choice = picked
        if choice.contested:
            status.contested_calls += 1
            status.contested_priority += int(choice.priority)
        repo.save_counter(status, now)
        ticket.call(counter.id, now, reason=choice.reason)
        repo.save_ticket(ticket)
        return TicketView(ticket)


def recall(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    *,
    expected: str | None = None,
) -> TicketView:
    """Call the counter's current ticket again."""
    return _act(store, clock, config, counter_id, lambda t, now: t.recall(now), expected)


def start_serving(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    *,
    expected: str | None = None,
) -> TicketView:
    """The called visitor reached the counter."""
    return _act(store, clock, config, counter_id, lambda t, now: t.start(now), expected)


def finish(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    *,
    expected: str | None = None,
) -> TicketView:
    """The counter is done with its current ticket."""
    return _act(store, clock, config, counter_id, lambda t, now: t.finish(now), expected)


def no_show(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    *,
    expected: str | None = None,
) -> TicketView:
    """The called visitor did not come."""
    return _act(store, clock, config, counter_id, lambda t, now: t.no_show(now), expected)


def transfer(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    service_name: str,
    *,
    expected: str | None = None,
) -> TicketView:
    """Send the counter's current ticket to another service's queue, keeping its arrival time."""
    target = resolve_service(config, service_name)
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    with store.write() as repo:
        _refuse_if_paused(repo, target)
        ticket = _current_or_refuse(repo, counter, expected)
        ticket.transfer(target.code, now)
        repo.save_ticket(ticket)
        return _view(repo, config, ticket, now)


def open_counter(store: Store, clock: Clock, config: CentreConfig, counter_id: str) -> None:
    """Open a counter for calling."""
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    with store.write() as repo:
        status = _opened(repo, counter.id, business_day(config, now), now)
        repo.save_counter(status, now)


def close_counter(store: Store, clock: Clock, config: CentreConfig, counter_id: str) -> None:
    """Close a counter; it must have finished its current ticket."""
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    with store.write() as repo:
        refuse_if_busy(repo, counter.id)
        status = repo.counter_status(counter.id)
        if status.is_open:
            events = status.end_break(now)
            status.is_open = False
            repo.save_counter(status, now)
            repo.append([*events, Event.new(EventType.COUNTER_CLOSED, now, counter=counter.id)])


def set_counter_services(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    services: Sequence[str] | None,
) -> CounterConfig:
    """Change which services a counter calls, for today (``None``: back to its configured ones)."""
    counter = resolve_counter(config, counter_id)
    codes: tuple[str, ...] | None = None
    if services is not None:
        codes = tuple(dict.fromkeys(resolve_service(config, name).code for name in services))
        if not codes:
            raise BadInput(f"counter {counter.id} must call at least one service")
        if set(codes) == set(counter.services):
            codes = None
    now = clock.now()
    with store.write() as repo:
        status = repo.counter_status(counter.id)
        if status.business_day != business_day(config, now):
            status = _opened(repo, counter.id, business_day(config, now), now, open_it=False)
        if status.services == codes:
            return effective_counter(counter, status)
        status.services = codes
        repo.save_counter(status, now)
        changed = effective_counter(counter, status)
        repo.append(
            [
                Event.new(
                    EventType.COUNTER_SERVICES_CHANGED,
                    now,
                    counter=counter.id,
                    data={"services": list(changed.services)},
                )
            ]
        )
        return changed


def refuse_if_busy(repo: Repository, counter_id: str, then: str = "finish it first") -> None:
    """Refuse (:class:`CounterBusy`) while the counter still has a ticket called or serving."""
    current = repo.current_ticket(counter_id)
    if current is not None:
        raise CounterBusy(
            f"counter {counter_id} still has {current.number} ({current.state.value}): {then}",
            counter=counter_id,
            number=current.number,
        )


def effective_counter(counter: CounterConfig, status: CounterStatus | None) -> CounterConfig:
    """The counter with the services the supervisor set for today, if any."""
    if status is None or status.services is None:
        return counter
    services = list(status.services)
    weights = {code: weight for code, weight in counter.weights.items() if code in services}
    return counter.model_copy(update={"services": services, "weights": weights})


# -- supervisor --------------------------------------------------------------


def cancel_ticket(
    store: Store, clock: Clock, config: CentreConfig, ref: str, reason: str = ""
) -> TicketView:
    """Withdraw a waiting ticket."""
    found = find_ticket(store, clock, config, ref)
    now = clock.now()
    with store.write() as repo:
        ticket = repo.ticket(found.id)
        assert ticket is not None  # tickets are never deleted
        ticket.cancel(now, _free_text(reason))
        repo.save_ticket(ticket)
        return TicketView(ticket)


def pause_service(
    store: Store, clock: Clock, config: CentreConfig, service_name: str, reason: str = ""
) -> None:
    """Stop issuing tickets for a service; those waiting are still called."""
    _set_paused(store, clock, config, service_name, paused=True, reason=reason)


def resume_service(store: Store, clock: Clock, config: CentreConfig, service_name: str) -> None:
    """Issue tickets for a paused service again."""
    _set_paused(store, clock, config, service_name, paused=False, reason="")


# Long enough for a notice, short enough for one line on the hall screen.
HALL_MESSAGE_MAX = 160


def set_hall_message(store: Store, clock: Clock, ar: str = "", en: str = "") -> None:
    """Show a message on the hall screens, in Arabic and English (both empty: clear it)."""
    texts = {"ar": _free_text(ar), "en": _free_text(en)}
    for lang, text in texts.items():
        if len(text) > HALL_MESSAGE_MAX:
            raise BadInput(
                f"the {lang} message has {len(text)} characters; at most {HALL_MESSAGE_MAX} fit",
                lang=lang,
            )
    with store.write() as repo:
        repo.set_meta("hall_message", json.dumps(texts, ensure_ascii=False))
        repo.append([Event.new(EventType.HALL_MESSAGE_SET, clock.now(), data=texts)])


def hall_message(store: Store) -> tuple[str, str] | None:
    """The message the supervisor set for the hall (Arabic, English), if any."""
    with store.read() as repo:
        stored = repo.meta("hall_message")
    if stored is None:
        return None
    texts = json.loads(stored)
    if not (texts.get("ar") or texts.get("en")):
        return None
    return str(texts.get("ar", "")), str(texts.get("en", ""))


def queue_status(store: Store, clock: Clock, config: CentreConfig) -> QueueStatus:
    """Per service waiting, estimate and longest wait; per counter state and ticket; the link."""
    now = clock.now()
    day = business_day(config, now)
    with store.read() as repo:
        paused = repo.paused_services()
        statuses = repo.counter_statuses()
        active = repo.active_tickets(day)
        loads = repo.queue_loads(day)
        staffed = _staffed_counters(repo, config, now, loads=loads, active=active, stored=statuses)
        services = []
        for service in config.services:
            waiting, oldest = loads.get(service.code, (0, None))
            services.append(
                ServiceStatus(
                    service=service,
                    waiting=waiting,
                    eta_minutes=_estimate(repo, config, service, waiting, now, staffed),
                    longest_wait_s=int((now - oldest).total_seconds()) if oldest else 0,
                    paused=service.code in paused,
                    pause_reason=paused.get(service.code, ""),
                )
            )
        counters = []
        for configured in config.counters:
            ticket = active.get(configured.id)
            status = statuses.get(configured.id)
            state = _counter_state(status, ticket, day)
            today = status if status is not None and status.business_day == day else None
            counter = effective_counter(configured, today)
            counters.append(CounterSnapshot(counter, state, ticket, status))
        row = repo.sync_state()
        pending = repo.last_seq() - int(row.acked_seq)
        link = effective_link(row.link, row.last_ok, now, config.central.pull_seconds)
        sync = SyncSnapshot(link=link, pending=max(pending, 0), last_ok=row.last_ok)
    return QueueStatus(at=now, services=services, counters=counters, sync=sync)


def tickets_of_day(
    store: Store, clock: Clock, config: CentreConfig, day: date | None = None
) -> list[TicketView]:
    """Every ticket of a business day (today by default) with people ahead and estimate."""
    now = clock.now()
    day = day or business_day(config, now)
    with store.read() as repo:
        tickets = repo.tickets_of_day(day)
        ahead: dict[str, int] = {}
        for ticket in sorted(tickets, key=lambda t: (t.arrived_at, t.arrival_seq)):
            if ticket.state is TicketState.WAITING:
                position = ahead.get(ticket.service, 0)
                ahead[ticket.service] = position + 1
                ahead[ticket.id] = position
        views = []
        is_today = day == business_day(config, now)
        staffed = _staffed_counters(repo, config, now)
        for ticket in tickets:
            if ticket.state is TicketState.WAITING and is_today:
                service = config.service(ticket.service)
                people = ahead[ticket.id]
                eta = _estimate(repo, config, service, people, now, staffed)
                views.append(TicketView(ticket, people, eta))
            else:
                views.append(TicketView(ticket))
        return views


def waiting_views(
    store: Store, clock: Clock, config: CentreConfig, of: Collection[str]
) -> dict[str, TicketView]:
    """The tickets ``of`` (ids) that wait today, with people ahead and estimate, in one read."""
    now = clock.now()
    day = business_day(config, now)
    views: dict[str, TicketView] = {}
    with store.read() as repo:
        waiting = repo.waiting_tickets(day)
        if not waiting:
            return views
        staffed = _staffed_counters(repo, config, now)
        # Play each service's queue forward once, as far as the last ticket asked about:
        # the others' estimates come from that one schedule instead of a replay each.
        furthest: dict[str, int] = {}
        counted: dict[str, int] = {}
        for ticket in waiting:
            counted[ticket.service] = counted.get(ticket.service, 0) + 1
            if ticket.id in of:
                furthest[ticket.service] = counted[ticket.service] - 1
        for code, ahead in furthest.items():
            staffed.wait_seconds(code, ahead)
        position: dict[str, int] = {}
        for ticket in waiting:
            ahead = position.get(ticket.service, 0)
            position[ticket.service] = ahead + 1
            if ticket.id not in of:
                continue
            service = config.service(ticket.service)
            eta = _estimate(repo, config, service, ahead, now, staffed, ticket=ticket)
            views[ticket.id] = TicketView(ticket, ahead, eta)
    return views


def view_of(store: Store, clock: Clock, config: CentreConfig, ticket: Ticket) -> TicketView:
    """A ticket with its people ahead and estimated wait as of now."""
    return _view_after(store, config, ticket, clock.now())


def _view_after(store: Store, config: CentreConfig, ticket: Ticket, now: datetime) -> TicketView:
    """A just-written ticket's view, read in its own transaction after the write committed.

    Counting the people ahead and playing the queues forward takes as many
    reads as writing the ticket took; outside the write they no longer hold
    up the next kiosk. Tickets issued in between arrived later and are not
    counted ahead; one called in between is no longer ahead, as a moment later.
    """
    with store.read() as repo:
        return _view(repo, config, ticket, now)


def counter_desk(store: Store, clock: Clock, config: CentreConfig, counter_id: str) -> CounterDesk:
    """A counter now: whether it is open today, its current ticket and that ticket's booking."""
    counter = resolve_counter(config, counter_id)
    today = business_day(config, clock.now())
    with store.read() as repo:
        status = repo.counter_status(counter.id)
        ticket = repo.current_ticket(counter.id)
        appointment = None
        if ticket is not None and ticket.appointment_id is not None:
            appointment = repo.appointment(ticket.appointment_id)
        verify = ticket is not None and repo.unverified_checkin(ticket.id) is not None
        clerk = repo.staff_member(status.staff_id) if status.staff_id is not None else None
    is_open = status.is_open and status.business_day == today
    if status.business_day == today:
        counter = effective_counter(counter, status)
    return CounterDesk(
        counter=counter,
        is_open=is_open,
        ticket=ticket,
        appointment=appointment,
        verify=verify,
        staff_id=status.staff_id,
        on_break=is_open and status.on_break,
        break_since=status.break_since if is_open and status.on_break else None,
        staff_name=Names(ar=clerk.name_ar, en=clerk.name_en) if clerk is not None else None,
    )


def last_seq(store: Store) -> int:
    """The seq of the newest event in the log (0 when it is empty)."""
    with store.read() as repo:
        return repo.last_seq()


def events_since(store: Store, seq: int = 0, limit: int | None = None) -> list[Event]:
    """The event log after ``seq``."""
    with store.read() as repo:
        return repo.events_since(seq, limit)


#: The kinds of event that put a number on the hall screen.
CALL_EVENTS = frozenset({EventType.CALLED, EventType.RECALLED})
_CALLS_CHUNK = 500


def recent_calls(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    head: int,
    count: int,
    scan_limit: int = 5000,
) -> list[Event]:
    """Today's latest calls up to ``head``, newest first, one per ticket (its latest call).

    Read backwards through the log in chunks, so a hall restarted mid-day
    shows exactly what it showed before, however long the day's log.
    """
    today = business_day(config, clock.now())
    found: dict[str, Event] = {}
    upper = head
    while upper > 0 and len(found) < count and head - upper < scan_limit:
        lower = max(0, upper - _CALLS_CHUNK)
        chunk = events_since(store, lower, upper - lower)
        before_today = False
        for event in reversed(chunk):
            if business_day(config, event.at) < today:
                before_today = True
                break
            if event.type in CALL_EVENTS and event.ticket_id and event.ticket_id not in found:
                found[event.ticket_id] = event
                if len(found) == count:
                    break
        if before_today:
            break
        upper = lower
    return list(found.values())


# -- housekeeping ------------------------------------------------------------


def roll_day(store: Store, clock: Clock, config: CentreConfig, *, roll_ups: bool = True) -> int:
    """Close what past days left open and erase personal data past its retention.

    Then, unless ``roll_ups`` is false (the centre server does them in its report
    worker), roll up the closed days for the reports.
    Returns how many tickets were closed. Cheap when there is nothing to do.
    """
    now = clock.now()
    day = business_day(config, now)
    with store.read() as repo:
        if repo.meta("rolled_day") == day.isoformat():
            return 0
    closed = 0
    with store.write() as repo:
        for ticket in repo.open_tickets_before(day):
            if ticket.state is TicketState.WAITING:
                ticket.cancel(now, "day_closed")
            elif ticket.state is TicketState.CALLED:
                ticket.no_show(now)
            else:
                ticket.finish(now)
            repo.save_ticket(ticket)
            closed += 1
        keep_from = day - timedelta(days=config.privacy.retention_days)
        purged = repo.purge_personal_data(keep_from)
        # An offline check-in's CPR digest was only for matching that day.
        repo.purge_unverified_digests(day)
        if purged:
            repo.append(
                [
                    Event.new(
                        EventType.PERSONAL_DATA_PURGED,
                        now,
                        data={"appointments": purged, "before": keep_from.isoformat()},
                    )
                ]
            )
        repo.set_meta("rolled_day", day.isoformat())
    # The days now closed are rolled up for the reports, one short transaction each.
    if roll_ups:
        roll_up_closed_days(store, config, now)
    return closed


def record_print_failure(
    store: Store, clock: Clock, ticket: Ticket, printer: str, reason: str
) -> None:
    """Put in the log that a ticket did not print, for the supervisor; the ticket stays valid."""
    event = Event.new(
        EventType.PRINT_FAILED,
        clock.now(),
        ticket_id=ticket.id,
        ticket_number=ticket.number,
        service=ticket.service,
        appointment_id=ticket.appointment_id,
        data={"printer": _free_text(printer), "reason": _free_text(reason)},
    )
    with store.write() as repo:
        repo.append([event])


def store_appointments(store: Store, appointments: Sequence[Appointment]) -> None:
    """Store appointments (from the central, a QR, or sample data), replacing same ids."""
    with store.write() as repo:
        for appointment in appointments:
            repo.upsert_appointment(appointment)


# -- helpers -----------------------------------------------------------------


def _free_text(text: str) -> str:
    # What a person typed, on one line, with anything shaped like a CPR masked: it may be
    # shown on a hall screen, synced and logged.
    return mask_cprs_in(" ".join(text.split()))


def _priority(config: CentreConfig, name: str) -> Priority:
    try:
        level = Priority(name.strip().lower())
    except ValueError:
        allowed = ", ".join(["normal", *config.policy.priority_classes])
        raise BadInput(f"no priority class {name!r} (classes: {allowed})") from None
    if level is not Priority.NORMAL and level.value not in config.policy.priority_classes:
        allowed = ", ".join(["normal", *config.policy.priority_classes])
        raise BadInput(f"priority class {name!r} is not used here (classes: {allowed})")
    return level


def _refuse_if_paused(repo: Repository, service: ServiceConfig) -> None:
    paused = repo.paused_services()
    if service.code in paused:
        raise ServicePaused(
            f"{service.name.en} is paused for now",
            service=service.code,
            reason=paused[service.code],
        )


def _new_ticket(
    repo: Repository,
    day: date,
    now: datetime,
    service: ServiceConfig,
    source: Source,
    priority: Priority,
    lang: str,
    appointment: Appointment | None = None,
    due_at: datetime | None = None,
    phone_key: str | None = None,
) -> Ticket:
    sequence = repo.next_number(day, service.prefix)
    ticket = Ticket(
        id=str(uuid.uuid4()),
        business_day=day,
        number=format_number(service.prefix, sequence),
        service=service.code,
        source=source,
        priority=priority,
        issued_at=now,
        arrived_at=now,
        lang=lang,
        appointment_id=appointment.id if appointment else None,
        due_at=due_at,
        phone_key=phone_key,
    )
    ticket.record_issued()
    [issued] = repo.append(ticket.events)
    ticket.events.clear()
    assert issued.seq is not None
    ticket.arrival_seq = issued.seq
    repo.add_ticket(ticket)
    return ticket


def _view(repo: Repository, config: CentreConfig, ticket: Ticket, now: datetime) -> TicketView:
    slot = None
    if ticket.appointment_id is not None:
        appointment = repo.appointment(ticket.appointment_id)
        slot = appointment.slot_start if appointment is not None else None
    if ticket.state is not TicketState.WAITING:
        return TicketView(ticket, slot_start=slot)
    ahead = repo.count_waiting(ticket.business_day, ticket.service, before=ticket)
    service = config.service(ticket.service)
    eta = _estimate(repo, config, service, ahead, now, ticket=ticket)
    return TicketView(ticket, ahead, eta, slot_start=slot)


def _staffed_counters(
    repo: Repository,
    config: CentreConfig,
    now: datetime,
    observed: str | None = None,
    ahead: int = 0,
    *,
    loads: dict[str, tuple[int, datetime]] | None = None,
    active: dict[str, Ticket] | None = None,
    stored: dict[str, CounterStatus] | None = None,
) -> LiveQueues:
    """The counters calling now and every queue, as the estimate plays them forward.

    Given ``observed`` (one ticket's estimate, ``ahead`` before it), only that
    service's recent times are read (the others' configured times are close
    enough for the share of the counters they take), and the current tickets
    only of the counters serving it, while they can still matter. ``loads``,
    ``active`` and ``stored`` (the counters' statuses): already read by the caller.
    """
    day = business_day(config, now)
    if loads is None:
        loads = repo.queue_loads(day)
    since = now - timedelta(hours=3)
    queues: dict[str, QueueNow] = {}
    for service in config.services:
        read = observed is None or service.code == observed
        recent = repo.recent_service_seconds(service.code, since=since) if read else []
        waiting, first = loads.get(service.code, (0, None))
        queues[service.code] = QueueNow(
            service=service.code,
            waiting=waiting,
            oldest_wait_s=max((now - first).total_seconds(), 0.0) if first is not None else 0.0,
            ticket_s=typical_service_seconds(recent, service.service_minutes) + CALL_OVERHEAD_S,
            max_wait_s=service.max_wait_minutes * 60.0,
        )
    if stored is None:
        stored = repo.counter_statuses()
    # Open today, or closed with its clerk still signed in (out for a while, not the day).
    statuses = {
        counter.id: status
        for counter in config.counters
        if (status := stored.get(counter.id)) is not None
        and status.business_day == day
        and (status.is_open or status.staff_id is not None)
    }
    budget = CurrentReads(
        observed, ahead, sum(observed in c.services for c in config.counters if c.id in statuses)
    )
    counters: list[OpenCounter] = []
    if active is None and statuses:
        active = repo.active_tickets(day)
    for configured in config.counters:
        status = statuses.get(configured.id)
        if status is None:
            continue
        counter = effective_counter(configured, status)
        busy: float | None = None
        if status.is_open and budget.wants(counter.services):
            current = (active or {}).get(counter.id)
            budget.saw(idle=current is None and not status.on_break)
            if current is not None and current.service in queues:
                started = current.started_at
                busy = busy_for_seconds(
                    queues[current.service].ticket_s - CALL_OVERHEAD_S,
                    (now - started).total_seconds() if started is not None else None,
                )
            else:
                busy = 0.0
        break_for = (now - status.break_since).total_seconds() if status.break_since else None
        free_in = counter_free_in(
            queues,
            counter.services,
            max(counter.services, key=counter.weight),
            busy_for_s=busy,
            closed=not status.is_open,
            on_break=status.on_break,
            on_break_for_s=break_for,
        )
        weights = {code: counter.weight(code) for code in counter.services}
        counters.append(OpenCounter(counter.id, weights, free_in))
    if not counters:
        # Before any counter opens, assume the centre's planned counters, each
        # part way through a ticket as a working counter would be.
        for counter in config.counters:
            weights = {code: counter.weight(code) for code in counter.services}
            main = max(counter.services, key=counter.weight)
            counters.append(OpenCounter(counter.id, weights, queues[main].ticket_s / 2))
    return LiveQueues(counters, queues)


def _estimate(
    repo: Repository,
    config: CentreConfig,
    service: ServiceConfig,
    ahead: int,
    now: datetime,
    staffed: LiveQueues | None = None,
    *,
    ticket: Ticket | None = None,
) -> int | None:
    """Minutes until a ticket with ``ahead`` earlier arrivals is called (a new one by default;
    ``ticket``: that one, which a due appointment or a priority class moves up)."""
    if staffed is None:
        staffed = _staffed_counters(repo, config, now, service.code, ahead)
    if ticket is None:
        return staffed.wait_minutes(service.code, ahead)
    due = ticket.due_at
    return staffed.wait_minutes(
        service.code,
        ahead,
        priority=ticket.is_priority,
        due_in_s=(due - now).total_seconds() if due is not None else None,
        waited_s=(now - ticket.arrived_at).total_seconds(),
    )


def _is_booked(appointment: Appointment) -> bool:
    return appointment.status is AppointmentStatus.BOOKED


def _option(
    repo: Repository, config: CentreConfig, appointment: Appointment, now: datetime
) -> AppointmentOption:
    if appointment.status is AppointmentStatus.CANCELLED:
        return AppointmentOption(appointment, "cancelled")
    existing = repo.ticket_for_appointment(appointment.id)
    if existing is not None:
        return AppointmentOption(appointment, "checked_in", existing.number)
    try:
        window = config.service(appointment.service).checkin
    except KeyError:
        return AppointmentOption(appointment, "unknown_service")
    return AppointmentOption(appointment, window_verdict(appointment.slot_start, window, now).value)


def _refuse_for(config: CentreConfig, options: list[AppointmentOption]) -> None:
    # Tell the visitor the most useful reason: their ticket if they have
    # one, then when they may come back, then that they are late.
    by_verdict = {o.verdict: o for o in reversed(options)}
    if (o := by_verdict.get("checked_in")) is not None:
        raise AlreadyCheckedIn(
            f"this appointment is already checked in: your ticket is {o.ticket_number}",
            number=o.ticket_number,
        )
    if (o := by_verdict.get(WindowVerdict.EARLY.value)) is not None:
        window = config.service(o.appointment.service).checkin
        opening = opens_at(o.appointment.slot_start, window).astimezone(config.centre.zone)
        raise OutsideWindow(
            f"too early: check-in opens at {opening:%H:%M}",
            when="early",
            opens_at=opening.isoformat(),
        )
    if (o := by_verdict.get(WindowVerdict.LATE.value)) is not None:
        slot = o.appointment.slot_start.astimezone(config.centre.zone)
        raise OutsideWindow(
            f"too late: the appointment was at {slot:%H:%M}; take a walk-in ticket",
            when="late",
            service=o.appointment.service,
        )
    if (o := by_verdict.get("unknown_service")) is not None:
        raise NoAppointment(
            f"this centre does not serve {o.appointment.service!r}", service=o.appointment.service
        )
    raise AppointmentCancelled("this appointment was cancelled")


def _check_in(
    repo: Repository, config: CentreConfig, appointment: Appointment, now: datetime, lang: str
) -> Ticket:
    service = config.service(appointment.service)
    _refuse_if_paused(repo, service)
    due_at = appointment.slot_start - timedelta(minutes=config.policy.appointment_due_minutes)
    return _new_ticket(
        repo,
        business_day(config, now),
        now,
        service,
        Source.APPOINTMENT,
        Priority.NORMAL,
        lang,
        appointment=appointment,
        due_at=due_at,
    )


def _appointment_from_qr(config: CentreConfig, qr: BookingQr, now: datetime) -> Appointment:
    # A verified QR has them all (parse_booking_qr checks).
    assert qr.date is not None
    assert qr.slot is not None
    assert qr.service is not None
    reference = qr.reference
    try:
        config.service(qr.service)
    except KeyError:
        raise NoAppointment(f"this centre does not serve {qr.service!r}") from None
    start = datetime.combine(qr.date, qr.slot, tzinfo=config.centre.zone)
    return Appointment(
        id=f"qr:{reference}",
        reference=reference,
        service=qr.service,
        slot_start=start,
        slot_end=start + timedelta(minutes=QR_SLOT_MINUTES),
        business_day=qr.date,
        updated_at=now,
        origin="qr",
    )


def _opened(
    repo: Repository, counter_id: str, day: date, now: datetime, *, open_it: bool = True
) -> CounterStatus:
    status = repo.counter_status(counter_id)
    if status.business_day != day:
        # A new day starts afresh: the priority tally, breaks, the supervisor's services.
        status.business_day = day
        status.contested_calls = 0
        status.contested_priority = 0
        status.is_open = False
        status.on_break = False
        status.break_since = None
        status.services = None
    if open_it and not status.is_open:
        status.is_open = True
        repo.append([Event.new(EventType.COUNTER_OPENED, now, counter=counter_id)])
    return status


def _counter_state(status: CounterStatus | None, ticket: Ticket | None, day: date) -> CounterState:
    if ticket is not None:
        return CounterState.SERVING if ticket.state is TicketState.SERVING else CounterState.CALLING
    if status is not None and status.is_open and status.business_day == day:
        return CounterState.BREAK if status.on_break else CounterState.OPEN
    return CounterState.CLOSED


def _current_or_refuse(
    repo: Repository, counter: CounterConfig, expected: str | None = None
) -> Ticket:
    ticket = repo.current_ticket(counter.id)
    if expected is not None and (ticket is None or ticket.id != expected):
        # Checked in the acting transaction: a terminal's own earlier read could
        # be overtaken by another terminal before this one writes.
        acted_on = repo.ticket(expected)
        number = ticket.number if ticket is not None else None
        raise TicketMoved(
            f"counter {counter.id} now has {number or 'no ticket'}, not the ticket acted on",
            counter=counter.id,
            number=number,
            acted_on=acted_on.number if acted_on is not None else None,
        )
    if ticket is None:
        raise NoCurrentTicket(f"counter {counter.id} has no current ticket", counter=counter.id)
    return ticket


def _act(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    counter_id: str,
    action: Callable[[Ticket, datetime], None],
    expected: str | None = None,
) -> TicketView:
    counter = resolve_counter(config, counter_id)
    now = clock.now()
    with store.write() as repo:
        ticket = _current_or_refuse(repo, counter, expected)
        action(ticket, now)
        repo.save_ticket(ticket)
        return TicketView(ticket)


def _set_paused(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    service_name: str,
    *,
    paused: bool,
    reason: str,
) -> None:
    service = resolve_service(config, service_name)
    now = clock.now()
    with store.write() as repo:
        if (service.code in repo.paused_services()) == paused:
            return
        reason = _free_text(reason)
        repo.set_paused(service.code, paused, reason, now)
        kind = EventType.SERVICE_PAUSED if paused else EventType.SERVICE_RESUMED
        repo.append([Event.new(kind, now, service=service.code, data={"reason": reason})])


__all__ = [
    "ACTIVE_STATES",
    "CALL_EVENTS",
    "AppointmentOption",
    "CounterDesk",
    "CounterSnapshot",
    "QueueStatus",
    "ServiceStatus",
    "SyncSnapshot",
    "TicketView",
    "appointments_for_cpr",
    "business_day",
    "call_next",
    "cancel_ticket",
    "check_in_by_cpr",
    "check_in_by_qr",
    "close_counter",
    "counter_desk",
    "effective_counter",
    "events_since",
    "finish",
    "hall_message",
    "issue_ticket",
    "last_seq",
    "no_show",
    "open_counter",
    "pause_service",
    "queue_status",
    "recall",
    "recent_calls",
    "record_print_failure",
    "refuse_if_busy",
    "resolve_counter",
    "resolve_service",
    "resume_service",
    "roll_day",
    "set_counter_services",
    "set_hall_message",
    "start_serving",
    "store_appointments",
    "tickets_of_day",
    "transfer",
    "view_of",
]
