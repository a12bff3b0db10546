"""``sarapp beacon decode`` and robustness of the decoder on arbitrary hex (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarapp.alerts.beacon import VALID_LENGTHS, BeaconError, decode
from sarapp.cli import main

# Cospas-Sarsat beacon coding guide example (standard location protocol, MMSI ...506153).
CODING_GUIDE_LONG = "90127B92922BC022FF103504422535"


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["beacon", "decode", CODING_GUIDE_LONG, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hex_id"] == "2024F72524FFBFF"
    assert (data["country_code"], data["country"]) == (257, "Norway")
    assert (data["protocol"], data["beacon_type"], data["mmsi"]) == (
        "standard_location_mmsi",
        "EPIRB",
        "257506153",
    )
    assert data["mmsi_last6"] == "506153"
    assert data["lat"] == pytest.approx(43.732222) and data["lon"] == pytest.approx(0.964444)


def test_cli_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["beacon", "decode", "2024F72524FFBFF"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "hex_id: 2024F72524FFBFF" in out and "mmsi: 257506153" in out
    assert "mmsi_last6: 506153" in out


def test_cli_bad_input_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["beacon", "decode", "2024F72524FFBFZ"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["sarapp: character 15 ('Z') of the beacon hex is not a hex digit 0-9/A-F"]


def test_cli_no_bch_check(capsys: pytest.CaptureFixture[str]) -> None:
    bad = CODING_GUIDE_LONG.replace("BC0", "BD0")  # BCH-1 damaged
    assert main(["beacon", "decode", bad, "--json"]) == 1
    assert "BCH-1" in capsys.readouterr().err
    assert main(["beacon", "decode", bad, "--json", "--no-bch-check"]) == 0
    assert json.loads(capsys.readouterr().out)["bch1_ok"] is False


def test_cli_damaged_pdf2_decodes_pdf1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["beacon", "decode", CODING_GUIDE_LONG[:-1] + "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["bch2_ok"], data["position_status"], data["lat"]) == (False, "coarse", 43.75)
    assert "PDF-2 is not used" in data["notes"][0]


def _check(text: str, *, check_bch: bool) -> None:
    try:
        d = decode(text, check_bch=check_bch)
    except BeaconError as exc:
        assert str(exc) and "\n" not in str(exc)  # one line naming the problem
        return
    assert len(d.hex_id) == 15 and 0 <= d.country_code < 1024
    json.dumps(d.to_dict())
    if d.lat is not None:
        assert -91 < d.lat < 91 and -181 < d.lon < 181


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(VALID_LENGTHS).flatmap(
        lambda n: st.text("0123456789ABCDEFabcdef", min_size=n, max_size=n)
    )
)
def test_random_hex_of_every_length_never_crashes(text: str) -> None:
    _check(text, check_bch=True)
    _check(text, check_bch=False)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=70))
def test_random_text_never_crashes(text: str) -> None:
    _check(text, check_bch=False)


_IDENTITY = ("country_code", "mmsi", "serial", "aircraft_address", "ta_number", "call_sign")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, (1 << 60) - 1), st.integers(0, (1 << 26) - 1))
def test_any_valid_long_message_decodes_and_its_hex_id_round_trips(pdf1: int, pdf2: int) -> None:
    # Random PDF-1 (bit 25 = 1, long) and PDF-2 with correct BCHs: decoding never fails, and
    # the 15 Hex ID it reports is itself a valid ID carrying the same identity.
    from sarapp.alerts.beacon_bits import bch_codes

    codes = bch_codes()
    pdf1 |= 1 << 60
    m = (pdf1 << 59) | (codes["bch1"].remainder(pdf1) << 38) | (pdf2 << 12)
    m |= codes["bch2"].remainder(pdf2)
    d = decode(f"{m:030X}")
    again = decode(d.hex_id)
    assert again.hex_id == d.hex_id
    if d.protocol != "sgb":
        assert [getattr(again, k) for k in _IDENTITY] == [getattr(d, k) for k in _IDENTITY]


_ISSUE_LENGTHS = (15, 22, 23, 28, 30, 36)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_ISSUE_LENGTHS).flatmap(
        lambda n: st.text("0123456789ABCDEF", min_size=n, max_size=n)
    )
)
def test_cli_any_hex_of_the_issue_lengths_decodes_or_one_line(text: str) -> None:
    # Issue 15: any 15/22/23/28/30/36-hex input decodes or is refused with one line, never a
    # traceback (SarappError is the only exception main() turns into exit 1).
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["beacon", "decode", text, "--json"])
    if status == 0:
        json.loads(out.getvalue())
    else:
        assert status == 1 and err.getvalue().count("\n") == 1
        assert err.getvalue().startswith("sarapp: ")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, (1 << 60) - 1), st.integers(0, (1 << 38) - 1))
def test_any_pdf2_with_a_good_pdf1_decodes_and_never_applies_a_failed_offset(
    pdf1: int, pdf2_and_bch2: int
) -> None:
    from sarapp.alerts.beacon_bits import bch_codes

    pdf1 |= 1 << 60  # long message
    m = (pdf1 << 59) | (bch_codes()["bch1"].remainder(pdf1) << 38) | pdf2_and_bch2
    d = decode(f"{m:030X}")
    if d.bch2_ok is False:
        assert d.position_status in (None, "coarse", "default", "damaged")
        assert d.position_source is None and d.notes
        for hidden in ("activation_code", "altitude_code", "location_freshness_code"):
            assert hidden not in dict(d.details)
