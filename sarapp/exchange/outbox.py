"""Delivering queued packages to peers' inboxes, outside any transaction.

A package for a peer's inbox is first committed as ``prepared`` in the outbox
(``sarapp.exchange.workflow``, ``outbox_url``); ``deliver`` then posts its bytes — a network
wait of up to ``SEND_TIMEOUT_S`` with no lock held on the desk — and records ``delivered``,
or ``failed`` (it will be tried again: ``deliver_pending``). A retry sends the same bytes, so
a peer that filed the package but whose answer was lost answers "already received" (the
package id), and nothing is filed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.inbox import send
from sarapp.model import Changes
from sarapp.store import Desk

Send = Callable[[bytes, str], dict[str, Any]]  # (content, url) → the peer's JSON answer
DETAIL_CHARS = 1000  # of a failure's text (a peer's answer): kept, logged and shown


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt: whether the peer took the package, what it said, what changed."""

    package_id: str
    delivered: bool
    detail: str
    changes: Changes


def deliver(store: Desk, package_id: str, *, author: str, post: Send = send) -> Delivery:
    """Post a queued package to its peer (no transaction is open meanwhile) and record how
    it went. A package already delivered is not sent again."""
    item = store.outbox.item(package_id)
    if item is None:
        raise ExchangeError(f"package {package_id} is not in the outbox")
    if item.state == "delivered":
        return Delivery(package_id, True, "delivered before", Changes())
    if store.in_transaction:
        raise ExchangeError("a package is delivered outside any transaction of the desk")
    content = store.outbox.content(package_id)
    try:
        answer = post(content, item.url)
    except ExchangeError as exc:
        detail = _cut(str(exc))
        changes = store.outbox.record_delivery(
            package_id, delivered=False, detail=detail, author=author
        )
        return Delivery(package_id, False, detail, changes)
    if answer.get("status") == "quarantined":  # the peer has it, until it trusts our key
        detail = "kept in the peer's quarantine until it trusts this desk's key"
    elif answer.get("already_received"):
        detail = "the peer had it already"
    else:
        detail = "filed by the peer"
    changes = store.outbox.record_delivery(package_id, delivered=True, detail=detail, author=author)
    return Delivery(package_id, True, detail, changes)


def _cut(text: str) -> str:
    """A failure's text within ``DETAIL_CHARS``: a peer's answer is outside data, and the
    failure must be recorded whatever the peer said."""
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def deliver_pending(store: Desk, *, author: str, post: Send = send) -> Iterator[Delivery]:
    """Try again every package not yet delivered, oldest first, yielding each attempt."""
    for item in store.outbox.items(pending=True):
        yield deliver(store, item.package_id, author=author, post=post)


__all__ = ["Delivery", "deliver", "deliver_pending"]
