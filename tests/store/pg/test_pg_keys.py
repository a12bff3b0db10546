"""The keys commands on a server desk: they name the desk by its location (they said
"desk None"), and a replaced package key leaves each computer's checkpoints as they were."""

from __future__ import annotations

import json

from sarapp.cli import main


def test_keys_on_a_server_desk_name_it_and_a_new_key_keeps_the_checks_clean(
    capsys, pg_desk, tmp_path
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    assert main(["--db", pg_desk, "keys", "rcc", "MRCC-ETEL", "--keys-dir", str(keys)]) == 0
    out = capsys.readouterr().out
    assert "desk None" not in out and "signs as MRCC-ETEL" in out
    assert main(["--db", pg_desk, "keys", "show", "--keys-dir", str(keys), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["desk"]["path"] is None and "dbname" not in shown["desk"]["location"]
    assert shown["desk"]["location"] and "server desk" in shown["trust_signature"]
    assert main(["--db", pg_desk, "case", "new", "--title", "FV Marie-Jo"]) == 0
    assert main(["--db", pg_desk, "keys", "new-key", "--yes", "--keys-dir", str(keys)]) == 0
    assert "each desk computer's own key" in capsys.readouterr().out
    assert main(["--db", pg_desk, "log", "add", "2026-0001", "after the new key"]) == 0
    capsys.readouterr()
    assert main(["--db", pg_desk, "db", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok")
