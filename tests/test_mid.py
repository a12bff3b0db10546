from sarapp.mid import mid_entry, mid_table


def test_table_has_every_allocated_mid():
    table = mid_table()
    assert len(table) == 292
    assert all(201 <= mid <= 775 for mid in table)


def test_known_allocations():
    assert mid_entry(257).iso == "NO"
    assert mid_entry(366).iso == "US"
    assert mid_entry(232).iso == "GB"
    assert mid_entry(227).country == "France"


def test_unallocated_mid_is_none():
    assert mid_entry(217) is None
    assert mid_entry(335) is None
