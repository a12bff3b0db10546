"""Packages over HTTP: ``send`` posts one to a peer's inbox; ``make_inbox_server`` receives.

The receiving side checks every package exactly as a file import does (``read_package``),
refuses damaged, unsafe or badly signed ones with the reason (HTTP 4xx, JSON ``error``), and
keeps accepted ones as ``<package_id>.sarpkg`` in its inbox folder until the coordinator
imports them — or, when given a desk (``import_into``), imports each one into it at once (a
package the import refuses is answered 422 and not filed). It listens on 127.0.0.1 unless
told otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from sarapp.errors import SarappError
from sarapp.exchange.apply import import_package
from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import ExchangeError, PackageError
from sarapp.exchange.reader import ReadPackage, SignatureStatus, read_package
from sarapp.exchange.ziparchive import DEFAULT_LIMITS, Limits
from sarapp.store import Store

PACKAGES_PATH = "/packages"
SEND_TIMEOUT_S = 30.0  # seconds to connect and to wait for the peer's answer


class TransportError(ExchangeError):
    """A package could not be delivered; the message says whether the link or the peer failed."""


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


def make_inbox_server(
    *,
    inbox_dir: Path,
    keys_dir: Path | None,
    host: str = "127.0.0.1",
    port: int = 0,
    trusted_only: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    report: Callable[[str], None] | None = None,
    import_into: Path | None = None,
    author: str = "inbox",
) -> ThreadingHTTPServer:
    """A server (not yet serving) that files verified packages in ``inbox_dir``.

    ``port`` 0 picks a free port (see ``server.server_address``). With ``trusted_only``,
    packages from signers outside the trust list are refused too. ``report`` receives one
    line per request (the CLI prints it). With ``import_into`` (a desk file), every verified
    package is imported into that desk (one connection per request) before it is filed, and
    the answer says what was added; ``author`` signs the import's log line.
    """
    inbox_dir = Path(inbox_dir)
    inbox_dir.mkdir(parents=True, exist_ok=True)

    class Handler(_InboxHandler):
        settings = (inbox_dir, keys_dir, trusted_only, limits)
        importing = (import_into, author)
        reporter = staticmethod(report or (lambda line: None))

    return ThreadingHTTPServer((host, port), Handler)


class _InboxHandler(BaseHTTPRequestHandler):
    settings: tuple[Path, Path | None, bool, Limits]
    importing: tuple[Path | None, str]
    reporter: Callable[[str], None]
    server_version = "sarapp-inbox/1"

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(HTTPStatus.OK, {"status": "ok"})
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"error": f"no such path {self.path}"})

    def do_POST(self) -> None:
        inbox_dir, keys_dir, trusted_only, limits = self.settings
        if self.path != PACKAGES_PATH:
            self._answer(HTTPStatus.NOT_FOUND, {"error": f"post packages to {PACKAGES_PATH}"})
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._answer(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
            return
        if length < 0 or length > limits.max_file_bytes:
            self.close_connection = True
            error = f"package of {length} bytes exceeds {limits.max_file_bytes}"
            self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": error})
            return
        content = self.rfile.read(length)
        try:
            read = read_package(content, keys_dir=keys_dir, limits=limits).require_valid()
            status = read.signature.status
            if trusted_only and status is not SignatureStatus.VALID_TRUSTED:
                raise PackageError(f"package refused: signer not trusted ({read.signature.reason})")
        except ExchangeError as exc:  # damaged, unsafe, forged, or our key folder is unusable
            self._answer(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(exc)})
            return
        package_id = read.header["package_id"]
        target = inbox_dir / f"{package_id}.sarpkg"
        known = target.exists()
        if known and target.read_bytes() != content:
            error = f"another package with id {package_id} is already in the inbox"
            self._answer(HTTPStatus.CONFLICT, {"error": error})
            return
        answer: dict[str, Any] = {
            "package_id": package_id,
            "case_id": read.header["case_id"],
            "stored": target.name,
            "already_received": known,
            "signature": status.value,
        }
        desk, author = self.importing
        if desk is not None:
            try:
                answer["import"] = _import_into(desk, read, author)
            except SarappError as exc:  # refused by the desk: not filed either
                self._answer(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(exc)})
                return
        if not known:
            write_atomic(target, content)
        self._answer(HTTPStatus.OK if known else HTTPStatus.CREATED, answer)

    def _answer(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request to ``report`` (nothing on stderr)."""
        self.reporter(f"{self.client_address[0]} {format % args}")


def _import_into(desk: Path, read: ReadPackage, author: str) -> dict[str, Any]:
    """Import into the desk file with a connection of this request's own thread."""
    with Store.open(desk, create=False) as store:
        result = import_package(store, read, author=author)
    return {
        "created": result.created,
        "added_entries": len(result.added_entries),
        "conflicts": len(result.conflicts),
        "already_imported": result.already_imported,
    }
