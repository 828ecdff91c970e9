"""The ``taboor`` command line (CONTRACTS.md section 1).

Exit codes: 0 done, 2 bad input, 3 refused by the rules, 1 anything
unexpected. Errors are one line on stderr, never a traceback; unexpected
ones leave their traceback in ``errors.log`` in the data directory.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

from centre.errors import BadInput
from taboor.handlers import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_UNEXPECTED,
    Command,
    Handler,
    centre_for,
    print_json,
)

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from centre.port import CentrePort
    from taboor.bootstrap import Centre


class PrintFailed(Exception):
    """A printer refused or failed; the ticket, if any, is still valid and recorded."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``taboor`` command; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "command", None) == "simulate":
        # The simulator parses its own options (taboor simulate --help lists them).
        args.options = [*args.options, *extra]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    return run(handler, args)


def run(handler: Handler, args: argparse.Namespace) -> int:  # noqa: PLR0911 - one per failure
    """Run a handler, turning Taboor's errors into one line and an exit code."""
    from centre.errors import ConfigError, TaboorError

    try:
        return handler(args)
    except ConfigError as error:
        for problem in error.problems:
            _fail(problem)
        return error.exit_code
    except TaboorError as error:
        _fail(str(error))
        return error.exit_code
    except PrintFailed as error:
        _fail(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the last line of defence: no traceback on screen
        return _unexpected(error)


def _fail(message: str) -> None:
    print(f"taboor: {message}", file=sys.stderr)


def _unexpected(error: Exception) -> int:
    from sqlalchemy.exc import DBAPIError

    from taboor.bootstrap import data_dir

    if isinstance(error, DBAPIError) and error.connection_invalidated is False:
        summary = str(error.orig).splitlines()[0] if error.orig else type(error).__name__
        message = f"database error: {summary[:200]}"
    else:
        first = str(error).splitlines()[0] if str(error) else ""
        message = f"unexpected error: {type(error).__name__}: {first[:200]}"
    log = data_dir() / "errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            traceback.print_exception(error, file=handle)
        message += f" (details in {log})"
    except OSError:
        pass
    _fail(message)
    return EXIT_UNEXPECTED


# -- parser ------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with its errors as one line, like every other error of ``taboor``."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = _Parser(
        prog="taboor",
        description="Taboor (طابور): the waiting hall of a government service centre.",
    )
    parser.add_argument("--config", metavar="PATH", help="centre configuration (TOML)")
    parser.add_argument("--db", metavar="URL", help="database URL (SQLAlchemy)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Handler, help_text: str, *, add_help: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, add_help=add_help)
        sub.set_defaults(handler=handler, command=name)
        return sub

    _visitor_commands(command)
    _counter_commands(command)
    _supervisor_commands(command)
    _later_commands(command)
    from taboor import hq, reporting, serving, staffing, webhooks

    staffing.register(command)
    reporting.register(command)
    webhooks.register(command)
    serving.register(command)
    hq.register(command)
    return parser


def device_options(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """A screen's or device's way to the centre: its server and token (none: this machine's
    own store)."""
    sub.add_argument(
        "--server",
        metavar="URL",
        help="the centre server (or TABOOR_SERVER); the token comes from TABOOR_DEVICE_TOKEN "
        "or --token-file, and no database is opened",
    )
    sub.add_argument("--token-file", metavar="PATH", help="a file holding this device's token")
    sub.add_argument(
        "--ca-file",
        metavar="PATH",
        help="the centre's certificate when its server uses one of its own (or TABOOR_SERVER_CA)",
    )
    return sub


def port_for(args: argparse.Namespace, device: str) -> AbstractContextManager[CentrePort]:
    """The centre port of the screen or device ``args`` describe (see ``device_options``)."""
    from taboor.bootstrap import device_port

    return device_port(
        args.config,
        args.db,
        device=device,
        server=getattr(args, "server", None),
        token_file=getattr(args, "token_file", None),
        ca_file=getattr(args, "ca_file", None),
    )


def _with_json(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sub.add_argument("--json", action="store_true", help="print JSON")
    return sub


def _visitor_commands(command: Command) -> None:
    _with_json(command("init", cmd_init, "create or upgrade the schema"))
    issue = command("issue", cmd_issue, "issue a walk-in ticket")
    issue.add_argument("service", metavar="SERVICE", help="service code or ticket prefix")
    issue.add_argument("--priority", default="normal", metavar="CLASS")
    issue.add_argument("--lang", default="ar", choices=["ar", "en"])
    issue.add_argument("--print", action="store_true", dest="print_ticket")

    checkin = command("checkin", cmd_checkin, "check in today's appointment")
    who = checkin.add_mutually_exclusive_group(required=True)
    who.add_argument("--cpr", metavar="CPR")
    who.add_argument("--qr", metavar="PAYLOAD")
    checkin.add_argument("--appointment", metavar="ID", help="which one, when a CPR has several")
    checkin.add_argument(
        "--service",
        metavar="SERVICE",
        help="with --cpr, only while the central link is down: a CPR whose booking is not here "
        "yet gets a ticket for SERVICE, marked for the counter to verify",
    )
    checkin.add_argument("--lang", default="ar", choices=["ar", "en"])
    checkin.add_argument("--print", action="store_true", dest="print_ticket")


def _counter_commands(command: Command) -> None:
    command("call", cmd_call, "call the next ticket to a counter").add_argument("counter")
    for name, help_text in (
        ("recall", "call the counter's current ticket again"),
        ("start", "start serving the counter's current ticket"),
        ("done", "finish the counter's current ticket"),
        ("no-show", "mark the counter's current ticket as not come"),
    ):
        command(name, cmd_counter_action, help_text).add_argument("counter")
    transfer = command("transfer", cmd_transfer, "send the current ticket to another service")
    transfer.add_argument("counter")
    transfer.add_argument("service")
    command("open", cmd_counter_open_close, "open a counter").add_argument("counter")
    command("close", cmd_counter_open_close, "close a counter").add_argument("counter")


def _supervisor_commands(command: Command) -> None:
    pause = command("pause", cmd_pause, "stop issuing tickets for a service")
    pause.add_argument("service")
    pause.add_argument("--reason", default="")
    resume = command("resume", cmd_resume, "issue tickets for a paused service again")
    resume.add_argument("service")
    message = command(
        "message", cmd_message, "set the hall screens' message line (none given: clear it)"
    )
    message.add_argument("--ar", default="", metavar="TEXT", help="the message in Arabic")
    message.add_argument("--en", default="", metavar="TEXT", help="the message in English")
    cancel = command("cancel", cmd_cancel, "withdraw a waiting ticket (id or number)")
    cancel.add_argument("ticket")
    cancel.add_argument("--reason", default="")
    _with_json(command("status", cmd_status, "queue snapshot"))
    tickets = _with_json(command("tickets", cmd_tickets, "every ticket of the business day"))
    tickets.add_argument("--date", metavar="YYYY-MM-DD")
    events = _with_json(command("events", cmd_events, "the event log"))
    events.add_argument("--since", type=int, default=0, metavar="SEQ")
    check = command("check-config", cmd_check_config, "validate a centre configuration")
    check.add_argument("path", nargs="?")
    demo = command(
        "demo",
        cmd_demo,
        "a whole centre on this machine: the central, the sync agent and every screen",
    )
    demo.add_argument("--fullscreen", action="store_true")
    demo.add_argument(
        "--screens",
        metavar="LIST",
        help="which windows open, comma-separated (default: kiosk,hall,counter:1,counter:2,"
        "counter-screen:1,supervisor; none: no windows)",
    )
    demo.add_argument(
        "--simulate",
        nargs="?",
        const=1.0,
        type=float,
        metavar="SPEED",
        help="simulated visitors and clerks at the counters with no window (SPEED: faster "
        "arrivals and services, default 1)",
    )
    demo.add_argument(
        "--tabs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the screens as tabs of one window, in one process (default: on a primary screen "
        "smaller than 1600x900)",
    )
    demo.add_argument("--no-central", action="store_true", help="run without the central")
    demo.add_argument("--keep", action="store_true", help="keep yesterday's demo database")
    demo.add_argument(
        "--prepare-only", action="store_true", help="only store the demo day and print the guide"
    )
    demo.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)


def _later_commands(command: Command) -> None:
    sync = command("sync", cmd_sync, "run the central sync agent (until SIGTERM or Ctrl-C)")
    sync.add_argument(
        "--once",
        action="store_true",
        help="one pull + push cycle; exit 0 when everything pending reached the central "
        "(or another agent holds this centre's lease and syncs), 4 when it could not be "
        "reached or failed (the work stays queued), 5 when it refused our credentials",
    )
    sim = command("central-sim", cmd_central_sim, "run the reference central booking API")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    print_test = command("print-test", cmd_print_test, "print a sample ticket and read status")
    print_test.add_argument("--printer", metavar="URI")
    preview = command("ticket-preview", cmd_ticket_preview, "render a ticket to a PNG image")
    preview.add_argument("--out", metavar="PNG", default="ticket-preview.png")
    preview.add_argument("--ticket", metavar="TICKET", help="a real ticket (id or number)")
    reprint = command("reprint", cmd_reprint, "print a ticket again, marked as a copy")
    reprint.add_argument("ticket")
    reprint.add_argument("--printer", metavar="URI")
    simulate = command(
        "simulate",
        cmd_simulate,
        "run a simulated centre day and print its figures (see taboor simulate --help)",
        add_help=False,
    )
    simulate.set_defaults(options=[])
    supervisor = command(
        "supervisor", cmd_supervisor, "the supervisor's screen: the live queue, and acting on it"
    )
    supervisor.add_argument("--fullscreen", action="store_true")
    device_options(supervisor)
    kiosk = command("kiosk", cmd_kiosk, "the visitor kiosk: check in, take a ticket")
    kiosk.add_argument("--fullscreen", action="store_true")
    device_options(kiosk)
    hall = command("hall", cmd_hall, "the hall screen: calls, last calls, queues")
    hall.add_argument("--fullscreen", action="store_true")
    device_options(hall)
    counter = command("counter", cmd_counter, "the staff terminal of a counter (keys F1-F8)")
    counter.add_argument("counter")
    counter.add_argument("--lang", choices=["ar", "en"], help="the clerk's language")
    counter.add_argument("--fullscreen", action="store_true")
    device_options(counter)
    board = command(
        "led-board",
        cmd_led_board,
        "keep the LED boards over the counters in step (docs/led-board-protocol.md)",
    )
    board.add_argument(
        "--port", required=True, metavar="URI", help="serial:/dev/ttyUSB0?baudrate=9600[&ack=1]"
    )
    board.add_argument(
        "counters",
        nargs="*",
        metavar="COUNTER",
        help="counters on this line: ID (address = its number) or ID=ADDRESS; default: all",
    )
    device_options(board)
    facing = command("counter-screen", cmd_counter_screen, "the screen over a counter")
    facing.add_argument("counter")
    facing.add_argument("--fullscreen", action="store_true")
    device_options(facing)
    tabs = command("tabs", cmd_tabs, "several screens as the tabs of one window (demo --tabs)")
    tabs.add_argument(
        "screens",
        nargs="?",
        metavar="LIST",
        help="comma-separated, as demo --screens (default: kiosk,hall,counter:1,counter:2,"
        "counter-screen:1,supervisor)",
    )
    tabs.add_argument("--fullscreen", action="store_true")
    device_options(tabs)
    tabs.add_argument(
        "--token-dir",
        metavar="DIR",
        help="with --server: each screen's token in DIR/SCREEN.token (kiosk.token, "
        "counter-1.token, …)",
    )


# -- helpers -----------------------------------------------------------------


def _ticket_out(centre: Centre, view: Any, *, print_it: bool = False) -> None:
    """Print a ticket's JSON (``null`` for none), then print it on paper if asked."""
    from centre.contract import ticket_json

    print_json(ticket_json(view, centre.config.centre.zone) if view is not None else None)
    if print_it and view is not None:
        _print(centre, view)


def _print(centre: Centre, view: Any, *, given: str | None = None, copy: bool = False) -> Any:
    """Print a committed ticket; a printer failure becomes :class:`PrintFailed`."""
    from printer import BadPrinterUri, PrinterError
    from taboor.printing import print_ticket

    try:
        return print_ticket(centre.port(), view, printer=given, copy=copy)
    except BadPrinterUri as error:
        raise PrintFailed(
            f"{error}; ticket {view.ticket.number} is valid", EXIT_BAD_INPUT
        ) from None
    except PrinterError as error:
        raise PrintFailed(
            f"ticket {view.ticket.number} is valid but did not print: {error}", EXIT_UNEXPECTED
        ) from None


# -- commands ----------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    """Create or upgrade the schema."""
    from centre.store.engine import HEAD_REVISION

    with centre_for(args) as centre:
        url = centre.store.engine.url.render_as_string(hide_password=True)
        if args.json:
            print_json({"db": url, "schema": HEAD_REVISION})
        else:
            print(f"schema {HEAD_REVISION} ready in {url}")
        return EXIT_OK


def cmd_issue(args: argparse.Namespace) -> int:
    """Issue a walk-in ticket."""
    from centre.usecases import issue_ticket

    with centre_for(args) as centre:
        view = issue_ticket(
            centre.store, centre.clock, centre.config, args.service, args.priority, args.lang
        )
        _ticket_out(centre, view, print_it=args.print_ticket)
        return EXIT_OK


def cmd_checkin(args: argparse.Namespace) -> int:
    """Check in an appointment by CPR or QR."""
    from centre.errors import NoAppointment
    from centre.offline import check_in_unverified
    from centre.usecases import check_in_by_cpr, check_in_by_qr

    if args.service is not None and args.cpr is None:
        raise BadInput("--service goes with --cpr (a ticket to verify while offline)")
    with centre_for(args) as centre:
        if args.cpr is not None:
            try:
                view = check_in_by_cpr(
                    centre.store, centre.clock, centre.config, args.cpr, args.appointment, args.lang
                )
            except NoAppointment:
                if args.service is None:
                    raise
                view = check_in_unverified(
                    centre.store, centre.clock, centre.config, args.cpr, args.service, args.lang
                )
                _fail(
                    "no booking here for this CPR while the central link is down: "
                    f"ticket {view.ticket.number} is marked for the counter to verify"
                )
        else:
            view = check_in_by_qr(
                centre.store, centre.clock, centre.config, args.qr, centre.verifier, args.lang
            )
        _ticket_out(centre, view, print_it=args.print_ticket)
        return EXIT_OK


def cmd_call(args: argparse.Namespace) -> int:
    """Call the next ticket."""
    from centre.usecases import call_next

    with centre_for(args) as centre:
        _ticket_out(centre, call_next(centre.store, centre.clock, centre.config, args.counter))
        return EXIT_OK


def cmd_counter_action(args: argparse.Namespace) -> int:
    """Recall, start, done or no-show at a counter."""
    from centre import usecases

    actions = {
        "recall": usecases.recall,
        "start": usecases.start_serving,
        "done": usecases.finish,
        "no-show": usecases.no_show,
    }
    with centre_for(args) as centre:
        action = actions[args.command]
        _ticket_out(centre, action(centre.store, centre.clock, centre.config, args.counter))
        return EXIT_OK


def cmd_transfer(args: argparse.Namespace) -> int:
    """Transfer the current ticket to another service."""
    from centre.usecases import transfer

    with centre_for(args) as centre:
        view = transfer(centre.store, centre.clock, centre.config, args.counter, args.service)
        _ticket_out(centre, view)
        return EXIT_OK


def cmd_counter_open_close(args: argparse.Namespace) -> int:
    """Open or close a counter."""
    from centre.usecases import close_counter, open_counter

    with centre_for(args) as centre:
        action = open_counter if args.command == "open" else close_counter
        action(centre.store, centre.clock, centre.config, args.counter)
        return EXIT_OK


def cmd_pause(args: argparse.Namespace) -> int:
    """Pause a service."""
    from centre.usecases import pause_service

    with centre_for(args) as centre:
        pause_service(centre.store, centre.clock, centre.config, args.service, args.reason)
        return EXIT_OK


def cmd_resume(args: argparse.Namespace) -> int:
    """Resume a service."""
    from centre.usecases import resume_service

    with centre_for(args) as centre:
        resume_service(centre.store, centre.clock, centre.config, args.service)
        return EXIT_OK


def cmd_message(args: argparse.Namespace) -> int:
    """Set or clear the hall screens' message line."""
    from centre.usecases import set_hall_message

    with centre_for(args) as centre:
        set_hall_message(centre.store, centre.clock, args.ar, args.en)
        return EXIT_OK


def cmd_cancel(args: argparse.Namespace) -> int:
    """Cancel a waiting ticket."""
    from centre.usecases import cancel_ticket

    with centre_for(args) as centre:
        view = cancel_ticket(centre.store, centre.clock, centre.config, args.ticket, args.reason)
        _ticket_out(centre, view)
        return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Print the queue snapshot."""
    from centre.contract import iso, status_json
    from centre.usecases import queue_status

    with centre_for(args) as centre:
        status = queue_status(centre.store, centre.clock, centre.config)
        info = centre.config.centre
        if args.json:
            print_json(status_json(status, info.id, info.zone))
            return EXIT_OK
        print(f"{info.name.en} — {status.at.astimezone(info.zone):%Y-%m-%d %H:%M}")
        print(f"{'service':<24}{'waiting':>8}{'eta min':>9}{'longest':>9}  state")
        for s in status.services:
            eta = "-" if s.eta_minutes is None else str(s.eta_minutes)
            longest = f"{s.longest_wait_s // 60}m" if s.waiting else "-"
            state = f"paused {s.pause_reason}".strip() if s.paused else "open"
            print(f"{s.service.code:<24}{s.waiting:>8}{eta:>9}{longest:>9}  {state}")
        print(f"{'counter':<10}{'state':<10}ticket")
        for c in status.counters:
            print(f"{c.counter.id:<10}{c.state.value:<10}{c.ticket.number if c.ticket else '-'}")
        last_ok = iso(status.sync.last_ok, info.zone) or "-"
        print(f"central link: {status.sync.link}, {status.sync.pending} pending, last ok {last_ok}")
        return EXIT_OK


def cmd_tickets(args: argparse.Namespace) -> int:
    """Print every ticket of the business day."""
    from centre.contract import ticket_json
    from centre.usecases import tickets_of_day

    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise BadInput(f"--date must be YYYY-MM-DD, not {args.date!r}") from None
    with centre_for(args) as centre:
        views = tickets_of_day(centre.store, centre.clock, centre.config, day)
        zone = centre.config.centre.zone
        if args.json:
            print_json([ticket_json(v, zone) for v in views])
            return EXIT_OK
        for v in views:
            t = v.ticket
            eta = "" if v.eta_minutes is None else f" ~{v.eta_minutes} min"
            where = f" @ {t.counter}" if t.counter else ""
            print(
                f"{t.number:<6} {t.service:<24} {t.state.value:<10} {t.source.value:<11} "
                f"{t.issued_at.astimezone(zone):%H:%M}{where}{eta}"
            )
        return EXIT_OK


def cmd_events(args: argparse.Namespace) -> int:
    """Print the event log."""
    from centre.contract import event_json
    from centre.usecases import events_since

    with centre_for(args) as centre:
        zone = centre.config.centre.zone
        log = events_since(centre.store, args.since)
        if args.json:
            print_json([event_json(e, zone) for e in log])
            return EXIT_OK
        for e in log:
            subject = e.ticket_number or e.service or e.counter or ""
            where = f" @ {e.counter}" if e.counter and e.ticket_number else ""
            print(
                f"{e.seq:>6} {e.at.astimezone(zone):%H:%M:%S} {e.type.value:<22} {subject}{where}"
            )
        return EXIT_OK


def cmd_check_config(args: argparse.Namespace) -> int:
    """Validate a configuration file."""
    from centre.config import load_config
    from taboor.bootstrap import config_path

    path = config_path(args.path or args.config)
    config = load_config(path)
    print(
        f"{path}: ok ({config.centre.id}, {len(config.services)} services, "
        f"{len(config.counters)} counters)"
    )
    return EXIT_OK


def cmd_print_test(args: argparse.Namespace) -> int:
    """Print the sample ticket and say how the printer is."""
    from printer import BadPrinterUri, PrinterError, print_now, sample_slip
    from taboor.bootstrap import open_config
    from taboor.printing import printer_uri

    uri = printer_uri(open_config(args.config), args.printer)
    try:
        status = print_now(sample_slip(), uri)
    except BadPrinterUri as error:
        raise PrintFailed(str(error), EXIT_BAD_INPUT) from None
    except PrinterError as error:
        raise PrintFailed(f"the test ticket did not print: {error}", EXIT_UNEXPECTED) from None
    print(f"printed a test ticket on {uri}: {status.describe()}")
    return EXIT_OK


def cmd_ticket_preview(args: argparse.Namespace) -> int:
    """Render a ticket (the sample, or a real one) to a PNG."""
    from pathlib import Path

    from printer import PrinterError, parse_printer_uri, sample_slip, save_preview
    from taboor.bootstrap import open_config
    from taboor.printing import printer_uri, slip_for

    out = Path(args.out)
    if args.ticket:
        with centre_for(args) as centre:
            slip = slip_for(centre.config, centre.port().ticket_view(args.ticket))
            profile = parse_printer_uri(printer_uri(centre.config)).profile
    else:
        config = open_config(args.config)
        slip = sample_slip()
        profile = parse_printer_uri(printer_uri(config)).profile
    try:
        save_preview(slip, out, profile)
    except (PrinterError, OSError) as error:
        raise PrintFailed(f"cannot write {out}: {error}", EXIT_UNEXPECTED) from None
    print(f"wrote {out} ({profile.width_dots} dots wide)")
    return EXIT_OK


def cmd_reprint(args: argparse.Namespace) -> int:
    """Print a ticket again, marked as a copy."""
    with centre_for(args) as centre:
        view = centre.port().ticket_view(args.ticket)
        _print(centre, view, given=args.printer, copy=True)
        _ticket_out(centre, view)
        return EXIT_OK


def cmd_central_sim(args: argparse.Namespace) -> int:
    """Serve the reference central booking API until interrupted."""
    import os
    import secrets

    from sync.central_sim import serve
    from taboor.bootstrap import central_token_file, open_config

    config = open_config(args.config)
    token = os.environ.get("TABOOR_CENTRAL_TOKEN", "").strip()
    where = "TABOOR_CENTRAL_TOKEN"
    if not token:
        path = central_token_file(config)
        if path is None:
            raise BadInput("no central token: set TABOOR_CENTRAL_TOKEN or [central] token_file")
        if not path.exists():
            # A fresh token for this machine's simulated central; never committed anywhere.
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32) + "\n", encoding="utf-8")
            path.chmod(0o600)
        token = path.read_text(encoding="utf-8").strip()
        where = str(path)
    print(
        f"reference central for {config.centre.id} on http://{args.host}:{args.port} "
        f"(token in {where}); Ctrl-C stops it",
        flush=True,
    )
    from taboor.demo import DEMO_SEED

    # Seeded like the demo, so syncing after `taboor demo` finds the same bookings.
    serve(args.host, args.port, configs=[config], token=token, seed=DEMO_SEED)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    """Run the sync agent; ``--once``: one cycle, exit 0, 4 or 5 (CONTRACTS.md section 1)."""
    import logging

    from sync.agent import run_sync
    from taboor.bootstrap import central_token_file

    logging.basicConfig(
        level=logging.WARNING if args.once else logging.INFO, format="taboor sync: %(message)s"
    )
    with centre_for(args) as centre:
        return run_sync(
            centre.store,
            centre.clock,
            centre.config,
            token_file=central_token_file(centre.config),
            once=args.once,
            out=sys.stdout,
        )


def cmd_simulate(args: argparse.Namespace) -> int:
    """A simulated day (its own throwaway database), a soak (``--processes``), or ``--live``
    visitors and clerks on this centre's database for the demo."""
    options = list(args.options)
    if "--live" not in options:
        from centre.config import load_config
        from sim import simulate_main
        from taboor.bootstrap import config_path

        return simulate_main(options, config=load_config(config_path(args.config)))
    import logging
    from contextlib import ExitStack
    from pathlib import Path

    from centre.usecases import resolve_counter
    from sim.live import LiveOptions, bookings_file, run_live, stored_bookings
    from taboor.bootstrap import server_url, token_dir_ports
    from taboor.demo import DEMO_CLERK_PIN, clerk_of

    live = _Parser(prog="taboor simulate --live", description="live visitors and clerks")
    live.add_argument("--live", action="store_true")
    live.add_argument("--speed", type=float, default=1.0)
    live.add_argument("--robots", default="", metavar="COUNTERS", help="e.g. 3,4,5")
    live.add_argument("--seed", type=int)
    live.add_argument("--for", type=float, dest="seconds", metavar="SECONDS")
    live.add_argument("--server", metavar="URL", help="through the centre server, as devices")
    live.add_argument(
        "--token-dir",
        metavar="DIR",
        help="with --server: DIR/kiosk.token and DIR/counter-N.token for each robot counter",
    )
    live.add_argument("--ca-file", metavar="FILE")
    live.add_argument(
        "--bookings", metavar="FILE", help="with --server: today's bookings (the demo writes it)"
    )
    parsed = live.parse_args(options)
    if parsed.speed <= 0:
        raise BadInput("--speed must be positive")
    logging.basicConfig(level=logging.INFO, format="taboor simulate: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    robots = [c for c in parsed.robots.split(",") if c]
    settings = LiveOptions(
        speed=parsed.speed,
        clerk_pin=DEMO_CLERK_PIN,
        clerk_of=clerk_of,
        seed=parsed.seed,
        stop_after_s=parsed.seconds,
    )
    if server_url(parsed.server) is None:
        with centre_for(args) as centre:
            for counter in robots:
                resolve_counter(centre.config, counter)
            return run_live(
                centre.port("simulated-kiosk"),
                {c: centre.port(f"simulated-counter-{c}") for c in robots},
                lambda: stored_bookings(centre.store, centre.clock, centre.config),
                settings,
            )
    if not parsed.token_dir or not parsed.bookings:
        raise BadInput(
            "with --server, --token-dir and --bookings name the robots' tokens and bookings"
        )
    folder = Path(parsed.token_dir)
    booked = bookings_file(Path(parsed.bookings))
    with ExitStack() as stack:
        port_of = token_dir_ports(
            stack,
            folder,
            config=args.config,
            db=args.db,
            server=parsed.server,
            ca_file=parsed.ca_file,
        )
        kiosk = port_of("kiosk")
        for counter in robots:
            resolve_counter(kiosk.config, counter)
        counters = {c: port_of(f"counter-{c}") for c in robots}
        return run_live(kiosk, counters, lambda: booked, settings)


def cmd_kiosk(args: argparse.Namespace) -> int:
    """Run the visitor kiosk, printing on this machine's printer."""
    from functools import partial

    from kiosk.app import run_kiosk
    from taboor.bootstrap import device_name
    from taboor.printing import kiosk_printer, slip_for

    with port_for(args, device_name("kiosk")) as port:
        uri = kiosk_printer(port.config)
        return run_kiosk(port, partial(slip_for, port.config), uri, fullscreen=args.fullscreen)


def cmd_hall(args: argparse.Namespace) -> int:
    """Run the hall screen."""
    from display.app import run_hall
    from taboor.bootstrap import device_name

    with port_for(args, device_name("hall")) as port:
        return run_hall(port, fullscreen=args.fullscreen)


def cmd_counter(args: argparse.Namespace) -> int:
    """Run a counter's staff terminal."""
    from display.app import run_counter
    from taboor.bootstrap import device_name

    with port_for(args, device_name("counter")) as port:
        return run_counter(port, args.counter, fullscreen=args.fullscreen, lang=args.lang)


def cmd_led_board(args: argparse.Namespace) -> int:
    """Drive the LED boards on one serial line until SIGTERM or Ctrl-C."""
    import logging

    from ledboard import run_led_boards
    from taboor.bootstrap import device_name

    logging.basicConfig(format="taboor led-board: %(message)s")
    logging.getLogger("ledboard").setLevel(logging.INFO)
    with port_for(args, device_name("led-board")) as port:
        return run_led_boards(port, args.port, args.counters or None)


def cmd_supervisor(args: argparse.Namespace) -> int:
    """Run the supervisor's screen, reprinting on this device's printer."""
    from functools import partial

    from display.app import run_supervisor
    from taboor.bootstrap import device_name
    from taboor.printing import reprint

    with port_for(args, device_name("supervisor")) as port:
        return run_supervisor(port, fullscreen=args.fullscreen, reprint=partial(reprint, port))


def cmd_counter_screen(args: argparse.Namespace) -> int:
    """Run the screen over a counter."""
    from display.app import run_counter_screen
    from taboor.bootstrap import device_name

    with port_for(args, device_name("counter-screen")) as port:
        return run_counter_screen(port, args.counter, fullscreen=args.fullscreen)


def cmd_tabs(args: argparse.Namespace) -> int:
    """Run several screens as the tabs of one window."""
    from contextlib import ExitStack
    from pathlib import Path

    from taboor.bootstrap import server_url, token_dir_ports
    from taboor.launcher import parse_screens
    from taboor.tabs import local_ports, run_tabs

    screens = parse_screens(args.screens)
    if not screens:
        raise BadInput("name at least one screen, e.g. taboor tabs hall,counter:1")
    if server_url(args.server) is None:
        with centre_for(args) as centre:
            return run_tabs(local_ports(centre), screens, fullscreen=args.fullscreen)
    if not args.token_dir:
        raise BadInput("with --server, --token-dir names the folder of the screens' tokens")
    folder = Path(args.token_dir)
    with ExitStack() as stack:
        port_of = token_dir_ports(
            stack,
            folder,
            config=args.config,
            db=args.db,
            server=args.server,
            ca_file=args.ca_file,
        )
        return run_tabs(port_of, screens, fullscreen=args.fullscreen)


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the demo centre: each part in its own process (with --tabs, the screens in one)."""
    from taboor.demo import run_demo

    return run_demo(args)


__all__ = ["EXIT_BAD_INPUT", "PrintFailed", "build_parser", "main", "run"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
