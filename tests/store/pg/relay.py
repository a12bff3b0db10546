"""A relay between the desk and its PostgreSQL server that makes real network faults: an
answer lost on its way back, a connection cut, a server not there for a while."""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from pathlib import Path


class Relay:
    """A Unix-socket relay to the server's socket, and the network faults it makes:
    ``lose_next_commit_answer()``: the next COMMIT a client sends reaches the server, and the
    connection is cut as its answer (``CommandComplete 'COMMIT'``) comes back, so the client
    never reads it. ``lose_next_commit()``: the connection is cut as the COMMIT goes out,
    before the server has it (the transaction is rolled back). ``drop(keep=b"LISTEN")``: every
    connection is cut but those whose client sent ``keep``; ``refusing``: new connections are
    closed at once, as a server that is not there yet."""

    def __init__(self, server_socket: Path, folder: Path) -> None:
        self.target = str(server_socket)
        self.folder = folder
        self.path = folder / server_socket.name  # same port number: libpq names it so
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        self.listener.listen(8)
        self._armed = threading.Event()
        self._before_server = False
        self.cut = threading.Event()
        self._closing = False
        self.refusing = False
        self._pairs: list[tuple[socket.socket, socket.socket, list[bytes]]] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def drop(self, *, keep: bytes = b"") -> int:
        """Cut every connection whose client never sent ``keep``; how many were cut."""
        cut = 0
        for client, server, sent in list(self._pairs):
            if keep and any(keep in chunk for chunk in sent):
                continue
            for end in (client, server):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            cut += 1
        return cut

    def lose_next_commit_answer(self) -> None:
        self.cut.clear()
        self._before_server = False
        self._armed.set()

    def lose_next_commit(self) -> None:
        self.cut.clear()
        self._before_server = True
        self._armed.set()

    def close(self) -> None:
        self._closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(self.target)
            sent: list[bytes] = []
            self._pairs.append((client, server, sent))
            threading.Thread(target=self._pump, args=(client, server, sent), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket, sent: list[bytes]) -> None:
        watch = selectors.DefaultSelector()
        watch.register(client, selectors.EVENT_READ, server)
        watch.register(server, selectors.EVENT_READ, client)
        committing = False
        try:
            while True:
                for key, _ in watch.select():
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    if key.fileobj is client and len(sent) < 64:
                        sent.append(data)
                    if key.fileobj is client and self._armed.is_set() and b"COMMIT\x00" in data:
                        committing = True
                        self._armed.clear()
                        if self._before_server:
                            self.cut.set()
                            return
                    if key.fileobj is server and committing and b"COMMIT\x00" in data:
                        self.cut.set()  # the server has committed; its answer goes nowhere
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            watch.close()
            for end in (client, server):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
