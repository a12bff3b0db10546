"""An HTTP server a hostile network cannot exhaust: a fixed pool of worker threads, a bounded
queue of waiting connections (more are answered 503 at once), a read timeout on every socket,
a deadline on every request, and a per-peer rate limit.

Generic plumbing for the package inbox (``sarapp.exchange.inbox``); it knows nothing of
packages.
"""

from __future__ import annotations

import collections
import contextlib
import queue
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

_BUSY_BODY = b'{"error": "the inbox is busy: try again later"}'
BUSY_ANSWER = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    b"Retry-After: 5\r\nConnection: close\r\n"
    + f"Content-Length: {len(_BUSY_BODY)}\r\n\r\n".encode()
    + _BUSY_BODY
)


class RateLimit:
    """At most ``per_minute`` requests per peer address in any 60 s (a sliding window)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, peer: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._seen) > 10_000:  # forget peers that went quiet
                self._seen = {p: d for p, d in self._seen.items() if d and d[-1] > now - 60}
            times = self._seen.setdefault(peer, collections.deque())
            while times and times[0] <= now - 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            return True


class PooledHTTPServer(HTTPServer):
    """``workers`` threads serve requests; ``backlog`` more connections may wait for one.

    ``read_timeout_s`` applies to every read of a socket; a connection still open after
    ``deadline_s`` (a client trickling bytes) is cut by a watchdog thread.
    """

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        *,
        workers: int,
        backlog: int,
        read_timeout_s: float,
        deadline_s: float,
        name: str = "http",
    ) -> None:
        self.read_timeout_s = read_timeout_s
        self.deadline_s = deadline_s
        self.request_queue_size = max(backlog, 1) + workers
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(workers + max(backlog, 0))
        self._jobs: queue.Queue[tuple[Any, Any] | None] = queue.Queue()
        self._open: dict[socket.socket, float] = {}
        self._open_lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-worker-{n}", daemon=True)
            for n in range(workers)
        ]
        self._threads.append(
            threading.Thread(target=self._watch, name=f"{name}-watchdog", daemon=True)
        )
        for thread in self._threads:
            thread.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._turn_away(request)
            return
        self._jobs.put((request, client_address))

    def server_close(self) -> None:
        super().server_close()
        self._stopping.set()
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout=5)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            request, client_address = job
            with self._open_lock:
                self._open[request] = time.monotonic()
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                with self._open_lock:
                    self._open.pop(request, None)
                self.shutdown_request(request)
                self._slots.release()

    def _watch(self) -> None:
        while not self._stopping.wait(0.5):
            limit = time.monotonic() - self.deadline_s
            with self._open_lock:
                late = [s for s, started in self._open.items() if started < limit]
            for sock in late:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _turn_away(self, request: Any) -> None:
        try:
            request.settimeout(1.0)
            request.sendall(BUSY_ANSWER)
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished or timed out is not an error worth a traceback."""


class LimitedHandler(BaseHTTPRequestHandler):
    """A request handler whose socket reads time out after the server's ``read_timeout_s``."""

    server: PooledHTTPServer

    def setup(self) -> None:
        self.timeout = self.server.read_timeout_s
        super().setup()


__all__ = ["LimitedHandler", "PooledHTTPServer", "RateLimit"]
