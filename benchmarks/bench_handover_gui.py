"""The handover dialog's GUI thread, measured (used by ``bench_handover.py``).

A heartbeat timer ticks every ``TICK_MS`` on the GUI thread; the longest gap between two
ticks, less the tick, is the longest the GUI thread was kept from its events (a window that
does not repaint, a click that waits). Two measurements on a 10,000-entry case:

- the send preview while the coordinator types the peer's id (one keystroke every 80 ms,
  then the preview rebuilt): each keystroke's handler, the preview's display, and the longest
  stall from the first keystroke until the new preview shows;
- a send to a peer that takes ``delay_s`` seconds to answer (35 s: longer than the send's
  30 s timeout): the longest stall from the click until the outcome is recorded, when the
  package was recorded as sent, and whether another desk could write meanwhile.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from sarapp.exchange.keyring import desk_keys
from sarapp.exchange.keys import Rcc
from sarapp.exchange.send_preview import send_preview
from sarapp.store import Desk
from sarapp.ui.handover_dialog import HandoverDialog

TICK_MS = 5


class Heartbeat:
    """Ticks on the GUI thread; ``stall_ms`` is the longest it was kept from ticking."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def start(self) -> None:
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return max(0.0, self.longest * 1000 - TICK_MS)


def wait_for(signal, timeout_s: float) -> list:
    """Run the event loop until ``signal`` fires (its arguments) or the time is up."""
    loop, got = QEventLoop(), []
    signal.connect(lambda *args: (got.append(args), loop.quit()))
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    return got[0] if got else []


def idle_stall_ms(seconds: float = 2.0) -> float:
    """The longest stall with nothing to do: what the machine itself costs (other processes
    on a shared machine), to read the figures below against."""
    beat = Heartbeat()
    beat.start()
    pause = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), pause.quit)
    pause.exec()
    return beat.stop()


def preview_figures(store: Desk, case_id: str, keys_dir: Path, rounds: int = 3) -> dict[str, float]:
    """Typing the peer's id in the dialog, ``rounds`` times, on the GUI thread; and the old
    way (the preview built on the GUI thread at each keystroke) for comparison."""
    app = QApplication.instance() or QApplication([])
    idle = idle_stall_ms()
    dialog = HandoverDialog(store, case_id, keys_dir=keys_dir)
    dialog.show()
    wait_for(dialog.preview_ready, 60)
    shown: list[float] = []
    original = dialog._show_preview

    def timed_show(generation: int, text: str) -> None:
        start = time.perf_counter()
        original(generation, text)
        shown.append((time.perf_counter() - start) * 1000)

    dialog._show_preview = timed_show
    keystrokes, stalls, ready = [], [], []
    for _ in range(rounds):
        beat = Heartbeat()
        beat.start()
        for length in range(1, len("MRCC-FALMOUTH") + 1):
            start = time.perf_counter()
            dialog.peer.setEditText("MRCC-FALMOUTH"[:length])
            keystrokes.append((time.perf_counter() - start) * 1000)
            pause = QEventLoop()
            QTimer.singleShot(80, pause.quit)
            pause.exec()
        typed = time.perf_counter()
        wait_for(dialog.preview_ready, 60)
        ready.append((time.perf_counter() - typed) * 1000)
        stalls.append(beat.stop())
        dialog.peer.setEditText("")
        wait_for(dialog.preview_ready, 60)
    start = time.perf_counter()  # what each keystroke cost before: the preview on the GUI thread
    send_preview(store, case_id, keys=desk_keys(store, keys_dir), to=Rcc("MRCC-FALMOUTH"),
                 sitrep="short")  # fmt: skip
    inline = (time.perf_counter() - start) * 1000
    dialog.close()
    app.processEvents()
    return {
        "idle_stall_ms": idle,
        "keystroke_max_ms": max(keystrokes),
        "preview_show_ms": max(shown) if shown else float("nan"),
        "typing_stall_ms": max(stalls),
        "typing_stall_median_ms": statistics.median(stalls),
        "preview_after_typing_ms": statistics.median(ready),
        "inline_preview_ms": inline,
    }


class _SlowPeer(BaseHTTPRequestHandler):
    delay_s = 35.0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(self.delay_s)
        try:
            body = b'{"package_id": "late", "already_received": false}'
            self.send_response(201)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the sender gave up waiting

    def log_message(self, *args) -> None:
        pass


def send_figures(store: Desk, case_id: str, keys_dir: Path, delay_s: float) -> dict:
    """Send over HTTP to a peer that answers after ``delay_s`` s; the GUI thread watched."""
    app = QApplication.instance() or QApplication([])
    handler = type("Peer", (_SlowPeer,), {"delay_s": delay_s})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/packages"
    dialog = HandoverDialog(store, case_id, keys_dir=keys_dir)
    dialog.show()
    wait_for(dialog.preview_ready, 60)
    dialog.url.setText(url)
    writes: list[str] = []

    def other_desk() -> None:  # another operator logs while the peer has not answered
        time.sleep(min(5.0, delay_s / 2))
        try:
            with Desk.open(store.path, busy_timeout_ms=1000) as other:
                other.log.append(case_id, "Another operator's note", author="op2")
            writes.append("ok")
        except Exception as exc:  # the figure reports it
            writes.append(f"failed: {exc}")

    marks: dict[str, float] = {}
    dialog.package_sent.connect(lambda _s: marks.setdefault("prepared", time.perf_counter()))
    idle = idle_stall_ms()
    beat = Heartbeat()
    beat.start()
    writer = threading.Thread(target=other_desk)
    writer.start()
    start = time.perf_counter()
    dialog.send_to(url)
    outcome = wait_for(dialog.delivery_done, delay_s + 60)
    done = time.perf_counter()
    stall = beat.stop()
    writer.join()
    server.shutdown()
    server.server_close()
    delivery = outcome[0] if outcome else None
    item = store.outbox.item(delivery.package_id) if delivery else None
    dialog.close()
    app.processEvents()
    return {
        "send_idle_stall_ms": idle,
        "send_stall_ms": stall,
        "prepared_after_s": marks.get("prepared", done) - start,
        "outcome_after_s": done - start,
        "outcome": (delivery.detail if delivery else "no outcome")[:90],
        "outbox_state": item.state if item else "?",
        "other_desk_write": writes[0] if writes else "not tried",
    }
