"""``sarapp handover outbox``: the packages prepared for peers' inboxes, and delivering again
those a peer did not take (``--retry``)."""

from __future__ import annotations

import argparse

from sarapp.cli.common import author_of, open_store
from sarapp.cli.output import print_json, to_jsonable
from sarapp.exchange.outbox import deliver_pending
from sarapp.geo import format_dtg


def register_outbox(cmds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    outbox = cmds.add_parser(
        "outbox", parents=[common], help="packages prepared for peers, and delivering them again"
    )
    outbox.add_argument("--case", metavar="CASE", help="only this case's packages")
    outbox.add_argument("--retry", action="store_true", help="deliver those not yet delivered")
    outbox.add_argument("--author", help="operator name for the log")
    outbox.set_defaults(func=_outbox)


def _outbox(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        tried = list(deliver_pending(store, author=author_of(args))) if args.retry else []
        items = store.outbox.items(args.case)
    if args.json:
        print_json(
            {"items": to_jsonable(items), "retried": [to_jsonable(d.__dict__) for d in tried]}
        )
    else:
        for d in tried:
            state = "delivered" if d.delivered else "not delivered"
            print(f"{d.package_id}: {state} ({d.detail})")
        for i in items:
            error = f" — {i.last_error}" if i.last_error else ""
            print(f"{format_dtg(i.prepared)}  {i.package_id}  {i.peer_rcc:<14} {i.state:<9} "
                  f"{i.attempts} tries  {i.url}{error}")  # fmt: skip
    return 1 if any(not d.delivered for d in tried) else 0
