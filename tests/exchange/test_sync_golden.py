"""The golden sync file of format sarapp-sync v1 (``tests/data/exchange/sync/v1``) still reads,
verifies and imports into a laptop named FIELD-1 that trusts its signer; a second import
changes nothing."""

from __future__ import annotations

from pathlib import Path

from sarapp.exchange import keyring, keys
from sarapp.exchange.sync_files import import_sync_file, read_sync_file
from sarapp.model import Rcc

GOLDEN = Path(__file__).parent.parent / "data" / "exchange" / "sync" / "v1"
CASE = "651b6ea4-4c8b-44ef-9e52-6b5c44c4a8af"


def test_the_v1_sync_file_reads_verifies_and_imports(store, keys_dir):
    keyring.set_rcc(store, Rcc("FIELD-1", "SAR team 1 laptop", "FR"), keys_dir=keys_dir)
    peer = keys.read_key_file((GOLDEN / "mrcc-etel.sarkey").read_bytes())
    keyring.trust_key(store, peer, author="team")
    bundle = read_sync_file(store, GOLDEN / "to-field-1.sarsync")
    assert (bundle.sender.id, bundle.to, bundle.given) == ("MRCC-ETEL", "FIELD-1", (CASE,))
    done = import_sync_file(store, GOLDEN / "to-field-1.sarsync", author="team")
    (case,) = done.cases
    assert case.created and case.entries == 9 and case.positions == 3  # 8, and the grant
    assert store.cases.get(CASE).vessel_name == "MARIE" and store.check().ok
    again = import_sync_file(store, GOLDEN / "to-field-1.sarsync", author="team")
    assert again.already_imported
