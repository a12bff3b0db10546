"""A live NMEA feed (AIS, or AIS and DSC) over UDP or TCP, given as ``host:port``.

UDP: the desk listens on ``host:port`` for datagrams (what most AIS receivers, DSC
controllers and aggregators send); ``udp://:port`` listens on every interface. TCP: the desk
connects to ``host:port`` and reads lines (what a receiver's NMEA port offers). Iterating the
feed gives AIS events (``sarapp.alerts.ais.iter_ais``); ``lines()`` gives the raw lines for
a mixed decoder (``sarapp.alerts.nmea_stream.iter_nmea``).
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from typing import Literal

from sarapp.alerts.ais import AisError, AisEvent, AisStats, iter_ais
from sarapp.model import utc_now

Protocol = Literal["tcp", "udp"]
_ADDRESS_RE = re.compile(
    r"^(?:(?P<scheme>tcp|udp)://)?(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\s/\[\]]*)):(?P<port>\d{1,5})$"
)
_ANY_HOST = "0.0.0.0"  # udp://:port listens on every IPv4 interface
_POLL_S = 0.2  # how often a blocked read wakes up to notice close() or the idle timeout, s
_MAX_LINE = 4096  # bytes; a "line" longer than this is garbage, cut to bound memory


def parse_address(
    host_port: str, *, protocol: Protocol | None = None, label: str = "AIS feed"
) -> tuple[str, int, Protocol]:
    """Check ``host:port`` (optionally ``udp://``/``tcp://``, IPv6 in brackets; a UDP feed
    may leave the host out to listen on every interface).

    Returns (host, port, protocol); raises AisError saying what is wrong, naming ``label``.
    """
    text = host_port.strip()
    match = _ADDRESS_RE.match(text)
    if match is None:
        raise AisError(
            f'{label} "{host_port}": expected host:port, e.g. 127.0.0.1:10110 or udp://:10110'
        )
    scheme = match.group("scheme")
    if scheme and protocol and scheme != protocol:
        raise AisError(f'{label} "{host_port}": says {scheme} but {protocol} was asked for')
    chosen: Protocol = protocol or scheme or "tcp"  # type: ignore[assignment]
    port = int(match.group("port"))
    if not (0 if chosen == "udp" else 1) <= port <= 65535:
        raise AisError(f'{label} "{host_port}": port {port} is out of range (1–65535)')
    host = match.group("v6") or match.group("host")
    if not host:
        if chosen == "tcp":
            raise AisError(f'{label} "{host_port}": a TCP feed needs the host to connect to')
        host = _ANY_HOST
    return host, port, chosen


class AisFeed:
    """An open feed; iterate it for AIS events, ``close()`` it (or use ``with``) to stop.

    Iteration ends when the TCP server closes the connection, when ``close()`` is called, or
    after ``idle_timeout_s`` seconds without data (None: wait for ever).
    """

    def __init__(self, sock: socket.socket, protocol: Protocol, idle_timeout_s: float | None):
        self._sock = sock
        self.protocol = protocol
        self.idle_timeout_s = idle_timeout_s
        self.stats = AisStats()
        self._closed = False
        sock.settimeout(_POLL_S)

    @property
    def address(self) -> tuple[str, int]:
        """The local address (a UDP feed bound to port 0 learns its port here)."""
        host, port = self._sock.getsockname()[:2]
        return host, port

    def __iter__(self) -> Iterator[AisEvent]:
        return iter_ais(self.lines(), clock=utc_now, stats=self.stats)

    def __enter__(self) -> AisFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        self._sock.close()

    def _chunks(self) -> Iterator[bytes]:
        last = time.monotonic()
        while not self._closed:
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                if (
                    self.idle_timeout_s is not None
                    and time.monotonic() - last > self.idle_timeout_s
                ):
                    return
                continue
            except OSError:
                return  # closed under us
            if not data and self.protocol == "tcp":
                return
            last = time.monotonic()
            yield data

    def lines(self) -> Iterator[bytes]:
        """The feed's lines as they arrive (for a decoder of more than AIS)."""
        rest = b""
        for chunk in self._chunks():
            *lines, rest = (rest + chunk).split(b"\n")
            if self.protocol == "udp":  # a datagram is complete: its last line too
                lines.append(rest)
                rest = b""
            elif len(rest) > _MAX_LINE:
                lines.append(rest[:_MAX_LINE])
                rest = b""
            yield from lines
        if rest:
            yield rest


def open_feed(
    host_port: str,
    *,
    protocol: Protocol | None = None,
    idle_timeout_s: float | None = None,
    label: str = "AIS feed",
) -> AisFeed:
    """Open a live feed: listen on a UDP port or connect to a TCP server (default TCP).

    Raises AisError for a malformed address or one that cannot be opened, naming ``label``.
    """
    host, port, chosen = parse_address(host_port, protocol=protocol, label=label)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock: socket.socket | None = None
    try:
        if chosen == "tcp":
            sock = socket.create_connection((host, port), timeout=5)
        else:
            sock = socket.socket(family, socket.SOCK_DGRAM)
            sock.bind((host, port))
    except OSError as exc:
        if sock is not None:
            sock.close()
        reason = exc.strerror or str(exc)
        raise AisError(
            f'{label} "{host_port}": cannot open {chosen} {host}:{port}: {reason}'
        ) from exc
    return AisFeed(sock, chosen, idle_timeout_s)
