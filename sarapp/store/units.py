"""The rescue-unit registry and unit positions, hand-entered or from AIS (``desk.units``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sarapp import identity
from sarapp.limits import check_text
from sarapp.model import Changes, Unit, UnitId, UnitPosition, UnitType, new_id, utc_now
from sarapp.store import rows
from sarapp.store.errors import DuplicateError, UnitError
from sarapp.times import check_report_time

if TYPE_CHECKING:
    from sarapp.store.desk import Desk


class Units:
    """Held by the desk as ``desk.units``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def add(
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
        try:
            with self._desk.transaction():
                self._insert([unit], self._desk.clock())
                return self._desk.announce(Changes(units=frozenset({unit.id})))
        except DuplicateError:
            raise UnitError(f"a unit named {name!r} or with MMSI {mmsi} exists") from None

    def all(self) -> list[Unit]:
        """The registry, by name."""
        values = self._desk.values
        return [
            rows.unit_from_row(r, values)
            for r in self._desk.backend.rows("SELECT * FROM units ORDER BY name")
        ]

    def get(self, ref: str) -> Unit:
        """A unit by id, name (any case) or MMSI."""
        ref = ref.strip()
        for unit in self.all():
            if ref and (ref in (unit.id, unit.mmsi) or ref.casefold() == unit.name.casefold()):
                return unit
        raise UnitError(f"no unit {ref!r} on this desk (see 'sarapp unit list')")

    def mmsis(self) -> dict[str, UnitId]:
        """MMSI → unit id of the units that have one (AIS matches its reports by them)."""
        found = self._desk.backend.execute("SELECT mmsi, id FROM units WHERE mmsi <> ''")
        return {mmsi: UnitId(self._desk.values.read_id(unit_id)) for mmsi, unit_id in found}

    def add_positions(self, positions: Iterable[UnitPosition]) -> Changes:
        """Store unit positions; a report already stored (same unit, time, source) is skipped."""
        units: set[UnitId] = set()
        checked = []
        for p in positions:
            if not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180):
                raise UnitError(f"unit position {p.lat}, {p.lon} is off the globe")
            check_report_time(p.time, what="unit position time")
            units.add(p.unit_id)
            checked.append(p)
        with self._desk.transaction():
            self._insert_positions(checked, self._desk.clock(), skip_known=True)
            return self._desk.announce(Changes(units=frozenset(units)))

    def track(
        self,
        unit_id: str,
        *,
        since: datetime | None = None,
        recorded_after: datetime | None = None,
    ) -> list[UnitPosition]:
        """A unit's positions in time order (``since``: the oldest wanted, UTC;
        ``recorded_after``: only those this desk stored after that time, by its clock)."""
        sql = "SELECT * FROM unit_positions WHERE unit_id = ?"
        params: list[Any] = [unit_id]
        if since:
            sql += " AND time >= ?"
            params.append(self._desk.values.time(since))
        if recorded_after:
            sql += " AND recorded > ?"
            params.append(self._desk.values.time(recorded_after))
        values = self._desk.values
        return [
            rows.unit_position_from_row(r, values)
            for r in self._desk.backend.rows(sql + " ORDER BY time", params)
        ]

    def add_received(self, units: Sequence[Unit], positions: Sequence[UnitPosition]) -> None:
        """Register units and add unit positions from another desk as they are (their
        UUIDs; the exchange family kept only new ones), inside the caller's transaction."""
        now = utc_now()
        self._insert(units, now)
        self._insert_positions(positions, now, skip_known=False)
        ids = {u.id for u in units} | {p.unit_id for p in positions}
        self._desk.announce(Changes(units=frozenset(ids)))

    def _insert(self, units: Iterable[Unit], now: datetime) -> None:
        when = self._desk.values.time(now)
        self._desk.backend.executemany(
            "INSERT INTO units (id, name, unit_type, call_sign, mmsi, speed_kt, endurance_h,"
            " home_base, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    u.id,
                    u.name,
                    u.unit_type.value,
                    u.call_sign,
                    u.mmsi,
                    u.speed_kt,
                    u.endurance_h,
                    u.home_base,
                    when,
                    when,
                )
                for u in units
            ],
        )

    def _insert_positions(
        self, positions: Iterable[UnitPosition], now: datetime, *, skip_known: bool
    ) -> None:
        """With ``skip_known``, a position already stored (same unit, time and source) is
        skipped; without, it is refused (DuplicateError)."""
        stored = self._desk.values
        recorded = stored.time(now)
        self._desk.backend.executemany(
            "INSERT INTO unit_positions (id, unit_id, lat, lon, time, source, sog_kt, cog_deg,"
            " heading_deg, altitude_m, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + (" ON CONFLICT DO NOTHING" if skip_known else ""),
            [
                (
                    new_id(),
                    p.unit_id,
                    p.lat,
                    p.lon,
                    stored.time(p.time),
                    p.source,
                    p.sog_kt,
                    p.cog_deg,
                    p.heading_deg,
                    p.altitude_m,
                    recorded,
                )
                for p in positions
            ],
        )


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


__all__ = ["Units"]
