"""Review: AIS lines from outside never stop an import, whatever their tag block says."""

from __future__ import annotations

from functools import reduce

import pytest

from sarapp.alerts.ais import AisPosition, AisSentenceError, iter_ais

BODY = "!AIVDO,1,1,,A,13m=TP?P1E1FQ70Wi:`1hQIUP000,0*58"  # a valid position report


def _tagged(stamp: str) -> str:
    block = f"c:{stamp}"
    checksum = reduce(lambda acc, c: acc ^ ord(c), block, 0)
    return f"\\{block}*{checksum:02X}\\{BODY}"


@pytest.mark.parametrize("stamp", ["9" * 20, "9" * 400, "9" * 16])
def test_tag_block_time_out_of_range_is_a_bad_line_not_a_crash(stamp: str) -> None:
    events = list(iter_ais([_tagged(stamp), _tagged("1700000000")]))
    assert isinstance(events[0], AisSentenceError)
    assert "time" in events[0].reason
    assert isinstance(events[1], AisPosition)
    assert events[1].time is not None and events[1].time.year == 2023
