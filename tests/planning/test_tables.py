"""Table look-ups against cells read by eye from resources/iamsar_*.csv."""

import pytest

from sarapp.planning import tables
from sarapp.planning.errors import PlanningError


def test_merchant_tabulated_cell():
    w = tables.uncorrected_sweep_width(unit_type="merchant", object_id="R4", visibility_nm=10)
    assert w.value == 4.2
    assert "tabulated" in w.note


def test_visibility_is_interpolated():
    # merchant R4: 5 NM → 3.2, 10 NM → 4.2; at 7 NM: 3.2 + 1.0 × 2/5 = 3.6
    w = tables.uncorrected_sweep_width(unit_type="merchant", object_id="R4", visibility_nm=7)
    assert w.value == pytest.approx(3.6)
    assert "interpolated between 5 (3.2) and 10 (4.2)" in w.note


def test_visibility_above_table_uses_highest_column():
    w = tables.uncorrected_sweep_width(unit_type="merchant", object_id="PIW", visibility_nm=25)
    assert w.value == 0.7
    assert "above table" in w.note


def test_visibility_below_table_is_refused():
    with pytest.raises(PlanningError, match="visibility NM 2 is below"):
        tables.uncorrected_sweep_width(unit_type="merchant", object_id="PIW", visibility_nm=2)


def test_aircraft_interpolates_visibility_then_altitude():
    # helicopter R4 at 500 ft: vis 5 → 1.6, vis 10 → 2.2, so vis 7.5 → 1.9
    # at 750 ft: vis 5 → 1.7, vis 10 → 2.3, so vis 7.5 → 2.0
    # at 600 ft: 1.9 + (2.0 − 1.9) × 100/250 = 1.94
    w = tables.uncorrected_sweep_width(
        unit_type="helicopter", object_id="R4", visibility_nm=7.5, altitude_ft=600
    )
    assert w.value == pytest.approx(1.94)
    assert "altitude ft 600 interpolated between 500 (1.9) and 750 (2)" in w.note


def test_aircraft_needs_altitude_in_range():
    with pytest.raises(PlanningError, match="needs altitude_ft"):
        tables.uncorrected_sweep_width(unit_type="fixed_wing", object_id="R4", visibility_nm=10)
    with pytest.raises(PlanningError, match="altitude ft 5000 is above"):
        tables.uncorrected_sweep_width(
            unit_type="fixed_wing", object_id="R4", visibility_nm=10, altitude_ft=5000
        )


def test_unknown_object_names_the_known_ones():
    with pytest.raises(PlanningError, match=r"'XX' is not in the merchant .*PIW, R4"):
        tables.uncorrected_sweep_width(unit_type="merchant", object_id="XX", visibility_nm=10)


def test_unknown_unit_type():
    with pytest.raises(PlanningError, match="unit type 'kayak'"):
        tables.uncorrected_sweep_width(unit_type="kayak", object_id="PIW", visibility_nm=10)


@pytest.mark.parametrize(
    ("object_id", "wind", "sea", "fw"),
    [
        ("PIW", 10, 2, 1.0),
        ("PIW", 15, 3, 1.0),  # limits belong to the lower level
        ("PIW", 20, 1, 0.5),  # wind decides
        ("R4", 5, 4, 0.5),  # sea decides
        ("R4", 30, 1, 0.25),
        ("PB53", 30, 1, 0.9),  # other objects
        ("B40", 20, 6, 0.9),
    ],
)
def test_weather_correction_uses_worse_of_wind_and_sea(object_id, wind, sea, fw):
    assert tables.weather_correction(object_id=object_id, wind_kt=wind, sea_ft=sea).value == fw


def test_speed_correction():
    # helicopter R4: 60 kt → 1.3, 90 kt → 1.0; at 75 kt: 1.3 − 0.3 × 15/30 = 1.15
    fv = tables.speed_correction(unit_type="helicopter", object_id="R4", speed_kt=75)
    assert fv.value == pytest.approx(1.15)
    assert (
        tables.speed_correction(unit_type="fixed_wing", object_id="PIW", speed_kt=150).value == 1.2
    )
    assert (
        tables.speed_correction(unit_type="fixed_wing", object_id="PIW", speed_kt=100).value == 1.2
    )
    assert tables.speed_correction(unit_type="merchant", object_id="PIW", speed_kt=12).value == 1.0


def test_optimal_search_factor():
    assert (
        tables.optimal_search_factor(zr=1, datum_type="point", conditions="normal").value == 0.724
    )
    # point ideal: Zr 2 → 0.810, Zr 2.5 → 0.873; at 2.2: 0.810 + 0.063 × 0.4 = 0.8352
    fs = tables.optimal_search_factor(zr=2.2, datum_type="point", conditions="ideal")
    assert fs.value == pytest.approx(0.8352)
    assert tables.optimal_search_factor(zr=4, datum_type="line", conditions="normal").value == 1.314
    beyond = tables.optimal_search_factor(zr=30, datum_type="line", conditions="ideal")
    assert beyond.value == 3.263
    assert "ill-defined" in beyond.note
    # More effort than the table covers: its last factor, with a note saying so.
    above = tables.optimal_search_factor(zr=60, datum_type="point", conditions="normal")
    assert above.value == 1.961 and "above the table's 50" in above.note
    with pytest.raises(PlanningError, match="below the table's lowest"):
        tables.optimal_search_factor(zr=0.05, datum_type="point", conditions="normal")


def test_constants_carry_their_figures():
    assert tables.constant("search_endurance_fraction") == 0.85
    assert tables.constant("fatigue_factor") == 0.9
    assert tables.constant("drift_error_fraction") == 0.3
