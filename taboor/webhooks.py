"""Commands for integrators' webhooks: ``taboor webhook add|list|remove``.

A secret is never taken on the command line (where ``ps`` and the shell
history would show it): ``--secret-file`` names a file holding it, or ``-``
for standard input. Nothing prints it back.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from centre.errors import BadInput
from taboor.handlers import EXIT_OK, Command, centre_for, print_json

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from centre.webhooks import Webhook


def register(command: Command) -> None:
    """Add these commands to the ``taboor`` parser."""
    webhook = command(
        "webhook", cmd_webhook, "integrators' webhooks: add, list, remove (signed POSTs of events)"
    )
    actions = webhook.add_subparsers(title="actions", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="send the log's events to URL from now on",
        description="Send each new matching event to URL, signed with the secret.",
    )
    add.set_defaults(action="add")
    add.add_argument("url", metavar="URL", help="http:// or https:// address of the receiver")
    add.add_argument(
        "--events",
        required=True,
        metavar="LIST",
        help="comma-separated event types (called,served,…), or * for every type",
    )
    add.add_argument(
        "--secret-file",
        required=True,
        metavar="FILE",
        help="a file holding the signing secret (at least 16 characters; - for standard input)",
    )
    add.add_argument("--json", action="store_true", help='print {"id", "url", "events"}')
    listing = actions.add_parser("list", help="every webhook with its backlog and last error")
    listing.set_defaults(action="list")
    listing.add_argument("--json", action="store_true", help="print JSON")
    remove = actions.add_parser("remove", help="stop sending to a webhook")
    remove.set_defaults(action="remove")
    remove.add_argument("id", type=int, metavar="ID")


def read_secret(path: str) -> str:
    """The secret in a file (or standard input for ``-``), without its line ending."""
    if path == "-":
        text = sys.stdin.readline()
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise BadInput(f"cannot read the secret file {path}: {reason}") from None
    secret = text.strip()
    if "\n" in secret:
        raise BadInput("a secret file holds the secret on one line")
    return secret


def cmd_webhook(args: argparse.Namespace) -> int:
    """Add, list or remove webhooks."""
    from centre import webhooks

    if args.action == "add":
        secret = read_secret(args.secret_file)
        with centre_for(args) as centre:
            added = webhooks.add_webhook(
                centre.store, centre.clock, args.url, args.events.split(","), secret
            )
        if args.json:
            print_json({"id": added.id, "url": added.url, "events": list(added.events)})
        else:
            print(added.id)
    elif args.action == "list":
        with centre_for(args) as centre:
            listed = webhooks.webhook_list(centre.store)
            zone = centre.config.centre.zone
        if args.json:
            print_json([_webhook_json(webhook, zone) for webhook in listed])
        else:
            for webhook in listed:
                print(_webhook_line(webhook))
    else:
        with centre_for(args) as centre:
            removed = webhooks.remove_webhook(centre.store, centre.clock, args.id)
        print(f"removed webhook {removed.id} ({removed.origin})")
    return EXIT_OK


def _webhook_json(webhook: Webhook, zone: ZoneInfo) -> dict[str, Any]:
    from centre.contract import iso

    return {
        "id": webhook.id,
        "url": webhook.url,
        "events": list(webhook.events),
        "created_at": iso(webhook.created_at, zone),
        "delivered_seq": webhook.delivered_seq,
        "backlog": webhook.backlog,
        "failures": webhook.failures,
        "last_ok": iso(webhook.last_ok, zone),
        "last_error": webhook.last_error,
        "last_error_at": iso(webhook.last_error_at, zone),
    }


def _webhook_line(webhook: Webhook) -> str:
    line = (
        f"{webhook.id:<4} {webhook.url}  events={','.join(webhook.events)}"
        f"  backlog={webhook.backlog}  failures={webhook.failures}"
    )
    if webhook.last_error:
        line += f"  last error: {webhook.last_error}"
    return line
