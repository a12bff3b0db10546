"""The worksheet against worked examples computed by hand (arithmetic written out)."""

import math

import pytest

from sarapp.planning.errors import PlanningError
from sarapp.planning.iamsar import (
    SearchUnit,
    WorksheetInput,
    compute_worksheet,
    total_probable_error,
)
from sarapp.planning.pod import pod_ideal, pod_normal

MERCHANT = SearchUnit(name="MV Alpha", unit_type="merchant", speed_kt=12, on_scene_endurance_h=10)


def _inputs(**changes):
    base = dict(
        datum_type="point",
        conditions="normal",
        search_object="R4",
        visibility_nm=10,
        wind_kt=10,
        sea_ft=2,
        x_nm=3,
        y_nm=0,
        de_nm=4,
        units=(MERCHANT,),
    )
    base.update(changes)
    return WorksheetInput(**base)


def test_total_probable_error():
    assert total_probable_error(x_nm=3, y_nm=0, de_nm=4) == 5.0
    # √(1² + 2² + 2²) = √9 = 3
    assert total_probable_error(x_nm=1, y_nm=2, de_nm=2) == 3.0


def test_point_datum_one_merchant_by_hand():
    ws = compute_worksheet(_inputs())
    # E = √(3² + 0² + 4²) = 5 NM
    assert ws.e_nm == 5.0
    # Wu merchant R4 vis 10 = 4.2; fw level 1 = 1.0; fv = 1 (ship); ff = 1 → W = 4.2 NM
    (unit,) = ws.units
    assert (unit.wu_nm, unit.fw, unit.fv, unit.ff) == (4.2, 1.0, 1.0, 1.0)
    assert unit.w_nm == pytest.approx(4.2)
    # T = 0.85 × 10 h = 8.5 h; Z = 12 × 8.5 × 4.2 = 428.4 NM²
    assert unit.search_endurance_h == pytest.approx(8.5)
    assert ws.z_total_nm2 == pytest.approx(428.4)
    # fZ = E² = 25; Zr = 428.4 / 25 = 17.136; first search so Zrc = Zr
    assert ws.effort_factor_nm2 == pytest.approx(25)
    assert ws.zr == pytest.approx(17.136)
    assert ws.zrc == pytest.approx(17.136)
    # fs point normal: Zr 15 → 1.439, 20 → 1.549: 1.439 + 0.110 × 2.136/5 = 1.485992
    assert ws.fs_used == pytest.approx(1.485992)
    # R = 1.485992 × 5 = 7.42996 NM; A = (2R)² = 14.85992² = 220.8172 NM²
    assert ws.r_nm == pytest.approx(7.42996)
    assert ws.area_nm2 == pytest.approx(220.8172, abs=1e-3)
    # C = 428.4 / 220.8172 = 1.94006; S = 4.2 / 1.94006 = 2.1649 NM
    assert ws.coverage == pytest.approx(1.94006, abs=1e-4)
    assert unit.track_spacing_nm == pytest.approx(2.1649, abs=1e-4)
    # one unit covers the whole area
    assert unit.sub_area_nm2 == pytest.approx(ws.area_nm2)
    # POD normal = 1 − e^(−1.94006) = 0.85632; ideal = erf(√π × 1.94006 / 2) = 0.98610
    assert ws.pod_normal == pytest.approx(0.85632, abs=1e-4)
    assert ws.pod_ideal == pytest.approx(math.erf(math.sqrt(math.pi) * 1.94006 / 2), abs=1e-4)
    assert ws.pod == ws.pod_normal


def test_line_datum_two_units_with_corrections_by_hand():
    helo = SearchUnit(
        name="Rescue 1",
        unit_type="helicopter",
        speed_kt=75,
        on_scene_endurance_h=2,
        fatigued=True,
        altitude_ft=600,
    )
    ws = compute_worksheet(
        _inputs(
            datum_type="line",
            line_length_nm=20,
            visibility_nm=7.5,
            wind_kt=20,
            de_nm=None,
            drift_distance_nm=10,
            x_nm=1,
            y_nm=2,
            units=(MERCHANT, helo),
        )
    )
    # De = 0.3 × 10 = 3; E = √(1 + 4 + 9) = √14 = 3.741657
    assert ws.de_nm == pytest.approx(3.0)
    assert ws.e_nm == pytest.approx(math.sqrt(14))
    ship, heli = ws.units
    # ship: Wu R4 vis 7.5 = 3.2 + 1.0 × 2.5/5 = 3.7; fw (wind 20 kt, raft) = 0.5 → W = 1.85
    assert ship.wu_nm == pytest.approx(3.7)
    assert ship.fw == 0.5
    assert ship.w_nm == pytest.approx(1.85)
    # Z ship = 12 × 8.5 × 1.85 = 188.7
    assert ship.z_nm2 == pytest.approx(188.7)
    # helo: Wu 1.94 (see test_tables), fv 75 kt = 1.15, ff = 0.9, fw = 0.5
    # W = 1.94 × 0.5 × 1.15 × 0.9 = 1.00395; T = 1.7 h; Z = 75 × 1.7 × 1.00395 = 128.003625
    assert heli.w_nm == pytest.approx(1.00395)
    assert heli.z_nm2 == pytest.approx(128.003625)
    # Zt = 316.703625; fZ = E·L = 3.741657 × 20 = 74.83315; Zr = 4.232134
    assert ws.z_total_nm2 == pytest.approx(316.703625)
    assert ws.effort_factor_nm2 == pytest.approx(74.83315, abs=1e-4)
    assert ws.zr == pytest.approx(4.232134, abs=1e-5)
    # fs line normal: Zr 4 → 1.314, 5 → 1.418: 1.314 + 0.104 × 0.232134 = 1.338142
    assert ws.fs_used == pytest.approx(1.338142, abs=1e-5)
    # R = 1.338142 × 3.741657 = 5.006868; A = 2R × L = 200.27471
    assert ws.r_nm == pytest.approx(5.006868, abs=1e-5)
    assert ws.area_nm2 == pytest.approx(200.27471, abs=1e-3)
    # C = 316.703625 / 200.27471 = 1.581346
    assert ws.coverage == pytest.approx(1.581346, abs=1e-5)
    # S = W / C: ship 1.85 / 1.581346 = 1.169890; helo 1.00395 / 1.581346 = 0.634870
    assert ship.track_spacing_nm == pytest.approx(1.169890, abs=1e-5)
    assert heli.track_spacing_nm == pytest.approx(0.634870, abs=1e-5)
    # sub-areas add up to the whole area
    assert ship.sub_area_nm2 + heli.sub_area_nm2 == pytest.approx(ws.area_nm2)
    assert any("De = 0.3" in n for n in ws.notes)


def test_second_search_uses_cumulative_effort():
    first = compute_worksheet(_inputs())
    second = compute_worksheet(_inputs(zrc_previous=first.zrc))
    # Zrc = 17.136 + 17.136 = 34.272; fs between 30 (1.719) and 40 (1.851):
    # 1.719 + 0.132 × 4.272/10 = 1.7753904
    assert second.zr == pytest.approx(first.zr)
    assert second.zrc == pytest.approx(34.272)
    assert second.fs_used == pytest.approx(1.7753904)
    assert second.area_nm2 > first.area_nm2
    assert second.coverage < first.coverage


def test_divergent_datum_area():
    ws = compute_worksheet(_inputs(datum_type="divergent", divergence_nm=6))
    # same fs and R as the point datum (7.42996); A = 2R × (2R + 6) = 14.85992 × 20.85992
    assert ws.r_nm == pytest.approx(7.42996)
    assert ws.area_nm2 == pytest.approx(14.85992 * 20.85992, abs=1e-3)


def test_pod_curves_match_the_reference_table():
    table = {0.5: (0.39, 0.47), 1.0: (0.63, 0.79), 2.0: (0.86, 0.99), 3.0: (0.95, 1.00)}
    for c, (normal, ideal) in table.items():
        assert round(pod_normal(c), 2) == normal
        assert round(pod_ideal(c), 2) == ideal


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"datum_type": "area"}, "datum_type 'area'"),
        ({"conditions": "good"}, "conditions 'good'"),
        ({"datum_type": "line"}, "line_length_nm"),
        ({"drift_distance_nm": 4}, "exactly one of De_nm and drift_distance_nm"),
        ({"units": ()}, "at least one search unit"),
        ({"x_nm": -1}, "X_nm -1"),
        ({"search_object": "ZZ"}, "search_object 'ZZ'"),
        ({"datum_type": "divergent"}, "divergence_nm"),
    ],
)
def test_bad_inputs_name_the_field(changes, message):
    with pytest.raises(PlanningError, match=message):
        compute_worksheet(_inputs(**changes))
