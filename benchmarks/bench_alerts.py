"""Alert intake speed: beacon decoding (SIT 185 and AIS parts are added by their owners).

Run: ``.venv/bin/python benchmarks/bench_alerts.py``. Each part is a function returning
``{figure name: value}``; the script prints one line per part and a final summary line.
"""

from __future__ import annotations

import random
import time

from sarapp.alerts.beacon import decode

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


PARTS = (bench_beacon,)


def main() -> None:
    figures: dict[str, float] = {}
    for part in PARTS:
        result = part()
        print(" ".join(f"{k}={v:,.0f}" for k, v in result.items()))
        figures.update(result)
    print("summary " + " ".join(f"{k}={v:.0f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
