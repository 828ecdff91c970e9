"""Commands of the centre server: ``taboor serve`` and the devices it accepts.

``taboor device add`` prints a device's token once (the store keeps only its
hash); with ``--link`` it prints a one-time pairing link for a browser
display instead. Enrolling or revoking writes the centre's database, so a
running server sees it at once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from centre.errors import BadInput
from taboor.handlers import EXIT_OK, Command, centre_for, print_json

if TYPE_CHECKING:
    from taboor.bootstrap import Centre


def register(command: Command) -> None:
    """Add these commands to the ``taboor`` parser."""
    serve = command(
        "serve",
        cmd_serve,
        "run the centre server: the one process that holds the database; devices reach it "
        "over HTTP with their tokens",
    )
    serve.add_argument("--host", metavar="H", help="listening address (default: [server] host)")
    serve.add_argument("--port", type=int, metavar="P", help="port (default: [server] port)")
    serve.add_argument(
        "--quiet", action="store_true", help="no access log (one line per request otherwise)"
    )

    device = command("device", cmd_device, "devices of the centre server: add, list, revoke")
    device.add_argument("action", choices=["add", "list", "revoke"])
    device.add_argument("name", nargs="?", metavar="NAME", help="the device's name, e.g. kiosk-1")
    device.add_argument("--role", choices=["kiosk", "hall", "counter", "supervisor", "integrator"])
    device.add_argument("--counter", metavar="C", help="the counter of a counter device")
    device.add_argument(
        "--link",
        action="store_true",
        help="a hall or counter display in a browser: print a one-time pairing link",
    )
    device.add_argument("--json", action="store_true", help="print JSON")


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the centre's API until SIGTERM or Ctrl-C."""
    from server.serve import run_server
    from server.state import CentreServer

    logging.basicConfig(format="taboor serve: %(message)s", level=logging.INFO)
    logging.getLogger("taboor.server.access").setLevel(
        logging.WARNING if args.quiet else logging.INFO
    )
    with centre_for(args) as centre:
        settings = centre.config.server
        host = args.host or settings.host
        port = args.port if args.port is not None else settings.port
        if not 0 < port < 65536:
            raise BadInput(f"--port must be 1 to 65535, not {port}")
        # Devices reach it where it listens unless [server] url says otherwise.
        settings = settings.model_copy(update={"host": host, "port": port})
        config = centre.config.model_copy(update={"server": settings})
        server = CentreServer(centre.store, centre.clock, config, centre.verifier)
        scheme = "https" if settings.tls else "http"
        print(
            f"centre server for {config.centre.id} on {scheme}://{host}:{port} "
            f"(devices reach it at {settings.address()}); Ctrl-C stops it",
            flush=True,
        )
        run_server(server, host, port, certificate=settings.certificate, key=settings.key)
    return EXIT_OK


def cmd_device(args: argparse.Namespace) -> int:
    """Enrol, list or revoke devices."""
    if args.action != "list" and not args.name:
        raise BadInput(f"device {args.action} needs a device name")
    with centre_for(args) as centre:
        if args.action == "list":
            _list_devices(centre, as_json=args.json)
        elif args.action == "revoke":
            _revoke_device(centre, args.name, as_json=args.json)
        else:
            _add_device(centre, args)
    return EXIT_OK


def _list_devices(centre: Centre, *, as_json: bool) -> None:
    from centre import devices
    from centre.contract import device_json

    found = devices.device_list(centre.store)
    if as_json:
        print_json([device_json(d, centre.config.centre.zone) for d in found])
        return
    zone = centre.config.centre.zone
    for d in found:
        state = "revoked" if d.revoked_at else ("paired" if d.paired else "pairing")
        seen = f"{d.last_seen.astimezone(zone):%Y-%m-%d %H:%M}" if d.last_seen else "never"
        where = f" counter {d.counter}" if d.counter else ""
        print(f"{d.name:<20} {d.role:<11}{where:<11} {state:<8} last seen {seen}")


def _revoke_device(centre: Centre, name: str, *, as_json: bool) -> None:
    from centre import devices
    from centre.contract import device_json

    revoked = devices.revoke_device(centre.store, centre.clock, name)
    if as_json:
        print_json(device_json(revoked, centre.config.centre.zone))
    else:
        print(f"revoked {revoked.name}: its token no longer works", file=sys.stderr)


def _add_device(centre: Centre, args: argparse.Namespace) -> None:
    from centre import devices
    from centre.contract import device_json

    if args.role is None:
        raise BadInput("device add needs --role (kiosk, hall, counter, supervisor, integrator)")
    enrolled = devices.add_device(
        centre.store,
        centre.clock,
        centre.config,
        args.name,
        args.role,
        args.counter,
        link=args.link,
    )
    d = enrolled.device
    if enrolled.pairing_code is not None:
        link = pairing_link(centre.config.server.address(), d.role, d.counter)
        link += f"#pair={enrolled.pairing_code}"
        if args.json:
            print_json({**device_json(d, centre.config.centre.zone), "link": link})
            return
        print(link)
        print(f"open it once on {d.name} within a day; then it stops working", file=sys.stderr)
        return
    if args.json:
        print_json(
            {"device": d.name, "role": d.role, "counter": d.counter, "token": enrolled.token}
        )
        return
    print(enrolled.token)
    print(
        f"the token of {d.name}: give it to the device (TABOOR_DEVICE_TOKEN or a token file); "
        "it is not shown again",
        file=sys.stderr,
    )


def pairing_link(address: str, role: str, counter: str | None) -> str:
    """The page a browser display of ``role`` opens to pair (CONTRACTS.md section 6)."""
    if role == "counter" and counter is not None:
        return f"{address}/display/counter/{counter}"
    return f"{address}/display/hall"


__all__ = ["cmd_device", "cmd_serve", "pairing_link", "register"]
