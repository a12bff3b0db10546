"""Typed accessors over QSettings: nothing else in the UI reads settings keys directly."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from sarapp.paths import default_operator


def _settings() -> QSettings:
    return QSettings("sarapp", "sarapp")


def operator_name() -> str:
    """Who signs the log entries typed on this desk (default: $SARAPP_OPERATOR or login)."""
    value = _settings().value("operator/name", "")
    return str(value).strip() or default_operator()


def set_operator_name(name: str) -> None:
    _settings().setValue("operator/name", name.strip())


def window_state(key: str) -> QByteArray | None:
    value = _settings().value(f"windows/{key}")
    return value if isinstance(value, QByteArray) else None


def set_window_state(key: str, state: QByteArray) -> None:
    _settings().setValue(f"windows/{key}", state)


def tile_url() -> str:
    """The XYZ tile URL template the chart fetches from ('' when none is configured)."""
    return str(_settings().value("chart/tile_url", "")).strip()


def set_tile_url(url: str) -> None:
    _settings().setValue("chart/tile_url", url.strip())


def night_palette() -> bool:
    """Whether the desk runs in the night palette (dark scheme, dimmed red-on-black chart)."""
    return str(_settings().value("view/night", "false")).lower() == "true"


def set_night_palette(on: bool) -> None:
    _settings().setValue("view/night", "true" if on else "false")


def case_tab() -> int:
    """The tab of the case view last shown (Details, Drift, Plans, Persons), from 0."""
    value = str(_settings().value("view/case_tab", "0"))
    return int(value) if value.isdigit() else 0


def set_case_tab(index: int) -> None:
    _settings().setValue("view/case_tab", str(max(0, index)))


def hidden_person_columns() -> set[str]:
    """The Persons table's columns the officer hid (right-click on its header)."""
    value = str(_settings().value("view/persons_hidden", ""))
    return {name for name in value.split(",") if name}


def set_hidden_person_columns(names: set[str]) -> None:
    _settings().setValue("view/persons_hidden", ",".join(sorted(names)))


RECENT_DESKS = 8


def recent_desks() -> list[str]:
    """Desks opened lately, newest first: file paths and server locations (which never hold
    a password: sarapp refuses a location that carries one before it opens it)."""
    value = _settings().value("desks/recent", "")
    return [line for line in str(value or "").splitlines() if line.strip()]


def remember_desk(location: str) -> None:
    """Put ``location`` first among the recent desks (kept to ``RECENT_DESKS``)."""
    kept = [location, *(d for d in recent_desks() if d != location)][:RECENT_DESKS]
    _settings().setValue("desks/recent", "\n".join(kept))


def sync_centre() -> str:
    """Where the centre's desk was last reached for a sync (a location without secrets)."""
    return str(_settings().value("sync/centre", "")).strip()


def set_sync_centre(location: str) -> None:
    _settings().setValue("sync/centre", location.strip())
