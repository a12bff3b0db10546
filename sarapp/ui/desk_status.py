"""The status bar's desk line: which desk is open (the file, or the server, database and the
login with its role), whether it is read-only for this login, and whether the desk is
connected (live updates arriving, reconnecting, or lost)."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from sarapp.store import Desk

# The dot before the link state: green connected, amber reconnecting, red lost.
_DOTS = {"connected": "#1e8e3e", "reconnecting": "#e37400", "lost": "#d93025"}
_ROLES = {"officer": "officer", "viewer": "viewer", "owner": "owner", "other": "no desk role"}


def desk_line(store: Desk) -> tuple[str, str]:
    """(where, who) for the status bar: ``desk file desk.sqlite`` or ``RCC server
    rcc-db/sar``, and ``as alice (officer)``; who is empty for a file."""
    if store.path is not None:
        return f"Desk file {store.path.name}", ""
    access = store.access
    where = store.location
    if access.user and where.endswith(f" as {access.user}"):
        where = where[: -len(f" as {access.user}")]
    return f"RCC server {where}", f"as {access.user} ({_ROLES.get(access.role, access.role)})"


def read_only_line(store: Desk) -> str:
    """The one line said when this login may not write (empty when it may)."""
    access = store.access
    if not access.read_only:
        return ""
    if access.user is None:
        return "read-only: this desk file cannot be written"
    what = "a viewer" if access.role == "viewer" else "without the officer role"
    return f"read-only: connected as {access.user}, {what}"


class DeskStatus(QLabel):
    """One label, always shown (a permanent widget: passing messages do not hide it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("desk_status")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.where = self.who = self.read_only = ""
        self.is_file = True
        self.link, self.link_detail = "connected", ""

    def show_desk(self, store: Desk) -> None:
        """A desk was opened: name it; connected until the live feed says otherwise."""
        self.where, self.who = desk_line(store)
        self.is_file = store.path is not None
        self.read_only = read_only_line(store)
        self.link, self.link_detail = "connected", ""
        self.setToolTip(str(store.path) if store.path is not None else store.location)
        self._render()

    def set_link(self, state: str, detail: str = "") -> None:
        """``connected``, ``reconnecting`` (the server cannot be reached, trying again) or
        ``lost`` (the desk's own connection failed: nothing can be stored until it is back)."""
        self.link, self.link_detail = state, detail
        self._render()

    def plain_text(self) -> str:
        """The line as read (for tests and messages)."""
        parts = [" ".join(p for p in (self.where, self.who) if p)]
        if self.read_only:
            parts.append(self.read_only)
        parts.append(self._link_words())
        return " · ".join(parts)

    def _link_words(self) -> str:
        if self.link == "connected":
            return "open" if self.is_file else "connected"
        if self.link == "reconnecting":
            return "reconnecting…" + (f" ({self.link_detail})" if self.link_detail else "")
        return "desk read-only: connection lost, reconnecting…" + (
            f" ({self.link_detail})" if self.link_detail else ""
        )

    def _render(self) -> None:
        dot = f"<span style='color:{_DOTS[self.link]}'>●</span>"
        text = escape(" ".join(p for p in (self.where, self.who) if p))
        if self.read_only:
            text += f" · <b>{escape(self.read_only)}</b>"
        link = escape(self._link_words())
        if self.link != "connected":
            link = f"<b style='color:{_DOTS[self.link]}'>{link}</b>"
        self.setText(f"{dot} {text} · {link}")


class UtcClock(QLabel):
    """The status bar's clock: the DTG and the UTC time, each second."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("utc_clock")
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.tick)
        self.tick()
        self.timer.start()

    def tick(self) -> None:
        now = datetime.now(UTC)
        self.setText(f"<b>{now:%d%H%M}Z {now:%b %y}</b>  {now:%H:%M:%S} UTC".upper())


__all__ = ["DeskStatus", "UtcClock", "desk_line", "read_only_line"]
