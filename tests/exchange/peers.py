"""Peers on 127.0.0.1 for sending tests: a real inbox, one that files a package and then drops
the connection (its answer lost), and one that answers only after a delay."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sarapp.exchange.inbox import make_inbox_server


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve in a thread; yields the packages URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/packages"
    finally:
        server.shutdown()
        server.server_close()


def inbox_peer(inbox: Path, desk: Path, **options) -> ThreadingHTTPServer:
    """A real inbox for the desk file ``desk`` (which trusts the senders it files)."""
    return make_inbox_server(desk=desk, inbox_dir=inbox, **options)


def dropping_peer(inbox: Path) -> ThreadingHTTPServer:
    """Files each package it receives, as a real inbox would, then closes the connection
    without answering: the sender never hears that the peer has it."""
    inbox.mkdir(parents=True, exist_ok=True)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            content = self.rfile.read(int(self.headers["Content-Length"]))
            digest = hashlib.sha256(content).hexdigest()[:16]  # the same package, one file
            (inbox / f"dropped-{digest}.sarpkg").write_bytes(content)
            self.close_connection = True  # no status line, nothing: the answer is lost

        def log_message(self, *args) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


def slow_peer(delay_s: float) -> ThreadingHTTPServer:
    """Reads the package, waits ``delay_s`` seconds, then answers 201 as an inbox would."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(delay_s)
            body = b'{"package_id": "late", "already_received": false}'
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server
