import csv
from dataclasses import fields

import pytest

from sarapp.drift.categories import find_categories, leeway_categories, leeway_category
from sarapp.drift.errors import DriftError
from sarapp.resources import resource_path


def test_table_has_all_85_reference_categories_in_id_order():
    cats = leeway_categories()
    assert [c.id for c in cats] == list(range(1, 86))
    assert len({c.key for c in cats}) == 85


def test_every_row_is_complete_and_physically_plausible():
    with resource_path("leeway_categories.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            assert all(v.strip() for v in row.values()), row
    for c in leeway_categories():
        assert c.name and c.group and c.key
        assert 0 <= c.sub_level <= 3
        # downwind slope: 0 (a drifter) to under 10 % of the wind; offsets a few tens of cm/s
        assert 0 <= c.dw_slope_pct < 10, c
        assert -10 <= c.cwl_slope_pct <= 1 and -1 <= c.cwr_slope_pct < 10, c
        assert c.cwr_slope_pct >= c.cwl_slope_pct, c
        for f in fields(c):
            if f.name.endswith("_offset_cms"):
                assert abs(getattr(c, f.name)) < 20, (c.key, f.name)
            if f.name.endswith("_std_cms"):
                assert 0 <= getattr(c, f.name) < 30, (c.key, f.name)


def test_reference_figures_of_the_benchmark_categories():
    piw = leeway_category(1)
    assert (piw.key, piw.dw_slope_pct, piw.dw_std_cms) == ("PIW-1", 0.96, 12.0)
    raft = leeway_category("aviation-1")
    assert raft.id == 32 and "4-6 person" in raft.name
    assert (raft.cwr_slope_pct, raft.cwl_slope_pct) == (1.49, -1.49)


def test_unknown_category_is_a_clear_error():
    with pytest.raises(DriftError, match="'99'"):
        leeway_category(99)


@pytest.mark.parametrize(
    ("query", "must_have", "must_not"),
    [
        ("raft", {"LIFE-RAFT-DB-10", "AVIATION-1", "REFUGEE-RAFT-1"}, {"PIW-1"}),
        ("PIW", {"PIW-1", "PIW-6"}, {"AVIATION-1"}),
        ("kayak", {"PERSON-POWERED-VESSEL-1"}, {"PIW-1"}),
        ("life raft canopy drogue", {"LIFE-RAFT-NB-5"}, {"PIW-1", "SKIFF-1"}),
        ("32", {"AVIATION-1"}, {"PIW-1"}),
        ("piw-3", {"PIW-3"}, {"PIW-1"}),
    ],
)
def test_find_categories(query, must_have, must_not):
    keys = {c.key for c in find_categories(query)}
    assert must_have <= keys
    assert not keys & must_not


def test_find_nothing_and_everything():
    assert find_categories("zeppelin") == []
    assert len(find_categories("  ")) == 85
