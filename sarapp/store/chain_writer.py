"""The chain writer: the one way an entry joins a case log, chained to the one before it.

Each entry carries its case's next seq, the hash of the entry before it and its own hash
(``sarapp.chain``), and is reported to the desk's checkpoint keeper, which signs the heads a
transaction left at its commit. Entries imported from another desk keep their UUID, time,
author, kind, text and data: one whose place in this desk's chain is the one it had on the
sender (same seq, same previous hash) is stored byte for byte, hash included; any other is
chained afresh here and carries the sender's ``seq``, ``prev_hash``, ``hash`` (and kind, if
this desk does not know it) in ``data["_origin"]``, so ``db check`` stays ok and the
sender's hash can still be checked (``original_entry`` undoes it).

Appending must run inside the desk's transaction. A backend whose desks write at once (a
server) serialises appends to one case in ``lock_case``; SQLite's write transaction already
does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp.chain import GENESIS_HASH, content_hash, data_text, time_text
from sarapp.limits import check_length, check_text
from sarapp.model import CaseId, Changes, EntryId, EntryKind, LogEntry, new_id
from sarapp.model_exchange import ORIGIN_KEY
from sarapp.store.errors import CaseError

if TYPE_CHECKING:
    from sarapp.store.desk import Desk


@dataclass(frozen=True)
class ChainLink:
    """An entry as it joins the chain: its values, its place (seq, prev_hash) and hash."""

    id: str
    case_id: str
    seq: int
    time: datetime
    author: str
    kind: str
    text: str
    data: Mapping[str, Any]
    corrects: str | None
    prev_hash: str
    hash: str
    time_text: str  # the chain's text forms of the time and the data: what the hash covers
    data_text: str


class ChainWriter:
    """Held by the desk as ``desk.chain``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def append(
        self,
        case_id: CaseId,
        *,
        kind: EntryKind,
        text: str,
        author: str,
        data: Mapping[str, Any],
        corrects: str | None = None,
        time: datetime | None = None,
        entry_id: EntryId | None = None,
    ) -> Changes:
        """Chain a new entry to the case's last one (``time``: the desk's clock by default;
        ``entry_id``: one the caller chose, a new one by default)."""
        try:
            check_length(text, "entry", "text")
            check_text(author, "entry", "author")
        except ValueError as exc:
            raise CaseError(f"log entry: {exc}") from None
        when = time or self._desk.clock()
        entry_id = entry_id or EntryId(new_id())
        seq, digest = self._chain_one(
            case_id, entry_id, when, author, EntryKind(kind).value, text, data, corrects
        )
        self._desk.checkpoints.touched(case_id, seq, digest)
        return self._desk.announce(Changes(cases=frozenset({case_id}), entries=(entry_id,)))

    def add_received(
        self, case_id: CaseId, entries: Sequence[LogEntry], kinds: Mapping[str, str]
    ) -> int:
        """Chain another desk's entries (in its log order) after the case's head; ``kinds``
        gives each entry's kind as sent. Returns how many had to be chained afresh."""
        words = self._search_words([e.text for e in entries])
        self.lock_case(case_id)
        tail = self.head(case_id)
        links, rechained = [], 0
        for entry in entries:
            link, exact = _received(entry, kinds.get(entry.id, entry.kind.value), tail)
            links.append(link)
            tail = (link.seq, link.hash)
            rechained += not exact
        self._insert(links, words)
        for link in links:  # the desk's checkpoint signs them with the import's note
            self._desk.checkpoints.touched(case_id, link.seq, link.hash)
        self._desk.announce(Changes(cases=frozenset({case_id}),
                                    entries=tuple(EntryId(link.id) for link in links)))  # fmt: skip
        return rechained

    def head(self, case_id: str) -> tuple[int, str]:
        """The case's last seq and hash, ``(0, GENESIS_HASH)`` for a case without entries."""
        last = self._desk.backend.execute(
            "SELECT seq, hash FROM log_entries WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
            (case_id,),
        ).fetchone()
        return (last[0], last[1]) if last else (0, GENESIS_HASH)

    def _chain_one(self, case_id: str, entry_id: str, when: datetime, author: str, kind: str,
                   text: str, data: Mapping[str, Any],
                   corrects: str | None) -> tuple[int, str]:  # fmt: skip
        """Chain one new entry to the case's head: its seq and hash. A server does it in one
        statement (``sarapp.store.pg.repositories``)."""
        words = self._search_words([text])  # before the lock: other writers wait less
        self.lock_case(case_id)
        seq, prev_hash = self.head(case_id)
        link = _link(entry_id, case_id, seq + 1, when, author, kind, text, data, corrects,
                     prev_hash)  # fmt: skip
        self._insert([link], words)
        self._desk.backend.execute(
            "UPDATE cases SET updated = ? WHERE id = ?", (self._stored(link)[0], case_id)
        )
        return link.seq, link.hash

    def lock_case(self, case_id: str) -> None:
        """Hold the case's chain until the transaction ends (nothing to do on SQLite, whose
        write transaction holds the whole desk)."""

    def _search_words(self, texts: Sequence[str]) -> Sequence[Any] | None:
        """What the backend indexes for full-text search, one per text, if it is not the
        database's own work (SQLite's FTS5 index is filled by a trigger)."""
        return None

    def _insert(self, links: Sequence[ChainLink], search_words: Sequence[Any] | None) -> None:
        sql = (
            "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data, corrects,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        rows = []
        for link in links:
            time, data = self._stored(link)
            rows.append((link.id, link.case_id, link.seq, time, link.author, link.kind,
                         link.text, data, link.corrects, link.prev_hash, link.hash))  # fmt: skip
        if len(rows) == 1:
            self._desk.backend.execute(sql, rows[0])
        else:
            self._desk.backend.executemany(sql, rows)

    def _stored(self, link: ChainLink) -> tuple[Any, Any]:
        """The link's time and data as the backend stores them; a backend that stores the
        chain's own text forms (``Values.chain_text``: SQLite) takes them as they were hashed."""
        values = self._desk.values
        if values.chain_text:
            return link.time_text, link.data_text
        return values.time(link.time), values.json(link.data)


def _link(entry_id: str, case_id: str, seq: int, time: datetime, author: str, kind: str,
          text: str, data: Mapping[str, Any], corrects: str | None,
          prev_hash: str) -> ChainLink:  # fmt: skip
    """The link, hashed over the chain's text forms (the content ``sarapp.chain.entry_hash``
    hashes, its texts computed once)."""
    when, content = time_text(time), data_text(data)
    digest = content_hash({"id": str(entry_id), "case_id": str(case_id), "seq": seq,
                           "time": when, "author": author, "kind": kind, "text": text,
                           "data": content, "prev_hash": prev_hash,
                           "corrects": None if corrects is None else str(corrects)})  # fmt: skip
    return ChainLink(entry_id, case_id, seq, time, author, kind, text, data, corrects, prev_hash,
                     digest, when, content)  # fmt: skip


def _received(entry: LogEntry, kind: str, tail: tuple[int, str]) -> tuple[ChainLink, bool]:
    """``entry`` chained after ``tail`` (the case's last seq and hash), and whether it is the
    entry exactly as the sender had it."""
    seq, prev_hash = tail[0] + 1, tail[1]
    as_sent = _link(entry.id, entry.case_id, entry.seq, entry.time, entry.author, kind,
                    entry.text, entry.data, entry.corrects, entry.prev_hash)  # fmt: skip
    known = kind in EntryKind._value2member_map_
    if entry.seq == seq and entry.prev_hash == prev_hash and known and as_sent.hash == entry.hash:
        return as_sent, True
    origin: dict[str, Any] = {"seq": entry.seq, "prev_hash": entry.prev_hash, "hash": entry.hash}
    if not known:
        origin["kind"] = kind
    if ORIGIN_KEY in entry.data:
        origin["previous"] = entry.data[ORIGIN_KEY]
    data = {**entry.data, ORIGIN_KEY: origin}
    kind = kind if known else EntryKind.NOTE.value
    return _link(entry.id, entry.case_id, seq, entry.time, entry.author, kind, entry.text, data,
                 entry.corrects, prev_hash), False  # fmt: skip


def original_entry(entry: LogEntry) -> dict[str, Any]:
    """The entry as the sender's desk held it (seq, prev_hash, hash, kind, data), undoing one
    re-chaining on import; an entry stored as sent comes back unchanged."""
    origin = entry.data.get(ORIGIN_KEY)
    data = dict(entry.data)
    if not isinstance(origin, dict):
        return {"seq": entry.seq, "prev_hash": entry.prev_hash, "hash": entry.hash,
                "kind": entry.kind.value, "data": data}  # fmt: skip
    del data[ORIGIN_KEY]
    if "previous" in origin:
        data[ORIGIN_KEY] = origin["previous"]
    return {
        "seq": origin["seq"],
        "prev_hash": origin["prev_hash"],
        "hash": origin["hash"],
        "kind": origin.get("kind", entry.kind.value),
        "data": data,
    }


__all__ = ["ChainLink", "ChainWriter", "original_entry"]
