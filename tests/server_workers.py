"""Devices as worker processes reaching a centre server: ``python -m tests.server_workers SPEC``.

``SPEC`` is a JSON file naming a role, the server's URL, a stop file and the
devices this process runs, a thread each, and each with its own token, its
own HTTP adapter (its own connections) and its own file of what it was told.
A few processes hold the 30 devices of a test, as a few PCs would, rather
than 30 interpreters starting on two cores. Each device runs until the stop
file appears, keeps going while the server is away (``CentreUnreachable``:
it waits a moment and carries on, as a device does), and writes what it was
told to its own file, one JSON line each:

- ``kiosk``: issues walk-in tickets and checks in its bookings by CPR; a line
  per ticket the server answered with. A check-in that got no answer is tried
  again; "already checked in" then means the first one went through unseen,
  and the kiosk counts no ticket (the visitor is sent to the desk).
- ``counter``: calls, now and then recalls, starts and finishes at its
  counter; a line per ticket it was told it called. After a lost answer it
  asks the server what its counter holds and goes on from there.
- ``hall``: follows the event stream (:class:`server.client.StreamFeed`) from
  a seq on; a line per event it was handed. Its stop file holds the seq it
  must reach before it stops.

The process prints ``ready`` once every device is running, and at the end
a JSON line: each device's summary (how often the server was away, how often
the rules refused), in the order of the spec.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from centre.domain import TicketState
from centre.errors import AlreadyCheckedIn, CentreUnreachable, RateLimited, Refused
from server.client import RemoteCentre

#: Walk-in services the kiosks issue in turn (the demo centre's).
SERVICES = ["licence-renewal", "licence-lost", "vehicle-registration", "traffic-fines"]
#: A moment between a device's actions, and its wait after the server was away.
PACE_SECONDS = 0.02
AWAY_SECONDS = 0.2


def connect(url: str, token: str) -> RemoteCentre:
    """The port over HTTP, once the server gives its configuration."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return RemoteCentre.connect(url, token)
        except CentreUnreachable:
            if time.monotonic() > deadline:
                raise
            time.sleep(AWAY_SECONDS)


def note(out: TextIO, **line: Any) -> None:
    """One line of what the device was told, on disk at once."""
    out.write(json.dumps(line) + "\n")
    out.flush()


class Tally:
    """How a device's requests went."""

    def __init__(self) -> None:
        self.away = 0
        self.refused: dict[str, int] = {}

    def refusal(self, error: Refused) -> None:
        self.refused[error.code] = self.refused.get(error.code, 0) + 1
        if isinstance(error, RateLimited):
            time.sleep(float(error.params.get("seconds", 1)))

    def lost(self) -> None:
        self.away += 1
        time.sleep(AWAY_SECONDS)

    def summary(self) -> dict[str, Any]:
        return {"away": self.away, "refused": self.refused}


def run_kiosk(centre: RemoteCentre, out: TextIO, stop: Path, cprs: list[str], tally: Tally) -> None:
    """Issue and check in until stopped."""
    turn = 0
    while not stop.exists():
        turn += 1
        checking_in = turn % 3 == 0 and bool(cprs)
        try:
            if checking_in:
                view = centre.check_in_by_cpr(cprs[0])
            else:
                view = centre.issue_ticket(SERVICES[turn % len(SERVICES)])
        except CentreUnreachable:
            tally.lost()  # no answer: no ticket; a booking is tried again
            continue
        except AlreadyCheckedIn as error:
            tally.refusal(error)  # checked in unseen: the visitor goes to the desk
            cprs.pop(0)
            continue
        except Refused as error:
            tally.refusal(error)
            continue
        if checking_in:
            cprs.pop(0)
        ticket = view.ticket
        note(out, id=ticket.id, number=ticket.number, source=ticket.source.value)
        time.sleep(PACE_SECONDS)


def run_counter(centre: RemoteCentre, out: TextIO, stop: Path, counter: str, tally: Tally) -> None:
    """Call, recall now and then, start and finish until stopped."""
    calls = 0
    while not stop.exists():
        try:
            ticket = centre.counter_desk(counter).ticket
            if ticket is None:
                view = centre.call_next(counter)
                if view is None:
                    time.sleep(PACE_SECONDS * 5)
                    continue
                ticket = view.ticket
                calls += 1
                note(out, id=ticket.id, number=ticket.number)
                if calls % 4 == 0:
                    centre.recall(counter, expected=ticket.id)
            if ticket.state is TicketState.CALLED:
                centre.start_serving(counter, expected=ticket.id)
            centre.finish(counter, expected=ticket.id)
        except CentreUnreachable:
            tally.lost()
            continue
        except Refused as error:
            tally.refusal(error)
            continue
        time.sleep(PACE_SECONDS)


def run_hall(
    centre: RemoteCentre,
    out: TextIO,
    stop: Path,
    after: int,
    tally: Tally,
    ready: Callable[[], None],
) -> None:
    """Follow the stream from ``after`` until the seq in the stop file is reached."""
    feed = centre.event_feed("hall-worker")
    seq = after
    told_ready = False
    while True:
        until = int(stop.read_text() or 0) if stop.exists() else None
        if until is not None and seq >= until:
            break
        try:
            _head, events = feed.log.read_after(seq, 500)
            if not told_ready:
                ready()
                told_ready = True
            for event in events:
                note(out, seq=event.seq, type=event.type.value, ticket=event.ticket_id)
                seq = event.seq or seq
            if not events:
                feed.wakeup.wait(0.5)
        except CentreUnreachable:
            tally.lost()
    feed.log.close()  # type: ignore[attr-defined]


def run_device(
    role: str, url: str, stop: Path, device: dict[str, Any], tally: Tally, ready: Callable[[], None]
) -> None:
    """One device, on its own adapter, until stopped."""
    centre = connect(url, device["token"])
    with Path(device["told"]).open("a", encoding="utf-8") as out:
        if role == "hall":
            run_hall(centre, out, stop, int(device.get("after", 0)), tally, ready)
        else:
            ready()
            if role == "kiosk":
                run_kiosk(centre, out, stop, list(device.get("cprs", [])), tally)
            else:
                run_counter(centre, out, stop, str(device["counter"]), tally)
    centre.close()


def main() -> int:
    """Run the devices of the spec file given on the command line, a thread each."""
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    role, url, stop = spec["role"], spec["url"], Path(spec["stop"])
    if role not in ("kiosk", "counter", "hall"):
        raise SystemExit(f"unknown role {role!r}")
    tallies = [Tally() for _ in spec["devices"]]
    starting = threading.Semaphore(0)
    failed: list[BaseException] = []

    def run(device: dict[str, Any], tally: Tally) -> None:
        try:
            run_device(role, url, stop, device, tally, starting.release)
        except BaseException as error:
            failed.append(error)
            starting.release()
            raise

    threads = [
        threading.Thread(target=run, args=(device, tally), name=f"{role}-{n}")
        for n, (device, tally) in enumerate(zip(spec["devices"], tallies, strict=True))
    ]
    for thread in threads:
        thread.start()
    for _ in threads:
        starting.acquire()
    print("failed" if failed else "ready", flush=True)
    for thread in threads:
        thread.join()
    print(json.dumps([tally.summary() for tally in tallies]), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
