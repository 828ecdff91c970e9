"""The reference central booking API (CONTRACTS.md section 2): a real HTTP server, invented data.

It serves, for each configured centre, invented appointments (Arabic and
English names, sample CPRs ``9900NNNNN``: month 00 never occurs in a real
one), pages them by cursor, takes event batches idempotently, keeps queue
snapshots and issues signed booking QRs (section 3). Fault switches make it
answer 5xx, stall, hit 429 bursts, or drop the connection *after* storing an
event batch, so a client's retry must come back as ``duplicates``.

In tests: ``sim = CentralSim([config], token="t"); sim.start()``, then
``sim.url``, the data methods (:meth:`CentralSim.add_appointment`,
:meth:`CentralSim.events`…), :meth:`CentralSim.set_faults` and
:meth:`CentralSim.stop`. From the command line: :func:`serve`.

Besides the contract it answers a few ``/_sim/…`` requests (same token, no
faults) so a demo in another process can make changes flow down:
``GET /_sim/qr-public-key``, ``POST /_sim/centres/{c}/appointments``
(``{"date", "service"?, "slot"?: "HH:MM"}``),
``POST /_sim/centres/{c}/appointments/{id}/cancel``,
``GET /_sim/centres/{c}/appointments/{id}/qr``, ``GET /_sim/centres/{c}/events``,
``GET /_sim/centres/{c}/queue`` and ``PUT /_sim/faults``.
It never logs a CPR, a name or a token.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import random
import re
import secrets
import socket
import threading
import uuid
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ssl import SSLContext
from time import monotonic as time_now
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from centre.config import CentreConfig
from sync.qr import generate_private_key, public_key_b64, sign_booking_qr
from sync.wire import (
    MAX_EVENTS_PER_REQUEST,
    Appointment,
    PersonName,
    WireError,
    dumps,
    event_id,
    event_problem,
    format_time,
    loads,
    parse_queue_snapshot,
)

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8765
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Days outside this range have no bookings (and are not generated).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
_DAY_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CURSOR_PATTERN = re.compile(r"([0-9a-f]{8})\.([0-9]{8})\.([0-9]{1,18})")
_SLOT_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_ID_NAMESPACE = uuid.UUID("6f1c3c52-7a43-4c55-9d6b-2f3f8a3e0b1d")
_CHUNK_BYTES = 32 * 1024
_MAX_CURSOR = 512
_NO_BODY = object()  # a request refused while reading its body
_KEPT_SNAPSHOTS = 1000

# Invented people: common given and family names, combined at random.
GIVEN_NAMES = (
    ("محمد", "Mohamed"),
    ("أحمد", "Ahmed"),
    ("علي", "Ali"),
    ("حسن", "Hasan"),
    ("عبدالله", "Abdulla"),
    ("يوسف", "Yusuf"),
    ("خالد", "Khalid"),
    ("إبراهيم", "Ebrahim"),
    ("عيسى", "Isa"),
    ("حمد", "Hamad"),
    ("جاسم", "Jassim"),
    ("سلمان", "Salman"),
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("زينب", "Zainab"),
    ("نورة", "Noora"),
    ("سارة", "Sara"),
    ("ليلى", "Layla"),
    ("شيخة", "Shaikha"),
    ("منيرة", "Munira"),
)
FAMILY_NAMES = (
    ("الدوسري", "Al Dosari"),
    ("الكعبي", "Al Kaabi"),
    ("الحداد", "Al Haddad"),
    ("المناعي", "Al Mannai"),
    ("العلوي", "Al Alawi"),
    ("الجودر", "Al Jowder"),
    ("الشيخ", "Al Shaikh"),
    ("السيد", "Al Sayed"),
    ("البوعينين", "Al Buainain"),
    ("الموسوي", "Al Mosawi"),
    ("الرميحي", "Al Rumaihi"),
    ("عبدالرحمن", "Abdulrahman"),
)


@dataclass
class Faults:
    """Fault switches; change them with :meth:`CentralSim.set_faults`, also while serving.

    Counters (``*_next``) hit the next requests to the contract's endpoints;
    rates (0 to 1) draw from the simulator's seeded random source.
    ``error_status`` is the 5xx answered; a delay stalls every answer.
    """

    error_rate: float = 0.0
    errors_next: int = 0
    error_status: int = 503
    delay_seconds: float = 0.0
    rate_limited_next: int = 0
    retry_after_seconds: int = 1
    drop_after_store_rate: float = 0.0
    drop_after_store_next: int = 0


@dataclass
class _Entry:
    appointment: Appointment
    version: int
    day: date


@dataclass
class _Book:
    """One centre's data in the simulator."""

    config: CentreConfig
    days: dict[date, dict[str, _Entry]]
    by_id: dict[str, _Entry]
    numbers: dict[date, int]
    events: dict[str, dict[str, Any]]
    seq_owner: dict[int, str]
    snapshots: deque[dict[str, Any]]


class CentralSim:
    """The reference central booking API for a set of centres; one real HTTP server."""

    def __init__(
        self,
        configs: Sequence[CentreConfig],
        *,
        token: str,
        centre_tokens: Mapping[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        qr_private_key: Ed25519PrivateKey | None = None,
        appointments_per_day: int = 120,
        page_size: int = 500,
        slot_minutes: int = 10,
        cancelled_share: float = 0.08,
        seed: int = 0,
        clock: Callable[[], datetime] | None = None,
        max_body_bytes: int = 2 * 1024 * 1024,
        ssl_context: SSLContext | None = None,
    ) -> None:
        if not configs:
            raise ValueError("the simulator needs at least one centre")
        if not token:
            raise ValueError("the simulator needs a token")
        if page_size < 1 or slot_minutes < 1 or appointments_per_day < 0:
            raise ValueError(
                "page_size and slot_minutes must be positive, appointments not negative"
            )
        self._host = host
        self._port = port
        # token -> the centre it is limited to, or None for every centre.
        self._tokens: dict[str, str | None] = {token: None}
        self._tokens.update(centre_tokens or {})
        self._qr_key = qr_private_key or generate_private_key()
        self.appointments_per_day = appointments_per_day
        self.page_size = page_size
        self.slot_minutes = slot_minutes
        self.cancelled_share = cancelled_share
        self.seed = seed
        self._clock = clock or (lambda: datetime.now(UTC))
        self.max_body_bytes = max_body_bytes
        self._ssl_context = ssl_context
        self._lock = threading.Lock()
        self._faults = Faults()
        self._fault_random = random.Random(seed)
        self._version = 0
        self._epoch = secrets.token_hex(4)
        self._books = {
            c.centre.id: _Book(c, {}, {}, {}, {}, {}, deque(maxlen=_KEPT_SNAPSHOTS))
            for c in configs
        }
        self.stats: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # Running -------------------------------------------------------------

    def start(self) -> None:
        """Listen (port 0: an ephemeral one) and serve from a background thread."""
        if self._server is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        server = _Server((self._host, self._port), _Handler, self)
        if self._ssl_context is not None:
            server.socket = self._ssl_context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="central-sim"
        )
        self._thread.start()
        logger.info("central simulator listening on %s", self.url)

    def stop(self) -> None:
        """Stop serving, end open connections and wait for the handler threads."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        thread.join()
        server.close_connections()
        server.server_close()
        self._server = None
        self._thread = None

    def __enter__(self) -> CentralSim:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL (``[central] url``) while serving."""
        if self._server is None:
            raise RuntimeError("not started")
        host, port = self._server.server_address[:2]
        host_text = host.decode("ascii") if isinstance(host, bytes) else str(host)
        scheme = "https" if self._ssl_context is not None else "http"
        shown = f"[{host_text}]" if ":" in host_text else host_text
        return f"{scheme}://{shown}:{port}"

    @property
    def port(self) -> int:
        """The port it listens on while serving."""
        if self._server is None:
            raise RuntimeError("not started")
        return int(self._server.server_address[1])

    @property
    def public_key_b64(self) -> str:
        """The QR public key, base64 of its raw 32 bytes (``[central] qr_public_key``)."""
        return public_key_b64(self._qr_key)

    def set_faults(self, **changes: Any) -> Faults:
        """Change fault switches by name (see :class:`Faults`); returns the new settings."""
        names = {f.name for f in fields(Faults)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown fault switches: {sorted(unknown)}")
        with self._lock:
            faults = replace(self._faults, **changes)
            if not 500 <= faults.error_status <= 599:
                raise ValueError("error_status must be a 5xx")
            if not (0 <= faults.error_rate <= 1 and 0 <= faults.drop_after_store_rate <= 1):
                raise ValueError("rates lie between 0 and 1")
            if min(faults.errors_next, faults.rate_limited_next, faults.drop_after_store_next) < 0:
                raise ValueError("counts cannot be negative")
            self._faults = faults
            return replace(faults)

    def clear_faults(self) -> None:
        """Switch every fault off."""
        with self._lock:
            self._faults = Faults()

    # Data ----------------------------------------------------------------

    def centres(self) -> list[str]:
        """The ids of the simulated centres."""
        return list(self._books)

    def appointments(self, centre: str, day: date) -> list[Appointment]:
        """Every appointment of ``centre`` on ``day`` (generated on first use), by slot."""
        with self._lock:
            entries = self._day(self._book(centre), day).values()
            return sorted((e.appointment for e in entries), key=lambda a: (a.slot_start, a.id))

    def add_appointment(
        self,
        centre: str,
        day: date,
        *,
        service: str | None = None,
        slot: time | None = None,
        cpr: str | None = None,
        name: PersonName | None = None,
    ) -> Appointment:
        """Book a new appointment (it flows down to cursors taken before it)."""
        with self._lock:
            book = self._book(centre)
            if service is not None and service not in {s.code for s in book.config.services}:
                raise KeyError(service)
            rng = random.Random(f"{self.seed}/{centre}/{day}/added/{book.numbers.get(day, 0)}")
            self._day(book, day)
            slot_start = self._slot_start(book, day, slot, rng)
            appointment = self._new_appointment(book, day, slot_start, rng, service, cpr, name)
            self._store(book, day, appointment)
            return appointment

    def cancel_appointment(self, centre: str, appointment_id: str) -> Appointment:
        """Cancel an appointment (it flows down as ``cancelled``); ``KeyError`` if unknown."""
        with self._lock:
            book = self._book(centre)
            entry = book.by_id[appointment_id]
            if entry.appointment.status == "cancelled":
                return entry.appointment
            now = self._now().astimezone(book.config.centre.zone)
            cancelled = replace(entry.appointment, status="cancelled", updated_at=now)
            self._store(book, entry.day, cancelled)
            return cancelled

    def booking_qr(self, centre: str, appointment_id: str) -> str:
        """The signed ``TB1.`` QR text of an appointment (``KeyError`` if unknown)."""
        with self._lock:
            book = self._book(centre)
            appointment = book.by_id[appointment_id].appointment
            zone = book.config.centre.zone
        local = appointment.slot_start.astimezone(zone)
        return sign_booking_qr(
            self._qr_key,
            appointment.reference,
            centre,
            appointment.service,
            local.date(),
            local.time(),
        )

    def events(self, centre: str) -> list[dict[str, Any]]:
        """The events stored for ``centre``, in the order they arrived (one copy per id)."""
        with self._lock:
            return [dict(e) for e in self._book(centre).events.values()]

    def queue_snapshots(self, centre: str) -> list[dict[str, Any]]:
        """The queue snapshots ``centre`` sent (the latest last; the last 1000 are kept)."""
        with self._lock:
            return [dict(s) for s in self._book(centre).snapshots]

    def churn_once(self, rng: random.Random, day: date | None = None) -> Appointment | None:
        """Make one random change today (or on ``day``): a new booking or a cancellation."""
        centre = rng.choice(self.centres())
        with self._lock:
            book = self._book(centre)
        when = day or self._now().astimezone(book.config.centre.zone).date()
        if rng.random() < 0.6:
            return self.add_appointment(centre, when)
        booked = [a for a in self.appointments(centre, when) if a.status == "booked"]
        if not booked:
            return None
        return self.cancel_appointment(centre, rng.choice(booked).id)

    # What the handler calls -------------------------------------------------

    def _now(self) -> datetime:
        return self._clock()

    def _book(self, centre: str) -> _Book:
        return self._books[centre]

    def _count(self, what: str) -> None:
        with self._lock:
            self.stats[what] += 1

    def _has_centre(self, centre: str) -> bool:
        return centre in self._books

    def _authorise(self, token: str | None, centre: str | None) -> int | None:
        """``None`` when the token may act (on ``centre``), else 401 or 403."""
        if token is None:
            return 401
        given = token.encode("utf-8", "replace")
        limited: str | None = None
        found = False
        for known, only in self._tokens.items():
            if hmac.compare_digest(given, known.encode("utf-8")):
                found, limited = True, only
        if not found:
            return 401
        if limited is not None and centre is not None and centre != limited:
            return 403
        return None

    def _take_fault(self) -> tuple[str | None, float, Faults]:
        """Which fault (``rate_limited``, ``error`` or none) hits this request, and the delay."""
        with self._lock:
            faults = self._faults
            kind: str | None = None
            if faults.rate_limited_next > 0:
                faults.rate_limited_next -= 1
                kind = "rate_limited"
            elif faults.errors_next > 0:
                faults.errors_next -= 1
                kind = "error"
            elif faults.error_rate > 0 and self._fault_random.random() < faults.error_rate:
                kind = "error"
            if kind:
                self.stats[kind] += 1
            return kind, faults.delay_seconds, replace(faults)

    def _take_drop(self) -> bool:
        with self._lock:
            faults = self._faults
            if faults.drop_after_store_next > 0:
                faults.drop_after_store_next -= 1
                drop = True
            else:
                rate = faults.drop_after_store_rate
                drop = rate > 0 and self._fault_random.random() < rate
            if drop:
                self.stats["dropped"] += 1
            return drop

    def _page(
        self, centre: str, day: date, cursor: str | None
    ) -> tuple[list[Appointment], str, bool]:
        """A page of appointments after ``cursor``.

        A cursor that is not one of this run's for that day (garbage, another
        day, an earlier run of the simulator) gets the whole day again: the
        safe answer, since a centre stores appointments by id.
        """
        after = 0
        match = _CURSOR_PATTERN.fullmatch(cursor or "")
        if match and match.group(1) == self._epoch and match.group(2) == _compact(day):
            after = int(match.group(3))
        with self._lock:
            entries = sorted(
                (e for e in self._day(self._book(centre), day).values() if e.version > after),
                key=lambda e: e.version,
            )
            page = entries[: self.page_size]
            more = len(entries) > self.page_size
            last = page[-1].version if more else max(self._version, after)
        next_cursor = f"{self._epoch}.{_compact(day)}.{last}"
        return [e.appointment for e in page], next_cursor, more

    def _intake(
        self, centre: str, events: list[object]
    ) -> tuple[list[str], list[str], list[dict[str, str]]]:
        """Store a batch, all or nothing: (accepted, duplicates, rejected)."""
        rejected: list[dict[str, str]] = []
        seen_ids: set[str] = set()
        last_seq: int | None = None
        for index, event in enumerate(events):
            name = event_id(event) or f"events[{index}]"
            problem = event_problem(event)
            if problem is None:
                body = cast(dict[str, Any], event)
                if body["id"] in seen_ids:
                    problem = "id appears twice in the batch"
                elif last_seq is not None and body["seq"] <= last_seq:
                    problem = "seq does not rise within the batch"
                seen_ids.add(body["id"])
                last_seq = body["seq"]
            if problem is not None:
                rejected.append({"id": name, "reason": problem})
        with self._lock:
            book = self._book(centre)
            if not rejected:
                for event in events:
                    body = cast(dict[str, Any], event)
                    owner = book.seq_owner.get(body["seq"])
                    if body["id"] not in book.events and owner is not None:
                        rejected.append(
                            {"id": body["id"], "reason": "seq already used by another event"}
                        )
            if rejected:
                return [], [], rejected
            accepted: list[str] = []
            duplicates: list[str] = []
            for event in events:
                body = cast(dict[str, Any], event)
                if body["id"] in book.events:
                    duplicates.append(body["id"])
                    continue
                book.events[body["id"]] = body
                book.seq_owner[body["seq"]] = body["id"]
                accepted.append(body["id"])
            self.stats["events_stored"] += len(accepted)
            return accepted, duplicates, []

    def _keep_snapshot(self, centre: str, snapshot: dict[str, Any]) -> None:
        with self._lock:
            book = self._book(centre)
            received = self._now().astimezone(book.config.centre.zone)
            book.snapshots.append({**snapshot, "received_at": format_time(received)})

    # Generation (the caller holds the lock) ---------------------------------

    def _day(self, book: _Book, day: date) -> dict[str, _Entry]:
        entries = book.days.get(day)
        if entries is None:
            entries = book.days[day] = {}
            if FIRST_DAY <= day <= LAST_DAY:
                self._generate(book, day)
        return entries

    def _generate(self, book: _Book, day: date) -> None:
        hours = book.config.centre.hours
        if WEEKDAYS[day.weekday()] not in hours.days:
            return
        rng = random.Random(f"{self.seed}/{book.config.centre.id}/{day.isoformat()}")
        starts = self._slots(book, day)
        chosen = sorted(rng.choice(starts) for _ in range(self.appointments_per_day))
        for slot_start in chosen:
            appointment = self._new_appointment(book, day, slot_start, rng, None, None, None)
            if rng.random() < self.cancelled_share:
                appointment = replace(appointment, status="cancelled")
            self._store(book, day, appointment)

    def _slots(self, book: _Book, day: date) -> list[datetime]:
        hours = book.config.centre.hours
        zone = book.config.centre.zone
        moment = datetime.combine(day, hours.open, zone)
        close = datetime.combine(day, hours.close, zone)
        step = timedelta(minutes=self.slot_minutes)
        starts: list[datetime] = []
        while moment + step <= close:
            starts.append(moment)
            moment += step
        return starts or [datetime.combine(day, hours.open, zone)]

    def _slot_start(
        self, book: _Book, day: date, slot: time | None, rng: random.Random
    ) -> datetime:
        zone = book.config.centre.zone
        if slot is not None:
            return datetime.combine(day, slot, zone)
        starts = self._slots(book, day)
        later = [s for s in starts if s > self._now()]
        return rng.choice(later or starts)

    def _new_appointment(
        self,
        book: _Book,
        day: date,
        slot_start: datetime,
        rng: random.Random,
        service: str | None,
        cpr: str | None,
        name: PersonName | None,
    ) -> Appointment:
        centre = book.config.centre.id
        number = book.numbers.get(day, 0) + 1
        book.numbers[day] = number
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        initials = "".join(part[0] for part in centre.split("-") if part).upper()[:8]
        return Appointment(
            id=str(uuid.uuid5(_ID_NAMESPACE, f"{self.seed}/{centre}/{day.isoformat()}/{number}")),
            reference=f"{initials}-{day.strftime('%y%m%d')}-{number:04d}",
            cpr=cpr or f"9900{rng.randrange(100_000):05d}",
            name=name or PersonName(f"{given[0]} {family[0]}", f"{given[1]} {family[1]}"),
            service=service or rng.choice([s.code for s in book.config.services]),
            slot_start=slot_start,
            slot_end=slot_start + timedelta(minutes=self.slot_minutes),
            status="booked",
            updated_at=self._now().astimezone(book.config.centre.zone),
        )

    def _store(self, book: _Book, day: date, appointment: Appointment) -> None:
        self._version += 1
        entry = _Entry(appointment, self._version, day)
        book.days[day][appointment.id] = entry
        book.by_id[appointment.id] = entry


def serve(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    configs: Sequence[CentreConfig],
    token: str,
    qr_private_key: Ed25519PrivateKey | None = None,
    churn_seconds: float | None = 30.0,
    ready: Callable[[CentralSim], None] | None = None,
    stop: threading.Event | None = None,
    **settings: Any,
) -> None:
    """Run the simulator in the foreground until Ctrl-C (or ``stop`` is set).

    ``churn_seconds``: every so often book or cancel an appointment today, so
    changes flow down to a running centre; ``None`` for none. ``ready`` is
    called with the running simulator (to print its URL and QR public key).
    ``settings`` go to :class:`CentralSim`.
    """
    sim = CentralSim(
        configs, token=token, host=host, port=port, qr_private_key=qr_private_key, **settings
    )
    stopping = stop or threading.Event()
    sim.start()
    try:
        logger.info("QR public key: %s", sim.public_key_b64)
        if ready is not None:
            ready(sim)
        rng = random.Random(sim.seed)
        wait = churn_seconds if churn_seconds and churn_seconds > 0 else 0.5
        while not stopping.wait(wait):
            if churn_seconds and churn_seconds > 0:
                changed = sim.churn_once(rng)
                if changed is not None:
                    logger.info("churn: appointment %s is %s", changed.id, changed.status)
    except KeyboardInterrupt:
        logger.info("central simulator stopping")
    finally:
        sim.stop()


def _compact(day: date) -> str:
    # Not strftime("%Y%m%d"): it does not pad years before 1000 to four digits.
    return day.isoformat().replace("-", "")


class _Server(ThreadingHTTPServer):
    """The HTTP server, holding its simulator and its open connections."""

    daemon_threads = True
    block_on_close = True

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], sim: CentralSim
    ) -> None:
        self.sim = sim
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open connection so their threads finish."""
        with self._open_lock:
            open_now = list(self._open)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-answer is normal under fault tests.
        logger.debug("connection from %s ended with an error", client_address[0], exc_info=True)


class _ChunkedWriter:
    """Writes a body with ``Transfer-Encoding: chunked``, in chunks of about 32 KiB."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._buffer = bytearray()

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= _CHUNK_BYTES:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._out.write(b"0\r\n\r\n")

    def _flush(self) -> None:
        if self._buffer:
            self._out.write(f"{len(self._buffer):X}\r\n".encode("ascii"))
            self._out.write(bytes(self._buffer))
            self._out.write(b"\r\n")
            self._buffer.clear()


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    method: str
    action: str
    contract: bool
    query: frozenset[str] = frozenset()


_CENTRE = r"/centres/(?P<centre>[^/]+)"
_ROUTES = (
    _Route(re.compile(r"/v1/health"), "GET", "health", contract=True),
    _Route(
        re.compile(rf"/v1{_CENTRE}/appointments"),
        "GET",
        "appointments",
        contract=True,
        query=frozenset({"date", "cursor"}),
    ),
    _Route(re.compile(rf"/v1{_CENTRE}/events"), "POST", "events", contract=True),
    _Route(re.compile(rf"/v1{_CENTRE}/queue"), "PUT", "queue", contract=True),
    _Route(re.compile(r"/_sim/qr-public-key"), "GET", "sim_public_key", contract=False),
    _Route(re.compile(rf"/_sim{_CENTRE}/appointments"), "POST", "sim_add", contract=False),
    _Route(
        re.compile(rf"/_sim{_CENTRE}/appointments/(?P<id>[^/]+)/cancel"),
        "POST",
        "sim_cancel",
        contract=False,
    ),
    _Route(
        re.compile(rf"/_sim{_CENTRE}/appointments/(?P<id>[^/]+)/qr"),
        "GET",
        "sim_qr",
        contract=False,
    ),
    _Route(re.compile(rf"/_sim{_CENTRE}/events"), "GET", "sim_events", contract=False),
    _Route(re.compile(rf"/_sim{_CENTRE}/queue"), "GET", "sim_queue", contract=False),
    _Route(re.compile(r"/_sim/faults"), "PUT", "sim_faults", contract=False),
)


#: After refusing a request whose body it did not read, how long (seconds) and how much
#: (bytes) the simulator reads on, so the refusal reaches the client (see :func:`_linger`).
LINGER_SECONDS = 2.0
LINGER_BYTES = 1 << 20


def _linger(connection: socket.socket) -> None:
    """Close gently a connection whose request body is still coming.

    Closed with unread bytes, a socket sends a reset, and a reset can wipe the answer
    (a 411 or 413) from the client's buffer before the client reads it. So: send our
    end's FIN, then read and drop the rest for a moment, until the client closes.
    """
    deadline = time_now() + LINGER_SECONDS
    drained = 0
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_WR)
        while drained < LINGER_BYTES and (left := deadline - time_now()) > 0:
            connection.settimeout(left)
            data = connection.recv(65536)
            if not data:
                return
            drained += len(data)


class _Handler(BaseHTTPRequestHandler):
    """One connection to the simulator (HTTP/1.1, keep-alive)."""

    protocol_version = "HTTP/1.1"
    server_version = "TaboorCentralSim/1"
    sys_version = ""
    timeout = 30.0

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle and the
        # client's delayed ACK hold every small answer back by tens of milliseconds.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def finish(self) -> None:
        super().finish()
        if self.close_connection and getattr(self, "_body_pending", False):
            _linger(self.connection)

    def __getattr__(self, name: str) -> Any:
        # http.server looks up ``do_<METHOD>``; route every method, known or not, so
        # an unsupported one gets 405 with ``Allow`` (or 404) rather than 501.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the path and query (centre, date, cursor), never a
        # CPR or a token; headers are never logged.
        logger.info("%s %s", self.address_string(), format % args)

    @property
    def sim(self) -> CentralSim:
        return cast(_Server, self.server).sim

    # Plumbing --------------------------------------------------------------

    def _dispatch(self) -> None:
        self._body_pending = self.headers.get("Content-Length") not in (None, "0") or (
            "Transfer-Encoding" in self.headers
        )
        self.sim._count("requests")
        parts = urlsplit(self.path)
        routed = self._route(parts.path)
        if routed is None:
            return
        route, params = routed
        centre = params.get("centre")
        if not self._authorised(centre):
            return
        if route.contract and not self._survive_faults():
            return
        if centre is not None and not self.sim._has_centre(centre):
            self._send_json(404, {"error": "unknown centre"})
            return
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = set(query) - route.query
        if route.contract and unknown:
            # A typo (``?day=``) should fail loudly, not pull the wrong thing.
            self._send_json(400, {"error": f"unknown query parameters: {sorted(unknown)[:5]}"})
            return
        body = self._json_body()
        if body is not _NO_BODY:
            getattr(self, f"_on_{route.action}")(params, query, body)

    def _json_body(self) -> object:
        """The request's JSON (``None`` when it has none); ``_NO_BODY`` once it has answered."""
        if self.command not in ("POST", "PUT"):
            return None
        raw = self._read_body()
        if raw is None:
            return _NO_BODY
        try:
            return loads(raw) if raw else None
        except WireError:
            self._send_json(400, {"error": "the body is not JSON"})
            return _NO_BODY

    def _route(self, path: str) -> tuple[_Route, dict[str, str]] | None:
        """The route and its path parameters; answers 404 or 405 and gives ``None`` when none."""
        matches = [(r, m) for r in _ROUTES if (m := r.pattern.fullmatch(path))]
        if not matches:
            self._send_json(404, {"error": "no such resource"})
            return None
        for route, match in matches:
            if route.method == self.command:
                return route, {k: unquote(v) for k, v in match.groupdict().items()}
        allowed = ", ".join(sorted({r.method for r, _ in matches}))
        self._send_json(405, {"error": "method not allowed"}, {"Allow": allowed})
        return None

    def _authorised(self, centre: str | None) -> bool:
        """Whether the bearer token may act (for ``centre``); answers 401 or 403 when not."""
        refusal = self.sim._authorise(self._bearer_token(), centre)
        if refusal == 401:
            self._send_json(
                401,
                {"error": "missing or wrong bearer token"},
                {"WWW-Authenticate": 'Bearer realm="taboor-central"'},
            )
            return False
        if refusal == 403:
            self._send_json(403, {"error": "this token may not act for that centre"})
            return False
        return True

    def _survive_faults(self) -> bool:
        kind, delay, faults = self.sim._take_fault()
        if delay > 0 and self.sim._stopping.wait(delay):
            self.close_connection = True
            return False
        if kind == "rate_limited":
            self._send_json(
                429,
                {"error": "too many requests"},
                {"Retry-After": str(faults.retry_after_seconds)},
            )
            return False
        if kind == "error":
            self._send_json(faults.error_status, {"error": "the central is having trouble"})
            return False
        return True

    def _bearer_token(self) -> str | None:
        header = self.headers.get("Authorization")
        if header is None:
            return None
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def _read_body(self) -> bytes | None:
        if "Transfer-Encoding" in self.headers:
            self._send_json(411, {"error": "send a Content-Length, not a chunked body"})
            return None
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self._send_json(411, {"error": "a body needs a Content-Length"})
            return None
        if not length_text.isascii() or not length_text.isdigit():
            self._send_json(400, {"error": "bad Content-Length"})
            return None
        length = int(length_text)
        if length > self.sim.max_body_bytes:
            self._send_json(413, {"error": f"the body is over {self.sim.max_body_bytes} bytes"})
            return None
        data = self.rfile.read(length)
        self._body_pending = False
        if len(data) != length:
            self.close_connection = True
            return None
        return data

    def _send_json(
        self, status: int, body: object, headers: Mapping[str, str] | None = None
    ) -> None:
        data = dumps(body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self._close_if_body_pending()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_no_content(self) -> None:
        self.send_response(204)
        self._close_if_body_pending()
        self.end_headers()

    def _close_if_body_pending(self) -> None:
        # An unread request body would be taken for the next request: close instead.
        if self._body_pending:
            self.send_header("Connection", "close")
            self.close_connection = True

    def _day_param(self, query: Mapping[str, list[str]]) -> date | None:
        values = query.get("date", [])
        if len(values) != 1 or not _DAY_PATTERN.fullmatch(values[0]):
            self._send_json(400, {"error": "date=YYYY-MM-DD is required, once"})
            return None
        try:
            return date.fromisoformat(values[0])
        except ValueError:
            self._send_json(400, {"error": "date=YYYY-MM-DD is required, once"})
            return None

    # The contract ----------------------------------------------------------

    def _on_health(self, params: dict[str, str], query: Any, body: object) -> None:
        self._send_json(200, {"status": "ok"})

    def _on_appointments(
        self, params: dict[str, str], query: dict[str, list[str]], body: object
    ) -> None:
        day = self._day_param(query)
        if day is None:
            return
        cursors = query.get("cursor", [])
        if len(cursors) > 1 or any(not 1 <= len(c) <= _MAX_CURSOR for c in cursors):
            self._send_json(400, {"error": f"cursor: at most once, 1 to {_MAX_CURSOR} characters"})
            return
        page, cursor, more = self.sim._page(params["centre"], day, cursors[0] if cursors else None)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        writer = _ChunkedWriter(cast(BinaryIO, self.wfile))
        writer.write(b'{"appointments":[')
        for index, appointment in enumerate(page):
            writer.write((b"," if index else b"") + dumps(appointment.to_json()))
        writer.write(b'],"cursor":' + dumps(cursor) + b',"more":' + dumps(more) + b"}")
        writer.close()

    def _on_events(self, params: dict[str, str], query: Any, body: object) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("events"), list):
            self._send_json(400, {"error": 'the body must be {"events": [...]}'})
            return
        events = cast(list[object], body["events"])
        if len(events) > MAX_EVENTS_PER_REQUEST:
            self._send_json(400, {"error": f"at most {MAX_EVENTS_PER_REQUEST} events a request"})
            return
        accepted, duplicates, rejected = self.sim._intake(params["centre"], events)
        if rejected:
            self._send_json(
                422,
                {"error": f"{len(rejected)} events rejected, none stored", "rejected": rejected},
            )
            return
        if self.sim._take_drop():
            # Stored, but the answer never arrives: the client must replay.
            self.close_connection = True
            return
        self._send_json(200, {"accepted": accepted, "duplicates": duplicates})

    def _on_queue(self, params: dict[str, str], query: Any, body: object) -> None:
        try:
            snapshot = parse_queue_snapshot(body)
        except WireError as exc:
            self._send_json(400, {"error": str(exc)})
            return
        self.sim._keep_snapshot(params["centre"], snapshot.to_json())
        self._send_no_content()

    # The simulator's own requests -------------------------------------------

    def _on_sim_public_key(self, params: dict[str, str], query: Any, body: object) -> None:
        self._send_json(200, {"qr_public_key": self.sim.public_key_b64})

    def _on_sim_add(self, params: dict[str, str], query: Any, body: object) -> None:
        if not isinstance(body, dict):
            self._send_json(400, {"error": 'the body must be {"date": "YYYY-MM-DD", ...}'})
            return
        day_text, service, slot_text = body.get("date"), body.get("service"), body.get("slot")
        slot_match = _SLOT_PATTERN.fullmatch(slot_text) if isinstance(slot_text, str) else None
        if (
            not isinstance(day_text, str)
            or not _DAY_PATTERN.fullmatch(day_text)
            or (service is not None and not isinstance(service, str))
            or (slot_text is not None and slot_match is None)
        ):
            self._send_json(400, {"error": "date YYYY-MM-DD, service code, slot HH:MM"})
            return
        slot = time(int(slot_match.group(1)), int(slot_match.group(2))) if slot_match else None
        try:
            day = date.fromisoformat(day_text)
            added = self.sim.add_appointment(params["centre"], day, service=service, slot=slot)
        except (KeyError, ValueError):
            self._send_json(400, {"error": "no such service or date"})
            return
        qr = self.sim.booking_qr(params["centre"], added.id)
        self._send_json(201, {"appointment": added.to_json(), "qr": qr})

    def _on_sim_cancel(self, params: dict[str, str], query: Any, body: object) -> None:
        try:
            cancelled = self.sim.cancel_appointment(params["centre"], params["id"])
        except KeyError:
            self._send_json(404, {"error": "no such appointment"})
            return
        self._send_json(200, {"appointment": cancelled.to_json()})

    def _on_sim_qr(self, params: dict[str, str], query: Any, body: object) -> None:
        try:
            qr = self.sim.booking_qr(params["centre"], params["id"])
        except KeyError:
            self._send_json(404, {"error": "no such appointment"})
            return
        self._send_json(200, {"qr": qr})

    def _on_sim_events(self, params: dict[str, str], query: Any, body: object) -> None:
        events = self.sim.events(params["centre"])
        self._send_json(200, {"count": len(events), "events": events[-1000:]})

    def _on_sim_queue(self, params: dict[str, str], query: Any, body: object) -> None:
        snapshots = self.sim.queue_snapshots(params["centre"])
        self._send_json(200, {"queue": snapshots[-1] if snapshots else None})

    def _on_sim_faults(self, params: dict[str, str], query: Any, body: object) -> None:
        allowed = {f.name: f.type for f in fields(Faults)}
        if not isinstance(body, dict) or not all(
            key in allowed and _fits(value, str(allowed[key])) for key, value in body.items()
        ):
            self._send_json(400, {"error": f"fault switches: {sorted(allowed)}"})
            return
        try:
            faults = self.sim.set_faults(**body)
        except ValueError as exc:
            self._send_json(400, {"error": str(exc)})
            return
        self._send_json(200, asdict(faults))


def _fits(value: object, type_name: str) -> bool:
    if isinstance(value, bool):
        return False
    if type_name == "int":
        return isinstance(value, int) and value >= 0
    return isinstance(value, int | float) and value >= 0
