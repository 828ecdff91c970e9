"""Device programs for the LAN test, each run on a host of its own: ``python -m tests.lan_devices``.

Each screen here is the real one, reaching the centre the way its ``taboor``
command does (:func:`taboor.bootstrap.device_port` with ``--server URL`` and
the token from ``TABOOR_DEVICE_TOKEN``), with its real view-model under
``QT_QPA_PLATFORM=offscreen``. The test drives it with one-line commands on
standard input (what a visitor, clerk or supervisor would tap) and reads what
it shows as JSON lines on standard output; the end of standard input stops it.

- ``kiosk``: ``walk-in SERVICE``, ``cpr DIGITS``; tells ``printed`` (a
  ticket's paper came out of its printer), ``message`` (a refusal).
- ``hall``: tells ``loaded`` (with the seq it follows from), ``connected``,
  ``shown`` (each call in its turn: its ``call_shown`` signal) and, at the
  end, the calls it lists (``calls_changed``).
- ``terminal COUNTER``: ``sign-in STAFF PIN``, ``call``, ``start``,
  ``finish``; tells ``done`` with the desk after each.
- ``counter-screen COUNTER``: ``rate N``; tells ``ticket``, ``rating``
  (the faces asking for a rating), ``rated``.
- ``supervisor``: ``sign-in STAFF PIN``, ``pause SERVICE``, ``resume
  SERVICE``; tells ``signed_in``, ``done`` and each ``report`` that arrives.
- ``counter COUNTER`` (no screen: a clerk's actions through the port alone):
  ``sign-in STAFF PIN``, ``serve`` (call, start, finish); tells ``served``.

And one-shot helpers: ``probe HOST PORT`` (a TCP connection: made, or why
not), ``wait-up URL`` (until the server answers), ``issue SERVICE COUNT``
(walk-in tickets through a kiosk's token) and ``book CPR SERVICE`` (on the
server's host: an invented booking slotted now, stored in the database).
"""

from __future__ import annotations

import argparse
import errno
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import httpx
from PySide6.QtCore import QObject, Signal

from centre.port import CentrePort
from server.client import RemoteCentre
from taboor.bootstrap import device_name, device_port
from ui.signals import emit


def say(event: str, **fields: Any) -> None:
    """Tell the test one thing, as one JSON line."""
    print(json.dumps({"event": event, **fields}, default=str), flush=True)


@contextmanager
def port_of(args: argparse.Namespace, role: str) -> Iterator[CentrePort]:
    """The centre port of this device, as ``taboor ROLE --server URL`` makes it."""
    with device_port(None, None, device=device_name(role), server=args.server) as port:
        # Given a server, a device never opens a database: this host has none to open.
        assert isinstance(port, RemoteCentre), port
        yield port


# -- one-shot helpers ------------------------------------------------------------


def probe(args: argparse.Namespace) -> int:
    """Open a TCP connection to HOST:PORT and say whether it was made, or the errno why not."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    try:
        sock.connect((args.host, args.port))
    except OSError as error:
        name = errno.errorcode.get(error.errno or 0, type(error).__name__)
        say("probe", connected=False, errno=name, text=str(error))
    else:
        say("probe", connected=True)
    finally:
        sock.close()
    return 0


def wait_up(args: argparse.Namespace) -> int:
    """Until the server at URL answers its health check (30 s at most)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{args.url}/api/v1/health", timeout=1).status_code == 200:
                say("up")
                return 0
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    say("down")
    return 1


def issue(args: argparse.Namespace) -> int:
    """Walk-in tickets through this kiosk's token."""
    with port_of(args, "kiosk") as port:
        for _ in range(args.count):
            view = port.issue_ticket(args.service, lang="en")
            say("issued", number=view.ticket.number, ticket=view.ticket.id)
    return 0


def book(args: argparse.Namespace) -> int:
    """Store an invented booking for CPR, slotted this minute (on the host holding the database)."""
    from centre import usecases as uc
    from centre.clock import SystemClock
    from taboor.bootstrap import open_centre
    from tests.helpers import make_appointment

    with open_centre() as centre:
        now = SystemClock().now().astimezone(centre.config.centre.zone)
        slot = now.replace(second=0, microsecond=0)
        appointment = make_appointment(centre.store, cpr=args.cpr, service=args.service, slot=slot)
        uc.store_appointments(centre.store, [appointment])
    say("booked", appointment=appointment.id, reference=appointment.reference)
    return 0


# -- screens ---------------------------------------------------------------------


class StandardInput(QObject):
    """Standard input's lines, read on a thread of their own, as signals on the GUI thread."""

    # str: one line, without its end
    line_read = Signal(str)
    # (no arguments) standard input was closed
    ended = Signal()

    def start(self) -> None:
        """Begin reading."""
        threading.Thread(target=self._read, name="stdin", daemon=True).start()

    def _read(self) -> None:
        for line in sys.stdin:
            if line.strip():
                emit(self.line_read, line.strip())
        emit(self.ended)


class Screen:
    """A screen the test drives: its commands, by name, and how it starts and stops."""

    def __init__(self) -> None:
        self.commands: dict[str, Callable[..., None]] = {}

    def start(self) -> None:
        """Start the screen."""

    def stop(self) -> None:
        """Stop the screen."""

    def obey(self, line: str) -> None:
        """Run one command line; a failure is told, not raised."""
        name, *words = line.split()
        try:
            self.commands[name](*words)
        except Exception as error:  # told to the test, which fails with it
            say("error", command=name, text=f"{type(error).__name__}: {error}")


def run_screen(make: Callable[[CentrePort], Screen], args: argparse.Namespace, role: str) -> int:
    """Build a screen on this device's port and run it until standard input ends."""
    from ui.app import application

    app = application()
    with port_of(args, role) as port:
        screen = make(port)
        stdin = StandardInput()
        stdin.line_read.connect(screen.obey)
        stdin.ended.connect(app.quit)
        screen.start()
        stdin.start()
        try:
            app.exec()
        finally:
            screen.stop()
    return 0


def _connected(connected: bool) -> None:
    say("connected", value=connected)


class KioskScreen(Screen):
    """The visitor kiosk, wired as ``taboor kiosk`` wires it, printing on this host's printer."""

    def __init__(self, port: CentrePort) -> None:
        super().__init__()
        from kiosk.app import build_kiosk
        from taboor.printing import kiosk_printer, slip_for

        self.kiosk = build_kiosk(port, partial(slip_for, port.config), kiosk_printer(port.config))
        vm = self.kiosk.view_model
        self._service: str | None = None
        vm.services_listed.connect(self._listed)
        vm.ticket_printed.connect(self._printed)
        vm.print_failed.connect(lambda view: say("print_failed", number=view.ticket.number))
        vm.message_shown.connect(lambda message: say("message", text=message.text))
        self.commands = {"walk-in": self.walk_in, "cpr": self.check_in}

    def start(self) -> None:
        self.kiosk.start()

    def stop(self) -> None:
        self.kiosk.stop()

    def walk_in(self, service: str) -> None:
        """Tap "take a ticket", then the service."""
        self._service = service
        self.kiosk.view_model.go_home()
        self.kiosk.view_model.start_walk_in()

    def check_in(self, digits: str) -> None:
        """Tap "I have a booking", type the CPR on the pad, confirm."""
        vm = self.kiosk.view_model
        vm.go_home()
        vm.start_cpr()
        for digit in digits:
            vm.press_digit(digit)
        vm.submit_cpr()

    def _listed(self, _choices: object) -> None:
        if self._service is not None:
            service, self._service = self._service, None
            self.kiosk.view_model.choose_service(service)

    def _printed(self, view: Any) -> None:
        ticket = view.ticket
        say(
            "printed",
            number=ticket.number,
            ticket=ticket.id,
            source=str(ticket.source),
            appointment=ticket.appointment_id,
        )


class HallScreen(Screen):
    """The hall's view-model, with a short turn for each call so a burst is shown quickly."""

    def __init__(self, port: CentrePort) -> None:
        super().__init__()
        from display.follower import EventFollower
        from display.hall import HallViewModel

        self.follower = EventFollower.for_port(port, name="taboor-hall")
        self.vm = HallViewModel(port, self.follower, highlight_seconds=0.05)
        self.vm.loaded.connect(lambda: say("loaded", head=self.follower.last_seq))
        self.vm.connection_changed.connect(_connected)
        self.vm.call_shown.connect(self._shown)

    def start(self) -> None:
        self.vm.start()

    def stop(self) -> None:
        say("calls", calls=[call.number for call in self.vm.calls])
        self.vm.stop()

    def _shown(self, call: Any) -> None:
        say(
            "shown",
            number=call.number,
            ticket=call.ticket_id,
            counter=call.counter,
            recall=call.recall,
        )


def _desk(desk: Any) -> dict[str, Any]:
    ticket = desk.ticket
    return {
        "number": ticket.number if ticket is not None else None,
        "state": str(ticket.state) if ticket is not None else None,
        "staff": desk.staff_id,
    }


class TerminalScreen(Screen):
    """A counter's staff terminal, as ``taboor counter C`` builds it."""

    def __init__(self, port: CentrePort, counter: str) -> None:
        super().__init__()
        from display.app import build_counter

        self.window, self.vm = build_counter(port, counter, lang="en")
        self._message = ""
        self.vm.loaded.connect(lambda: say("loaded"))
        self.vm.connection_changed.connect(_connected)
        self.vm.message_shown.connect(self._remember)
        self.vm.sign_in_message.connect(self._remember)
        self.vm.action_done.connect(self._done)
        self.commands = {
            "sign-in": self.vm.sign_in,
            "call": self.vm.call_next,
            "start": self.vm.start_serving,
            "finish": self.vm.finish,
        }

    def start(self) -> None:
        self.vm.start()

    def stop(self) -> None:
        self.vm.stop()
        self.window.close()

    def _remember(self, text: str, _is_error: bool) -> None:
        self._message = text

    def _done(self, action: str) -> None:
        clerk = self.vm.clerk
        say(
            "done",
            action=action,
            clerk=clerk.name_en if clerk is not None else None,
            message=self._message,
            **_desk(self.vm.desk),
        )


class CounterScreen(Screen):
    """The screen over a counter, facing its visitors."""

    def __init__(self, port: CentrePort, counter: str) -> None:
        super().__init__()
        from display.app import build_counter_screen

        self.window, self.vm = build_counter_screen(port, counter)
        self.vm.loaded.connect(lambda: say("loaded"))
        self.vm.connection_changed.connect(_connected)
        self.vm.ticket_changed.connect(self._ticket)
        self.vm.rating_changed.connect(self._rating)
        self.vm.rating_recorded.connect(lambda rating: say("rated", rating=rating))
        self.commands = {"rate": lambda rating: self.vm.rate(int(rating))}

    def start(self) -> None:
        self.vm.start()

    def stop(self) -> None:
        self.vm.stop()
        self.window.close()

    def _ticket(self, call: Any) -> None:
        if call is None:
            say("ticket", number=None, state=None)
        else:
            say("ticket", number=call.number, state=str(call.state))

    def _rating(self, prompt: Any) -> None:
        if prompt is not None and not prompt.thanked:
            say("rating", number=prompt.number, ticket=prompt.ticket_id)


class SupervisorScreen(Screen):
    """The supervisor's screen, as ``taboor supervisor`` builds it (without reprints)."""

    def __init__(self, port: CentrePort) -> None:
        super().__init__()
        from display.app import build_supervisor

        self.window, self.vm = build_supervisor(port)
        self.vm.loaded.connect(lambda: say("loaded"))
        self.vm.connection_changed.connect(_connected)
        self.vm.signed_in_changed.connect(
            lambda member: say("signed_in", staff=member.id if member is not None else None)
        )
        self.vm.report_changed.connect(self._report)
        self.vm.action_done.connect(lambda action: say("done", action=action))
        self.commands = {
            "sign-in": self.vm.sign_in,
            "pause": self.vm.pause_service,
            "resume": self.vm.resume_service,
        }

    def start(self) -> None:
        self.vm.start()

    def stop(self) -> None:
        self.vm.stop()
        self.window.close()

    def _report(self, report: Any) -> None:
        say(
            "report",
            paused=[s.service.code for s in report.status.services if s.paused],
            issued=report.issued,
            served=report.served,
            devices={d.name: d.last_address for d in report.enrolled},
        )


# -- a counter without a screen ------------------------------------------------------


def counter(args: argparse.Namespace) -> int:
    """A clerk's actions through the port alone, one command line at a time."""
    with port_of(args, "counter") as port:
        for line in sys.stdin:
            name, *words = line.split()
            if name == "sign-in":
                staff_id, pin = words
                port.sign_in(args.counter, staff_id, pin)
                say("signed_in", staff=staff_id)
            elif name == "serve":
                view = port.call_next(args.counter)
                if view is None:
                    say("nobody")
                    continue
                port.start_serving(args.counter, expected=view.ticket.id)
                port.finish(args.counter, expected=view.ticket.id)
                say("served", number=view.ticket.number, ticket=view.ticket.id)
    return 0


# -- the command line -----------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The device programs and their arguments."""
    top = argparse.ArgumentParser(prog="python -m tests.lan_devices")
    sub = top.add_subparsers(dest="device", required=True)

    def device(name: str) -> argparse.ArgumentParser:
        made = sub.add_parser(name)
        made.add_argument("--server", required=True, metavar="URL")
        return made

    probing = sub.add_parser("probe")
    probing.add_argument("host")
    probing.add_argument("port", type=int)
    sub.add_parser("wait-up").add_argument("url")
    booking = sub.add_parser("book")
    booking.add_argument("cpr")
    booking.add_argument("service")
    issuing = device("issue")
    issuing.add_argument("service")
    issuing.add_argument("count", type=int)
    for name in ("kiosk", "hall", "supervisor"):
        device(name)
    for name in ("terminal", "counter-screen", "counter"):
        device(name).add_argument("counter")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one device program."""
    args = parser().parse_args(argv)
    headless: dict[str, Callable[[argparse.Namespace], int]] = {
        "probe": probe,
        "wait-up": wait_up,
        "issue": issue,
        "book": book,
        "counter": counter,
    }
    if args.device in headless:
        return headless[args.device](args)
    at = getattr(args, "counter", "")
    screens: dict[str, tuple[Callable[[CentrePort], Screen], str]] = {
        "kiosk": (KioskScreen, "kiosk"),
        "hall": (HallScreen, "hall"),
        "supervisor": (SupervisorScreen, "supervisor"),
        "terminal": (partial(TerminalScreen, counter=at), "counter"),
        "counter-screen": (partial(CounterScreen, counter=at), "counter-screen"),
    }
    make, role = screens[args.device]
    return run_screen(make, args, role)


__all__ = ["main", "say"]


if __name__ == "__main__":
    sys.exit(main())
