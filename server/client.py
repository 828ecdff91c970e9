"""The HTTP adapter of the centre port: what every device on a LAN runs (``--server URL``).

:class:`RemoteCentre` answers every :class:`centre.port.CentrePort` call by
asking the centre server, with the device's token, and returns the core's
own values; the server's refusals come back as the core's own errors. When
the server cannot be reached it raises :class:`centre.errors.CentreUnreachable`
(nothing was done, or for a request cut short, nothing the device was told
of); a revoked or unknown token gives :class:`centre.errors.DeviceRefused`.
Nothing is retried behind the caller's back: a kiosk must never hand out a
ticket twice.

:class:`StreamFeed` follows the server's event stream (server-sent events)
for one follower: it is both the follower's log and its wake-up, resumes
after the last seq it handed over, and says the link is lost within
``READ_TIMEOUT`` seconds of silence (the server sends a comment every few).

This module never imports the server's ASGI stack.
"""

from __future__ import annotations

import contextlib
import json
import logging
import ssl
import threading
from collections import deque
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from centre.clock import Clock, SystemClock
from centre.config import CentreConfig, CounterConfig, with_device_settings
from centre.domain import Event, Ticket
from centre.errors import CentreUnreachable, TaboorError
from centre.phones import JoinLink
from centre.port import EventFeed
from centre.reports import Report
from centre.staff import StaffMember
from centre.supervision import DayReport
from centre.usecases import AppointmentOption, CounterDesk, QueueStatus, TicketView
from server import wire

log = logging.getLogger(__name__)

API = "/api/v1"
#: Seconds to open a connection; to wait for an answer (issuing takes milliseconds).
CONNECT_TIMEOUT = 3.0
REQUEST_TIMEOUT = 10.0
#: A report over a long period runs at the lowest priority on the server (a second or two
#: for a year when it is quiet, longer when the hall is busy), as head office waits for it.
REPORT_TIMEOUT = 30.0
#: A stream silent this long is lost (the server sends a comment every 5 s).
READ_TIMEOUT = 12.0
#: A follower of the stream looks anyway this often.
STREAM_POLL_SECONDS = 5.0


def _timeout(read: float) -> httpx.Timeout:
    return httpx.Timeout(read, connect=CONNECT_TIMEOUT, pool=CONNECT_TIMEOUT)


def _unreachable(error: Exception) -> CentreUnreachable:
    kind = type(error).__name__
    return CentreUnreachable(f"the centre server cannot be reached ({kind})", reason=kind)


def _refusal(response: httpx.Response) -> TaboorError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = wire.error_of(response.status_code, body)
    retry = response.headers.get("retry-after", "")
    if retry.isdigit() and "seconds" not in error.params:
        error.params["seconds"] = int(retry)
    return error


class RemoteCentre:
    """The centre port over HTTP: the centre server's API with this device's token.

    ``config`` is the centre's configuration as the server gave it (see
    :meth:`connect`). ``transport`` replaces the network in unit tests.
    """

    def __init__(
        self,
        url: str,
        token: str,
        config: CentreConfig,
        *,
        clock: Clock | None = None,
        ca_file: str | Path | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._config = config
        self._clock = clock or SystemClock()
        self._ca_file = ca_file
        self._verify = _trust(ca_file)
        self._transport = transport
        self._http = self._client(REQUEST_TIMEOUT)

    @classmethod
    def connect(
        cls,
        url: str,
        token: str,
        *,
        clock: Clock | None = None,
        ca_file: str | Path | None = None,
        transport: httpx.BaseTransport | None = None,
        cache: Path | None = None,
        device_settings: CentreConfig | None = None,
    ) -> RemoteCentre:
        """Ask the server for the centre's configuration, and make the adapter.

        ``ca_file`` is the centre's certificate (PEM) when the server speaks
        HTTPS with a certificate of its own; without it the system's
        authorities are trusted. With ``cache``, the configuration is kept in that file, so a device
        restarted while the server is away still starts (and says it is
        reconnecting); without it, an unreachable server raises
        :class:`CentreUnreachable`. ``device_settings``: this machine's own
        configuration, whose printer, scanner and voice folder are kept.
        """
        base = url.rstrip("/")
        with httpx.Client(
            base_url=base,
            headers=_headers(token),
            timeout=_timeout(REQUEST_TIMEOUT),
            verify=_trust(ca_file),
            transport=transport,
        ) as client:
            try:
                response = client.get(f"{API}/config")
            except httpx.TransportError as error:
                if cache is not None and cache.is_file():
                    log.warning("the centre server cannot be reached: using the last configuration")
                    config = CentreConfig.model_validate_json(cache.read_text(encoding="utf-8"))
                    if device_settings is not None:
                        config = with_device_settings(config, device_settings)
                    return cls(
                        base, token, config, clock=clock, ca_file=ca_file, transport=transport
                    )
                raise _unreachable(error) from None
        if response.status_code != 200:
            raise _refusal(response)
        config = CentreConfig.model_validate(response.json())
        if cache is not None:
            with contextlib.suppress(OSError):
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(config.model_dump_json(), encoding="utf-8")
        if device_settings is not None:
            config = with_device_settings(config, device_settings)
        return cls(base, token, config, clock=clock, ca_file=ca_file, transport=transport)

    @property
    def config(self) -> CentreConfig:
        """The centre's configuration."""
        return self._config

    @property
    def clock(self) -> Clock:
        """This device's clock."""
        return self._clock

    def close(self) -> None:
        """Release the connections."""
        self._http.close()

    # -- HTTP ----------------------------------------------------------------------

    def _client(self, read: float) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers=_headers(self._token),
            timeout=_timeout(read),
            verify=self._verify,
            transport=self._transport,
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
        )

    def _ask(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
        read: float = REQUEST_TIMEOUT,
    ) -> Any:
        try:
            response = self._http.request(
                method, f"{API}{path}", json=body, params=params, timeout=_timeout(read)
            )
        except httpx.TransportError as error:
            raise _unreachable(error) from None
        if response.status_code >= 400:
            raise _refusal(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    # -- following ------------------------------------------------------------

    def last_seq(self) -> int:
        """The seq of the newest event in the log."""
        return int(self._ask("GET", "/events/head")["seq"])

    def event_feed(self, name: str) -> EventFeed:
        """A feed of the server's event stream, for one follower."""
        feed = StreamFeed(self._client(READ_TIMEOUT), name=name)
        return EventFeed(feed, feed, STREAM_POLL_SECONDS, None)

    def events_since(self, seq: int) -> list[Event]:
        """Up to 500 events after ``seq``, oldest first."""
        body = self._ask("GET", "/events", params={"since": seq})
        return [e for e in (wire.event_of(item) for item in body["events"]) if e is not None]

    # -- reads ----------------------------------------------------------------

    def queue_status(self) -> QueueStatus:
        """Every queue and counter at a glance."""
        return wire.load(QueueStatus, self._ask("GET", "/queue"))

    def counter_desk(self, counter_id: str) -> CounterDesk:
        """A counter now, with its ticket, booking and clerk."""
        return wire.load(CounterDesk, self._ask("GET", f"/counters/{_part(counter_id)}/desk"))

    def find_ticket(self, ref: str) -> Ticket:
        """A ticket by id or number."""
        return self.ticket_view(ref).ticket

    def ticket_view(self, ref: str) -> TicketView:
        """A ticket with people ahead and estimate now."""
        return wire.load(TicketView, self._ask("GET", f"/tickets/{_part(ref)}"))

    def hall_message(self) -> tuple[str, str] | None:
        """The hall's message, if the supervisor set one."""
        body = self._ask("GET", "/hall/message")
        ar, en = body.get("ar"), body.get("en")
        return (ar or "", en or "") if (ar or en) else None

    def join_link(self) -> JoinLink | None:
        """The paperless-ticket address the hall shows now (None without a public address)."""
        if self._config.public.url is None:
            return None
        body = self._ask("GET", "/hall/join")
        return JoinLink(body["url"], datetime.fromisoformat(body["expires_at"]))

    def recent_calls(self, head: int, count: int) -> list[Event]:
        """Today's latest calls up to ``head``, newest first, one per ticket."""
        body = self._ask("GET", "/hall/calls", params={"head": head, "count": min(count, 50)})
        return [e for e in (wire.event_of(item) for item in body["events"]) if e is not None]

    def day_report(self) -> DayReport:
        """The supervisor's screen in one read."""
        return wire.load(DayReport, self._ask("GET", "/supervisor/report"))

    def has_staff_accounts(self) -> bool:
        """Whether any staff account exists."""
        return bool(self._ask("GET", "/staff/accounts")["accounts"])

    def report(self, start: date, end: date, by: str) -> Report:
        """A period's figures: ``GET /reports``, whose JSON is ``taboor report --json``'s."""
        period = {"from": start.isoformat(), "to": end.isoformat(), "by": by}
        return _report(self._ask("GET", "/reports", params=period, read=REPORT_TIMEOUT))

    # -- visitors -------------------------------------------------------------

    def issue_ticket(self, service: str, priority: str = "normal", lang: str = "ar") -> TicketView:
        """A walk-in ticket."""
        body = self._ask(
            "POST", "/tickets", {"service": service, "priority": priority, "lang": lang}
        )
        return self._view(body)

    def appointments_for_cpr(self, cpr: str) -> list[AppointmentOption]:
        """Today's appointments of a CPR (as a kiosk may see them: no names)."""
        return wire.load(
            list[AppointmentOption], self._ask("POST", "/checkins/options", {"cpr": cpr})
        )

    def check_in_by_cpr(
        self, cpr: str, appointment_id: str | None = None, lang: str = "ar"
    ) -> TicketView:
        """Check in today's appointment of a CPR."""
        body: dict[str, Any] = {"cpr": cpr, "lang": lang}
        if appointment_id is not None:
            body["appointment"] = appointment_id
        return self._view(self._ask("POST", "/checkins", body))

    def check_in_by_qr(self, payload: str, lang: str = "ar") -> TicketView:
        """Check in a scanned booking QR."""
        return self._view(self._ask("POST", "/checkins", {"qr": payload, "lang": lang}))

    def check_in_unverified(self, cpr: str, service: str, lang: str = "ar") -> TicketView:
        """A ticket for a CPR whose booking is not here yet, while the central link is down."""
        body = {"cpr": cpr, "service": service, "lang": lang}
        return self._view(self._ask("POST", "/checkins", body))

    def record_print_failure(self, ticket: Ticket, printer: str, reason: str) -> None:
        """Tell the supervisor a ticket did not print."""
        body = {"printer": printer[:200], "reason": reason[:64] or "error"}
        self._ask("POST", f"/tickets/{_part(ticket.id)}/print-failures", body)

    def report_device(self, kind: str, state: str, detail: str = "") -> bool:
        """Report this device's state; True when it changed."""
        body = {"kind": kind, "state": state, "detail": detail[:200]}
        return bool(self._ask("POST", "/device/status", body)["changed"])

    def record_feedback(self, ticket_ref: str, rating: int) -> None:
        """A visitor's rating of a served ticket."""
        self._ask("POST", f"/tickets/{_part(ticket_ref)}/feedback", {"rating": rating})

    def keep_number(self, ticket_id: str, phone: str, lang: str) -> None:
        """A visitor's mobile number for texts about a ticket, until it ends."""
        self._ask("PUT", f"/tickets/{_part(ticket_id)}/sms", {"phone": phone, "lang": lang})

    # -- counters -------------------------------------------------------------

    def sign_in(self, counter_id: str, staff_id: str, pin: str) -> StaffMember:
        """Sign a clerk in at a counter."""
        body = self._ask(
            "POST", f"/counters/{_part(counter_id)}/sign-in", {"staff": staff_id, "pin": pin}
        )
        return _member(body)

    def sign_out(self, counter_id: str) -> None:
        """The clerk leaves the counter."""
        self._ask("POST", f"/counters/{_part(counter_id)}/sign-out")

    def call_next(self, counter_id: str) -> TicketView | None:
        """Call the next ticket to a counter."""
        body = self._ask("POST", f"/counters/{_part(counter_id)}/call")
        return self._view(body) if body is not None else None

    def recall(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """Call the counter's ticket again."""
        return self._act(counter_id, "recall", expected)

    def start_serving(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The called visitor reached the counter."""
        return self._act(counter_id, "start", expected)

    def finish(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The counter is done with its ticket."""
        return self._act(counter_id, "done", expected)

    def no_show(self, counter_id: str, *, expected: str | None = None) -> TicketView:
        """The called visitor did not come."""
        return self._act(counter_id, "no-show", expected)

    def transfer(self, counter_id: str, service: str, *, expected: str | None = None) -> TicketView:
        """Send the counter's ticket to another service's queue."""
        body: dict[str, Any] = {"service": service}
        if expected is not None:
            body["ticket"] = expected
        return self._view(self._ask("POST", f"/counters/{_part(counter_id)}/transfer", body))

    def open_counter(self, counter_id: str) -> None:
        """Open a counter."""
        self._ask("POST", f"/counters/{_part(counter_id)}/open")

    def close_counter(self, counter_id: str) -> None:
        """Close a counter."""
        self._ask("POST", f"/counters/{_part(counter_id)}/close")

    def start_break(self, counter_id: str, reason: str = "") -> None:
        """Start a break at a counter."""
        self._ask("POST", f"/counters/{_part(counter_id)}/break", {"reason": reason[:80]})

    def end_break(self, counter_id: str) -> None:
        """End a counter's break."""
        self._ask("POST", f"/counters/{_part(counter_id)}/back")

    # -- the supervisor -------------------------------------------------------

    def supervisor_sign_in(self, staff_id: str, pin: str) -> StaffMember:
        """Sign a supervisor in on this device."""
        return _member(self._ask("POST", "/supervisor/sign-in", {"staff": staff_id, "pin": pin}))

    def supervisor_sign_out(self) -> None:
        """Sign the supervisor out of this device."""
        self._ask("POST", "/supervisor/sign-out")

    def pause_service(self, service: str, reason: str = "") -> None:
        """Stop issuing tickets for a service."""
        self._ask("POST", f"/services/{_part(service)}/pause", {"reason": reason[:200]})

    def resume_service(self, service: str) -> None:
        """Issue tickets for a service again."""
        self._ask("POST", f"/services/{_part(service)}/resume")

    def set_hall_message(self, ar: str = "", en: str = "") -> None:
        """Set or clear the hall screens' message."""
        self._ask("PUT", "/hall/message", {"ar": ar, "en": en})

    def set_counter_services(
        self, counter_id: str, services: Sequence[str] | None
    ) -> CounterConfig:
        """Which services a counter calls today."""
        body = {"services": list(services) if services is not None else None}
        answer = self._ask("PUT", f"/counters/{_part(counter_id)}/services", body)
        return CounterConfig.model_validate(answer)

    def cancel_ticket(self, ref: str, reason: str = "") -> TicketView:
        """Withdraw a waiting ticket."""
        return self._view(self._ask("POST", f"/tickets/{_part(ref)}/cancel", {"reason": reason}))

    def revoke_device(self, name: str) -> None:
        """Stop a device of the centre at once."""
        self._ask("POST", f"/devices/{_part(name)}/revoke")

    # -- helpers ---------------------------------------------------------------

    def _act(self, counter_id: str, action: str, expected: str | None) -> TicketView:
        body = {"ticket": expected} if expected is not None else None
        return self._view(self._ask("POST", f"/counters/{_part(counter_id)}/{action}", body))

    def _view(self, body: dict[str, Any]) -> TicketView:
        return wire.ticket_view_of(body, self._config.centre.zone)


def _trust(ca_file: str | Path | None) -> ssl.SSLContext | bool:
    # The centre's own certificate, or the system's authorities.
    if ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(ca_file))


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "User-Agent": "taboor-device"}


def _part(text: str) -> str:
    return quote(text.strip(), safe="")


def _report(body: dict[str, Any]) -> Report:
    # The contract names the period "from" and "to"; the rest is the core's Report as it is.
    fields = dict(body)
    fields["start"], fields["end"] = fields.pop("from"), fields.pop("to")
    return wire.load(Report, fields)


def _member(body: dict[str, Any]) -> StaffMember:
    name = body.get("name") or {}
    return StaffMember(
        id=str(body["staff"]),
        name_ar=str(name.get("ar", "")),
        name_en=str(name.get("en", "")),
        role=str(body.get("role", "clerk")),
    )


class StreamFeed:
    """One follower's view of the server's event stream: its log and its wake-up at once.

    :meth:`read_after` opens the stream after the given seq when none is open
    (and waits for the server to accept it), then hands over what the stream
    delivered; :meth:`wait` blocks until more arrives. A lost stream is
    raised once, from whichever is called next; the follower backs off and
    reads again, which reopens the stream after the last seq it was given.
    """

    def __init__(self, client: httpx.Client, *, name: str = "follower") -> None:
        self._client = client
        self._name = name
        self._changed = threading.Condition()
        self._buffer: deque[Event] = deque()
        self._head = 0
        self._error: TaboorError | None = None
        self._streaming = False
        self._connected = False
        self._interrupted = False
        self._closed = False
        self._generation = 0
        self._response: httpx.Response | None = None

    def read_after(self, seq: int, limit: int) -> tuple[int, list[Event]]:
        """The newest seq the stream told of and up to ``limit`` events after ``seq``."""
        with self._changed:
            self._raise_error()
            if not self._streaming:
                self._open(seq)
                self._changed.wait_for(
                    lambda: self._connected or self._error is not None or self._closed,
                    CONNECT_TIMEOUT + REQUEST_TIMEOUT,
                )
                self._raise_error()
                if not self._connected:
                    self._drop_stream()
                    raise CentreUnreachable("the centre server did not open the event stream")
            while self._buffer and (self._buffer[0].seq or 0) <= seq:
                self._buffer.popleft()
            events = [self._buffer.popleft() for _ in range(min(limit, len(self._buffer)))]
            return max(self._head, seq), events

    def wait(self, timeout: float) -> None:
        """Until the stream brings events, ``timeout`` passes, or :meth:`interrupt`."""
        with self._changed:
            self._raise_error()
            if self._streaming and not self._closed:
                self._changed.wait_for(
                    lambda: (
                        bool(self._buffer)
                        or self._error is not None
                        or self._interrupted
                        or self._closed
                    ),
                    timeout,
                )
            self._interrupted = False
            self._raise_error()

    def interrupt(self) -> None:
        """Make a waiting :meth:`wait` return now."""
        with self._changed:
            self._interrupted = True
            self._changed.notify_all()

    def close(self) -> None:
        """Stop following and release the connection."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._drop_stream()
        self._client.close()

    # -- inside --------------------------------------------------------------------

    def _raise_error(self) -> None:
        # Called holding the lock.
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _open(self, after: int) -> None:
        # Called holding the lock.
        self._generation += 1
        self._streaming = True
        self._connected = False
        self._buffer.clear()
        self._head = after
        thread = threading.Thread(
            target=self._run,
            args=(after, self._generation),
            name=f"stream-{self._name}",
            daemon=True,
        )
        thread.start()

    def _drop_stream(self) -> None:
        response, self._response = self._response, None
        if response is not None:
            with contextlib.suppress(Exception):
                response.close()

    def _run(self, after: int, generation: int) -> None:
        failure: TaboorError | None = None
        try:
            with self._client.stream(
                "GET", f"{API}/events/stream", headers={"Last-Event-ID": str(after)}
            ) as response:
                if response.status_code != 200:
                    response.read()
                    failure = _refusal(response)
                    return
                with self._changed:
                    if generation != self._generation or self._closed:
                        return
                    self._response = response
                    self._connected = True
                    self._changed.notify_all()
                self._read(response, generation)
            failure = CentreUnreachable("the centre server ended the event stream")
        except httpx.TransportError as error:
            failure = _unreachable(error)
        except httpx.StreamError as error:
            failure = _unreachable(error)
        except Exception as error:  # a malformed message: drop the stream, resume after the last
            log.warning("%s: the event stream failed: %s", self._name, type(error).__name__)
            failure = CentreUnreachable("the event stream failed")
        finally:
            with self._changed:
                if generation == self._generation:
                    self._streaming = False
                    self._connected = False
                    self._response = None
                    if not self._closed and failure is not None:
                        self._error = failure
                    self._changed.notify_all()

    def _read(self, response: httpx.Response, generation: int) -> None:
        # Server-sent events: "field: value" lines, a blank line ends a message; only
        # "data" matters here (it carries the seq), and ":" lines are keep-alives.
        data: list[str] = []
        for line in response.iter_lines():
            if self._closed or generation != self._generation:
                return
            if line == "":
                if data:
                    self._deliver("\n".join(data))
                data = []
                continue
            name, _, value = line.partition(":")
            if name == "data":
                data.append(value.removeprefix(" "))

    def _deliver(self, data: str) -> None:
        body = json.loads(data)
        seq = int(body["seq"])
        # A kind of event this device does not know moves the head all the same.
        event = wire.event_of(body)
        with self._changed:
            if seq > self._head:
                self._head = seq
                if event is not None:
                    self._buffer.append(event)
                self._changed.notify_all()


__all__ = ["READ_TIMEOUT", "RemoteCentre", "StreamFeed"]
