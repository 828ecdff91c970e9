"""Asking every centre server at once, every few seconds, and keeping what each last said.

Each round asks every centre's ``GET /api/v1/summary`` concurrently, each
request with short time-outs, so one centre that hangs delays nobody else
and no round outlasts the time-out. A centre that answers is ``live``; one
that does not keeps its last figures and the time of its last answer, and is
``unreachable`` (no connection, a time-out, a 5xx), ``refused`` (its server
refused the token), ``no_summary`` (a server too old to have the summary) or
``failed`` (any other answer that is not a summary). Every finished round
raises :attr:`Poller.version`, which the page's stream waits on.

Periods (:meth:`Poller.reports`) are asked of every centre at once too, with
a longer time-out, and kept a minute, so many browsers asking the same period
cost each centre one report.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from centre.contract import iso
from server.hq.centres import Centre, Centres

T = TypeVar("T")

#: Seconds between the starts of two rounds.
EVERY_SECONDS = 10.0
#: A summary must connect and answer within these (seconds): it costs the centre milliseconds.
SUMMARY_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
#: A report over a long period may take a while on the centre (aim: 2 s for a year).
REPORT_TIMEOUT = httpx.Timeout(30.0, connect=3.0)
#: How long a period's reports are kept for the next browser asking the same.
REPORTS_KEPT_SECONDS = 60.0
#: The largest answer read from a centre (a summary is a few kB, a report by day over ten
#: years a few MB).
LARGEST_ANSWER = 16 * 1024 * 1024

LIVE = "live"
WAITING = "waiting"  # not asked yet, or never answered
UNREACHABLE = "unreachable"
REFUSED = "refused"
NO_SUMMARY = "no_summary"
FAILED = "failed"


class Unanswered(Exception):
    """A centre gave no usable answer; ``problem`` is one of the states above."""

    def __init__(self, problem: str, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


class Stopping(Exception):
    """Head office is stopping: a report still awaited from the centres will not come."""


@dataclass
class Watch:
    """What head office knows of one centre: its last summary and when it came."""

    centre: Centre
    summary: dict[str, Any] | None = None
    last_ok: datetime | None = None
    checked_at: datetime | None = None
    problem: str | None = None
    detail: str = ""

    @property
    def state(self) -> str:
        """``live``, ``waiting`` (never answered yet) or the problem of the last round."""
        if self.problem is None:
            return LIVE if self.summary is not None else WAITING
        return self.problem

    def answered(self, summary: dict[str, Any], at: datetime) -> None:
        """The centre answered at ``at``."""
        self.summary = summary
        self.last_ok = self.checked_at = at
        self.problem, self.detail = None, ""

    def failed(self, problem: str, detail: str, at: datetime) -> None:
        """The centre did not answer usably at ``at``: its last figures stay."""
        self.checked_at = at
        self.problem, self.detail = problem, detail

    def as_json(self, zone: ZoneInfo) -> dict[str, Any]:
        """The centre as the page gets it (times in head office's zone)."""
        return {
            "id": self.centre.id,
            "name": self.centre.name_json(),
            "url": self.centre.url,
            "state": self.state,
            "detail": self.detail,
            "last_ok": iso(self.last_ok, zone),
            "checked_at": iso(self.checked_at, zone),
            "summary": self.summary,
        }


@dataclass(frozen=True)
class PeriodAnswer:
    """One centre's report of a period, or why there is none."""

    centre: Centre
    report: dict[str, Any] | None
    problem: str | None = None
    detail: str = ""


@dataclass
class _Kept:
    at: float
    task: asyncio.Task[list[PeriodAnswer]]


class Poller:
    """Polls ``centres`` every ``every`` seconds (see the module).

    ``now`` gives the wall-clock time the page shows; ``monotonic`` measures
    the rounds and how long reports are kept.
    """

    def __init__(
        self,
        centres: Centres,
        *,
        every: float = EVERY_SECONDS,
        now: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        summary_timeout: httpx.Timeout = SUMMARY_TIMEOUT,
        report_timeout: httpx.Timeout = REPORT_TIMEOUT,
    ) -> None:
        self.centres = centres
        self.every = every
        self.now = now or (lambda: datetime.now(centres.zone))
        self.monotonic = monotonic
        self.summary_timeout = summary_timeout
        self.report_timeout = report_timeout
        self.watches = [Watch(centre) for centre in centres.centres]
        #: Rounds finished; each raises it, and so every stream waits on it.
        self.version = 0
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._changed: asyncio.Condition | None = None
        #: Set by :meth:`stop` (an asyncio event binds to the loop at its first wait).
        self._stop = asyncio.Event()
        self._kept: dict[tuple[date, date, str], _Kept] = {}

    # -- the rounds ---------------------------------------------------------

    async def run(self) -> None:
        """Poll round after round until :meth:`stop`."""
        while not self._stop.is_set():
            started = self.monotonic()
            await self.poll_once()
            pause = self.every - (self.monotonic() - started)
            if pause > 0:
                await self._sleep(pause)

    async def poll_once(self) -> None:
        """Ask every centre once, all at once; then tell whoever waits."""
        await asyncio.gather(*(self._poll(watch) for watch in self.watches))
        await self._bump()

    async def _poll(self, watch: Watch) -> None:
        asked = self._get(watch.centre, "/api/v1/summary", {}, self.summary_timeout)
        try:
            body = await self._unless_stopping(asked)
        except Stopping:
            return
        except Unanswered as error:
            problem = NO_SUMMARY if error.problem == "not_found" else error.problem
            watch.failed(problem, error.detail, self.now())
            return
        watch.answered(body, self.now())

    # -- periods -------------------------------------------------------------

    async def reports(self, start: date, end: date, by: str) -> list[PeriodAnswer]:
        """Every centre's report of ``start`` to ``end`` split ``by`` (kept a minute)."""
        key = (start, end, by)
        kept = self._kept.get(key)
        now = self.monotonic()
        if kept is None or now - kept.at > REPORTS_KEPT_SECONDS or kept.task.cancelled():
            for old in [k for k, v in self._kept.items() if now - v.at > REPORTS_KEPT_SECONDS]:
                del self._kept[old]
            task = asyncio.ensure_future(self._ask_all(start, end, by))
            kept = self._kept[key] = _Kept(now, task)
        return await self._unless_stopping(asyncio.shield(kept.task))

    async def report(self, centre: Centre, start: date, end: date, by: str) -> PeriodAnswer:
        """One centre's report (for the drill-down)."""
        params = {"from": start.isoformat(), "to": end.isoformat(), "by": by}
        asked = self._get(centre, "/api/v1/reports", params, self.report_timeout)
        try:
            body = await self._unless_stopping(asked)
        except Unanswered as error:
            return PeriodAnswer(centre, None, error.problem, error.detail)
        if not isinstance(body.get("total"), dict) or not isinstance(body.get("rows"), list):
            return PeriodAnswer(centre, None, FAILED, "the answer is not a report")
        return PeriodAnswer(centre, body)

    async def _ask_all(self, start: date, end: date, by: str) -> list[PeriodAnswer]:
        return list(
            await asyncio.gather(*(self.report(w.centre, start, end, by) for w in self.watches))
        )

    # -- the page's stream -----------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Every centre as the page gets it."""
        zone = self.centres.zone
        return {
            "at": iso(self.now(), zone),
            "every_s": self.every,
            "version": self.version,
            "centres": [watch.as_json(zone) for watch in self.watches],
        }

    async def wait_changed(self, seen: int, timeout: float) -> bool:
        """Wait until a round newer than ``seen`` has finished (True), ``timeout`` seconds
        have passed or the poller stops (False)."""
        changed = self._condition()
        async with changed:
            try:
                await asyncio.wait_for(
                    changed.wait_for(lambda: self.version != seen or self._stop.is_set()), timeout
                )
            except TimeoutError:
                return False
        return self.version != seen and not self._stop.is_set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    async def stop(self) -> None:
        """End the rounds, wake every stream so it ends, and end every report still awaited
        from the centres (:class:`Stopping`): a centre may take its 30 s, a stop may not."""
        self._stop.set()
        for kept in self._kept.values():
            kept.task.cancel()
        await self._bump(count=False)

    async def close(self) -> None:
        """Close the connections to the centres."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    # -- plumbing ---------------------------------------------------------------

    async def _unless_stopping(self, work: Awaitable[T]) -> T:
        """``work``'s result, or :class:`Stopping` as soon as :meth:`stop` is called (or
        was: then ``work`` is cancelled as soon as it starts)."""
        doing = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({doing, stop}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            doing.cancel()
            raise
        finally:
            stop.cancel()
        if not doing.done():
            doing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await doing
        if doing.cancelled():  # by this, or by stop() cancelling the kept reports
            raise Stopping
        return doing.result()

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _bump(self, *, count: bool = True) -> None:
        changed = self._condition()
        async with changed:
            if count:
                self.version += 1
            changed.notify_all()

    async def _sleep(self, seconds: float) -> None:
        changed = self._condition()
        async with changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait_for(self._stop.is_set), seconds)

    def _client(self, centre: Centre) -> httpx.AsyncClient:
        client = self._clients.get(centre.id)
        if client is None:
            verify: ssl.SSLContext | bool = True
            if centre.ca_file is not None:
                verify = ssl.create_default_context(cafile=str(centre.ca_file))
            client = self._clients[centre.id] = httpx.AsyncClient(
                base_url=centre.url,
                headers={"Authorization": f"Bearer {centre.token}"},
                verify=verify,
                follow_redirects=False,
                # Kept alive between rounds: the centre server keeps idle ones 15 s.
                limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
            )
        return client

    async def _get(
        self, centre: Centre, path: str, params: Mapping[str, str], timeout: httpx.Timeout
    ) -> dict[str, Any]:
        client = self._client(centre)
        try:
            async with client.stream("GET", path, params=params, timeout=timeout) as answer:
                status = answer.status_code
                body = await _read_capped(answer)
        except httpx.TimeoutException:
            raise Unanswered(UNREACHABLE, "no answer in time") from None
        except httpx.HTTPError as error:
            raise Unanswered(UNREACHABLE, _reason(error)) from None
        if status in (401, 403):
            raise Unanswered(REFUSED, f"the centre server refused head office's token ({status})")
        if status == 404:
            raise Unanswered("not_found", "the centre server has no such request (too old?)")
        if status >= 500:
            raise Unanswered(UNREACHABLE, f"the centre server failed ({status})")
        try:
            decoded = json.loads(body)
        except ValueError:
            raise Unanswered(FAILED, "the answer is not JSON") from None
        if status != 200:
            said = decoded.get("error") if isinstance(decoded, dict) else None
            raise Unanswered(FAILED, str(said)[:200] if said else f"answer {status}")
        if not isinstance(decoded, dict):
            raise Unanswered(FAILED, "the answer is not a JSON object")
        return decoded


async def _read_capped(answer: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in answer.aiter_bytes():
        size += len(chunk)
        if size > LARGEST_ANSWER:
            raise Unanswered(FAILED, "the answer is too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.ConnectError):
        return "cannot connect"
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return first[:200]


__all__ = [
    "EVERY_SECONDS",
    "FAILED",
    "LIVE",
    "NO_SUMMARY",
    "REFUSED",
    "UNREACHABLE",
    "WAITING",
    "PeriodAnswer",
    "Poller",
    "Stopping",
    "Unanswered",
    "Watch",
]
