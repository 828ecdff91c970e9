"""The ``taboor hq`` command: head office's page watching every centre (docs/hq.md).

``taboor hq --centres centres.toml`` serves the page and polls the centres
named there; ``taboor hq --demo`` first brings up three simulated centres,
each with its own database and its own centre server (:mod:`taboor.hq_demo`).
"""

from __future__ import annotations

import argparse
import logging
import sys

from centre.errors import BadInput
from taboor.handlers import EXIT_OK, Command

#: Where head office listens unless told.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8090
#: With --demo, the past working days each simulated centre has unless told.
HISTORY_DAYS = 3


def register(command: Command) -> None:
    """Add ``taboor hq`` to the parser."""
    hq = command(
        "hq",
        cmd_hq,
        "head office: a browser page showing every centre live and over a period",
    )
    which = hq.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--centres", metavar="FILE", help="the centres to watch (TOML: each server's URL and token)"
    )
    which.add_argument(
        "--demo",
        action="store_true",
        help="three simulated centres on this machine, each with its own server, then the page",
    )
    hq.add_argument(
        "--host", default=DEFAULT_HOST, help=f"listening address (default {DEFAULT_HOST})"
    )
    hq.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    hq.add_argument(
        "--every",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds between two rounds of asking every centre (default 10)",
    )
    hq.add_argument(
        "--speed",
        type=float,
        default=4.0,
        help="with --demo: how much faster the simulated visitors come and go (default 4)",
    )
    hq.add_argument(
        "--history-days",
        type=int,
        default=HISTORY_DAYS,
        metavar="N",
        help=f"with --demo: past working days each centre has (default {HISTORY_DAYS}; played "
        "once, then kept)",
    )
    hq.add_argument("--exit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)


def cmd_hq(args: argparse.Namespace) -> int:
    """Serve head office's page until Ctrl-C (with ``--demo``, the demo centres first)."""
    if not 0 < args.port < 65536:
        raise BadInput(f"--port must be 1 to 65535, not {args.port}")
    if not 0.1 <= args.every <= 3600:
        raise BadInput(f"--every must be 0.1 to 3600 seconds, not {args.every:g}")
    if not 0 <= args.history_days <= 60:
        raise BadInput(f"--history-days must be 0 to 60, not {args.history_days}")
    if args.demo:
        from taboor.hq_demo import run_hq_demo

        return run_hq_demo(args)
    from server.hq.centres import load_centres
    from server.hq.serve import hq_server

    centres = load_centres(args.centres)
    logging.basicConfig(format="taboor hq: %(message)s", level=logging.WARNING)
    server = hq_server(centres, args.host, args.port, every=args.every)
    count = len(centres.centres)
    sys.stdout.write(
        f"head office on http://{args.host}:{args.port}/ watching {count} "
        f"centre{'s' if count != 1 else ''} every {args.every:g} s; Ctrl-C stops it\n"
    )
    sys.stdout.flush()
    server.run()
    return EXIT_OK


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "HISTORY_DAYS", "cmd_hq", "register"]
