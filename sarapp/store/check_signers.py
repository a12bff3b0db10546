"""``db check`` of the signed checkpoints of a desk shared by many desk computers (a server).

Each computer signs its commits with a key of its own, and each key's checkpoints form a chain
of their own (each body names the hash of the same key's checkpoint before it); their numbers
come from one sequence, so they rise in commit order for any one case, with gaps where a
transaction rolled back. So: every key's chain must hold (hashes, links, the key in each body)
and its last checkpoint's signature verify; folded together in number order, every head any
of them signed must still be in the log (``check_checkpoints.compare_heads``). A cut at the
end of a key's chain, or a rewritten one, shows against that computer's own copy of the
checkpoints its key signed (``mirror``), which the database's administrator cannot reach:
``db check`` run on that computer compares it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sarapp.store.check_checkpoints import Signed, fold, verify_signature
from sarapp.store.checkpoints import FORMAT, GENESIS, Checkpoint, b64, read_mirror


def shared_signed_heads(
    checkpoints: list[Checkpoint], *, own_key: bytes | None, mirror: Path | None, logged: bool
) -> Signed:
    """Verify each signer's chain (and this computer's against its ``mirror``, when
    ``own_key`` is this computer's key) and fold them all into signed heads. ``logged``:
    the desk holds log entries (an empty desk has nothing to sign yet)."""
    out = Signed()
    by_key: dict[str, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_key.setdefault(checkpoint.public_key, []).append(checkpoint)
    own = b64(own_key) if own_key is not None else None
    if own is not None and mirror is not None:
        _against_mirror(by_key.get(own, []), mirror, out)
    if not checkpoints and logged:
        out.notices.append(
            "no signed checkpoints: no desk computer had its key when the log was written, "
            "so a cut log or a deleted case cannot be told"
        )
    if not checkpoints:
        return out
    contents: dict[int, dict[str, Any]] = {}
    lasts = {key: chain[-1] for key, chain in by_key.items()}
    for chain in by_key.values():
        held = _key_chain_holds(chain, out, lasts)
        if held is None:
            return out
        contents.update(held)
        verify_signature(chain[-1], out)  # the last one vouches for the key's whole chain
    out.notices.append(
        f"checkpoints signed by {len(by_key)} desk computer key(s): "
        + ", ".join(f"{key[:12]}… ({len(chain)})" for key, chain in sorted(by_key.items()))
    )
    out.last = checkpoints[-1]
    fold(out, checkpoints, [contents[c.seq] for c in checkpoints])
    return out


def _key_chain_holds(
    chain: list[Checkpoint], out: Signed, lasts: dict[str, Checkpoint]
) -> dict[int, dict[str, Any]] | None:
    """Each checkpoint's content by seq if one key's chain holds; None once a problem is
    named. A chain may begin where another key's ended (``lasts``: each key's last): a desk
    file's key replaced on purpose, its first checkpoint naming the key it follows
    (``check_checkpoints._hands_over``), the file then copied to the server."""
    previous, contents = GENESIS, {}
    try:
        first = chain[0].content if chain else {}
    except ValueError:
        first = {}  # named in the loop below
    before = lasts.get(str(first.get("rotated_from", ""))) if isinstance(first, dict) else None
    if before is not None and first.get("prev") == before.hash and first.get("full"):
        previous = before.hash
        out.notices.append(
            f"key {chain[0].public_key[:12]}… took the chain over from key "
            f"{before.public_key[:12]}… at checkpoint {chain[0].seq} (a desk file's key replaced)"
        )
    for checkpoint in chain:
        where = f"checkpoint {checkpoint.seq} (key {checkpoint.public_key[:12]}…)"
        try:
            content = checkpoint.content
        except ValueError:
            out.problems.append(f"{where} is not readable (changed outside sarapp)")
            return None
        digest = hashlib.sha256(checkpoint.body.encode("utf-8")).hexdigest()
        if digest != checkpoint.hash or content.get("format") != FORMAT:
            out.problems.append(f"{where} does not match its hash (changed outside sarapp)")
            return None
        if content.get("seq") != checkpoint.seq or content.get("key") != checkpoint.public_key:
            out.problems.append(f"{where} is not the checkpoint its body signs")
            return None
        if content.get("prev") != previous:
            out.problems.append(
                f"{where} does not chain to that key's checkpoint before it (one was deleted "
                "outside sarapp)"
            )
            return None
        previous = digest
        contents[checkpoint.seq] = content
    return contents


def _against_mirror(chain: list[Checkpoint], mirror: Path, out: Signed) -> None:
    """This computer's checkpoints against its own copy of them."""
    lines, problems = read_mirror(mirror, known={c.line(): c for c in chain})
    out.problems += problems
    held = {c.seq: c for c in chain}
    gone = [line.seq for line in lines if line.seq not in held]
    changed = [line.seq for line in lines if line.seq in held and held[line.seq] != line]
    if gone:
        out.problems.append(
            f"checkpoints {', '.join(map(str, gone[:5]))} signed by this computer are in its "
            f"copy {mirror} but no longer on the server: they were deleted outside sarapp"
        )
    if changed:
        out.problems.append(
            f"checkpoint {changed[0]} differs between the server and this computer's copy "
            f"{mirror}: changed outside sarapp"
        )
    mirrored = {line.seq for line in lines}
    lag = [c.seq for c in chain if c.seq not in mirrored]
    if lag:
        out.notices.append(
            f"this computer's copy of its checkpoints lacks {len(lag)} of them (written within "
            "a second, when the desk closes, or at its next opening with the key)"
        )


__all__ = ["shared_signed_heads"]
