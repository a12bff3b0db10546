"""The whole exchange of issue 11 between two desks, through the CLI only, as two RCCs run it:
a SIT 185 alert, a drift, three search plans, an information package, a proposal of
coordination, its acceptance, and a second SITREP from the new coordinator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.cli import main
from sarapp.exchange.sitrep_parse import parse_sitrep

SIT185 = Path(__file__).parent.parent / "data" / "sit185" / "initial_doppler.txt"


class Desk:
    """One RCC's desk: its database, its key folder, and the CLI run on it."""

    def __init__(self, root: Path, name: str, capsys) -> None:
        self.db, self.keys, self.capsys = root / f"{name}.sqlite", root / f"keys-{name}", capsys
        self.keys.mkdir(mode=0o700)  # where this desk's private key is kept
        self.run("case", "list")  # the desk, opened for the first time

    def run(self, *argv: str) -> str:
        code = main(["--db", str(self.db), *argv, "--keys-dir", str(self.keys)]
                    if argv[0] in ("keys", "handover", "sitrep") else
                    ["--db", str(self.db), *argv])  # fmt: skip
        out, err = self.capsys.readouterr()
        assert code == 0, f"sarapp {' '.join(argv)}: {err}"
        return out

    def json(self, *argv: str):
        return json.loads(self.run(*argv, "--json"))


@pytest.fixture
def rccs(tmp_path: Path, capsys, monkeypatch) -> tuple[Desk, Desk]:
    monkeypatch.setenv("SARAPP_KEYS_DIR", str(tmp_path / "nobody"))
    etel, falmouth = Desk(tmp_path, "etel", capsys), Desk(tmp_path, "falmouth", capsys)
    etel.run("keys", "rcc", "MRCC-ETEL", "--name", "MRCC Etel", "--country", "FR")
    falmouth.run("keys", "rcc", "MRCC-FALMOUTH", "--name", "MRCC Falmouth", "--country", "GB")
    for desk in (etel, falmouth):  # the key files, exchanged and read over the phone
        desk.run("keys", "export", "-o", str(tmp_path / f"{desk.keys.name}.sarkey"))
    etel.run("keys", "trust", str(tmp_path / "keys-falmouth.sarkey"))
    falmouth.run("keys", "trust", str(tmp_path / "keys-etel.sarkey"))
    return etel, falmouth


def test_a_case_handed_over_between_two_rccs(rccs, tmp_path: Path, monkeypatch) -> None:
    etel, falmouth = rccs
    files = {name: str(tmp_path / f"{name}.sarpkg") for name in
             ("info", "proposal", "answer", "sitrep2", "back")}  # fmt: skip
    imports = []
    monkeypatch.setenv("SARAPP_OPERATOR", "Etel watch")
    etel.run("alert", "import", str(SIT185))
    (case,) = etel.json("case", "list")
    case_id = case["id"]
    # A fresh seed, as a coordinator runs it (drawn up to 2^63 by this version of sarapp).
    etel.run("drift", "run", "--case", case_id, "--object", "1", "--lat", "61.705", "--lon",
             "4.315", "--start", "2026-03-14T03:42", "--hours", "6", "--wind", "5,3",
             "--particles", "300")  # fmt: skip
    window = ["--course", "0", "--start", "140600Z MAR 26", "--end", "140800Z MAR 26"]
    for unit, csp in (("SRU 1", "61.71,4.30"), ("SRU 2", "61.72,4.30"), ("SRU 3", "61.73,4.30")):
        etel.run("plan", "task", case_id, "expanding-square", "--unit", unit, "--csp", csp,
                 "--spacing-nm", "0.164458", "--legs", "8", *window)  # fmt: skip
    etel.run("handover", "export", case_id, "--to", "MRCC-FALMOUTH", "--sitrep", "full",
             "-o", files["info"])  # fmt: skip
    imports.append(falmouth.json("handover", "import", files["info"], "--author", "Falmouth"))
    falmouth.run("log", "add", case_id, "Rescue 924 on standby at Sumburgh", "--author", "F1")
    etel.run("log", "add", case_id, "Norwegian JRCC informed by phone")
    etel.run("handover", "propose", case_id, "--to", "MRCC-FALMOUTH", "-o", files["proposal"])
    falmouth.run("handover", "answer", files["proposal"], "--accept", "--smc", "SMC Pengelly",
                 "-o", files["answer"], "--author", "Falmouth")  # fmt: skip
    imports.append(etel.json("handover", "import", files["answer"]))
    monkeypatch.setenv("SARAPP_OPERATOR", "Falmouth watch")
    falmouth.run("handover", "export", case_id, "--to", "MRCC-ETEL", "--purpose", "sitrep",
                 "--sitrep", "full", "-o", files["sitrep2"])  # fmt: skip
    imports.append(etel.json("handover", "import", files["sitrep2"], "--author", "Etel watch"))
    monkeypatch.setenv("SARAPP_OPERATOR", "Etel watch")
    etel.run("handover", "export", case_id, "--to", "MRCC-FALMOUTH", "-o", files["back"])
    imports.append(falmouth.json("handover", "import", files["back"], "--author", "Falmouth"))

    # No conflict: not in any import, not in either log.
    assert [i["conflicts"] for i in imports] == [[]] * 4
    logs = {d: d.json("log", "list", case_id) for d in (etel, falmouth)}
    for entries in logs.values():
        assert not [e for e in entries if "import_conflict" in e["data"]]
    # Responsible RCC, SMC and coordinator agree on both desks.
    for desk in (etel, falmouth):
        shown = desk.json("case", "show", case_id)
        assert (shown["rcc"], shown["smc"]) == ("MRCC Falmouth", "SMC Pengelly")
        assert shown["coordinator"]["rcc_id"] == "MRCC-FALMOUTH"
    # The second SITREP, as Falmouth sent it: B, F and K right.
    sitrep = json.loads(Path(files["sitrep2"]).read_text())["body"]["sitrep"]
    parsed = parse_sitrep(sitrep)
    assert parsed.unread == () and sitrep.isascii()
    assert parsed.header.sender == "MRCC FALMOUTH" and parsed.header.sitrep_number == 3
    assert parsed.header.reference == "2026-0001 (MRCC-ETEL 2026-0001)"
    p = {key: paragraph.text for key, paragraph in parsed.paragraphs.items()}
    assert p["position"].startswith("6142.3N 00418.9E AT 140342Z MAR 26 (DOPPLER-A")
    assert p["position"].endswith("COURSE AND SPEED NOT KNOWN")  # never from the mirror B
    assert p["coordinating_rcc"] == "MRCC FALMOUTH"
    areas = p["search_area"].split("; ")
    assert [a.split(" EXPANDING")[0] for a in areas] == ["SRU 1", "SRU 2", "SRU 3"]
    assert all(", TRACK SPACING 0.2 NM, 140600Z MAR 26 TO 140800Z MAR 26" in a for a in areas)
    assert "CO-ORDINATION ACCEPTED BY MRCC-FALMOUTH" in p["initial_actions"]
    assert "SMC SMC PENGELLY" in p["coordinating_instructions"]
    # Every entry of each desk is on the other (Falmouth's line of the last import aside).
    ids = {d: {e["id"] for e in entries} for d, entries in logs.items()}
    assert ids[etel] <= ids[falmouth]
    (last,) = ids[falmouth] - ids[etel]
    assert next(e for e in logs[falmouth] if e["id"] == last)["text"].startswith(
        f"Package {imports[-1]['package_id']} (information) imported from MRCC-ETEL"
    )
    # db check replays each log: every field the imports and the acceptance set is one the
    # log explains, on both desks (entries written without the key are notices, not faults).
    for desk in (etel, falmouth):
        report = desk.json("db", "check")
        assert report["ok"] and report["problems"] == [], report
