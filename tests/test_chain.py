"""The hash chain's frame: the text a server fills with the entry's place hashes the same as
the whole entry hashed at once, whatever the entry holds."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from sarapp.chain import content_hash, framed_text, hash_frame

_text = st.text()
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)


@given(
    author=_text,
    text=_text,
    kind=_text,
    data=st.dictionaries(_text, _json, max_size=4),
    corrects=st.none() | _text,
    prev_hash=st.text("0123456789abcdef", min_size=64, max_size=64),
    seq=st.integers(min_value=1, max_value=2**31 - 1),
)
def test_the_framed_text_hashes_as_the_entry(author, text, kind, data, corrects, prev_hash, seq):
    import json

    content = {"id": "e1", "case_id": "c1", "time": "2026-11-28T09:00:00.000000Z",
               "author": author, "kind": kind, "text": text, "corrects": corrects,
               "data": json.dumps(data), "seq": seq, "prev_hash": prev_hash}  # fmt: skip
    before, after = hash_frame(content)
    framed = framed_text(before, prev_hash, seq, after)
    assert hashlib.sha256(framed.encode()).hexdigest() == content_hash(content)
