"""Two desks exchange a package over HTTP on 127.0.0.1: only verified packages are filed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sarapp.exchange import keyring, keys
from sarapp.exchange.inbox import TransportError, make_inbox_server, send
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import read_package_file
from sarapp.exchange.ziparchive import Limits

from .conftest import trusting
from .helpers import as_bytes, export, resign


@pytest.fixture
def inbox(tmp_path: Path, desk_b, keys_b: DeskKeys) -> Iterator[tuple[str, Path, list[str]]]:
    """Desk B's inbox server (B trusts A) on a free loopback port: (URL, folder, request log)."""
    folder, lines = tmp_path / "inbox-b", []
    server = make_inbox_server(
        desk=desk_b.path, inbox_dir=folder, limits=Limits(max_file_bytes=50_000),
        report=lines.append,
    )  # fmt: skip
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/packages", folder, lines
    server.shutdown()
    server.server_close()


def test_a_package_goes_from_desk_a_into_desk_bs_inbox(desk, keys_a, keys_b, inbox) -> None:
    url, folder, lines = inbox
    store, case_id = desk
    content = as_bytes(export(store, case_id, keys_a))
    answer = send(content, url)
    assert answer["signature"] == "valid-and-trusted"
    assert answer["already_received"] is False and answer["case_id"] == case_id
    stored = folder / answer["stored"]
    assert stored.read_bytes() == content
    assert read_package_file(stored, trust=trusting(keys_a)).body["case"]["id"] == case_id
    assert send(content, url)["already_received"] is True  # sending twice changes nothing
    assert len(list(folder.iterdir())) == 1
    assert any("POST /packages" in line for line in lines)


def test_bad_packages_are_refused_and_nothing_is_stored(desk, keys_a, keys_b, inbox) -> None:
    url, folder, _ = inbox
    store, case_id = desk
    document = export(store, case_id, keys_a)
    document["header"]["purpose"] = "acceptance"  # altered after signing
    with pytest.raises(TransportError, match=r"422.*invalid signature"):
        send(as_bytes(document), url)
    with pytest.raises(TransportError, match=r"422.*not valid JSON"):
        send(b"hello", url)
    with pytest.raises(TransportError, match="413"):
        send(b"{" * 60_000, url)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_different_package_reusing_an_id_is_refused(desk, keys_a: DeskKeys, inbox) -> None:
    url, _, _ = inbox
    store, case_id = desk
    document = export(store, case_id, keys_a)
    send(as_bytes(document), url)
    document["header"]["purpose"] = "acceptance"
    with pytest.raises(TransportError, match=r"409.*already in the inbox"):
        send(resign(document, keys_a), url)


def test_a_key_trusted_while_serving_counts_at_once(desk, desk_b, keys_a, tmp_path) -> None:
    store, case_id = desk
    server = make_inbox_server(desk=desk_b.path, inbox_dir=tmp_path / "in")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/packages"
    try:
        content = as_bytes(export(store, case_id, keys_a))
        with pytest.raises(TransportError, match=r"403.*does not trust"):
            send(content, url)
        keyring.trust_key(desk_b, keys.read_key_file(keys.public_key_file(keys_a)), author="op")
        assert send(content, url)["signature"] == "valid-and-trusted"
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_peer_is_a_transport_error() -> None:
    with pytest.raises(TransportError, match="cannot reach"):
        send(b"{}", "http://127.0.0.1:9/packages", timeout_s=2)


def test_cli_serve_and_send(desk, desk_b, keys_a, keys_b, keys_dir, tmp_path: Path) -> None:
    """``sarapp inbox serve`` in its own process, ``sarapp handover send`` to it."""
    store, case_id = desk
    package = tmp_path / "p.sarpkg"
    package.write_bytes(as_bytes(export(store, case_id, keys_a)))
    cmd = [sys.executable, "-m", "sarapp.cli", "--db", str(desk_b.path), "inbox", "serve",
           "--port", "0", "--inbox", str(tmp_path / "in"), "--keys-dir", str(keys_dir)]  # fmt: skip
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        url = first.split()[3]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/packages")
        assert requests.get(url.replace("/packages", "/health"), timeout=5).json() == {
            "status": "ok"
        }
        sent = subprocess.run(
            [sys.executable, "-m", "sarapp.cli", "handover", "send", str(package), url, "--json"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert sent.returncode == 0, sent.stderr
        assert json.loads(sent.stdout)["case_id"] == case_id
        assert (tmp_path / "in" / f"{json.loads(sent.stdout)['package_id']}.sarpkg").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
