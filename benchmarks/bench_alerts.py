"""Alert intake speed: beacon decoding, SIT 185 parsing, AIS and DSC import into a desk.

Run: ``.venv/bin/python benchmarks/bench_alerts.py``. Each part is a function returning
``{figure name: value}``; the script prints one line per part and a final summary line.
Targets (issue 3): over 50,000 beacon decodes/s, 5,000 SIT 185/s, 50,000 AIS sentences/s
with flat memory. Issue 15: at least 50,000 DSC/DSE sentences decoded per second, and a feed
of 100,000 mixed AIS and DSC sentences into a desk at 20,000/s or more.
``bench_sit185_ais.py`` has the parser-only figures and pyais's own rate.
"""

from __future__ import annotations

import functools
import operator
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import bench_sit185_ais  # beside this script

from sarapp.alerts.ais import read_ais_file
from sarapp.alerts.ais_intake import AisImportReport, import_ais
from sarapp.alerts.beacon import decode
from sarapp.alerts.dsc_stream import DscDecoder
from sarapp.alerts.nmea_intake import NmeaImportReport, import_nmea
from sarapp.alerts.nmea_stream import iter_nmea
from sarapp.store import Desk

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


def bench_beacon(count: int = 100_000, *, seed: int = 1, repeats: int = 3) -> dict[str, float]:
    """Decode ``count`` beacon messages of mixed types; decodes per second, the median of
    ``repeats`` runs (the machine is shared)."""
    rng = random.Random(seed)
    messages = [rng.choice(_BEACON_SAMPLES) for _ in range(count)]
    for i in range(0, count, 7):  # one in seven: a random user-protocol 15 Hex ID
        messages[i] = f"{(1 << 59) | (rng.getrandbits(59) & ~(0b111 << 46)) | (0b010 << 46):015X}"
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for text in messages:
            decode(text)
        rates.append(count / (time.perf_counter() - start))
    return {"beacon_decodes_per_s": sorted(rates)[len(rates) // 2]}


def bench_sit185(count: int = 10_000) -> dict[str, float]:
    return {"sit185_per_s": bench_sit185_ais.bench_sit185(count)}


def bench_ais_into_desk(sentences: int = 1_000_000) -> dict[str, float]:
    """Stream a generated NMEA file into a fresh desk (distress devices open cases)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.nmea"
        written = bench_sit185_ais.write_ais_file(path, sentences)
        before = bench_sit185_ais.peak_rss_mb()
        report = AisImportReport()
        with Desk.open(Path(folder) / "desk.sqlite") as store:
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


def _nmea(body: str) -> str:
    return f"${body}*{functools.reduce(operator.xor, body.encode(), 0):02X}"


def dsc_sentences(
    count: int, *, ships: int = 40, distress: float = 0.2, seed: int = 15
) -> list[str]:
    """A coast station's DSC traffic: routine and safety calls, and a share ``distress`` of
    distress traffic from ``ships`` ships: each alert with its DSE, repeated as equipment
    does until acknowledged (the same sentence), later alerts with new positions, relays,
    acknowledgements and cancels; 5 % of sentences damaged in transit."""
    rng = random.Random(seed)
    casualties = [f"{rng.choice((232, 257, 338, 366, 503))}{i:06d}0" for i in range(ships)]
    out: list[str] = []

    def where() -> tuple[str, str]:
        position = f"{rng.randrange(4)}{rng.randrange(10, 70):02d}{rng.randrange(60):02d}"
        position += f"{rng.randrange(180):03d}{rng.randrange(60):02d}"
        return position, f"{rng.randrange(24):02d}{rng.randrange(0, 60, 4):02d}"

    while len(out) < count:
        roll = rng.random()
        position, hhmm = where()
        if roll < 0.05:  # damaged in transit
            caller = f"{rng.randrange(201, 775)}{rng.randrange(10**6):06d}0"
            out.append(_nmea(f"CDDSC,12,{caller},12,05,00,{position},{hhmm},,,S,")[:-2] + "00")
        elif roll > distress:  # routine and safety calls, position replies
            caller = f"{rng.randrange(201, 775)}{rng.randrange(10**6):06d}0"
            category = rng.choice(("00", "08"))
            out.append(_nmea(f"CDDSC,20,{caller},{category},21,26,{position},{hhmm},,,B,E"))
            out.append(_nmea(f"CDDSE,1,1,R,{caller},00,{rng.randrange(10**8):08d}"))
        else:
            mmsi = rng.choice(casualties)
            kind = rng.random()
            if kind < 0.6:  # an alert, its DSE, and its automatic repetitions
                nature = rng.choice(("00", "01", "02", "03", "05", "06", "07", "08", "10"))
                alert = _nmea(f"CDDSC,12,{mmsi},12,{nature},00,{position},{hhmm},,,S,E")
                dse = _nmea(f"CDDSE,1,1,A,{mmsi},00,{rng.randrange(10**8):08d}")
                out += [alert, dse] * rng.randint(1, 3)
            elif kind < 0.8:  # relayed by a coast station
                out.append(_nmea(f"CDDSC,16,0023200110,12,12,00,{position},{hhmm},{mmsi},05,S,"))
            elif kind < 0.95:  # acknowledged
                out.append(_nmea(f"CDDSC,16,0023200110,12,10,00,{position},{hhmm},{mmsi},05,B,"))
            else:  # the sender cancels
                out.append(_nmea(f"CDDSC,16,{mmsi},12,10,00,{position},{hhmm},{mmsi},05,S,"))
    return out[:count]


def bench_dsc_decode(count: int = 100_000, repeats: int = 3) -> dict[str, float]:
    """DSC/DSE sentences decoded per second (parse, checksum, symbols, DSE matching); the
    median of ``repeats`` runs, since the machine is shared."""
    lines = dsc_sentences(count)
    received = datetime.now(UTC)
    rates, cpu_rates = [], []
    for _ in range(repeats):
        decoder = DscDecoder()
        start, cpu = time.perf_counter(), time.process_time()
        for number, line in enumerate(lines, start=1):
            decoder.decode(number, line, received)
        rates.append(count / (time.perf_counter() - start))
        cpu_rates.append(count / (time.process_time() - cpu))
    middle = len(rates) // 2
    return {
        "dsc_sentences_per_s": sorted(rates)[middle],
        "dsc_sentences_per_cpu_s": sorted(cpu_rates)[middle],
    }


def bench_mixed_feed_into_desk(
    sentences: int = 100_000, *, dsc_share: float = 0.1, **mix: float
) -> dict[str, float]:
    """A feed of ``sentences`` lines, AIS with a share ``dsc_share`` of DSC mixed in, into a
    fresh desk; ``mix`` goes to ``dsc_sentences`` (ships, distress)."""
    with tempfile.TemporaryDirectory() as folder:
        ais_path = Path(folder) / "ais.nmea"
        n_dsc = int(sentences * dsc_share)
        bench_sit185_ais.write_ais_file(ais_path, sentences - n_dsc)
        ais_lines = ais_path.read_text().splitlines()[: sentences - n_dsc]
        dsc = iter(dsc_sentences(n_dsc, **mix))  # type: ignore[arg-type]
        every = max(1, round(len(ais_lines) / max(1, n_dsc)))
        path = Path(folder) / "feed.nmea"
        with path.open("w") as f:
            for i, line in enumerate(ais_lines):
                f.write(line + "\n")
                if i % every == 0:
                    f.write(next(dsc, "") + "\n")
            f.writelines(line + "\n" for line in dsc)
        report = NmeaImportReport()
        with Desk.open(Path(folder) / "desk.sqlite") as store, path.open("rb") as f:
            start, cpu = time.perf_counter(), time.process_time()
            events = iter_nmea(f, clock=lambda: datetime.now(UTC), stats=report.stats)
            import_nmea(store, events, author="bench", report=report)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    d = report.dsc
    print(
        f"mixed feed into a desk: {report.stats.lines:,} lines ({report.stats.dsc_calls:,} DSC, "
        f"{report.stats.dse:,} DSE, mix {mix or 'default'}) in {elapsed:.1f} s ({cpu:.1f} s of "
        f"CPU; the machine is shared); DSC cases "
        f"opened {d.alerts_opened}, updated {d.alerts_updated}, positions {d.positions}, "
        f"duplicates {d.duplicates}, cancels {d.cancels}, other calls {d.other_calls}; AIS "
        f"cases opened {report.ais.alerts_opened}"
    )
    return {"mixed_feed_desk_sentences_per_s": report.stats.lines / elapsed}


def bench_distress_heavy_feed(sentences: int = 100_000) -> dict[str, float]:
    """The same feed with half of the DSC traffic distress from 1,500 ships (a stress case far
    beyond what a coast station receives): about a thousand cases opened."""
    rate = bench_mixed_feed_into_desk(sentences, ships=1500, distress=0.5)
    return {"distress_heavy_feed_sentences_per_s": rate["mixed_feed_desk_sentences_per_s"]}


PARTS = (
    bench_beacon,
    bench_sit185,
    bench_ais_into_desk,
    bench_dsc_decode,
    bench_mixed_feed_into_desk,
    bench_distress_heavy_feed,
)


def main() -> None:
    figures: dict[str, float] = {}
    for part in PARTS:
        result = part()
        print(" ".join(f"{k}={v:,.0f}" for k, v in result.items()))
        figures.update(result)
    print("summary " + " ".join(f"{k}={v:.0f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
