"""Sync between a field laptop and its centre, on the desk side (``desk.sync``): the cases the
centre gave each laptop, the peers this desk syncs with, and the marks of how far each side
holds the other's case logs (``sarapp.model_sync``).

What is merged, and how, is the handover import's business (``desk.packages.import_case``,
planned by ``sarapp.exchange.merge``); this repository only keeps the bookkeeping that lets a
sync send what the other side lacks and nothing else. Marks are written inside the caller's
transaction, the one that imports what they describe. Who the desk's database login is (a
field laptop's role on a server, which row-level security holds to its cases) is the one
question whose SQL differs between backends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.model import CaseId, Changes, EntryKind, LogEntry
from sarapp.model_sync import GIVEN_KEY, SYNC_KEY, Grant, SyncMark, SyncPeer
from sarapp.safetext import check_name
from sarapp.store.case_input import author_name
from sarapp.store.errors import HandoverError
from sarapp.store.replay import HANDOVER_KEY

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

_MARK_COLUMNS = ("received_seq", "received_cut", "acked_seq", "acked_cut", "sent_seq", "ranges")


class SyncState:
    """Held by the desk as ``desk.sync``; a backend's subclass says who the login is."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    # --- cases given to laptops (kept by the centre) ------------------------------------

    def give(self, laptop: str, case_refs: Sequence[str], *, author: str) -> Changes:
        """Give cases to a field laptop (named by its RCC id): it may sync them from now on.
        Logged in each case; a case given already is left as it is."""
        return self._grant(laptop, case_refs, author=author, give=True)

    def withdraw(self, laptop: str, case_refs: Sequence[str], *, author: str) -> Changes:
        """Take cases back from a laptop: it keeps its copy but may no longer sync them."""
        return self._grant(laptop, case_refs, author=author, give=False)

    def given(self, laptop: str) -> list[CaseId]:
        """The cases given to ``laptop``, in the order they were given."""
        found = self._desk.backend.execute(
            "SELECT case_id FROM sync_grants WHERE laptop = ? ORDER BY granted, case_id",
            (laptop,),
        )
        return [CaseId(self._desk.values.read_id(row[0])) for row in found]

    def grants(self) -> list[Grant]:
        """Every case given to any laptop, by laptop."""
        values = self._desk.values
        found = self._desk.backend.execute(
            "SELECT laptop, case_id, granted, granted_by FROM sync_grants"
            " ORDER BY laptop, granted, case_id"
        )
        return [
            Grant(r[0], CaseId(values.read_id(r[1])), values.read_time(r[2]), r[3]) for r in found
        ]

    # --- peers ----------------------------------------------------------------------------

    def peer(self, desk_id: str) -> SyncPeer | None:
        rows = self._peers("WHERE desk_id = ?", (desk_id,))
        return rows[0] if rows else None

    def peer_named(self, name: str) -> SyncPeer | None:
        """The peer last seen under this name (RCC id), if any."""
        rows = self._peers("WHERE name = ? ORDER BY last_sync DESC", (name,))
        return rows[0] if rows else None

    def peers(self) -> list[SyncPeer]:
        return self._peers("ORDER BY name", ())

    def note_peer(self, peer: SyncPeer) -> None:
        """Record (or update) a peer; inside the caller's transaction."""
        values = self._desk.values
        self._desk.backend.execute(
            "INSERT INTO sync_peers (desk_id, name, location, last_sync) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (desk_id) DO UPDATE SET name = excluded.name,"
            " location = excluded.location, last_sync = excluded.last_sync",
            (
                peer.desk_id,
                peer.name,
                peer.location,
                values.time(peer.last_sync) if peer.last_sync else None,
            ),
        )

    # --- marks ----------------------------------------------------------------------------

    def mark(self, peer: str, case_id: str) -> SyncMark:
        """How far this desk and ``peer`` hold each other's log of the case (zeros if they
        never synced it)."""
        found = self._marks("WHERE peer = ? AND case_id = ?", (peer, case_id))
        return found[0] if found else SyncMark(peer, CaseId(case_id))

    def marks(self, peer: str | None = None) -> list[SyncMark]:
        """Every mark (of one peer), by peer and case."""
        if peer is None:
            return self._marks("ORDER BY peer, case_id", ())
        return self._marks("WHERE peer = ? ORDER BY case_id", (peer,))

    def save_mark(self, mark: SyncMark) -> None:
        """Write a mark (inside the caller's transaction: the one that imported what it
        describes). Its peer must be recorded (``note_peer``)."""
        values = self._desk.values
        stored = (
            mark.received_seq,
            values.time(mark.received_cut) if mark.received_cut else None,
            mark.acked_seq,
            values.time(mark.acked_cut) if mark.acked_cut else None,
            mark.sent_seq,
            values.json([list(r) for r in mark.ranges]),
        )
        updates = ", ".join(f"{name} = excluded.{name}" for name in (*_MARK_COLUMNS, "updated"))
        self._desk.backend.execute(
            f"INSERT INTO sync_marks (peer, case_id, {', '.join(_MARK_COLUMNS)}, updated)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (peer, case_id) DO UPDATE SET"
            f" {updates}",
            (mark.peer, mark.case_id, *stored, values.time(self._desk.clock())),
        )

    # --- what the peer lacks ----------------------------------------------------------------

    def pending(self, mark: SyncMark, *, own_desk: str) -> list[LogEntry]:
        """This desk's entries of the case the peer of ``mark`` lacks, in chain order: after
        what it acknowledged, outside the entries that came from it, less this desk's own
        sync receipts (which stay here)."""
        found = self._desk.log.since(mark.case_id, mark.acked_seq)
        return [e for e in found if not mark.holds(e.seq) and not is_receipt(e, own_desk)]

    def head(self, case_id: str) -> int:
        """The case's last seq here (0 when the desk does not hold the case)."""
        return self._desk.chain.head(case_id)[0]

    def seqs(self, case_id: str, entry_ids: Iterable[str]) -> list[int]:
        """The seqs of these entries of the case here (to record where imported ones went)."""
        ids = list(entry_ids)
        seqs: list[int] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found = self._desk.backend.execute(
                f"SELECT seq FROM log_entries WHERE case_id = ? AND id IN ({marks})",
                (case_id, *chunk),
            )
            seqs += [row[0] for row in found]
        return sorted(seqs)

    def login(self) -> tuple[str, bool] | None:
        """The database login and whether it is a field laptop's role (held by the server to
        the cases given to it); None for a desk file, which has no logins."""
        return None

    # --- internals ------------------------------------------------------------------------

    def _grant(self, laptop: str, case_refs: Sequence[str], *, author: str, give: bool) -> Changes:
        author = author_name(author)
        try:
            name = check_name(laptop.strip())
        except ValueError as exc:
            raise HandoverError(f"laptop name: {exc}") from None
        if not name:
            raise HandoverError("name the laptop (its RCC id, e.g. FIELD-1)")
        case_ids = list(dict.fromkeys(self._desk.cases.resolve(ref) for ref in case_refs))
        changes = Changes()
        with self._desk.transaction():
            held = set(self.given(name))
            for case_id in case_ids:
                if (case_id in held) == give:
                    continue
                if give:
                    self._desk.backend.execute(
                        "INSERT INTO sync_grants (laptop, case_id, granted, granted_by)"
                        " VALUES (?, ?, ?, ?)",
                        (name, case_id, self._desk.values.time(self._desk.clock()), author),
                    )
                    text = f"Case taken on laptop {name}: it may sync this case with this desk"
                else:
                    self._desk.backend.execute(
                        "DELETE FROM sync_grants WHERE laptop = ? AND case_id = ?",
                        (name, case_id),
                    )
                    text = f"Case no longer carried on laptop {name}: it may not sync it again"
                changes |= self._desk.chain.append(
                    case_id,
                    kind=EntryKind.HANDOVER,
                    text=text,
                    author=author,
                    data={GIVEN_KEY: {"laptop": name, "given": give}},
                )
        return changes

    def _peers(self, where: str, params: tuple[Any, ...]) -> list[SyncPeer]:
        values = self._desk.values
        found = self._desk.backend.execute(
            f"SELECT desk_id, name, location, last_sync FROM sync_peers {where}", params
        )
        return [
            SyncPeer(values.read_id(r[0]), r[1], r[2], values.read_time(r[3]) if r[3] else None)
            for r in found
        ]

    def _marks(self, where: str, params: tuple[Any, ...]) -> list[SyncMark]:
        values = self._desk.values
        found = self._desk.backend.execute(
            f"SELECT peer, case_id, {', '.join(_MARK_COLUMNS)} FROM sync_marks {where}", params
        )
        out = []
        for peer, case_id, received, r_cut, acked, a_cut, sent, ranges in found:
            spans = tuple((int(a), int(b)) for a, b in values.read_json(ranges))
            out.append(
                SyncMark(
                    values.read_id(peer),
                    CaseId(values.read_id(case_id)),
                    received,
                    values.read_time(r_cut) if r_cut else None,
                    acked,
                    values.read_time(a_cut) if a_cut else None,
                    sent,
                    spans,
                )
            )
        return out


def is_receipt(entry: LogEntry, desk_id: str) -> bool:
    """Whether the entry is desk ``desk_id``'s own note of something a sync brought it."""
    if entry.kind is not EntryKind.HANDOVER:
        return False
    note = entry.data.get(HANDOVER_KEY)
    receipt = note.get(SYNC_KEY) if isinstance(note, dict) else None
    return isinstance(receipt, dict) and receipt.get("desk") == desk_id


def later_time(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((t for t in (a, b) if t is not None), default=None)


__all__ = ["SyncState", "is_receipt", "later_time"]
