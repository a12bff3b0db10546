"""Drift runs whose seed was drawn up to 2^63 (older desks) are sendable, exactly (issue 11)."""

from __future__ import annotations

from sarapp.exchange.apply import import_package
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.package import package_bytes
from sarapp.exchange.reader import read_package

from .conftest import trusting
from .helpers import export

LARGE_SEEDS = (2**63 - 1, 2**53 + 1, 955154420245957446)


def _keep_runs(store, case_id) -> None:
    for seed in LARGE_SEEDS:
        store.drift.add(
            case_id,
            params={"object": "PIW-1", "particles": 500, "duration_s": 3600.0},
            forcing={"wind": {"kind": "constant", "speed_ms": 6.5, "from_deg": 240.0}},
            summary={"datum": [[47.5, -3.5]], "radius_m": [300.25]},
            seed=seed,
            author="op1",
            text=f"Drift run, seed {seed}",
        )


def test_a_case_with_large_seeds_is_sent_and_imported_exactly(desk, keys_a, desk_b, keys_b) -> None:
    store, case_id = desk
    _keep_runs(store, case_id)
    document = export(store, case_id, keys_a)  # refused before: seed beyond 2**53
    read = read_package(package_bytes(document), trust=desk_trust(desk_b))
    assert [r["seed"] for r in read.body["drift_runs"]] == [str(s) for s in LARGE_SEEDS]
    import_package(desk_b, read, author="op2")
    assert [r.seed for r in desk_b.drift.runs(case_id)] == list(LARGE_SEEDS)
    seeds_logged = [e.data["seed"] for e in desk_b.log.entries(case_id) if "drift_run" in e.data]
    assert seeds_logged == list(LARGE_SEEDS)
    sent = store.log.entries(case_id)
    assert desk_b.log.entries(case_id)[: len(sent)] == sent  # byte for byte, hashes included
    assert desk_b.check().ok


def test_data_that_disagrees_with_its_exact_text_is_refused(desk, keys_a) -> None:
    import pytest

    from sarapp.exchange.errors import PackageError

    from .helpers import resign

    store, case_id = desk
    _keep_runs(store, case_id)
    document = export(store, case_id, keys_a)
    entry = next(e for e in document["body"]["log"] if "data_json" in e)
    entry["data"]["seed"] = "1"  # shown as 1, hashed as the large seed: refused
    with pytest.raises(PackageError, match="data and data_json do not say the same"):
        read_package(resign(document, keys_a), trust=trusting(keys_a))
