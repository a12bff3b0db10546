"""What issue 11's handover brings into a desk from outside follows issue 10's input rules:
the originating RCC and case number of a package (names: no hidden characters), the
coordination events mirrored from its log (names shown on one line, times in the desk's one
form), and what a peer answers to a delivery (bounded like any log text).

Before, a package could name its origin with a right-to-left override, which ``case list``
then showed; a coordination event's time was stored as the package spelled it, so ``db check``
of a desk that had only imported a package named its time; a peer answering a delivery with
a long error made the delivery's own record fail; and ``db check`` did not look at the
outbox's times.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sarapp.exchange import keyring, keys
from sarapp.exchange.apply import import_package
from sarapp.exchange.errors import PackageError
from sarapp.exchange.outbox import deliver
from sarapp.exchange.package import build_package
from sarapp.exchange.reader import read_package
from sarapp.exchange.workflow import send_case
from sarapp.store import Desk

from .conftest import append_entry, forge, tamper

ETEL = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FALMOUTH = keys.Rcc("MRCC-FALMOUTH", "MRCC Falmouth", "GB")


@pytest.fixture
def sending(store: Desk, tmp_path: Path) -> tuple[Desk, keys.DeskKeys, Desk, str]:
    """Desk A (this store, MRCC-ETEL) with a case, and desk B that trusts A's key."""
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    signer, _ = keyring.set_rcc(store, ETEL, keys_dir=folder)
    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    receiver = Desk.open(tmp_path / "b.sqlite")
    keyring.trust_key(receiver, keys.read_key_file(keys.public_key_file(signer)), author="op")
    yield store, signer, receiver, case_id
    receiver.close()


def _import(receiver: Desk, document: dict, signer: keys.DeskKeys):
    read = read_package(forge(document, signer.private_key), trust=keyring.desk_trust(receiver))
    return import_package(receiver, read, author="b")


@pytest.mark.parametrize(
    ("member", "value"), [("rcc", "MRCC-\u202eLETE"), ("number", "2026-0001\nFORGED LINE")]
)
def test_a_package_whose_origin_hides_characters_is_refused(sending, member, value) -> None:
    store, signer, receiver, case_id = sending
    document = build_package(store, case_id, keys=signer, to=FALMOUTH)
    document["body"]["case"]["origin"][member] = value
    with pytest.raises(PackageError, match=f"case.origin.{member}: contains U\\+"):
        _import(receiver, document, signer)
    assert receiver.cases.list() == []


def test_a_coordination_event_is_kept_in_the_desk_s_form(sending) -> None:
    store, signer, receiver, case_id = sending
    document = build_package(store, case_id, keys=signer, to=FALMOUTH)
    event = {"event": "coordinating", "rcc_id": "MRCC-ETEL", "rcc_name": "MRCC \u202eLETE",
             "package_id": None, "time": "2026-11-28T12:00:00Z"}  # fmt: skip
    append_entry(document, "MRCC-ETEL coordinates", {"coordination": event})
    result = _import(receiver, document, signer)
    coordinator = receiver.coordination.coordinator(result.case_id)
    assert coordinator is not None and coordinator.rcc_name == "MRCC LETE"
    stored = receiver.conn.execute("SELECT time FROM coordination").fetchone()[0]
    assert stored == "2026-11-28T12:00:00.000000Z"
    assert receiver.check().ok, receiver.check().problems
    entry = receiver.log.entries(result.case_id)[-2]  # the entry itself stays as it was signed
    assert entry.data["coordination"] == event


@pytest.fixture
def refusing_peer() -> Iterator[str]:
    """An inbox that refuses every package with a very long error."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            body = json.dumps({"error": "refused " + "x" * 200_000 + "\n\x1b[2J"}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/packages"
    finally:
        server.shutdown()
        server.server_close()


def test_a_peer_s_long_answer_is_cut_and_the_failure_recorded(sending, refusing_peer) -> None:
    store, signer, _, case_id = sending
    sent = send_case(store, case_id, keys=signer, to=FALMOUTH, author="op",
                     outbox_url=refusing_peer)  # fmt: skip
    done = deliver(store, sent.package_id, author="op")
    assert not done.delivered and len(done.detail) < 2_000 and done.detail.endswith("…")
    item = store.outbox.item(sent.package_id)
    assert (item.state, item.attempts, item.last_error) == ("failed", 1, done.detail)
    line = store.log.entries(case_id)[-1]
    assert "not delivered to MRCC-FALMOUTH" in line.text and "will retry" in line.text
    assert store.check().ok, store.check().problems


def test_db_check_names_an_outbox_time_out_of_form(sending, desk_path: Path) -> None:
    store, signer, _, case_id = sending
    sent = send_case(store, case_id, keys=signer, to=FALMOUTH, author="op",
                     outbox_url="http://127.0.0.1:9/packages")  # fmt: skip
    store.close()
    tamper(desk_path, "UPDATE outbox SET prepared = '999-01-01T00:00:00.000000Z'")
    with Desk.open(desk_path) as reopened:
        problems = reopened.check().problems
    assert any(
        f"outbox package {sent.package_id}: outbox preparation time '999-01-01" in p
        for p in problems
    ), problems
