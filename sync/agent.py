"""The sync agent: pulls the central's appointments, pushes the event log, reports the queue.

One agent per centre (:mod:`sync.lease`). Each cycle pulls the day's
appointments (all of them at the start of a day, then the changes by cursor),
pushes the events the central has not acknowledged in batches of at most 500,
and now and then puts a queue snapshot. The centre never waits for it: a
cycle that cannot reach the central leaves the work queued and the agent
backs off (capped, jittered, honouring Retry-After); a 401/403 stops it.
It never logs a CPR, a name or a token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TextIO, TypeVar
from urllib.parse import quote

from sqlalchemy.exc import DBAPIError

from centre import syncing
from centre.clock import Clock
from centre.config import CentreConfig
from centre.contract import event_json
from centre.domain import Appointment, CounterState
from centre.errors import BadInput, InvalidCpr
from centre.process import stop_on_signals
from centre.rules.link import AUTH_FAILED, OFFLINE, ONLINE
from centre.store.unit_of_work import Store
from centre.usecases import business_day, queue_status, roll_day
from sync import wire
from sync.backoff import Backoff
from sync.client import CentralClient, load_token
from sync.errors import (
    CentralAuthFailed,
    CentralRateLimited,
    CentralRejected,
    CentralUnreachable,
    MalformedAnswer,
    SyncError,
)
from sync.intake import to_stored_appointment
from sync.lease import Lease, lease_for

log = logging.getLogger(__name__)

T = TypeVar("T")

EXIT_OK = 0
EXIT_FAILED = CentralUnreachable.exit_code
EXIT_AUTH = CentralAuthFailed.exit_code
SNAPSHOT_SECONDS = 15.0
LEASE_POLL_SECONDS = 5.0
MAX_PAGES_PER_CYCLE = 200
MAX_CURSOR = 512
# Problems of one page named in the log; the rest are counted.
_LOGGED_PROBLEMS = 5
_CURSOR_HISTORY = 64


# -- reading a page --------------------------------------------------------


@dataclass(frozen=True)
class PullPage:
    """A page of appointments: the well-formed ones, why the others were set aside, the cursor."""

    appointments: tuple[wire.Appointment, ...]
    problems: tuple[str, ...]
    cursor: str
    more: bool


def parse_pull_page(value: object) -> PullPage:
    """An ``appointments`` answer whose envelope is strict but whose bad bookings are set aside.

    :class:`sync.wire.WireError` when the page itself (object, list, cursor,
    ``more``) breaks the contract; a malformed appointment only adds a problem
    (a field path and what is wrong with it, never the value).
    """
    if not isinstance(value, dict):
        raise wire.WireError("answer: not an object")
    items = value.get("appointments")
    if not isinstance(items, list):
        raise wire.WireError("appointments: not a list")
    cursor = value.get("cursor")
    if not isinstance(cursor, str) or not 1 <= len(cursor) <= MAX_CURSOR:
        raise wire.WireError(f"cursor: not a string of 1 to {MAX_CURSOR} characters")
    more = value.get("more")
    if not isinstance(more, bool):
        raise wire.WireError("more: not a boolean")
    good: list[wire.Appointment] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            good.append(wire.parse_appointment(item, f"appointments[{index}]"))
        except wire.WireError as exc:
            problems.append(str(exc))
    return PullPage(tuple(good), tuple(problems), cursor, more)


class AgentClient(CentralClient):
    """The central client with a page read that keeps a page's good bookings when some are bad."""

    def appointment_page(self, centre: str, day: date, cursor: str | None = None) -> PullPage:
        """One page of ``centre``'s appointments on ``day`` (all, or the changes since ``cursor``).

        Raises :class:`MalformedAnswer` when the page as a whole breaks the
        contract (not JSON, too big, a bad cursor…): then nothing of it is used.
        """
        params = {"date": day.isoformat()}
        if cursor is not None:
            params["cursor"] = cursor
        path = f"/v1/centres/{quote(centre, safe='')}/appointments"
        status, body = self._call("GET", path, params=params, expect=(200,))
        try:
            return parse_pull_page(wire.loads(body))
        except wire.WireError as exc:
            raise MalformedAnswer(f"appointments: {exc}", status) from None


# -- one cycle -------------------------------------------------------------


@dataclass
class CycleReport:
    """What one cycle did, and how ``taboor sync --once`` exits after it."""

    pulled: int = 0
    skipped: int = 0
    pushed: int = 0
    duplicates: int = 0
    set_aside: int = 0
    snapshot: bool = False
    pending: int = 0
    error: SyncError | None = None

    @property
    def exit_code(self) -> int:
        """0 when everything pending reached the central, 4 when not, 5 on refused credentials."""
        if self.error is not None:
            return self.error.exit_code
        return EXIT_OK if self.pending == 0 else EXIT_FAILED

    def note(self, error: SyncError) -> None:
        """Keep the weightiest error of the cycle: credentials, then the link, then bad answers."""
        if self.error is None or _weight(error) >= _weight(self.error):
            self.error = error

    def summary(self) -> str:
        """One line for a person."""
        parts = [f"pulled {self.pulled} appointments"]
        if self.skipped:
            parts[-1] += f" ({self.skipped} set aside)"
        parts.append(f"pushed {self.pushed + self.duplicates} events")
        if self.duplicates:
            parts[-1] += f" ({self.duplicates} the central already had)"
        if self.set_aside:
            parts.append(f"{self.set_aside} events refused by the central and set aside")
        parts.append(f"{self.pending} pending")
        return ", ".join(parts)


def _weight(error: SyncError) -> int:
    if isinstance(error, CentralAuthFailed):
        return 3
    if isinstance(error, CentralUnreachable | CentralRateLimited):
        return 2
    return 1


class SyncAgent:
    """Keeps one centre in step with the central; see the module docstring.

    ``stop`` ends :meth:`run` (and shortens any wait); ``lease`` makes it the
    centre's one agent. The back-offs and periods are parameters so tests can
    run it fast.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: CentreConfig,
        client: AgentClient,
        *,
        lease: Lease | None = None,
        stop: threading.Event | None = None,
        backoff: Backoff | None = None,
        retry_backoff: Backoff | None = None,
        retry_attempts: int = 3,
        max_retry_wait: float = 5.0,
        snapshot_seconds: float = SNAPSHOT_SECONDS,
        lease_poll_seconds: float = LEASE_POLL_SECONDS,
        batch_size: int = syncing.MAX_BATCH,
        max_pages: int = MAX_PAGES_PER_CYCLE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= batch_size <= wire.MAX_EVENTS_PER_REQUEST:
            raise ValueError(f"batch_size must be 1 to {wire.MAX_EVENTS_PER_REQUEST}")
        self.store = store
        self.clock = clock
        self.config = config
        self.client = client
        self.lease = lease if lease is not None else lease_for(store)
        self.stop = stop if stop is not None else threading.Event()
        # Between cycles: up to a minute, so a centre is back soon after an outage.
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        # Within a cycle, a few quick tries ride out a lost connection or a 503.
        self.retry_backoff = retry_backoff or Backoff(base=0.25, cap=2.0)
        self.retry_attempts = retry_attempts
        self.max_retry_wait = max_retry_wait
        self.snapshot_seconds = snapshot_seconds
        self.lease_poll_seconds = lease_poll_seconds
        self.batch_size = batch_size
        self.max_pages = max_pages
        self._monotonic = monotonic
        self._centre = config.centre.id
        self._zone = config.centre.zone
        self._last_snapshot: float | None = None
        self._cursors: deque[str] = deque(maxlen=_CURSOR_HISTORY)
        self._cursor_day: date | None = None
        self._rolled_day: date | None = None
        self._last_said: tuple[str, str | None] | None = None

    def __repr__(self) -> str:
        return f"SyncAgent({self._centre!r}, {self.client!r})"

    # Running ---------------------------------------------------------------

    def run_once(self) -> CycleReport | None:
        """One cycle with the lease; ``None`` when another agent holds it (and so syncs)."""
        if not self.lease.try_acquire():
            log.info("another sync agent holds this centre's lease: it does the syncing")
            return None
        try:
            return self.cycle(snapshot_due=True)
        finally:
            self.lease.release()

    def run(self) -> int:
        """Cycle until :attr:`stop` is set (0) or the central refuses our credentials (5).

        A second agent waits for the lease, checking every ``lease_poll_seconds``.
        """
        exit_code = EXIT_OK
        try:
            while self._wait_for_lease():
                try:
                    report = self.cycle()
                except DBAPIError as error:
                    # The store is down (a PostgreSQL restart): the work waits in it.
                    log.warning("the store failed: %s", type(error.orig or error).__name__)
                    report = CycleReport(error=CentralUnreachable("the store is unavailable"))
                if isinstance(report.error, CentralAuthFailed):
                    exit_code = EXIT_AUTH
                    break
                if report.error is None:
                    self.backoff.reset()
                    delay = self.config.central.pull_seconds
                else:
                    delay = self.backoff.delay_for(report.error)
                if self.stop.wait(delay):
                    break
        finally:
            log.info("sync agent stopping")
            if self.lease.held():
                if exit_code == EXIT_OK:
                    with suppress(DBAPIError):  # a store that is down keeps its last word
                        syncing.record_link(
                            self.store, self.clock, OFFLINE, "the sync agent is not running"
                        )
                self.lease.release()
        return exit_code

    def _wait_for_lease(self) -> bool:
        if self.lease.held():
            return not self.stop.is_set()
        told = False
        while not self.stop.is_set():
            if self.lease.try_acquire():
                log.info("this agent now syncs the centre %s", self._centre)
                return True
            if not told:
                log.info("another sync agent holds this centre's lease: waiting for it")
                told = True
            self.stop.wait(self.lease_poll_seconds)
        return False

    def cycle(self, *, snapshot_due: bool = False) -> CycleReport:
        """Pull, push and (when due) put a snapshot; record the link's state. Holds the lease."""
        report = CycleReport()
        self._roll_day()
        try:
            try:
                self._pull(report)
            except MalformedAnswer as error:
                # The page is skipped and the cursor stays; events still go up.
                report.note(error)
            self._push(report)
            self._snapshot(report, due=snapshot_due)
        except SyncError as error:
            report.note(error)
        report.pending = syncing.pending_events(self.store)
        self._record(report)
        return report

    # Pull ------------------------------------------------------------------

    def _pull(self, report: CycleReport) -> None:
        today = business_day(self.config, self.clock.now())
        state = syncing.sync_state(self.store)
        cursor = state.cursor if state.cursor_day == today else None
        if self._cursor_day != today:
            self._cursors.clear()
            self._cursor_day = today
        for _ in range(self.max_pages):
            if self.stop.is_set():
                return
            page = self._call(partial(self.client.appointment_page, self._centre, today, cursor))
            self._check_cursor(cursor, page)
            converted, problems = self._convert(page)
            fresh_day = state.cursor_day != today
            if converted or problems or page.cursor != cursor or fresh_day:
                outcome = syncing.apply_appointments(
                    self.store, self.clock, self.config, converted, day=today, cursor=page.cursor
                )
                problems.extend(outcome.skipped)
                report.pulled += outcome.stored
                state = syncing.sync_state(self.store)
            report.skipped += len(problems)
            _log_problems(problems)
            if cursor is not None:
                self._cursors.append(cursor)
            cursor = page.cursor
            if not page.more:
                return
        log.info("more than %d pages of appointments: the rest next cycle", self.max_pages)

    def _check_cursor(self, asked: str | None, page: PullPage) -> None:
        if page.more and page.cursor == asked:
            raise MalformedAnswer("appointments: more pages promised but the cursor did not move")
        if page.cursor != asked and page.cursor in self._cursors:
            raise MalformedAnswer("appointments: the cursor went back to an earlier one")

    def _convert(self, page: PullPage) -> tuple[list[Appointment], list[str]]:
        key = self.store.cpr_key()
        converted: list[Appointment] = []
        problems = list(page.problems)
        for appointment in page.appointments:
            try:
                converted.append(to_stored_appointment(appointment, key, self._zone))
            except InvalidCpr:
                problems.append(f"appointment {appointment.id}: the CPR is not 9 digits")
        return converted, problems

    # Push ------------------------------------------------------------------

    def _push(self, report: CycleReport) -> None:
        acked = syncing.sync_state(self.store).acked_seq
        while not self.stop.is_set():
            batch = syncing.next_batch(self.store, acked, self.batch_size)
            if batch is None:
                return
            if batch.events:
                payload = [event_json(event, self._zone) for event in batch.events]
                try:
                    result = self._call(partial(self.client.push_events, self._centre, payload))
                except CentralRejected as rejection:
                    self._set_aside(rejection, report)
                    continue  # the rest of the batch again, without them
                report.pushed += len(result.accepted)
                report.duplicates += len(result.duplicates)
            syncing.acknowledge(self.store, self.clock, batch)
            acked = batch.last_seq

    def _set_aside(self, rejection: CentralRejected, report: CycleReport) -> None:
        pairs = [(r.id, r.reason) for r in rejection.rejected]
        added = syncing.set_events_aside(self.store, self.clock, pairs)
        if added == 0:
            # Never loop on a 422 that names nothing new.
            raise MalformedAnswer("events: a 422 naming only events already set aside")
        report.set_aside += added
        log.warning(
            "the central refused %d events (%s): set aside for the supervisor",
            added,
            rejection.rejected[0].reason[:120],
        )

    # Snapshot --------------------------------------------------------------

    def _snapshot(self, report: CycleReport, *, due: bool) -> None:
        now = self._monotonic()
        last = self._last_snapshot
        if not due and last is not None and now - last < self.snapshot_seconds:
            return
        status = queue_status(self.store, self.clock, self.config)
        snapshot = wire.QueueSnapshot(
            at=status.at.astimezone(self._zone),
            services=tuple(
                wire.ServiceQueue(s.service.code, s.waiting, s.eta_minutes) for s in status.services
            ),
            counters_open=sum(1 for c in status.counters if c.state is not CounterState.CLOSED),
        )
        self._call(partial(self.client.put_queue, self._centre, snapshot))
        self._last_snapshot = now
        report.snapshot = True

    # Plumbing --------------------------------------------------------------

    def _call(self, operation: Callable[[], T]) -> T:
        """``operation`` with a few quick retries of a lost connection, a 5xx or a short 429."""
        attempt = 1
        while True:
            try:
                result = operation()
            except (CentralUnreachable, CentralRateLimited) as error:
                if attempt >= self.retry_attempts:
                    raise
                delay = self.retry_backoff.delay_for(error)
                # A long Retry-After is waited out between cycles, not here.
                if delay > self.max_retry_wait or self.stop.wait(delay):
                    raise
                attempt += 1
            else:
                self.retry_backoff.reset()
                return result

    def _roll_day(self) -> None:
        today = business_day(self.config, self.clock.now())
        if today != self._rolled_day:
            roll_day(self.store, self.clock, self.config)
            self._rolled_day = today

    def _record(self, report: CycleReport) -> None:
        error = report.error
        if error is None:
            link, text = ONLINE, None
        elif isinstance(error, CentralAuthFailed):
            link, text = AUTH_FAILED, str(error)
        elif isinstance(error, MalformedAnswer):
            # The central answered, wrongly: reachable, but this is not a success.
            link, text = ONLINE, str(error)
        else:
            link, text = OFFLINE, str(error)
        syncing.record_link(self.store, self.clock, link, text)
        if (link, text) != self._last_said:
            self._last_said = (link, text)
            if text is None:
                log.info("central link online")
            elif link == AUTH_FAILED:
                log.error("central rejected our credentials: sync stopped (%s)", text)
            else:
                log.warning("central link %s: %s (%d events queued)", link, text, report.pending)


def _log_problems(problems: Sequence[str]) -> None:
    for problem in problems[:_LOGGED_PROBLEMS]:
        log.warning("appointment set aside: %s", problem)
    if len(problems) > _LOGGED_PROBLEMS:
        log.warning("%d more appointments of that page set aside", len(problems) - _LOGGED_PROBLEMS)


# -- the command -----------------------------------------------------------


def run_sync(
    store: Store,
    clock: Clock,
    config: CentreConfig,
    *,
    token_file: Path | None,
    once: bool,
    out: TextIO,
    stop: threading.Event | None = None,
) -> int:
    """``taboor sync [--once]``: the exit code (0 done, 4 not reached or failed, 5 credentials).

    With ``once``: one cycle, a summary line on ``out``; if another agent holds
    the lease, 0 (that agent syncs). Without: until SIGTERM/SIGINT or ``stop``.
    """
    url = config.central.url
    if not url:
        raise BadInput("no [central] url in the configuration: sync is off")
    try:
        token = load_token(token_file)
    except CentralAuthFailed as error:
        log.error("%s", error)
        lease = lease_for(store)
        if lease.try_acquire():  # else the agent that holds it speaks for the link
            try:
                syncing.record_link(store, clock, AUTH_FAILED, str(error))
            finally:
                lease.release()
        return EXIT_AUTH
    try:
        client = AgentClient(url, token)
    except ValueError as error:
        raise BadInput(f"[central] url: {error}") from None
    stopping = stop if stop is not None else threading.Event()
    with client, stop_on_signals(stopping.set, name="sync-stop"):
        agent = SyncAgent(store, clock, config, client, stop=stopping)
        if not once:
            return agent.run()
        report = agent.run_once()
    if report is None:
        out.write("another sync agent holds this centre's lease: nothing to do here\n")
        return EXIT_OK
    out.write(report.summary() + "\n")
    return report.exit_code


__all__ = [
    "AgentClient",
    "CycleReport",
    "PullPage",
    "SyncAgent",
    "parse_pull_page",
    "run_sync",
]
