"""Commands for staff accounts, breaks, a counter's services, ratings and device states.

PINs are never taken on the command line (where ``ps`` and the shell history
would show them): they are asked for on the terminal, or read as one line from
standard input with ``--pin-stdin`` for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from centre.errors import BadInput
from taboor.handlers import EXIT_OK, Command, centre_for, print_json


def register(command: Command) -> None:
    """Add these commands to the ``taboor`` parser."""
    staff = command("staff", cmd_staff, "staff accounts: add, list, pin, disable, enable")
    staff.add_argument("action", choices=["add", "list", "pin", "disable", "enable"])
    staff.add_argument("id", nargs="?", metavar="ID", help="the staff id (e.g. c101)")
    staff.add_argument("--name-ar", default="", metavar="NAME")
    staff.add_argument("--name-en", default="", metavar="NAME")
    staff.add_argument("--role", default="clerk", choices=["clerk", "supervisor"])
    staff.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN as one line from standard input"
    )
    staff.add_argument("--json", action="store_true", help="with list: print JSON")

    sign_in = command("sign-in", cmd_sign_in, "sign a clerk in at a counter (PIN asked for)")
    sign_in.add_argument("counter")
    sign_in.add_argument("staff", metavar="STAFF_ID")
    sign_in.add_argument("--pin-stdin", action="store_true")
    command("sign-out", cmd_sign_out, "sign the clerk out; the counter closes").add_argument(
        "counter"
    )
    pause = command("break", cmd_break, "put an open counter on a break")
    pause.add_argument("counter")
    pause.add_argument("--reason", default="")
    command("back", cmd_back, "end a counter's break").add_argument("counter")
    services = command(
        "services", cmd_services, "set which services a counter calls today (none: show them)"
    )
    services.add_argument("counter")
    services.add_argument("service", nargs="*", metavar="SERVICE")
    services.add_argument("--reset", action="store_true", help="back to the configured services")
    rate = command("rate", cmd_rate, "record a visitor's rating (1-5) of a served ticket")
    rate.add_argument("ticket")
    rate.add_argument(
        "rating", type=int, metavar="RATING", help="1 (very unhappy) to 5 (very happy)"
    )


def read_pin(from_stdin: bool, *, confirm: bool = False) -> str:
    """A PIN from standard input (``--pin-stdin``) or asked for without echo."""
    if from_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise BadInput("no terminal to ask for the PIN: give it on standard input with --pin-stdin")
    pin = getpass.getpass("PIN: ")
    if confirm and getpass.getpass("PIN again: ") != pin:
        raise BadInput("the two PINs differ")
    return pin


def cmd_staff(args: argparse.Namespace) -> int:
    """Manage staff accounts."""
    from centre import staff

    if args.action != "list" and not args.id:
        raise BadInput(f"staff {args.action} needs a staff id")
    with centre_for(args) as centre:
        store, clock = centre.store, centre.clock
        if args.action == "list":
            members = staff.staff_list(store)
            if args.json:
                print_json([m.__dict__ for m in members])
                return EXIT_OK
            for member in members:
                state = "" if member.active else "  (disabled)"
                print(f"{member.id:<10}{member.role:<12}{member.name_en} — {member.name_ar}{state}")
        elif args.action == "add":
            pin = read_pin(args.pin_stdin, confirm=True)
            member = staff.add_staff(
                store,
                clock,
                args.id,
                name_ar=args.name_ar,
                name_en=args.name_en,
                role=args.role,
                pin=pin,
            )
            print(f"added {member.role} {member.id}: {member.name_en}")
        elif args.action == "pin":
            staff.set_pin(store, clock, args.id, read_pin(args.pin_stdin, confirm=True))
            print(f"new PIN set for {args.id}")
        else:
            staff.set_active(store, clock, args.id, args.action == "enable")
            print(f"{args.id} {args.action}d")
        return EXIT_OK


def cmd_sign_in(args: argparse.Namespace) -> int:
    """Sign a clerk in at a counter."""
    from centre.staff import sign_in

    pin = read_pin(args.pin_stdin)
    with centre_for(args) as centre:
        member = sign_in(centre.store, centre.clock, centre.config, args.counter, args.staff, pin)
        print(f"{member.name_en} signed in at counter {args.counter}")
        return EXIT_OK


def cmd_sign_out(args: argparse.Namespace) -> int:
    """Sign the clerk out of a counter."""
    from centre.staff import sign_out

    with centre_for(args) as centre:
        sign_out(centre.store, centre.clock, centre.config, args.counter)
        return EXIT_OK


def cmd_break(args: argparse.Namespace) -> int:
    """Start a counter's break."""
    from centre.staff import start_break

    with centre_for(args) as centre:
        start_break(centre.store, centre.clock, centre.config, args.counter, args.reason)
        return EXIT_OK


def cmd_back(args: argparse.Namespace) -> int:
    """End a counter's break."""
    from centre.staff import end_break

    with centre_for(args) as centre:
        end_break(centre.store, centre.clock, centre.config, args.counter)
        return EXIT_OK


def cmd_services(args: argparse.Namespace) -> int:
    """Show or set the services a counter calls today."""
    from centre.usecases import counter_desk, set_counter_services

    if args.reset and args.service:
        raise BadInput("give services or --reset, not both")
    with centre_for(args) as centre:
        if args.reset or args.service:
            wanted = None if args.reset else args.service
            counter = set_counter_services(
                centre.store, centre.clock, centre.config, args.counter, wanted
            )
        else:
            counter = counter_desk(centre.store, centre.clock, centre.config, args.counter).counter
        print(" ".join(counter.services))
        return EXIT_OK


def cmd_rate(args: argparse.Namespace) -> int:
    """Record a visitor's rating of a served ticket."""
    from centre.supervision import record_feedback

    with centre_for(args) as centre:
        record_feedback(centre.store, centre.clock, centre.config, args.ticket, args.rating)
        return EXIT_OK
