"""A client for the central booking API v1 (CONTRACTS.md section 2) on one ``requests`` session."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests

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


class _BearerAuth(requests.auth.AuthBase):
    """Adds the bearer token to each request; its repr never shows it."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "_BearerAuth(<hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request


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

    Every request has a connect and a read time-out, and reading an answer
    stops after ``max_answer_bytes`` or ``total_timeout`` seconds. TLS is
    always verified (``ca_bundle`` names a private CA's certificates). Plain
    ``http://`` is refused except to this machine (the demo's simulator)
    unless ``allow_plain_http``. Not thread-safe: one client per sync agent.
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
        session: requests.Session | None = None,
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
        self._auth = _BearerAuth(token)
        self._timeout = (connect_timeout, read_timeout)
        self._total_timeout = total_timeout
        self._max_answer_bytes = max_answer_bytes
        self._verify: bool | str = str(ca_bundle) if ca_bundle is not None else True
        self._own_session = session is None
        self._session = session if session is not None else requests.Session()
        self._session.headers["User-Agent"] = _USER_AGENT

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
        """Close the connections (only those of a session this client made)."""
        if self._own_session:
            self._session.close()

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
        try:
            response = self._session.request(
                method,
                self._base + path,
                params=params,
                data=data,
                headers=headers,
                auth=self._auth,
                timeout=self._timeout,
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.SSLError:
            raise CentralUnreachable(f"{what}: TLS failed with {self._where}") from None
        except requests.Timeout:
            raise CentralUnreachable(f"{what}: {self._where} timed out") from None
        except requests.ConnectionError:
            raise CentralUnreachable(f"{what}: cannot reach {self._where}") from None
        except requests.RequestException as exc:
            raise CentralUnreachable(f"{what}: {type(exc).__name__}") from None
        with response:
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
            return status, self._read(response, what)

    def _read(self, response: requests.Response, what: str) -> bytes:
        status = response.status_code
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_answer_bytes:
            raise MalformedAnswer(f"{what}: the answer is too big", status)
        deadline = time.monotonic() + self._total_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > self._max_answer_bytes:
                    raise MalformedAnswer(f"{what}: the answer is too big", status)
                if time.monotonic() > deadline:
                    raise CentralUnreachable(f"{what}: the answer took too long", status)
                chunks.append(chunk)
        except requests.RequestException:
            raise CentralUnreachable(f"{what}: the connection broke mid-answer", status) from None
        return b"".join(chunks)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
