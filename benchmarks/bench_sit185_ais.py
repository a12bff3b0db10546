"""Speed of SIT 185 parsing and AIS import; memory of a 1,000,000-sentence AIS import.

Run: .venv/bin/python benchmarks/bench_sit185_ais.py [--sit185 10000] [--ais 1000000]
Targets (issue 3): over 5,000 SIT 185 messages/s; over 50,000 AIS sentences/s with flat memory.
The AIS file is generated in a temporary folder from sentences made with pyais's encoder: 85 %
Class A position reports, 8 % Class B, 4 % two-part type 5, 1 % SAR aircraft (9), 1 % AIS-SART,
1 % bad lines. Also printed: the time pyais alone takes to parse and decode the same lines, to
show where the time goes. The last line holds the figures.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from pyais import encode_dict
from pyais.messages import NMEASentenceFactory

from sarapp.alerts.ais import AisStats, read_ais_file
from sarapp.alerts.sit185 import parse

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "sit185"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def bench_sit185(count: int) -> float:
    texts = [p.read_bytes().decode("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        parse(texts[i % len(texts)])
    rate = count / (time.perf_counter() - start)
    cpu_rate = count / (time.process_time() - cpu)
    print(
        f"SIT 185: {count} messages ({len(texts)} layouts) at {rate:,.0f}/s wall clock, "
        f"{cpu_rate:,.0f}/s of CPU time (the machine is shared)"
    )
    return rate


def sentence_pool(rng: random.Random) -> list[list[str]]:
    """Groups of lines (a group is one message: one sentence, or two for type 5)."""
    pool: list[list[str]] = []
    for i in range(2000):
        mmsi = 200_000_000 + rng.randrange(500_000_000)
        lat, lon = rng.uniform(-80, 80), rng.uniform(-179, 179)
        roll = rng.random()
        if roll < 0.85:
            msg = {
                "type": 1,
                "mmsi": mmsi,
                "lat": lat,
                "lon": lon,
                "speed": rng.uniform(0, 25),
                "course": rng.uniform(0, 359),
                "heading": rng.randrange(360),
                "second": rng.randrange(60),
                "status": rng.randrange(9),
            }
        elif roll < 0.93:
            msg = {
                "type": 18,
                "mmsi": mmsi,
                "lat": lat,
                "lon": lon,
                "speed": 5.0,
                "course": 90.0,
                "heading": 90,
                "second": rng.randrange(60),
            }
        elif roll < 0.97:
            pool.append(
                encode_dict(
                    {
                        "type": 5,
                        "mmsi": mmsi,
                        "shipname": f"SHIP {i}",
                        "callsign": "AB1234",
                        "imo": 9000000 + i,
                        "ship_type": 70,
                    },
                    seq_id=i % 10,
                )
            )
            continue
        elif roll < 0.98:
            msg = {
                "type": 9,
                "mmsi": 111_000_000 + i,
                "alt": 300,
                "speed": 120,
                "lat": lat,
                "lon": lon,
                "course": 10.0,
                "second": 5,
            }
        elif roll < 0.99:
            msg = {"type": 1, "mmsi": 970_000_000 + i, "status": 14, "lat": lat, "lon": lon}
        else:
            pool.append([f"!AIVDM,1,1,,A,garbage{i},0*00"])
            continue
        pool.append(encode_dict(msg))
    return pool


def write_ais_file(path: Path, sentences: int) -> int:
    """Write about ``sentences`` lines, streaming (never the whole file in memory)."""
    rng = random.Random(406)
    pool = sentence_pool(rng)
    written = 0
    with path.open("w") as f:
        while written < sentences:
            group = pool[rng.randrange(len(pool))]
            f.write("\n".join(group) + "\n")
            written += len(group)
    return written


def pyais_only(path: Path, limit: int) -> float:
    """Sentences/s when pyais alone parses, checks and decodes (no assembly, no events)."""
    start = time.perf_counter()
    done = 0
    with path.open("rb") as f:
        for line in f:
            done += 1
            if done > limit:
                break
            try:
                sentence = NMEASentenceFactory.produce(line)
                if sentence.is_valid and sentence.frag_cnt == 1:  # type: ignore[attr-defined]
                    sentence.decode()  # type: ignore[attr-defined]
            except Exception:
                continue
    return (done - 1) / (time.perf_counter() - start)


def bench_ais(sentences: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.nmea"
        written = write_ais_file(path, sentences)
        size_mb = path.stat().st_size / 1e6
        before = peak_rss_mb()
        stats = AisStats()
        start = time.perf_counter()
        for _ in read_ais_file(path, stats=stats):
            pass
        elapsed = time.perf_counter() - start
        rate = stats.sentences / elapsed
        peak = peak_rss_mb()
        print(f"AIS file: {written:,} lines, {size_mb:.0f} MB; imported in {elapsed:.1f} s")
        print(f"AIS stats: {stats}")
        print(
            f"AIS peak RSS: {before:.0f} MB before import, {peak:.0f} MB after "
            f"(file {size_mb:.0f} MB)"
        )
        raw = pyais_only(path, 200_000)
        print(
            f"pyais alone (parse + checksum + decode, single-part): {raw:,.0f} sentences/s; "
            f"sarapp import: {rate:,.0f}/s"
        )
    return rate, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sit185", type=int, default=10_000)
    parser.add_argument("--ais", type=int, default=1_000_000)
    args = parser.parse_args()
    sit_rate = bench_sit185(args.sit185)
    ais_rate, peak = bench_ais(args.ais)
    print(f"sit185_per_s={sit_rate:.0f} ais_sentences_per_s={ais_rate:.0f} ais_peak_mb={peak:.0f}")


if __name__ == "__main__":
    main()
