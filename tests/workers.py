"""Worker processes for the concurrency and crash tests: ``python -m tests.workers``."""

from __future__ import annotations

import argparse
import json
import sys

from centre import usecases as uc
from centre.clock import SystemClock
from centre.errors import Refused
from centre.store.unit_of_work import Store
from tests.helpers import demo_config, unlimited_config


def main() -> int:
    """Issue tickets or call them, as told; print one JSON line per ticket handled."""
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["issue", "call"])
    parser.add_argument("db")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--service", default="licence-renewal")
    parser.add_argument("--counter", default="1")
    parser.add_argument("--no-quota", action="store_true")
    args = parser.parse_args()
    config = unlimited_config() if args.no_quota else demo_config()
    store = Store.open(args.db)
    clock = SystemClock()
    print("ready", flush=True)
    for _ in range(args.count):
        if args.role == "issue":
            view = uc.issue_ticket(store, clock, config, args.service)
            print(json.dumps({"number": view.ticket.number, "id": view.ticket.id}), flush=True)
        else:
            try:
                called = uc.call_next(store, clock, config, args.counter)
            except Refused:
                called = None
            if called is not None:
                print(json.dumps({"id": called.ticket.id}), flush=True)
                uc.start_serving(store, clock, config, args.counter)
                uc.finish(store, clock, config, args.counter)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
