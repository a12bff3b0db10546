"""Regenerate sample.nmea with pyais's encoder (values chosen by us, so the truth is known).

Run: .venv/bin/python tests/data/ais/make_sample.py
"""

from __future__ import annotations

import functools
import operator
from pathlib import Path

from pyais import encode_dict

START = 1_777_888_000  # unix seconds of the first receive time


def tagged(sentence: str, stamp: int) -> str:
    body = f"s:sample,c:{stamp}"
    checksum = functools.reduce(operator.xor, body.encode(), 0)
    return f"\\{body}*{checksum:02X}\\{sentence}"


def main() -> None:
    out: list[str] = []
    t = START
    for sentence in encode_dict(
        {
            "type": 5,
            "mmsi": 257123456,
            "shipname": "NORDKAPP FISKER",
            "callsign": "LA2B3",
            "imo": 9074729,
            "ship_type": 30,
        },
        seq_id=2,
    ):
        out.append(tagged(sentence, t))
    for i in range(5):
        t += 10
        out.append(
            tagged(
                encode_dict(
                    {
                        "type": 1,
                        "mmsi": 257123456,
                        "lat": 69.5 + i / 100,
                        "lon": 18.9,
                        "speed": 8.5,
                        "course": 45.0,
                        "heading": 44,
                        "second": (t % 60),
                    }
                )[0],
                t,
            )
        )
    out.append(
        tagged(
            encode_dict(
                {
                    "type": 1,
                    "mmsi": 970012345,
                    "status": 14,
                    "lat": 69.52,
                    "lon": 18.95,
                    "second": (t % 60),
                }
            )[0],
            t,
        )
    )
    out.append("!AIVDM,1,1,,A,this is not a payload,0*00")
    out.append(tagged(encode_dict({"type": 14, "mmsi": 970012345, "text": "SART ACTIVE"})[0], t))
    out.append(
        tagged(
            encode_dict(
                {
                    "type": 1,
                    "mmsi": 972000777,
                    "status": 15,
                    "lat": 69.6,
                    "lon": 19.0,
                    "second": (t % 60),
                }
            )[0],
            t,
        )
    )
    out.append("random text from a receiver console")
    out.append(
        tagged(
            encode_dict(
                {
                    "type": 9,
                    "mmsi": 111257001,
                    "alt": 450,
                    "speed": 120,
                    "lat": 69.55,
                    "lon": 18.8,
                    "course": 270.0,
                    "second": (t % 60),
                }
            )[0],
            t,
        )
    )
    Path(__file__).with_name("sample.nmea").write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
