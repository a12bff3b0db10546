"""``sarapp plan worksheet``: keys in and out, and one clear line for bad files."""

import json

import pytest

from sarapp.cli import main

EXAMPLE = {
    "datum_type": "point",
    "conditions": "normal",
    "search_object": "R4",
    "visibility_nm": 10,
    "wind_kt": 10,
    "sea_ft": 2,
    "X_nm": 3,
    "Y_nm": 0,
    "De_nm": 4,
    "Zrc_previous": 0,
    "units": [
        {
            "name": "MV Alpha",
            "type": "merchant",
            "speed_kt": 12,
            "on_scene_endurance_h": 10,
            "fatigued": False,
        }
    ],
}


def _run(tmp_path, capsys, data, *extra):
    path = tmp_path / "ws.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    code = main(["plan", "worksheet", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_worksheet_json_has_the_issue_keys(tmp_path, capsys):
    code, out, err = _run(tmp_path, capsys, EXAMPLE, "--json")
    assert code == 0, err
    result = json.loads(out)
    for key in ("E_nm", "Z_total_nm2", "Zr", "Zrc", "fs_used", "R_nm", "area_nm2"):
        assert key in result
    for key in ("coverage", "pod_normal", "pod_ideal"):
        assert key in result
    # same figures as the hand calculation in test_iamsar.test_point_datum_one_merchant_by_hand
    assert result["E_nm"] == 5.0
    assert result["Z_total_nm2"] == pytest.approx(428.4)
    assert result["fs_used"] == pytest.approx(1.485992)
    (unit,) = result["units"]
    assert unit["W_nm"] == pytest.approx(4.2)
    assert unit["Z_nm2"] == pytest.approx(428.4)
    assert unit["track_spacing_nm"] == pytest.approx(2.1649, abs=1e-4)


def test_worksheet_text_for_people(tmp_path, capsys):
    code, out, _ = _run(tmp_path, capsys, EXAMPLE)
    assert code == 0
    assert "E 5.00 NM" in out
    assert "MV Alpha (merchant)" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"X_nm": None}, "key 'X_nm' is missing"),
        ({"wind_kt": "calm"}, "key 'wind_kt' must be a number"),
        ({"visiblity_nm": 5}, "key 'visiblity_nm' is not a worksheet key"),
        ({"units": []}, "key 'units' must be a non-empty list"),
        ({"units": [{"name": "A", "type": "merchant", "speed_kt": 10}]}, "units[0].on_scene"),
        ({"search_object": "XYZ"}, "search_object 'XYZ'"),
        ({"datum_type": "line"}, "line_length_nm"),
    ],
)
def test_bad_file_gives_one_line_naming_the_key(tmp_path, capsys, change, message):
    data = {k: v for k, v in EXAMPLE.items() if not (k in change and change[k] is None)}
    data.update({k: v for k, v in change.items() if v is not None})
    code, out, err = _run(tmp_path, capsys, data, "--json")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


def test_not_json_names_line_and_column(tmp_path, capsys):
    code, _, err = _run(tmp_path, capsys, '{"datum_type": "point",\n oops}')
    assert code == 1
    assert "line 2 column 2: not JSON" in err


def test_missing_file(tmp_path, capsys):
    code = main(["plan", "worksheet", str(tmp_path / "absent.json")])
    assert code == 1
    assert "cannot read" in capsys.readouterr().err
