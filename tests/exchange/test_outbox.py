"""The outbox: a package for a peer is committed as prepared, delivered outside any
transaction, and a lost answer is retried without the peer filing it twice (issue 11)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from sarapp.exchange import keys
from sarapp.exchange.outbox import deliver, deliver_pending
from sarapp.exchange.sitrep import next_sitrep_number
from sarapp.exchange.workflow import send_case
from sarapp.store import Desk

from .conftest import FALMOUTH
from .peers import dropping_peer, inbox_peer, serving, slow_peer


@pytest.fixture
def sender(desk, keys_a: keys.DeskKeys, keys_b) -> tuple[Desk, str, keys.DeskKeys]:
    """Desk A with its case and key; desk B (the peer's inbox desk) trusts A."""
    store, case_id = desk
    return store, case_id, keys_a


def _prepare(store: Desk, case_id: str, desk_keys, url: str):
    return send_case(store, case_id, keys=desk_keys, to=FALMOUTH, author="op", outbox_url=url)


def test_a_package_is_committed_as_prepared_before_any_network(sender) -> None:
    store, case_id, desk_keys = sender
    sent = _prepare(store, case_id, desk_keys, "http://127.0.0.1:9/packages")  # nobody there
    assert sent.queued and not store.conn.in_transaction
    (item,) = store.outbox.items(case_id)
    assert (item.state, item.attempts, item.size) == ("prepared", 0, sent.size)
    assert store.packages.get(sent.package_id).direction == "sent"
    assert store.outbox.content(sent.package_id) == sent.content
    prepared = store.log.entries(case_id)[-1]
    assert "prepared for MRCC-FALMOUTH" in prepared.text and prepared.data["sitrep_number"] == 1
    assert next_sitrep_number(store.log.entries(case_id)) == 2  # the number is taken, never reused
    assert set(sent.changes.packages) == {sent.package_id}
    assert sent.changes.entries == (prepared.id,)


def test_delivered_to_an_inbox_and_logged(sender, desk_b, tmp_path: Path) -> None:
    store, case_id, desk_keys = sender
    with serving(inbox_peer(tmp_path / "inbox", desk_b.path)) as url:
        sent = _prepare(store, case_id, desk_keys, url)
        done = deliver(store, sent.package_id, author="op")
    assert done.delivered and done.detail == "filed by the peer"
    assert store.outbox.item(sent.package_id).state == "delivered"
    assert (tmp_path / "inbox" / f"{sent.package_id}.sarpkg").read_bytes() == sent.content
    line = store.log.entries(case_id)[-1]
    assert line.kind.value == "handover" and "delivered to MRCC-FALMOUTH" in line.text
    assert done.changes.packages == (sent.package_id,) and done.changes.entries == (line.id,)
    again = deliver(store, sent.package_id, author="op")  # nothing sent twice
    assert again.delivered and again.changes.entries == ()


def test_a_lost_answer_is_retried_and_the_peer_files_it_once(
    sender, desk_b, tmp_path: Path
) -> None:
    store, case_id, desk_keys = sender
    inbox = tmp_path / "inbox"
    with serving(dropping_peer(inbox)) as url:
        sent = _prepare(store, case_id, desk_keys, url)
        first = deliver(store, sent.package_id, author="op")
        second = deliver(store, sent.package_id, author="op")
    assert not first.delivered and not second.delivered
    item = store.outbox.item(sent.package_id)
    assert (item.state, item.attempts) == ("failed", 2)
    failed = [e for e in store.log.entries(case_id) if e.data.get("handover", {}).get("delivery")]
    assert len(failed) == 1 and failed[0].text.endswith("; will retry")  # logged once
    assert len(list(inbox.iterdir())) == 1  # the peer has it, the sender does not know
    # The peer is back as a real inbox, with what it had filed: the retry is recognised.
    (only,) = inbox.iterdir()
    only.rename(inbox / f"{sent.package_id}.sarpkg")
    with serving(inbox_peer(inbox, desk_b.path)) as url:
        # the peer's new address (a test shortcut: a desk keeps the URL it was given)
        store.conn.execute("UPDATE outbox SET url = ? WHERE package_id = ?", (url, sent.package_id))
        (retry,) = deliver_pending(store, author="op")
    assert retry.delivered and retry.detail == "the peer had it already"
    assert len(list(inbox.iterdir())) == 1
    assert store.outbox.items(pending=True) == []


def test_the_desk_stays_writable_while_a_slow_peer_answers(sender, desk_path: Path) -> None:
    store, case_id, desk_keys = sender
    with serving(slow_peer(1.5)) as url:
        sent = _prepare(store, case_id, desk_keys, url)
        worker = threading.Thread(target=deliver, args=(store, sent.package_id),
                                  kwargs={"author": "op"})  # fmt: skip
        worker.start()
        time.sleep(0.3)  # the post is on its way
        # Another operator's desk writes meanwhile; a lock held for the network's wait would
        # make it fail ("locked") after its 0.2 s busy timeout.
        with Desk.open(desk_path, busy_timeout_ms=200) as other:
            other.log.append(case_id, "JRCC informed by phone", author="op2")
        assert worker.is_alive()  # the peer had not answered yet
        worker.join()
    assert store.outbox.item(sent.package_id).state == "delivered"


def test_cli_sends_through_the_outbox_and_retries(
    capsys, sender, desk_b, tmp_path: Path, keys_dir: Path
) -> None:
    import json

    from sarapp.cli import main

    store, case_id, _ = sender
    db = ["--db", str(store.path)]
    inbox = tmp_path / "inbox"
    with serving(dropping_peer(inbox)) as url:
        code = main([*db, "handover", "export", case_id, "--to", "MRCC-FALMOUTH", "--url", url,
                     "--keys-dir", str(keys_dir)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1 and "prepared" in out and "kept in the outbox" in err
    (item,) = store.outbox.items(case_id)
    (dropped,) = inbox.iterdir()
    dropped.rename(inbox / f"{item.package_id}.sarpkg")
    with serving(inbox_peer(inbox, desk_b.path)) as url:
        store.conn.execute("UPDATE outbox SET url = ? WHERE package_id = ?", (url, item.package_id))
        assert main([*db, "handover", "outbox", "--retry", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["retried"][0]["delivered"] and shown["items"][0]["state"] == "delivered"
    code = main([*db, "handover", "export", case_id, "--to", "MRCC-FALMOUTH",
                 "--keys-dir", str(keys_dir)])  # fmt: skip
    assert code == 1 and "give -o FILE, --url URL" in capsys.readouterr().err


def test_a_peer_that_quarantines_the_package_has_it(sender, tmp_path: Path) -> None:
    """A peer that does not trust this desk's key yet keeps the package aside (202): it is
    delivered, and the log says where it waits."""
    store, case_id, desk_keys = sender
    stranger = tmp_path / "stranger.sqlite"
    Desk.open(stranger).close()
    with serving(inbox_peer(tmp_path / "inbox-s", stranger, quarantine=True)) as url:
        sent = _prepare(store, case_id, desk_keys, url)
        done = deliver(store, sent.package_id, author="op")
    assert done.delivered and "quarantine" in done.detail
    assert "quarantine" in store.log.entries(case_id)[-1].text
