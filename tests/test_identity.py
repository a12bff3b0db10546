import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarapp.errors import SarappError
from sarapp.identity import (
    IdentityError,
    MmsiInfo,
    MmsiKind,
    flag_name,
    mmsi_info,
    validate_call_sign,
    validate_flag,
    validate_imo,
    validate_mmsi,
)

# --- MMSI ------------------------------------------------------------------------------------


def test_mmsi_is_normalised_and_checked():
    assert validate_mmsi("366053209") == "366053209"
    assert validate_mmsi(" 366 053 209 ") == "366053209"


@pytest.mark.parametrize(
    ("mmsi", "kind", "mid", "iso"),
    [
        ("366053209", MmsiKind.SHIP, 366, "US"),  # AIS type 1 test vector (reference/formats.md)
        ("257123450", MmsiKind.SHIP, 257, "NO"),
        ("232001234", MmsiKind.SHIP, 232, "GB"),
        ("503123456", MmsiKind.SHIP, 503, "AU"),
        ("636012345", MmsiKind.SHIP, 636, "LR"),
        ("725001234", MmsiKind.SHIP, 725, "CL"),
        ("036699999", MmsiKind.GROUP_SHIP, 366, "US"),
        ("002275300", MmsiKind.COAST_STATION, 227, "FR"),
        ("111232511", MmsiKind.SAR_AIRCRAFT, 232, "GB"),  # AIS type 9 test vector
        ("850300001", MmsiKind.HANDHELD_VHF, 503, "AU"),
        ("982571234", MmsiKind.CRAFT_ASSOCIATED, 257, "NO"),
        ("992351234", MmsiKind.AID_TO_NAVIGATION, 235, "GB"),
    ],
)
def test_mmsi_kinds_with_mid(mmsi, kind, mid, iso):
    info = mmsi_info(mmsi)
    assert info == MmsiInfo(mmsi, kind, mid, info.country, iso)
    assert info.country  # the ITU wording of the MID's country


@pytest.mark.parametrize(
    ("mmsi", "kind"),
    [
        ("970012345", MmsiKind.AIS_SART),
        ("972123456", MmsiKind.MOB_DEVICE),
        ("974000001", MmsiKind.EPIRB_AIS),
        # digits after the prefix are manufacturer and serial: no MID check even if "unallocated"
        ("970217001", MmsiKind.AIS_SART),
    ],
)
def test_mmsi_devices_without_mid(mmsi, kind):
    assert mmsi_info(mmsi) == MmsiInfo(mmsi, kind, None, "", "")


def test_mmsi_info_is_frozen():
    info = mmsi_info("366053209")
    with pytest.raises(AttributeError):
        info.mmsi = "x"


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("36605320", "has 8 digits, needs 9"),
        ("3660532091", "has 10 digits, needs 9"),
        ("36605320X", '"X" is not a digit'),
        ("366-053-209", '"-" is not a digit'),
        ("217123456", "MID 217 (digits 1–3) is not allocated"),
        ("335000001", "MID 335"),
        ("021712345", "MID 217 (digits 2–4)"),
        ("002171234", "MID 217 (digits 3–5)"),
        ("111217001", "MID 217 (digits 4–6)"),
        ("982171234", "MID 217 (digits 3–5)"),
        ("992171234", "MID 217"),
        ("821712345", "MID 217"),
        ("123456789", 'leading digits "123" match no ITU-R M.585 format'),
        ("112232511", 'leading digits "112"'),
        ("975123456", 'leading digits "975"'),
        ("١٢٣٤٥٦٧٨٩", "is not a digit"),  # Arabic-Indic digits are not MMSI digits
    ],
)
def test_mmsi_errors_name_the_fault(text, fault):
    with pytest.raises(IdentityError, match=re.escape(fault)):
        validate_mmsi(text)


def test_identity_error_is_a_sarapp_value_error():
    assert issubclass(IdentityError, SarappError)
    assert issubclass(IdentityError, ValueError)


@given(st.text(max_size=12))
def test_mmsi_never_fails_except_with_identity_error(text):
    try:
        result = validate_mmsi(text)
    except IdentityError:
        return
    assert len(result) == 9 and result.isdigit()


# --- IMO -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "imo"),
    [
        ("9074729", "9074729"),
        ("IMO 9074729", "9074729"),
        ("imo9074729", "9074729"),
        ("IMO: 9074729", "9074729"),
        (" 9176187 ", "9176187"),
    ],
)
def test_imo_valid(text, imo):
    assert validate_imo(text) == imo


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("9074728", "check digit is 8, should be 9"),
        ("9074792", "check digit is 2, should be"),  # two digits swapped
        ("907472", "has 6 digits, needs 7"),
        ("90747290", "has 8 digits, needs 7"),
        ("IMO 90747X9", '"X" is not a digit'),
        ("", "empty"),
        ("IMO", "empty"),
    ],
)
def test_imo_errors_name_the_fault(text, fault):
    with pytest.raises(IdentityError, match=re.escape(fault)):
        validate_imo(text)


@given(st.integers(0, 999_999))
def test_imo_exactly_one_check_digit_is_valid(first_six):
    head = f"{first_six:06d}"
    valid = [d for d in "0123456789" if _imo_ok(head + d)]
    assert len(valid) == 1


def _imo_ok(text):
    try:
        validate_imo(text)
    except IdentityError:
        return False
    return True


# --- flag and call sign ----------------------------------------------------------------------


def test_flag_codes():
    assert validate_flag("no") == "NO"
    assert validate_flag(" Pa ") == "PA"
    assert flag_name("NO") == "Norway"
    assert flag_name("lr") == "Liberia"
    assert flag_name("FR") == "France"


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("XK", "XK is not an assigned ISO 3166-1 code"),  # user-assigned, not ISO
        ("UK", "UK is not an assigned"),  # the ISO code is GB
        ("NOR", "needs a two-letter ISO 3166-1 code"),
        ("N", "needs a two-letter"),
        ("", "needs a two-letter"),
        ("N0", "needs a two-letter"),
    ],
)
def test_flag_errors(text, fault):
    with pytest.raises(IdentityError, match=re.escape(fault)):
        validate_flag(text)


def test_flag_table_has_every_assigned_code():
    from sarapp.identity import _iso3166

    table = _iso3166()
    assert len(table) == 249
    assert all(len(code) == 2 and code.isupper() for code in table)


def test_every_mid_country_has_a_valid_flag():
    from sarapp.mid import mid_table

    for entry in mid_table().values():
        if entry.iso:
            assert validate_flag(entry.iso) == entry.iso


@pytest.mark.parametrize(
    ("text", "sign"),
    [("lakx", "LAKX"), ("9HA2", "9HA2"), ("C6ABC", "C6ABC"), ("ABC1234", "ABC1234")],
)
def test_call_sign_valid(text, sign):
    assert validate_call_sign(text) == sign


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("", "empty"),
        ("AB", "has 2 characters, needs 3–7"),
        ("ABCD1234", "has 8 characters, needs 3–7"),
        ("12345", "needs at least one letter"),
        ("LA-KX", '"-" is not a letter or digit'),
        ("LA KX", '" " is not a letter or digit'),
        ("ÅBC", '"Å" is not a letter or digit'),
    ],
)
def test_call_sign_errors(text, fault):
    with pytest.raises(IdentityError, match=re.escape(fault)):
        validate_call_sign(text)
