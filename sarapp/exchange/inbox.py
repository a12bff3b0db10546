"""Packages over HTTP: ``send`` posts one to a peer's inbox; ``make_inbox_server`` receives.

The signature is the authentication. The server reads at most the size limit, streaming the
body to a temporary file (``InboxLimits.spool_bytes`` in memory at most), verifies it exactly
as a file import does, and checks the signer against the desk's trust list before anything is
written anywhere: an unknown signer is answered 403 (or, with ``quarantine``, kept in the
desk's quarantine within a quota, 202). A trusted package is filed owner-only as
``<package_id>.sarpkg`` in the inbox folder until the coordinator imports it — or, with
``import_packages``, imported into the desk at once. One package is verified at a time, so
memory stays bounded whatever the number of clients; a fixed pool of workers, a read timeout,
a request deadline and a per-peer rate limit keep any client from holding the server.
It listens on 127.0.0.1 unless told otherwise (``bind_warning`` says why that matters).
"""

from __future__ import annotations

import ipaddress
import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import requests

from sarapp.errors import SarappError
from sarapp.exchange import quarantine
from sarapp.exchange.apply import import_package
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.exchange.errors import ExchangeError
from sarapp.exchange.gate import UntrustedSigner, admit
from sarapp.exchange.http_pool import LimitedHandler, PooledHTTPServer, RateLimit
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.reader import ReadPackage, read_package
from sarapp.exchange.ziparchive import DEFAULT_LIMITS, MIB, Limits
from sarapp.store import Desk
from sarapp.store.errors import TrustError

PACKAGES_PATH = "/packages"
SEND_TIMEOUT_S = 30.0  # seconds to connect and to wait for the peer's answer
_CHUNK = 64 * 1024


class TransportError(ExchangeError):
    """A package could not be delivered; the message says whether the link or the peer failed."""


@dataclass(frozen=True)
class InboxLimits:
    """What one client may take of the inbox server (seconds, counts, bytes)."""

    read_timeout_s: float = 10.0  # a client silent this long is dropped
    request_deadline_s: float = 300.0  # a whole request, however slowly it trickles
    workers: int = 4  # requests served at once: a fixed pool, not a thread per connection
    backlog: int = 16  # connections waiting for a worker; more are answered 503
    spool_bytes: int = 1 * MIB  # body held in memory before it goes to a temporary file
    posts_per_minute: int = 30  # per peer address; more are answered 429
    quarantine_files: int = 100  # with quarantine: packages from unknown signers kept at most
    quarantine_bytes: int = 256 * MIB


def send(content: bytes, url: str, *, timeout_s: float | None = None) -> dict[str, Any]:
    """POST a package's bytes to a peer's inbox URL; its JSON answer on success.
    ``timeout_s`` (default ``SEND_TIMEOUT_S``) bounds the connection and the wait for the
    answer."""
    try:
        response = requests.post(
            url,
            data=content,
            headers={"Content-Type": "application/octet-stream"},
            timeout=SEND_TIMEOUT_S if timeout_s is None else timeout_s,
        )
    except requests.RequestException as exc:
        raise TransportError(f"cannot reach {url}: {exc}") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {"error": response.text[:200]}
    if not response.ok:
        reason = answer.get("error", response.reason) if isinstance(answer, dict) else answer
        raise TransportError(f"{url} refused the package ({response.status_code}): {reason}")
    return answer


def bind_warning(host: str) -> str | None:
    """What an officer must know before the inbox listens beyond this computer (None on
    loopback)."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    return (
        f"warning: listening on {host} opens the inbox to the network: anyone who can reach "
        "this port can post to it, and plain HTTP lets anyone on the way read the packages "
        "(cases, positions, persons on board); unknown signers are refused, but put the inbox "
        "behind a TLS reverse proxy (docs/handover-format.md) or keep it on 127.0.0.1"
    )


@dataclass
class _Inbox:
    """What every request handler of one server shares."""

    desk: Path
    inbox_dir: Path
    limits: Limits
    serving: InboxLimits
    report: Callable[[str], None]
    import_packages: bool
    quarantine: bool
    author: str
    rate: RateLimit
    keys_dir: Path | None = None
    verifying: threading.Lock = field(default_factory=threading.Lock)


class InboxServer(PooledHTTPServer):
    inbox: _Inbox


def make_inbox_server(
    *,
    desk: Path,
    inbox_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    limits: Limits = DEFAULT_LIMITS,
    serving: InboxLimits = InboxLimits(),
    report: Callable[[str], None] | None = None,
    import_packages: bool = False,
    quarantine: bool = False,
    author: str = "inbox",
    keys_dir: Path | None = None,
) -> InboxServer:
    """A server (not yet serving) receiving packages for the desk file ``desk``.

    ``port`` 0 picks a free port (see ``server.server_address``). Trust is read from the desk
    at every request (a key trusted meanwhile counts at once). ``report`` receives one line
    per request. With ``import_packages`` each admitted package is imported into the desk
    before it is filed, and the answer says what was added; ``author`` signs the import's log
    line. With ``quarantine`` an unknown signer's package is kept in the desk's quarantine
    (within ``serving.quarantine_files``/``quarantine_bytes``) instead of only refused.
    The desk is opened with its key (from ``keys_dir``, else the default keys folder) as the
    CLI opens it: what an import writes is signed in its checkpoints, and the trust is checked
    against the key itself.
    """
    Desk.open(desk, create=False).close()  # fail now, not at the first package
    server = InboxServer(
        (host, port),
        _InboxHandler,
        workers=serving.workers,
        backlog=serving.backlog,
        read_timeout_s=serving.read_timeout_s,
        deadline_s=serving.request_deadline_s,
        name="inbox",
    )
    server.inbox = _Inbox(
        Path(desk), Path(inbox_dir), limits, serving, report or (lambda line: None),
        import_packages, quarantine, author, RateLimit(serving.posts_per_minute),
        None if keys_dir is None else Path(keys_dir),
    )  # fmt: skip
    return server


class _InboxHandler(LimitedHandler):
    server: InboxServer
    server_version = "sarapp-inbox/2"

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(HTTPStatus.OK, {"status": "ok"})
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"error": f"no such path {self.path}"})

    def do_POST(self) -> None:
        inbox = self.server.inbox
        if self.path != PACKAGES_PATH:
            self._answer(HTTPStatus.NOT_FOUND, {"error": f"post packages to {PACKAGES_PATH}"})
            return
        if not inbox.rate.allow(self.client_address[0]):
            error = f"more than {inbox.serving.posts_per_minute} packages a minute: wait"
            self._answer(HTTPStatus.TOO_MANY_REQUESTS, {"error": error}, {"Retry-After": "60"})
            return
        length = self._length(inbox.limits.max_file_bytes)
        if length is None:
            return
        with tempfile.SpooledTemporaryFile(max_size=inbox.serving.spool_bytes) as body:
            if not self._receive(body, length):
                return
            with inbox.verifying:  # one package in memory at a time
                body.seek(0)
                status, answer = _handle(inbox, body.read())
        self._answer(status, answer)

    def _length(self, limit: int) -> int | None:
        """The announced body length, or None after answering why it is refused."""
        self.close_connection = True
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._answer(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
            return None
        if length < 0 or length > limit:
            error = f"package of {length} bytes exceeds {limit}"
            self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": error})
            return None
        return length

    def _receive(self, body: Any, length: int) -> bool:
        """Stream ``length`` bytes of body into ``body``; False when the client stopped."""
        left = length
        try:
            while left:
                chunk = self.rfile.read(min(_CHUNK, left))
                if not chunk:
                    return False  # the client went away
                body.write(chunk)
                left -= len(chunk)
        except TimeoutError:
            self._answer(HTTPStatus.REQUEST_TIMEOUT, {"error": "the package stopped arriving"})
            return False
        except OSError:
            return False
        return True

    def _answer(
        self, status: HTTPStatus, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client is gone

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request to ``report`` (nothing on stderr)."""
        self.server.inbox.report(f"{self.client_address[0]} {format % args}")


def _handle(inbox: _Inbox, content: bytes) -> tuple[HTTPStatus, dict[str, Any]]:
    """Verify, admit, then file or import one package: (status, JSON answer)."""
    with Desk.open(inbox.desk, create=False) as store:
        attach_checkpoint_signer(store, inbox.keys_dir)  # none at hand: the desk says so
        try:
            trust = desk_trust(store)
        except TrustError as exc:  # changed behind the desk's back: nothing is taken
            return HTTPStatus.SERVICE_UNAVAILABLE, {"error": f"not taken: {exc}"}
        try:
            read = read_package(content, trust=trust, limits=inbox.limits)
            read.require_valid()
        except ExchangeError as exc:  # damaged, unsafe or forged
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(exc)}
        try:
            admit(store, read)
        except UntrustedSigner as exc:
            return _untrusted(inbox, store, content, read, exc)
        except ExchangeError as exc:  # a trusted key saying what it may not
            return HTTPStatus.FORBIDDEN, {"error": str(exc)}
        return _file(inbox, store, content, read)


def _untrusted(
    inbox: _Inbox, store: Desk, content: bytes, read: ReadPackage, exc: UntrustedSigner
) -> tuple[HTTPStatus, dict[str, Any]]:
    if not inbox.quarantine:
        return HTTPStatus.FORBIDDEN, {"error": f"refused: {exc}", "fingerprint": exc.fingerprint}
    files, size = quarantine.count(store)
    if files + 1 > inbox.serving.quarantine_files or (
        size + len(content) > inbox.serving.quarantine_bytes
    ):
        error = f"refused: {exc}; the quarantine is full"
        return HTTPStatus.FORBIDDEN, {"error": error, "fingerprint": exc.fingerprint}
    kept = quarantine.keep(store, content, read)
    return HTTPStatus.ACCEPTED, {
        "status": "quarantined",
        "package_id": kept.package_id,
        "fingerprint": kept.fingerprint,
        "error": f"kept aside until the receiving RCC trusts the key: {exc}",
    }


def _file(
    inbox: _Inbox, store: Desk, content: bytes, read: ReadPackage
) -> tuple[HTTPStatus, dict[str, Any]]:
    package_id = read.header["package_id"]
    target = inbox.inbox_dir / f"{package_id}.sarpkg"
    known = target.exists()
    if known and target.read_bytes() != content:
        error = f"another package with id {package_id} is already in the inbox"
        return HTTPStatus.CONFLICT, {"error": error}
    answer: dict[str, Any] = {
        "package_id": package_id,
        "case_id": read.header["case_id"],
        "stored": target.name,
        "already_received": known,
        "signature": read.signature.status.value,
    }
    if inbox.import_packages:
        try:
            result = import_package(store, read, author=inbox.author)
        except SarappError as exc:  # refused by the desk: not filed either
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(exc)}
        answer["import"] = {
            "created": result.created,
            "added_entries": len(result.added_entries),
            "conflicts": len(result.conflicts),
            "already_imported": result.already_imported,
            "replay_of": result.replay_of,
        }
    if not known:
        try:
            inbox.inbox_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(target, content, mode=0o600)
        except OSError as exc:
            error = f"cannot file the package: {exc.strerror or exc}"
            return HTTPStatus.INTERNAL_SERVER_ERROR, {"error": error}
    return (HTTPStatus.OK if known else HTTPStatus.CREATED), answer


__all__ = [
    "PACKAGES_PATH",
    "InboxLimits",
    "InboxServer",
    "TransportError",
    "bind_warning",
    "make_inbox_server",
    "send",
]
