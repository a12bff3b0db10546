"""The rescue-unit registry and unit positions (hand-entered or from AIS)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sarapp import identity
from sarapp.errors import SarappError
from sarapp.limits import check_text
from sarapp.model import Changes, Unit, UnitId, UnitPosition, UnitType, new_id
from sarapp.store import rows
from sarapp.times import check_report_time


class UnitError(SarappError, ValueError):
    """A unit record or unit position that cannot be stored; the message names the field."""


class UnitStore:
    """Mixed into Store: needs ``conn``, ``db`` and ``transaction()``."""

    conn: sqlite3.Connection
    clock: Callable[[], datetime]  # the Store's

    def add_unit(
        self,
        *,
        name: str,
        unit_type: UnitType | str,
        call_sign: str = "",
        mmsi: str = "",
        speed_kt: float | None = None,
        endurance_h: float | None = None,
        home_base: str = "",
    ) -> Changes:
        """Register a unit; names and MMSIs are unique on a desk."""
        unit = _checked_unit(
            name=name,
            unit_type=unit_type,
            call_sign=call_sign,
            mmsi=mmsi,
            speed_kt=speed_kt,
            endurance_h=endurance_h,
            home_base=home_base,
        )
        now = rows.time_to_text(self.clock())
        try:
            with self.transaction():  # type: ignore[attr-defined]
                self.conn.execute(
                    "INSERT INTO units (id, name, unit_type, call_sign, mmsi, speed_kt,"
                    " endurance_h, home_base, created, updated)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        unit.id,
                        unit.name,
                        unit.unit_type.value,
                        unit.call_sign,
                        unit.mmsi,
                        unit.speed_kt,
                        unit.endurance_h,
                        unit.home_base,
                        now,
                        now,
                    ),
                )
        except SarappError as exc:
            if "UNIQUE" in str(exc):
                raise UnitError(f"a unit named {name!r} or with MMSI {mmsi} exists") from None
            raise
        return Changes(units=frozenset({unit.id}))

    def units(self) -> list[Unit]:
        cursor = self.conn.execute("SELECT * FROM units ORDER BY name")
        columns = [d[0] for d in cursor.description]
        return [_unit_from_row(dict(zip(columns, r, strict=True))) for r in cursor]

    def unit(self, ref: str) -> Unit:
        """A unit by id, name (any case) or MMSI."""
        ref = ref.strip()
        for unit in self.units():
            if ref and (ref in (unit.id, unit.mmsi) or ref.casefold() == unit.name.casefold()):
                return unit
        raise UnitError(f"no unit {ref!r} on this desk (see 'sarapp unit list')")

    def unit_mmsis(self) -> dict[str, UnitId]:
        rows_ = self.conn.execute("SELECT mmsi, id FROM units WHERE mmsi <> ''").fetchall()
        return {mmsi: UnitId(unit_id) for mmsi, unit_id in rows_}

    def add_unit_positions(self, positions: Iterable[UnitPosition]) -> Changes:
        """Store unit positions; a report already stored (same unit, time, source) is skipped."""
        now = rows.time_to_text(self.clock())
        units: set[UnitId] = set()
        values = []
        for p in positions:
            if not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180):
                raise UnitError(f"unit position {p.lat}, {p.lon} is off the globe")
            check_report_time(p.time, what="unit position time")
            units.add(p.unit_id)
            values.append(
                (
                    new_id(),
                    p.unit_id,
                    p.lat,
                    p.lon,
                    rows.time_to_text(p.time),
                    p.source,
                    p.sog_kt,
                    p.cog_deg,
                    p.heading_deg,
                    p.altitude_m,
                    now,
                )
            )
        with self.transaction():  # type: ignore[attr-defined]
            self.conn.executemany(
                "INSERT OR IGNORE INTO unit_positions (id, unit_id, lat, lon, time, source,"
                " sog_kt, cog_deg, heading_deg, altitude_m, recorded)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        return Changes(units=frozenset(units))

    def unit_track(self, unit_id: str, *, since: str | None = None) -> list[UnitPosition]:
        """A unit's positions in time order (``since``: ISO time of the oldest wanted)."""
        sql = "SELECT * FROM unit_positions WHERE unit_id = ?"
        params: list[Any] = [unit_id]
        if since:
            sql += " AND time >= ?"
            params.append(since)
        cursor = self.conn.execute(sql + " ORDER BY time", params)
        columns = [d[0] for d in cursor.description]
        out = []
        for values in cursor:
            r = dict(zip(columns, values, strict=True))
            out.append(
                UnitPosition(
                    unit_id=UnitId(r["unit_id"]),
                    lat=r["lat"],
                    lon=r["lon"],
                    time=rows.time_from_text(r["time"]),
                    source=r["source"],
                    sog_kt=r["sog_kt"],
                    cog_deg=r["cog_deg"],
                    heading_deg=r["heading_deg"],
                    altitude_m=r["altitude_m"],
                )
            )
        return out


def _checked_unit(*, name: str, unit_type: UnitType | str, **fields: Any) -> Unit:
    name = name.strip()
    if not name:
        raise UnitError("a unit needs a name")
    try:
        kind = UnitType(unit_type)
    except ValueError:
        kinds = ", ".join(t.value for t in UnitType)
        raise UnitError(f"unknown unit type {unit_type!r} ({kinds})") from None
    mmsi = fields["mmsi"].strip()
    call_sign = fields["call_sign"].strip()
    try:
        check_text(name, "unit", "name")
        check_text(fields["home_base"].strip(), "unit", "home_base")
    except ValueError as exc:
        raise UnitError(f"unit {name!r}: {exc}") from None
    try:
        mmsi = identity.validate_mmsi(mmsi) if mmsi else ""
        call_sign = identity.validate_call_sign(call_sign) if call_sign else ""
    except identity.IdentityError as exc:
        raise UnitError(f"unit {name}: {exc}") from None
    for key in ("speed_kt", "endurance_h"):
        value = fields[key]
        if value is not None and not value > 0:
            raise UnitError(f"unit {name}: {key} must be positive")
    return Unit(
        id=UnitId(new_id()),
        name=name,
        unit_type=kind,
        call_sign=call_sign,
        mmsi=mmsi,
        speed_kt=fields["speed_kt"],
        endurance_h=fields["endurance_h"],
        home_base=fields["home_base"].strip(),
    )


def _unit_from_row(r: dict[str, Any]) -> Unit:
    return Unit(
        id=UnitId(r["id"]),
        name=r["name"],
        unit_type=UnitType(r["unit_type"]),
        call_sign=r["call_sign"],
        mmsi=r["mmsi"],
        speed_kt=r["speed_kt"],
        endurance_h=r["endurance_h"],
        home_base=r["home_base"],
    )
