"""Worker processes for the concurrency and crash tests: ``python -m tests.workers``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from centre import usecases as uc
from centre.clock import SystemClock
from centre.errors import Refused
from centre.store.unit_of_work import Store
from server.webhooks import WebhookDispatcher
from tests.helpers import demo_config, unlimited_config


def main() -> int:
    """Issue tickets, call them or deliver webhooks, as told; one JSON line per ticket handled."""
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["issue", "call", "webhooks"])
    parser.add_argument("db")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--service", default="licence-renewal")
    parser.add_argument("--counter", default="1")
    parser.add_argument("--no-quota", action="store_true")
    args = parser.parse_args()
    config = unlimited_config() if args.no_quota else demo_config()
    store = Store.open(args.db)
    clock = SystemClock()
    if args.role == "webhooks":
        return _deliver_webhooks(store, clock)
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


def _deliver_webhooks(store: Store, clock: SystemClock) -> int:
    """Run the webhook dispatcher until SIGTERM (or a SIGKILL, which is the point)."""
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    dispatcher = WebhookDispatcher(store, clock, demo_config(), poll_seconds=0.2, timeout=10.0)
    dispatcher.start()
    print("ready", flush=True)
    stopped.wait()
    dispatcher.stop()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
