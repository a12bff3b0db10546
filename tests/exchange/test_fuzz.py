"""Fuzzing the reader: random bytes, truncated, bit-flipped and reordered packages are each
refused with a PackageError or read; none crashes, and none that was altered reads as validly
signed unless it says exactly what the original said."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarapp.exchange import keys
from sarapp.exchange.errors import PackageError
from sarapp.exchange.package import Attachment, build_package, package_bytes
from sarapp.exchange.reader import SignatureStatus, read_package
from sarapp.store import Desk

from .conftest import FALMOUTH, build_case

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[keys.Trust, bytes, bytes, dict]:
    """A trust list, a JSON package, a zipped one, and each one's document by its bytes."""
    folder = tmp_path_factory.mktemp("fuzz")
    with Desk.open(folder / "desk.sqlite") as store:
        case_id = build_case(store)
        desk = keys.DeskKeys.generate(keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR"))
        note = Attachment("note.txt", "text/plain", b"fax text " * 20)
        plain = build_package(store, case_id, keys=desk, to=FALMOUTH)
        zipped = build_package(store, case_id, keys=desk, to=FALMOUTH, attachments=[note])
    plain_bytes, zipped_bytes = package_bytes(plain), package_bytes(zipped, [note])
    documents = {plain_bytes: plain, zipped_bytes: zipped}
    return keys.Trust.of([desk]), plain_bytes, zipped_bytes, documents


def _read_or_refuse(content: bytes, trust: keys.Trust):
    try:
        return read_package(content, trust=trust)
    except PackageError as exc:
        assert str(exc)  # a reason a coordinator can read
        return None


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(packages, content: bytes) -> None:
    assert _read_or_refuse(content, packages[0]) is None


@FUZZ
@given(st.data())
def test_truncated(packages, data: st.DataObject) -> None:
    trust, plain, zipped, _ = packages
    content = data.draw(st.sampled_from([plain, zipped]))
    cut = data.draw(st.integers(0, len(content) - 1))
    read = _read_or_refuse(content[:cut], trust)
    # Cutting only the final newline leaves the same JSON document.
    assert read is None or content[cut:].strip() == b""


@FUZZ
@given(st.data())
def test_bit_flipped(packages, data: st.DataObject) -> None:
    trust, plain, zipped, documents = packages
    original = data.draw(st.sampled_from([plain, zipped]))
    content = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(content) - 1))
        content[index] ^= 1 << data.draw(st.integers(0, 7))
    read = _read_or_refuse(bytes(content), trust)
    if read is not None and read.signature.status is not SignatureStatus.INVALID:
        assert read.document == documents[original]  # only a change that means nothing may pass


@FUZZ
@given(st.randoms(use_true_random=False))
def test_reordered_entries(packages, rnd) -> None:
    trust, plain, _, documents = packages
    original = documents[plain]
    document = json.loads(json.dumps(original))
    log = document["body"]["log"]
    rnd.shuffle(log)
    read = _read_or_refuse(package_bytes(document), trust)
    if log != original["body"]["log"]:
        assert read is None or read.signature.status is SignatureStatus.INVALID
