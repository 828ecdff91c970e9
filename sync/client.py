"""A client for the central booking API v1 (CONTRACTS.md section 2) on one ``httpx`` client."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import socket
import ssl
import threading
import weakref
import zlib
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from centre.config import CentreConfig
from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralRejected,
    CentralUnreachable,
    MalformedAnswer,
    RejectedEvent,
    SyncError,
)
from sync.wire import (
    MAX_EVENTS_PER_REQUEST,
    AppointmentPage,
    PushResult,
    QueueSnapshot,
    WireError,
    dumps,
    ids_of,
    loads,
    parse_appointment_page,
    parse_push_result,
    parse_rejection,
)

TOKEN_ENV = "TABOOR_CENTRAL_TOKEN"  # noqa: S105 (the name of a variable, not a secret)
DEFAULT_RETRY_AFTER = 30.0
MAX_PAGES = 10_000
# RFC 6750 b64token: what may follow "Bearer ".
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
_USER_AGENT = "taboor-sync/1"
_CHUNK = 64 * 1024
# What an answer may be compressed with: zlib's window bits for each (gzip's header, zlib's).
_ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class _BearerAuth(httpx.Auth):
    """Adds the bearer token to each request; its repr never shows it."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "_BearerAuth(<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def tls_context(ca_bundle: str | Path | None = None) -> ssl.SSLContext:
    """How the central's certificate is checked: always, against ``ca_bundle`` alone if given.

    Without ``ca_bundle``, httpx's default trust (certifi's bundle, or the
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` of the environment). ``ca_bundle`` is a
    file of PEM certificates or a folder of them (``c_rehash`` style).
    """
    if ca_bundle is None:
        return httpx.create_ssl_context()
    path = Path(ca_bundle)
    if path.is_dir():
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)


class _Watchdog:
    """Cuts a client's connections when a request outlives its time.

    httpx's time-outs bound each read and write, not the whole request: a
    server that sends a byte just inside the read time-out, again and again,
    holds a request for ever, be it in the answer's head or its body (httpx
    has no total time-out, encode/httpx#1450). httpx names each connection it
    opens through the ``trace`` request extension; when a request's time is
    up, their sockets are shut down, which ends the read under way at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """Note the socket of each connection opened (httpx's ``trace`` request extension)."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            sock = info["return_value"].get_extra_info("socket")
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.add(sock)

    @contextmanager
    def limit(self, seconds: float) -> Iterator[threading.Event]:
        """Run the block; after ``seconds``, cut the connections and set the event yielded."""
        expired = threading.Event()
        over = False

        def expire() -> None:
            with self._lock:
                if over:
                    return
                expired.set()
                for sock in list(self._sockets):
                    with suppress(OSError):  # already closed
                        # The plain socket's shutdown: SSLSocket's own would drop its
                        # SSL object under the thread reading from it.
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)

        timer = threading.Timer(seconds, expire)
        timer.daemon = True
        timer.start()
        try:
            yield expired
        finally:
            with self._lock:
                over = True
            timer.cancel()


def load_token(
    token_file: str | Path | None,
    *,
    environ: Mapping[str, str] | None = None,
    relative_to: Path | None = None,
) -> str:
    """The bearer token: ``TABOOR_CENTRAL_TOKEN`` if set, else the first line of ``token_file``.

    A relative ``token_file`` is read from ``relative_to`` (the config file's
    folder). Raises :class:`CentralAuthFailed` (``status`` ``None``) when there
    is no usable token; the message names the file, never the token.
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    source = TOKEN_ENV
    if not token:
        if token_file is None:
            raise CentralAuthFailed(f"no central token: set {TOKEN_ENV} or [central] token_file")
        path = Path(token_file)
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        source = str(path)
        try:
            token = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            raise CentralAuthFailed(f"cannot read the central token file {path}") from None
    if not _TOKEN_PATTERN.fullmatch(token):
        raise CentralAuthFailed(f"the central token from {source} is empty or not a bearer token")
    return token


def parse_retry_after(value: str | None, now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return DEFAULT_RETRY_AFTER
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(min(int(text), 86_400))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    moment = now or datetime.now(UTC)
    return max(0.0, (when - moment).total_seconds())


class CentralClient:
    """Calls the central booking API; each method is one request and raises a :class:`SyncError`.

    Every request has a connect and a read time-out (the read one also bounds
    each write), and is given up after ``total_timeout`` seconds in all, from
    connecting to the answer's last byte; reading an answer stops after
    ``max_answer_bytes`` (after decompression, a slice at a time). TLS is
    always verified (``ca_bundle`` names a private CA's certificates). Plain
    ``http://`` is refused except to this machine (the demo's simulator)
    unless ``allow_plain_http``. Connections are kept alive between requests
    until :meth:`close`. ``transport`` replaces the network (tests pass an
    ``httpx.MockTransport``); the client closes it. Not thread-safe: one
    client per sync agent.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        total_timeout: float = 60.0,
        max_answer_bytes: int = 8 * 1024 * 1024,
        ca_bundle: str | Path | None = None,
        allow_plain_http: bool = False,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("the central url must be http(s)://host[:port][/path]")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("the central url must not carry credentials, a query or a fragment")
        if parts.scheme == "http" and not (allow_plain_http or _is_loopback(parts.hostname)):
            raise ValueError("the central url must be https (plain http only to this machine)")
        if not _TOKEN_PATTERN.fullmatch(token):
            raise CentralAuthFailed("the central token is empty or not a bearer token")
        self._base = base_url.rstrip("/")
        self._where = f"{parts.scheme}://{parts.netloc}"
        self._total_timeout = total_timeout
        self._max_answer_bytes = max_answer_bytes
        self._watchdog = _Watchdog()
        self._http = httpx.Client(
            auth=_BearerAuth(token),
            # Only what _read can undo a slice at a time (httpx would inflate a whole read at once).
            headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(
                connect=connect_timeout,
                read=read_timeout,
                write=read_timeout,
                # One request at a time: the pool never makes it wait for a connection.
                pool=connect_timeout,
            ),
            verify=tls_context(ca_bundle),
            follow_redirects=False,
            transport=transport,
        )

    @classmethod
    def from_config(
        cls,
        config: CentreConfig,
        *,
        token_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
        **settings: Any,
    ) -> CentralClient:
        """A client for ``[central]`` of ``config`` (the URL already overridden by the environment).

        The token comes from ``TABOOR_CENTRAL_TOKEN`` or ``[central] token_file``,
        a relative one read from ``token_dir`` (Taboor's data directory, where
        ``taboor central-sim`` writes it and ``taboor sync`` reads it). Raises
        :class:`SyncError` when no URL is configured (the link is "off") and
        :class:`CentralAuthFailed` when no token can be had.
        """
        if not config.central.url:
            raise SyncError("no [central] url in the configuration")
        token = load_token(config.central.token_file, environ=environ, relative_to=token_dir)
        return cls(config.central.url, token, **settings)

    def __repr__(self) -> str:
        return f"CentralClient({self._where!r})"

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the kept-alive connections (and the ``transport``, if one was given)."""
        self._http.close()

    def health(self) -> None:
        """Return when the central answers ``{"status": "ok"}``; raise otherwise."""
        status, body = self._call("GET", "/v1/health", expect=(200,))
        try:
            answer = loads(body)
        except WireError as exc:
            raise MalformedAnswer(f"health: {exc}", status) from None
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            raise MalformedAnswer('health: the answer is not {"status": "ok"}', status)

    def appointments(
        self, centre: str, date: dt.date, cursor: str | None = None
    ) -> AppointmentPage:
        """One page of ``centre``'s appointments on ``date``: all, or the changes since ``cursor``.

        Raises :class:`MalformedAnswer` when the page breaks the contract in any
        way (then nothing of it should be stored and the cursor stays).
        """
        params = {"date": date.isoformat()}
        if cursor is not None:
            params["cursor"] = cursor
        path = f"/v1/centres/{quote(centre, safe='')}/appointments"
        status, body = self._call("GET", path, params=params, expect=(200,))
        try:
            return parse_appointment_page(loads(body))
        except WireError as exc:
            raise MalformedAnswer(f"appointments: {exc}", status) from None

    def appointment_pages(
        self, centre: str, date: dt.date, cursor: str | None = None, *, max_pages: int = MAX_PAGES
    ) -> Iterator[AppointmentPage]:
        """Pages from ``cursor`` on, following ``more: true`` (store each, then save its cursor).

        Stops after ``max_pages`` pages, so a central that always says ``more``
        cannot hold the agent forever; the last cursor yielded carries on.
        """
        for _ in range(max_pages):
            page = self.appointments(centre, date, cursor)
            yield page
            if not page.more:
                return
            cursor = page.cursor

    def push_events(self, centre: str, events: Sequence[Mapping[str, Any]]) -> PushResult:
        """Send at most 500 events (contract ``Event`` objects); which were new, which known.

        Raises :class:`CentralRejected` on 422 (nothing of the batch was stored:
        set ``error.rejected`` aside and send the rest again) and
        :class:`MalformedAnswer` when the answer does not account for exactly
        the events sent. Replaying a batch is always safe: the central is
        idempotent on event ids.
        """
        if not events:
            return PushResult((), ())
        if len(events) > MAX_EVENTS_PER_REQUEST:
            raise ValueError(f"at most {MAX_EVENTS_PER_REQUEST} events a request")
        sent = ids_of(events)
        path = f"/v1/centres/{quote(centre, safe='')}/events"
        status, body = self._call(
            "POST", path, json_body={"events": list(events)}, expect=(200, 422)
        )
        try:
            answer = loads(body)
            if status == 422:
                error, pairs = parse_rejection(answer)
            else:
                return parse_push_result(answer, sent)
        except WireError as exc:
            raise MalformedAnswer(f"events: {exc}", status) from None
        known = set(sent)
        if not pairs or any(event_id not in known for event_id, _ in pairs):
            raise MalformedAnswer("events: a 422 that names no event of the batch", status)
        rejected = tuple(RejectedEvent(event_id, reason) for event_id, reason in pairs)
        raise CentralRejected(
            f"the central rejected {len(rejected)} of {len(sent)} events: {error[:200]}", rejected
        )

    def put_queue(self, centre: str, snapshot: QueueSnapshot) -> None:
        """Send the hall's queue snapshot."""
        path = f"/v1/centres/{quote(centre, safe='')}/queue"
        self._call("PUT", path, json_body=snapshot.to_json(), expect=(200, 204), want_body=False)

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: object = None,
        expect: tuple[int, ...],
        want_body: bool = True,
    ) -> tuple[int, bytes]:
        """Make one request; return the status and the (bounded) body of an expected answer."""
        headers = {"Accept": "application/json"}
        data = None
        if json_body is not None:
            data = dumps(json_body)
            headers["Content-Type"] = "application/json"
        what = f"{method} {path}"
        request = self._http.build_request(
            method,
            self._base + path,
            params=params,
            content=data,
            headers=headers,
            extensions={"trace": self._watchdog.trace},
        )
        with self._watchdog.limit(self._total_timeout) as expired:
            try:
                response = self._http.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise self._unreachable(what, exc, expired) from None
            try:
                return self._judge(response, what, expect, want_body, expired)
            finally:
                response.close()

    def _unreachable(
        self, what: str, error: httpx.HTTPError, expired: threading.Event
    ) -> CentralUnreachable:
        if expired.is_set():
            return CentralUnreachable(f"{what}: {self._where} took too long to answer")
        if isinstance(error, httpx.TimeoutException):
            return CentralUnreachable(f"{what}: {self._where} timed out")
        if isinstance(error, httpx.ConnectError):
            if _is_tls_failure(error):
                return CentralUnreachable(f"{what}: TLS failed with {self._where}")
            return CentralUnreachable(f"{what}: cannot reach {self._where}")
        return CentralUnreachable(f"{what}: {type(error).__name__}")

    def _judge(
        self,
        response: httpx.Response,
        what: str,
        expect: tuple[int, ...],
        want_body: bool,
        expired: threading.Event,
    ) -> tuple[int, bytes]:
        status = response.status_code
        if status in (401, 403):
            raise CentralAuthFailed(
                f"{what}: the central rejected our credentials ({status})", status
            )
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise CentralRateLimited(
                f"{what}: rate limited, retry after {retry_after:g} s", retry_after
            )
        if status >= 500:
            raise CentralUnreachable(f"{what}: the central answered {status}", status)
        if status not in expect:
            raise MalformedAnswer(f"{what}: unexpected status {status}", status)
        if not want_body:
            return status, b""
        content_type = response.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise MalformedAnswer(f"{what}: the answer is not JSON", status)
        return status, self._read(response, what, expired)

    def _read(self, response: httpx.Response, what: str, expired: threading.Event) -> bytes:
        status = response.status_code
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_answer_bytes:
            raise MalformedAnswer(f"{what}: the answer is too big", status)
        inflater = _Inflater.for_encoding(response.headers.get("Content-Encoding"))
        if inflater is None:
            raise MalformedAnswer(f"{what}: the answer's content encoding is unknown", status)
        chunks: list[bytes] = []
        size = 0
        try:
            for raw in response.iter_raw():  # each read as it comes: no rebuffering
                for chunk in inflater.feed(raw):
                    size += len(chunk)
                    if size > self._max_answer_bytes:
                        raise MalformedAnswer(f"{what}: the answer is too big", status)
                    chunks.append(chunk)
                if expired.is_set():  # a transport the watchdog cannot cut
                    raise CentralUnreachable(f"{what}: the answer took too long", status)
        except httpx.HTTPError:
            if expired.is_set():
                raise CentralUnreachable(f"{what}: the answer took too long", status) from None
            raise CentralUnreachable(f"{what}: the connection broke mid-answer", status) from None
        except zlib.error:
            raise CentralUnreachable(
                f"{what}: the answer's compression is broken", status
            ) from None
        if not inflater.complete:
            raise CentralUnreachable(f"{what}: the connection broke mid-answer", status)
        return b"".join(chunks)


class _Inflater:
    """Undoes an answer's content encoding a slice at a time, so a small bomb cannot fill memory.

    httpx's own decoders inflate each network read whole: 64 KiB of gzip can
    become 64 MiB before the size limit sees any of it.
    """

    def __init__(self, wbits: int | None) -> None:
        self._zlib = zlib.decompressobj(wbits) if wbits is not None else None

    @classmethod
    def for_encoding(cls, content_encoding: str | None) -> _Inflater | None:
        """The inflater for a ``Content-Encoding`` header; ``None`` for one it cannot undo."""
        encoding = (content_encoding or "identity").strip().lower()
        if encoding == "identity":
            return cls(None)
        if encoding in _ENCODINGS:
            return cls(_ENCODINGS[encoding])
        return None

    @property
    def complete(self) -> bool:
        """Whether a compressed answer reached its end (a plain one always has)."""
        return self._zlib is None or self._zlib.eof

    def feed(self, data: bytes) -> Iterator[bytes]:
        """What ``data`` inflates to, in slices of at most 64 KiB."""
        if self._zlib is None:
            yield data
            return
        while True:
            chunk = self._zlib.decompress(data, _CHUNK)
            if chunk:
                yield chunk
            data = self._zlib.unconsumed_tail
            if not data and len(chunk) < _CHUNK:
                return


def _is_tls_failure(error: BaseException) -> bool:
    """Whether ``error`` comes from TLS (httpx has no exception of its own for it)."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
