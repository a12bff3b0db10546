"""The HTTP inbox against a hostile network (issue 10): the signature is the authentication,
and no client can hold the server's threads, memory or desk.

On main an unknown signer's package was filed (and with ``--import`` imported); a client that
stopped sending held a thread for ever; each connection got a thread of its own; the body was
read whole into memory; nothing limited how fast one peer could post; binding beyond loopback
said nothing.
"""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from sarapp.exchange.inbox import InboxLimits, make_inbox_server
from sarapp.exchange.ziparchive import Limits

from .conftest import Rccs, append_entry, dump, forge, run, send_a_to_b

MIB = 1024 * 1024


@contextmanager
def serving(r: Rccs, **options) -> Iterator[tuple[str, object]]:
    """Desk B's inbox on a free loopback port, in this process: (URL, server)."""
    options.setdefault("inbox_dir", r.tmp / "inbox-b")
    server = make_inbox_server(desk=r.b, port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/packages", server
    finally:
        server.shutdown()
        server.server_close()


def _forged(capsys, r: Rccs) -> bytes:
    document = json.loads(send_a_to_b(capsys, r, "genuine.sarpkg").read_bytes())
    append_entry(document, "All crew rescued, stand down all units")
    return forge(document)


@contextmanager
def cli_server(r: Rccs, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    cmd = [sys.executable, "-m", "sarapp.cli", "--db", str(r.b), "inbox", "serve", "--port", "0",
           "--inbox", str(r.tmp / "inbox-b"), "--keys-dir", str(r.keys_b), *options]  # fmt: skip
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = next(word for word in line.split() if word.startswith("http://"))
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_unknown_signer_gets_403_and_nothing_is_written(capsys, rccs: Rccs) -> None:
    r = rccs
    forged, genuine = _forged(capsys, r), send_a_to_b(capsys, r).read_bytes()
    before = dump(r.b)
    with cli_server(r, "--import") as (url, _):
        answer = requests.post(url, data=forged, timeout=30)
        assert answer.status_code == 403 and "fingerprint" in answer.json()["error"]
        assert dump(r.b) == before
        assert not (r.tmp / "inbox-b").exists() or not list((r.tmp / "inbox-b").iterdir())
        assert not [p for p in r.tmp.iterdir() if "quarantine" in p.name]
        trusted = requests.post(url, data=genuine, timeout=30)
        assert trusted.status_code == 201 and trusted.json()["import"]["created"] is True


def test_the_server_quarantines_only_when_told_and_within_its_quota(capsys, rccs: Rccs) -> None:
    r = rccs
    first, second = _forged(capsys, r), _forged(capsys, r)
    with serving(r, quarantine=True, serving=InboxLimits(quarantine_files=1)) as (url, _):
        kept = requests.post(url, data=first, timeout=30)
        assert kept.status_code == 202 and kept.json()["status"] == "quarantined"
        full = requests.post(url, data=second, timeout=30)
        assert full.status_code == 403 and "quarantine is full" in full.json()["error"]
    (folder,) = [p for p in r.tmp.iterdir() if "quarantine" in p.name]
    assert [f.read_bytes() for f in folder.iterdir()] == [first]


def test_a_client_that_stops_sending_is_dropped(rccs: Rccs) -> None:
    assert InboxLimits().read_timeout_s == 10.0  # the default of the issue
    with serving(rccs, serving=InboxLimits(read_timeout_s=1.0)) as (url, server):
        port = server.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(b"POST /packages HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
            started = time.monotonic()
            while client.recv(4096):  # an answer (408) or none, then the server closes
                pass
            assert time.monotonic() - started < 8.0
        assert requests.get(url.replace("/packages", "/health"), timeout=5).ok


def test_connections_beyond_the_pool_are_turned_away(rccs: Rccs) -> None:
    limits = InboxLimits(read_timeout_s=5.0, workers=2, backlog=0)
    with serving(rccs, serving=limits) as (url, server):
        port = server.server_address[1]
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        try:
            time.sleep(0.3)  # both taken by the two workers, waiting for a request line
            workers = [t for t in threading.enumerate() if t.name.startswith("inbox-worker")]
            assert len(workers) == 2
            busy = requests.get(url.replace("/packages", "/health"), timeout=5)
            assert busy.status_code == 503
            assert len([t for t in threading.enumerate() if t.name.startswith("inbox-")]) <= 3
        finally:
            for s in idle:
                s.close()


def test_the_body_is_streamed_to_a_file_not_held_in_memory(rccs: Rccs) -> None:
    with serving(rccs, limits=Limits(max_file_bytes=64 * MIB)) as (_, server):
        port = server.server_address[1]
        tracemalloc.start()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
                client.sendall(
                    f"POST /packages HTTP/1.1\r\nHost: x\r\nContent-Length: {40 * MIB}\r\n\r\n"
                    .encode()
                )  # fmt: skip
                chunk = b" " * MIB
                for _ in range(24):  # 24 MiB sent of the 40 announced
                    client.sendall(chunk)
                time.sleep(0.5)
                held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
    assert held < 8 * MIB, f"{held / MIB:.1f} MiB held while receiving"


def test_a_peer_posting_too_fast_is_told_to_wait(rccs: Rccs) -> None:
    with serving(rccs, serving=InboxLimits(posts_per_minute=3)) as (url, _):
        codes = [requests.post(url, data=b"{}", timeout=10).status_code for _ in range(4)]
    assert codes[:3] == [422, 422, 422] and codes[3] == 429


def test_binding_beyond_loopback_prints_a_warning_naming_the_risk(rccs: Rccs) -> None:
    with cli_server(rccs, "--host", "0.0.0.0") as (_, server):
        server.terminate()
        _, err = server.communicate(timeout=10)
    first = err.splitlines()[0]
    assert first.startswith("sarapp: warning") and "0.0.0.0" in first
    assert "TLS" in first and "network" in first


def test_inbox_files_are_owner_only(capsys, rccs: Rccs) -> None:
    r = rccs
    genuine = send_a_to_b(capsys, r).read_bytes()
    with serving(r) as (url, _):
        answer = requests.post(url, data=genuine, timeout=30).json()
    stored = r.tmp / "inbox-b" / answer["stored"]
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700


def test_what_the_http_inbox_imports_is_signed_with_the_desks_key(capsys, rccs: Rccs) -> None:
    """``inbox serve --import`` opened the desk without its key: every entry it imported was
    "written without the desk's key" (signed only later, by a full checkpoint, if ever)."""
    r = rccs
    assert run(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r))))[0] == 0
    assert run(capsys, "--db", str(r.a), "log", "add", r.case_id, "Lifeboat on scene")[0] == 0
    later = send_a_to_b(capsys, r, "later.sarpkg").read_bytes()
    with cli_server(r, "--import") as (url, _):
        answer = requests.post(url, data=later, timeout=30)
        assert answer.status_code == 201 and answer.json()["import"]["added_entries"], answer.text
    code, out, err = run(capsys, *r.on_b("db", "check"))
    assert code == 0 and out.startswith("ok"), out + err
    assert "without the desk's key" not in out and "could not be extended" not in out, out
