"""Alert intake speed: beacon decoding, SIT 185 parsing, AIS file import into a desk.

Run: ``.venv/bin/python benchmarks/bench_alerts.py``. Each part is a function returning
``{figure name: value}``; the script prints one line per part and a final summary line.
Targets (issue 3): over 50,000 beacon decodes/s, 5,000 SIT 185/s, 50,000 AIS sentences/s
with flat memory. ``bench_sit185_ais.py`` has the parser-only figures and pyais's own rate.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import bench_sit185_ais  # beside this script

from sarapp.alerts.ais import read_ais_file
from sarapp.alerts.ais_intake import AisImportReport, import_ais
from sarapp.alerts.beacon import decode
from sarapp.store import Store

# Beacon messages of every kind the decoder accepts: a spec / coding-guide example each
# (see tests/alerts/test_beacon*.py for their sources), plus random 15-hex user IDs.
_BEACON_SAMPLES = (
    "90127B92922BC022FF103504422535",  # standard location MMSI, long (coding guide)
    "FFFE2F90127B92922BC022FF103504422535",  # the same with sync bits (36 hex)
    "2024F72524FFBFF",  # its 15 Hex ID
    "56E6804002202009655250",  # serial user, short (T.001 BCH-1 example)
    "193BFCE031BFDFF",  # RLS 15 Hex ID (T.001 Moffset example)
    "0039823D32618658622811F0000000000003FFF004030680258492A4FC57A49",  # SGB (T.018)
    "9934039823D000000000000",  # SGB 23 Hex ID (T.018)
)


def bench_beacon(count: int = 100_000, *, seed: int = 1) -> dict[str, float]:
    """Decode ``count`` beacon messages of mixed types; return decodes per second."""
    rng = random.Random(seed)
    messages = [rng.choice(_BEACON_SAMPLES) for _ in range(count)]
    for i in range(0, count, 7):  # one in seven: a random user-protocol 15 Hex ID
        messages[i] = f"{(1 << 59) | (rng.getrandbits(59) & ~(0b111 << 46)) | (0b010 << 46):015X}"
    start = time.perf_counter()
    for text in messages:
        decode(text)
    elapsed = time.perf_counter() - start
    return {"beacon_decodes_per_s": count / elapsed}


def bench_sit185(count: int = 10_000) -> dict[str, float]:
    return {"sit185_per_s": bench_sit185_ais.bench_sit185(count)}


def bench_ais_into_desk(sentences: int = 1_000_000) -> dict[str, float]:
    """Stream a generated NMEA file into a fresh desk (distress devices open cases)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.nmea"
        written = bench_sit185_ais.write_ais_file(path, sentences)
        before = bench_sit185_ais.peak_rss_mb()
        report = AisImportReport()
        with Store.open(Path(folder) / "desk.sqlite") as store:
            start = time.perf_counter()
            events = read_ais_file(path, received=datetime.now(UTC), stats=report.stats)
            import_ais(store, events, author="bench", report=report)
            elapsed = time.perf_counter() - start
        peak = bench_sit185_ais.peak_rss_mb()
    print(f"AIS into a desk: {written:,} lines in {elapsed:.1f} s; {report.to_dict()}")
    return {
        "ais_desk_sentences_per_s": report.stats.sentences / elapsed,
        "ais_rss_growth_mb": peak - before,
    }


PARTS = (bench_beacon, bench_sit185, bench_ais_into_desk)


def main() -> None:
    figures: dict[str, float] = {}
    for part in PARTS:
        result = part()
        print(" ".join(f"{k}={v:,.0f}" for k, v in result.items()))
        figures.update(result)
    print("summary " + " ".join(f"{k}={v:.0f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
