"""``db check`` of the signed checkpoints against the log, and of the mirror file.

The checkpoints form a hash chain (each body names the hash of the one before), all signed
by one key, so the last one's signature vouches for all of them: that is the one signature
verified (verifying every row would cost 0.1 ms each; the chain costs a hash). Every head a
checkpoint ever signed must still be in the log: a case that is gone, a log that no longer
reaches a signed entry, or a signed entry whose hash changed is a problem, and a later
checkpoint (a full one written after entries made without the key, say) cannot launder an
earlier signed head. Entries after the last checkpoint are a notice: they were written
without the key, and nothing vouches for them.

The mirror file must agree with the table on every checkpoint both hold; checkpoints the
mirror holds beyond the table mean the table was cut back, and they are folded in too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sarapp.geo import GeoError, format_dtg
from sarapp.store.checkpoints import FORMAT, GENESIS, Checkpoint, b64, read_mirror, stored


@dataclass
class Signed:
    """What the checkpoints vouch for: ``heads`` (case id → every (seq, hash, checkpoint
    seq) signed for it, oldest first), the last checkpoint, and what checking them found."""

    heads: dict[str, list[tuple[int, str, int]]] = field(default_factory=dict)
    late: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # signed later
    last: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def signed_heads(
    conn: Any,
    *,
    mirror: Path | None,
    public_key: bytes | None,
    recorded_key: bytes | None = None,
) -> Signed:
    """Verify the checkpoint chain (table and mirror) and fold it into signed heads.

    ``public_key``: the desk's own key when it is at hand (the last checkpoint must be signed
    by it); else ``recorded_key``, the key the desk records (weaker: the record is in the
    file); None of both checks the chain against the key that signed it.
    """
    out = Signed()
    chain = stored(conn)
    if mirror is not None:
        chain = _with_mirror(chain, mirror, out, has_rows=bool(chain))
    if not chain:
        out.notices.append(
            "no signed checkpoints: the desk's key was not available when it was written, so "
            "a cut log or a deleted case cannot be told"
        )
        return out
    contents = _chain_holds(chain, out)
    if contents is None:
        return out
    out.last = chain[-1]
    check_signature(out.last, out, public_key, recorded_key)
    fold(out, chain, contents)
    return out


def fold(out: Signed, chain: list[Checkpoint], contents: list[dict[str, Any]]) -> None:
    """Every head the checkpoints signed into ``out.heads``; entries no checkpoint vouched
    for when they were written (no checkpoint's span, from its base to its head, holds
    them: signed only later by a full checkpoint) into ``out.late``. By spans, not by the
    checkpoints' order: a server's desk computers sign after their commits, so two of them
    may sign one case's heads out of commit order."""
    spans: dict[str, list[tuple[int, int, int]]] = {}
    genesis = True  # no case head signed yet (a checkpoint of the trust only may come first)
    for checkpoint, content in zip(chain, contents, strict=True):
        heads = content.get("heads", [])
        for case_id, seq, digest, base in heads:
            out.heads.setdefault(case_id, []).append((seq, digest, checkpoint.seq))
            after = base if base is not None else (0 if genesis else seq)  # genesis: all new
            spans.setdefault(case_id, []).append((after, seq, checkpoint.seq))
        genesis = genesis and not heads
    for case_id, case_spans in spans.items():
        vouched = 0
        for after, seq, number in sorted(case_spans):
            if after > vouched:  # entries vouched+1 … after were written without the key
                out.late.setdefault(case_id, []).append((vouched + 1, after, number))
            vouched = max(vouched, seq)


def wanted(signed: Signed) -> dict[str, set[int]]:
    """The entries whose hash the check must read: every signed seq of every case."""
    return {case_id: {seq for seq, _, _ in pairs} for case_id, pairs in signed.heads.items()}


def compare_heads(
    signed: Signed,
    *,
    heads: dict[str, tuple[int, str]],
    found: dict[tuple[str, int], str],
    numbers: dict[str, str],
) -> None:
    """Compare every signed head with the log: ``heads`` is each case's last (seq, hash),
    ``found`` the hash of each entry ``wanted`` asked for. Adds to ``signed``'s lists; one
    problem per case, the first signed head the log contradicts."""
    for case_id, pairs in sorted(signed.heads.items()):
        label = f"case {numbers.get(case_id, case_id)}"
        longest = max(pairs)
        if case_id not in heads:
            signed.problems.append(
                f"{label} was deleted: checkpoint {longest[2]} signed its log up to entry "
                f"{longest[0]}"
            )
        elif heads[case_id][0] < longest[0]:
            signed.problems.append(
                f"{label}: its log ends at entry {heads[case_id][0]}, but checkpoint "
                f"{longest[2]} signed {longest[0]} entries: the log was cut"
            )
        else:
            for seq, digest, at in pairs:
                if found.get((case_id, seq)) != digest:
                    signed.problems.append(
                        f"{label}: entry {seq} no longer matches checkpoint {at}: the log was "
                        "rewritten"
                    )
                    break
    if signed.late:
        entries = sum(b - a + 1 for spans in signed.late.values() for a, b, _ in spans)
        named = ", ".join(
            f"case {numbers.get(case_id, case_id)} entries {a}–{b} (checkpoint {at})"
            for case_id, spans in sorted(signed.late.items())[:5]
            for a, b, at in spans[:1]
        )
        signed.notices.append(
            f"{entries} entries of {len(signed.late)} cases were written without the desk's key "
            f"and signed only later, so nothing vouches for them before: {named}"
            + ("…" if len(signed.late) > 5 else "")
        )
    top = {case_id: max(pairs)[0] for case_id, pairs in signed.heads.items()}
    unsigned = [
        (case_id, head[0] - top.get(case_id, 0))
        for case_id, head in heads.items()
        if head[0] > top.get(case_id, 0)
    ]
    if unsigned and signed.last is not None:
        entries = sum(count for _, count in unsigned)
        signed.notices.append(
            f"checkpoints could not be extended over {entries} entries of {len(unsigned)} "
            f"cases (written without the desk's key); the next change made with the key "
            "signs them"
        )


def _with_mirror(
    chain: list[Checkpoint], mirror: Path, out: Signed, *, has_rows: bool
) -> list[Checkpoint]:
    """The chain, extended by checkpoints the mirror holds beyond the table."""
    lines, problems = read_mirror(mirror, known={c.line(): c for c in chain})
    out.problems += problems
    if not lines:
        if has_rows:
            out.problems.append(
                f"the checkpoint mirror {mirror.name} is missing or empty although the desk "
                "holds checkpoints (deleted, or the desk was copied without it)"
            )
        return chain
    by_seq = {c.seq: c for c in chain}
    mirrored: dict[int, Checkpoint] = {}
    for line in lines:
        if mirrored.get(line.seq, line) != line:
            out.problems.append(f"checkpoint mirror holds two different checkpoints {line.seq}")
        mirrored[line.seq] = line
    for seq, line in sorted(mirrored.items()):
        if seq in by_seq and by_seq[seq] != line:
            out.problems.append(
                f"checkpoint {seq} differs between the desk and its mirror {mirror.name}"
            )
    extra = sorted(s for s in mirrored if s > (chain[-1].seq if chain else 0))
    if extra:
        out.problems.append(
            f"checkpoints {extra[0]}–{extra[-1]} are in the mirror {mirror.name} but not in "
            "the desk: the desk was rolled back"
        )
        return chain + [mirrored[s] for s in extra]
    lag = [c.seq for c in chain if c.seq not in mirrored]
    if lag:
        out.notices.append(
            f"the checkpoint mirror lacks checkpoints {lag[0]}–{lag[-1]} (written within a "
            "second, when the desk closes, or at its next opening with its key)"
        )
    return chain


def _chain_holds(chain: list[Checkpoint], out: Signed) -> list[dict[str, Any]] | None:
    """Each checkpoint's content if the chain holds (seqs, hashes, links, one key); None
    once a problem is named."""
    previous = GENESIS
    contents = []
    key = chain[0].public_key  # the key of this stretch of the chain (replaced on purpose)
    for index, checkpoint in enumerate(chain, start=1):
        where = f"checkpoint {checkpoint.seq}"
        try:
            content = checkpoint.content
        except ValueError:
            out.problems.append(f"{where} is not readable (changed outside sarapp)")
            return None
        digest = hashlib.sha256(checkpoint.body.encode("utf-8")).hexdigest()
        if checkpoint.seq != index or content.get("seq") != index:
            out.problems.append(f"checkpoint {index} is missing (deleted outside sarapp)")
            return None
        if digest != checkpoint.hash or content.get("format") != FORMAT:
            out.problems.append(f"{where} does not match its hash (changed outside sarapp)")
            return None
        if content.get("prev") != previous or content.get("key") != checkpoint.public_key:
            out.problems.append(f"{where} does not chain to the one before it")
            return None
        if checkpoint.public_key != key:
            if not _hands_over(content, chain[index - 2], out):
                out.problems.append(
                    f"{where} is signed by key {_short(checkpoint.public_key)}…, the one before "
                    f"it by {_short(key)}…: one desk signs with one key, until it is replaced"
                )
                return None
            key = checkpoint.public_key
        previous = digest
        contents.append(content)
    return contents


def _hands_over(content: dict[str, Any], before: Checkpoint, out: Signed) -> bool:
    """Whether a checkpoint signed by a new key takes the chain over from the key that signed
    ``before`` (``sarapp keys new-key``): a full checkpoint naming that key, whose last
    checkpoint's signature verifies (it vouches for the old key's stretch). Said in a notice:
    who checks with the new key at hand learns where the old one stops."""
    if content.get("rotated_from") != before.public_key or not content.get("full"):
        return False
    if not verify_signature(before, out):
        return False
    out.notices.append(
        f"the desk's key was replaced at checkpoint {content.get('seq')} "
        f"({_dtg(content.get('time'))}): checkpoints up to {before.seq} are signed by the key "
        f"before it, {_short(before.public_key)}…"
    )
    return True


def _dtg(text: Any) -> str:
    """A checkpoint's time as the officer reads times (its text if it is not one)."""
    try:
        return format_dtg(datetime.fromisoformat(str(text)))
    except (ValueError, GeoError):
        return str(text)


def verify_signature(checkpoint: Checkpoint, out: Signed) -> bool:
    """Whether the checkpoint's signature verifies with the key it names (a problem if not)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(checkpoint.public_key))
        key.verify(base64.b64decode(checkpoint.signature), checkpoint.body.encode("utf-8"))
    except (InvalidSignature, ValueError, binascii.Error):
        out.problems.append(
            f"checkpoint {checkpoint.seq}: its signature does not verify (forged or changed)"
        )
        return False
    return True


def check_signature(
    last: Checkpoint, out: Signed, public_key: bytes | None, recorded_key: bytes | None
) -> None:
    if not verify_signature(last, out):
        return
    if public_key is None and recorded_key is not None:
        if b64(recorded_key) != last.public_key:
            out.problems.append(
                f"checkpoint {last.seq} is signed by key {_short(last.public_key)}…, not by the "
                f"key this desk records {_short(b64(recorded_key))}…: the checkpoints were "
                "signed again, or the desk's key was replaced"
            )
        else:
            out.notices.append(
                "checkpoints verified against the key this desk records, not the key itself "
                "(not at hand); open the desk with its key to be sure"
            )
    elif public_key is None:
        out.notices.append(
            f"checkpoints verified against the key that signed them ({_short(last.public_key)}"
            "…); open the desk with its key to check that key is the desk's own"
        )
    elif b64(public_key) != last.public_key:
        out.problems.append(
            f"checkpoint {last.seq} is signed by key {_short(last.public_key)}…, not by this "
            f"desk's key {_short(b64(public_key))}…: the checkpoints were signed again"
        )


def _short(key: str) -> str:
    return key[:12]


__all__ = [
    "Signed",
    "check_signature",
    "compare_heads",
    "fold",
    "signed_heads",
    "verify_signature",
    "wanted",
]
