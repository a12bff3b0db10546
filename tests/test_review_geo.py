"""Review: DTG/ISO input from outside is refused with a GeoError, never a traceback."""

from __future__ import annotations

import pytest

from sarapp.geo import GeoError, parse_dtg


@pytest.mark.parametrize("text", ["0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00"])
def test_iso_time_out_of_range_in_utc_is_refused(text: str) -> None:
    with pytest.raises(GeoError, match="out of range"):
        parse_dtg(text)
