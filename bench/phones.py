"""Phones following their tickets: a call to the called ticket's page, with 1,000 pages open.

``taboor serve`` runs as its own process (as :mod:`server_latency` starts it)
with ``[public] url`` its own address, so every ticket carries a phone link:

- **follow load**: kiosks issue ``--phones`` walk-in tickets through the API;
  the bench opens each ticket's stream (``GET /api/v1/public/tickets/{ref}/
  stream``) with asyncio and httpx and reads its ``event: ticket`` messages.
  Then clerks at ``--counters`` counters call ``--calls`` tickets, ``--rate``
  a second in all (a counter starts and finishes its last ticket just before
  its next call). Call to page runs from just before the bench sends
  ``POST /counters/{c}/call`` to the moment the called ticket's stream hands
  over a view with ``"state":"called"``, both read on CLOCK_MONOTONIC in this
  process. The server's RSS is read before the phones connect and at the end
  (every page still open but the served ones), its CPU (% of one core) over
  the calls;
- **first load**: the bytes a phone downloads opening ``/t/{ref}``: the page,
  every file its ``src``/``href`` attributes name, the ``/p/`` files its
  scripts name (the service worker), and the strings of ``--lang``.

The server allows an address 50 open pages and 5 requests a second (bursts
of 60), and neither can be raised from ``taboor serve`` or its config: the
phones come from ``--phones`` / 40 loopback addresses (127.0.0.2 and up), as
phones on the centre's guest Wi-Fi would, so the server runs as shipped.

Prints one line per database, e.g. ``sqlite phones=1000
call_to_page_p95_ms=412.0 call_to_page_p50_ms=260.3 rss_mb=112.5
rss_start_mb=80.1 cpu_pct=35 first_load_kb=52.3``; ``--details`` adds lines
on stderr. PostgreSQL runs when ``TABOOR_BENCH_PG`` (or ``TABOOR_TEST_PG``)
names a server it may create schemas in. Never asserts a timing; a page that
never shows its call, a refused stream or a server that will not start is a
one-line message and exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import httpx
from databases import print_each, wanted_databases
from served import (
    API,
    SERVICES,
    Rotation,
    Served,
    cpu_seconds,
    issue,
    now,
    percentile,
    rss_mb,
    serving,
)
from sqlalchemy.exc import SQLAlchemyError

PUBLIC = f"{API}/public"
#: Phone pages one loopback address holds open (the server refuses more than 50).
PAGES_PER_ADDRESS = 40
#: The address the first load comes from (none of the phones' addresses).
FIRST_LOAD_ADDRESS = "127.0.0.254"
#: Seconds a called ticket's page may take to show the call before the bench gives up.
CALL_SHOWN_SECONDS = 15.0
CALLED = b'"state":"called"'
ATTRIBUTE = re.compile(rb"""\b(?:src|href)\s*=\s*["']([^"']+)["']""")
SCRIPT_FILE = re.compile(rb"""["'`](/p/[\w.-]+)["'`]""")


class BenchFailed(RuntimeError):
    """Something the figures cannot stand on: a refused stream, a call never shown."""


# -- tickets and their pages --------------------------------------------------------


@dataclass(frozen=True)
class Phone:
    """A walk-in ticket and its link's last part (``{ticket id}.{mac}``)."""

    ticket_id: str
    number: str
    ref: str


def issue_tickets(served: Served, count: int) -> list[Phone]:
    """``count`` walk-in tickets issued by kiosks through the API, each with its phone link."""
    kiosks = served.devices("kiosk", max(1, count // 100))  # under a device's burst of 200
    phones = []
    for index in range(count):
        body = issue(kiosks, SERVICES[index % len(SERVICES)])
        link = body.get("link")
        if not link:
            raise BenchFailed("issued tickets carry no link: is [public] url set?")
        phones.append(Phone(body["id"], body["number"], str(link).rsplit("/", 1)[-1]))
    return phones


@dataclass
class Pages:
    """Every phone's stream, read on this process's loop: when each showed its call."""

    url: str
    phones: list[Phone]
    called_at: dict[str, float] = field(default_factory=dict)
    messages: int = 0
    _shown: dict[str, asyncio.Event] = field(default_factory=dict)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def open(self) -> None:
        """Open every page's stream, a few at a time; return once each showed its ticket."""
        for start in range(0, len(self.phones), PAGES_PER_ADDRESS):
            address = f"127.0.0.{2 + start // PAGES_PER_ADDRESS}"
            transport = httpx.AsyncHTTPTransport(
                local_address=address,
                limits=httpx.Limits(max_connections=PAGES_PER_ADDRESS + 5),
            )
            client = httpx.AsyncClient(
                base_url=self.url, transport=transport, timeout=httpx.Timeout(30, read=60)
            )
            self._clients.append(client)
            opened = []
            for phone in self.phones[start : start + PAGES_PER_ADDRESS]:
                self._shown[phone.ticket_id] = asyncio.Event()
                first = asyncio.Event()
                self._tasks.append(asyncio.create_task(self._follow(client, phone, first)))
                opened.append(first.wait())
            try:
                async with asyncio.timeout(60):
                    await asyncio.gather(*opened)
            except TimeoutError:
                self._raise_failed()
                raise BenchFailed("phone pages did not open within 60 s") from None

    async def shown(self, ticket_id: str, timeout: float) -> float:
        """When the page of ``ticket_id`` showed its call (waiting up to ``timeout``)."""
        try:
            async with asyncio.timeout(timeout):
                await self._shown[ticket_id].wait()
        except TimeoutError:
            self._raise_failed()
            raise BenchFailed(f"the page of ticket {ticket_id} never showed its call") from None
        return self.called_at[ticket_id]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for client in self._clients:
            await client.aclose()

    def _raise_failed(self) -> None:
        for task in self._tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise BenchFailed(f"a phone's stream failed: {task.exception()}")

    async def _follow(self, client: httpx.AsyncClient, phone: Phone, first: asyncio.Event) -> None:
        path = f"{PUBLIC}/tickets/{phone.ref}/stream"
        async with client.stream("GET", path) as answer:
            if answer.status_code != 200:
                await answer.aread()
                raise BenchFailed(f"stream refused: {answer.status_code} {answer.text}")
            pending = b""
            async for chunk in answer.aiter_raw():
                at = now()
                pending += chunk
                *messages, pending = pending.split(b"\n\n")
                for message in messages:
                    if not message.startswith(b"event: ticket"):
                        continue  # the retry hint, "connected", keep-alives
                    self.messages += 1
                    first.set()
                    if CALLED in message and phone.ticket_id not in self.called_at:
                        self.called_at[phone.ticket_id] = at
                        self._shown[phone.ticket_id].set()


# -- the follow load --------------------------------------------------------------


@dataclass
class Follow:
    """What ``--phones`` open pages cost the server while tickets are called."""

    call_to_page_ms: list[float]
    rss_start_mb: float
    rss_mb: float
    cpu_pct: float
    connect_s: float
    messages: int
    bench_cpu_pct: float


def follow_load(served: Served, phones: list[Phone], args: argparse.Namespace) -> Follow:
    """Open every page, then call ``args.calls`` tickets at ``args.counters`` counters."""
    counter_ids = [str(c) for c in range(1, args.counters + 1)]
    counters = {c: served.devices("counter", 1, c) for c in counter_ids}
    time.sleep(1.0)  # the issuing's garbage and threads settle
    rss_start = rss_mb(served.pid)
    return asyncio.run(_follow_load(served, phones, counters, rss_start, args))


async def _follow_load(
    served: Served,
    phones: list[Phone],
    counters: dict[str, Rotation],
    rss_start: float,
    args: argparse.Namespace,
) -> Follow:
    pages = Pages(served.url, phones)
    started = now()
    try:
        await pages.open()
        connect_s = now() - started
        await asyncio.sleep(1.0)
        followed = {phone.ticket_id for phone in phones}
        counter_ids = list(counters)
        sent: dict[str, float] = {}
        at_counter: dict[str, str] = {}
        cpu, bench_cpu, calls_started = cpu_seconds(served.pid), time.process_time(), now()
        for index in range(args.calls):
            await asyncio.sleep(max(0.0, calls_started + index / args.rate - now()))
            counter_id = counter_ids[index % len(counter_ids)]
            counter = counters[counter_id]
            previous = at_counter.pop(counter_id, None)
            if previous is not None:  # its page showed the call: the visitor came
                await pages.shown(previous, CALL_SHOWN_SECONDS)
                await asyncio.to_thread(_finish, counter, counter_id)
            ticket_id, at = await asyncio.to_thread(_call, counter, counter_id)
            if ticket_id not in followed:
                raise BenchFailed(f"counter {counter_id} called a ticket no phone follows")
            sent[ticket_id] = at
            at_counter[counter_id] = ticket_id
        latencies = [
            (await pages.shown(t, CALL_SHOWN_SECONDS) - at) * 1000 for t, at in sent.items()
        ]
        ended = now()
        cpu_pct = (cpu_seconds(served.pid) - cpu) / (ended - calls_started) * 100
        bench_cpu_pct = (time.process_time() - bench_cpu) / (ended - calls_started) * 100
        rss_end = rss_mb(served.pid)
    finally:
        await pages.close()
    return Follow(latencies, rss_start, rss_end, cpu_pct, connect_s, pages.messages, bench_cpu_pct)


def _call(counter: Rotation, counter_id: str) -> tuple[str, float]:
    """Call the next ticket at the counter; its id, and when the call was sent."""
    at = now()
    answer = counter.post(f"{API}/counters/{counter_id}/call")
    answer.raise_for_status()
    body = answer.json()
    if body is None:
        raise BenchFailed(f"counter {counter_id} found nobody to call")
    return str(body["id"]), at


def _finish(counter: Rotation, counter_id: str) -> None:
    for action in ("start", "done"):
        counter.post(f"{API}/counters/{counter_id}/{action}").raise_for_status()


# -- the first load ---------------------------------------------------------------


def first_load(served: Served, ref: str, lang: str) -> dict[str, int]:
    """The bytes a phone downloads opening a ticket's page, file by file."""
    transport = httpx.HTTPTransport(local_address=FIRST_LOAD_ADDRESS)
    sizes: dict[str, int] = {}
    with httpx.Client(base_url=served.url, transport=transport, timeout=30) as client:

        def fetch(path: str) -> bytes:
            answer = client.get(path)
            if answer.status_code != 200:
                raise BenchFailed(f"GET {path}: {answer.status_code}")
            sizes[path] = answer.num_bytes_downloaded
            return answer.content

        page = fetch(f"/t/{ref}")
        named = [m.decode() for m in ATTRIBUTE.findall(page)]
        files = [path for path in named if path.startswith("/") and not path.startswith("//")]
        scripts = [fetch(path) for path in files if path not in sizes and path.endswith(".js")]
        for path in files:
            if path not in sizes:
                fetch(path)
        for script in scripts:
            for found in SCRIPT_FILE.findall(script):
                if found.decode() not in sizes:
                    fetch(found.decode())
        fetch(f"/p/{lang}.json")
    return sizes


# -- the whole bench ------------------------------------------------------------------


def bench_database(
    name: str, make_db: Callable[[], AbstractContextManager[str]], args: argparse.Namespace
) -> str:
    """Both measures on one kind of database; its line."""
    with serving(make_db, public=True) as served:
        phones = issue_tickets(served, args.phones)
        sizes = first_load(served, phones[-1].ref, args.lang)
        follow = follow_load(served, phones, args)
    latencies = follow.call_to_page_ms
    if args.details:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        files = " ".join(f"{path}={size}" for path, size in sizes.items())
        print(
            f"{name}: {os.cpu_count()} CPUs, load average {load}; "
            f"connect_s={follow.connect_s:.1f} messages={follow.messages} "
            f"max_ms={max(latencies):.1f} min_ms={min(latencies):.1f} n={len(latencies)} "
            f"bench_cpu_pct={follow.bench_cpu_pct:.0f}; first load {files}",
            file=sys.stderr,
            flush=True,
        )
    return (
        f"{name} phones={args.phones} "
        f"call_to_page_p95_ms={percentile(latencies, 0.95):.1f} "
        f"call_to_page_p50_ms={statistics.median(latencies):.1f} "
        f"rss_mb={follow.rss_mb:.1f} rss_start_mb={follow.rss_start_mb:.1f} "
        f"cpu_pct={follow.cpu_pct:.0f} first_load_kb={sum(sizes.values()) / 1024:.1f}"
    )


def raise_file_limit(needed: int) -> None:
    """Let this process, and the server it starts, hold ``needed`` descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        if wanted < needed:
            raise BenchFailed(f"{needed} file descriptors needed; the hard limit is {hard}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="calls a second, all told")
    parser.add_argument("--counters", type=int, choices=range(1, 6), default=5)
    parser.add_argument("--lang", default="en", help="the language of the first load's strings")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--details", action="store_true", help="more figures, on stderr")
    args = parser.parse_args()
    if args.calls > args.phones:
        parser.error("--calls must not exceed --phones")
    if args.phones > PAGES_PER_ADDRESS * 250:
        parser.error(f"--phones: at most {PAGES_PER_ADDRESS * 250} (250 loopback addresses)")
    raise_file_limit(2 * args.phones + 1024)
    return print_each(
        "phones",
        wanted_databases(args.databases),
        lambda name, make: bench_database(name, make, args),
        (RuntimeError, OSError, httpx.HTTPError, SQLAlchemyError),
    )


if __name__ == "__main__":
    sys.exit(main())
