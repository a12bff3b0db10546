"""``db copy``: a whole desk into a new one, between any two backends (a centre's desk file
onto its server, a server's desk into a file for an archive or a laptop).

Every row of every table is copied as it is (``sarapp.store.copy_tables``): log entries with
their hashes, so each case's chain is the same chain with the same head, which the copy
checks before it commits. The source is read in one snapshot while its desks go on writing;
the target is written in one transaction, so a failed copy leaves it as empty as it was.

The copy is the same desk, not a new one: its ``desk_meta`` (desk id, RCC identity, public
key) comes along, so the desk's key (kept in the keys folder under the desk id) signs for
the copy as for the original, and peers that trust the RCC's key trust the copy's packages.
Signed checkpoints come along where the target's check can verify them: into a server (one
key's chain from a file, or each desk computer's chains from a server) and from file to file
(with the mirror file beside the new desk). A file's checkpoints are one key's unbroken chain,
which a server's many signers do not make: a copy from a server into a file has none, and the
desk's key signs every case's head at once when the copy (or the file later) is opened with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sarapp.store.checkpoints import Mirror, mirror_path
from sarapp.store.copy_tables import BACKEND_OWN, BY_NAME, NOT_COPIED, TABLES, Table, quoted
from sarapp.store.desk import Desk
from sarapp.store.errors import StoreError


class CopyError(StoreError):
    """The copy cannot be made (the message says why, in one line); nothing was written."""


@dataclass(frozen=True)
class CopyReport:
    """What was copied: rows per table, the cases whose chain heads were compared (all of
    them), and whether the signed checkpoints came along (``checkpoints_note`` says why not)."""

    rows: dict[str, int] = field(default_factory=dict)
    heads: int = 0
    checkpoints_copied: bool = False
    checkpoints_note: str = ""


def copy_desk(source: Desk, target: Desk) -> CopyReport:
    """Copy every row of ``source`` into ``target``, an empty desk (CopyError otherwise). The
    chain heads of the copy are compared with the source's before the commit."""
    _refuse_unknown(source)
    _refuse_not_empty(target)
    with_checkpoints = target.path is None or source.path is not None
    mirror = mirror_path(target.path) if target.path is not None else None
    if with_checkpoints and mirror is not None and mirror.exists() and mirror.stat().st_size:
        raise CopyError(
            f"{mirror} already exists beside the target (the checkpoint mirror of another "
            "desk): remove it or choose another target"
        )
    rows: dict[str, int] = {}
    heads: dict[str, tuple[int, str]] = {}
    lkps: list[tuple[str, str]] = []
    with source.backend.snapshot(), target.transaction():
        target.backend.execute("DELETE FROM desk_meta")  # the copy is the source's desk
        for table in TABLES:
            if table.name == "checkpoints" and not with_checkpoints:
                continue
            read = _rows(source, target, table)
            if table.name == "cases":
                read = _without_lkp(read, table, lkps)
            elif table.name == "log_entries":
                read = _noting_heads(read, table, heads)
            try:
                rows[table.name] = target.backend.bulk_insert(table.name, table.names, read)
            except (StoreError, ValueError) as exc:
                raise CopyError(f"{table.name}: {exc}; nothing was copied") from None
            if table.name == "positions" and lkps:
                target.backend.executemany("UPDATE cases SET lkp_id = ? WHERE id = ?", lkps)
        copied = chain_heads(target)
        if copied != heads:
            differ = sorted(set(copied.items()) ^ set(heads.items()))[0][0]
            raise CopyError(
                f"the copy's chain of case {differ} does not end where the source's does: "
                "nothing was copied"
            )
    if with_checkpoints and mirror is not None and rows.get("checkpoints"):
        written = Mirror(mirror)
        written.append(target.backend)
        written.close()
    note = "" if with_checkpoints else (
        "a server's checkpoints are signed by each desk computer, a file's by the desk's key "
        "alone: the desk's key signs the copy when it is opened with it"
    )  # fmt: skip
    return CopyReport(rows, len(heads), with_checkpoints, note)


def chain_heads(desk: Desk) -> dict[str, tuple[int, str]]:
    """Each case's last entry: case id → (seq, hash)."""
    found = desk.backend.execute(
        "SELECT e.case_id, e.seq, e.hash FROM log_entries e WHERE e.seq ="
        " (SELECT max(f.seq) FROM log_entries f WHERE f.case_id = e.case_id)"
    )
    read_id = desk.values.read_id
    return {read_id(case_id): (seq, digest) for case_id, seq, digest in found}


def desk_content(desk: Desk, *, checkpoints: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every copied table's rows in backend-neutral values (ids as text, times as aware
    datetimes, JSON as Python values, flags as bools), sorted: two desks hold the same content
    when these are equal."""
    out = {}
    for table in TABLES:
        if table.name == "checkpoints" and not checkpoints:
            continue
        convert = [_converter(_reader(desk, kind), _same) for _, kind in table.columns]
        cursor = desk.backend.execute(
            f"SELECT {', '.join(quoted(n) for n in table.names)} FROM {table.name}"
        )
        out[table.name] = sorted(
            (tuple(f(v) for f, v in zip(convert, row, strict=True)) for row in cursor), key=repr
        )
    return out


def _rows(source: Desk, target: Desk, table: Table) -> Iterator[tuple[Any, ...]]:
    """The source's rows of ``table`` in the target's stored forms."""
    convert = [
        _converter(_reader(source, kind), _writer(target, kind)) for _, kind in table.columns
    ]
    sql = (
        f"SELECT {', '.join(quoted(n) for n in table.names)} FROM {table.name}"
        f" ORDER BY {table.order}"
    )
    for row in source.backend.stream(sql):
        yield tuple(f(v) for f, v in zip(convert, row, strict=True))


def _without_lkp(
    rows: Iterator[tuple[Any, ...]], table: Table, lkps: list[tuple[str, str]]
) -> Iterator[tuple[Any, ...]]:
    """Cases without their last known position, kept aside to set once positions are in."""
    at, case_at = table.names.index("lkp_id"), table.names.index("id")
    for row in rows:
        if row[at] is not None:
            lkps.append((row[at], row[case_at]))
            row = (*row[:at], None, *row[at + 1 :])
        yield row


def _noting_heads(
    rows: Iterator[tuple[Any, ...]], table: Table, heads: dict[str, tuple[int, str]]
) -> Iterator[tuple[Any, ...]]:
    case_at, seq_at, hash_at = (table.names.index(n) for n in ("case_id", "seq", "hash"))
    for row in rows:
        heads[str(row[case_at])] = (row[seq_at], row[hash_at])
        yield row


def _converter(read: Callable[[Any], Any], write: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else write(read(value))


def _reader(desk: Desk, kind: str) -> Callable[[Any], Any]:
    values = desk.values
    return {
        "id": values.read_id,
        "time": values.read_time,
        "json": values.read_json,
        "flag": bool,
        "blob": bytes,
        "value": _same,
    }[kind]


def _writer(desk: Desk, kind: str) -> Callable[[Any], Any]:
    values = desk.values
    return {
        "id": _same,
        "time": values.time,
        "json": values.json,
        "flag": values.flag,
        "blob": _same,
        "value": _same,
    }[kind]


def _same(value: Any) -> Any:
    return value


def _refuse_unknown(source: Desk) -> None:
    """A table or column this sarapp does not know (a newer desk) stops the copy."""
    for name, columns in source.backend.columns().items():
        if name in NOT_COPIED or name.startswith("sqlite_"):
            continue
        table = BY_NAME.get(name)
        unknown = (
            [name] if table is None
            else [f"{name}.{c}" for c in columns
                  if c not in table.names and c not in BACKEND_OWN.get(name, ())]
        )  # fmt: skip
        if unknown:
            raise CopyError(
                f"{source.location} holds {unknown[0]}, which this sarapp cannot copy (a desk "
                "of a newer sarapp?): nothing was copied"
            )


def _refuse_not_empty(target: Desk) -> None:
    held = [
        table.name
        for table in TABLES
        if table.name != "desk_meta"
        and target.backend.execute(f"SELECT 1 FROM {table.name} LIMIT 1").fetchone()
    ]
    if held:
        raise CopyError(
            f"{target.location} is not empty (it holds {', '.join(held[:3])}): db copy writes "
            "only into a new desk file or an empty database"
        )


__all__ = ["CopyError", "CopyReport", "chain_heads", "copy_desk", "desk_content"]
