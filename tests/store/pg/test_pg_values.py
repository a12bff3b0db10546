"""Values through PostgreSQL's types come back as the same values, so the chain's hash (over
canonical text made from values) is the same on both backends."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarapp.chain import data_text, time_text
from sarapp.store.pg.location import connect
from sarapp.store.pg.values import UnstorableValue, jsonb

TIMEZONE_EAST = timezone(timedelta(hours=5, minutes=30))  # a desk abroad
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _unstorable(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value) or (value == 0 and math.copysign(1, value) < 0)
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


def test_any_json_value_comes_back_from_jsonb_with_the_same_canonical_text(pg_desk):
    with connect(pg_desk) as conn:

        @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(data=st.dictionaries(st.text(), JSON, max_size=5))
        def check(data: dict) -> None:
            try:
                back = conn.execute("SELECT %s::jsonb", (jsonb(data),)).fetchone()[0]
            except UnstorableValue:
                assert _unstorable(data)
                return
            assert not _unstorable(data)
            assert data_text(back) == data_text(data)

        check()


def test_any_time_comes_back_from_timestamptz_as_the_same_canonical_text(pg_desk):
    with connect(pg_desk) as conn:

        @settings(max_examples=200, deadline=None)
        @given(moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                                   timezones=st.just(UTC) | st.just(TIMEZONE_EAST)))  # fmt: skip
        def check(moment: datetime) -> None:
            back = conn.execute("SELECT %s::timestamptz", (moment,)).fetchone()[0]
            assert time_text(back) == time_text(moment)

        check()
