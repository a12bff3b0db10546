"""The report as files: one JSON document with every figure and the cases it counted, and one
CSV per table (UTF-8, a header row, ISO 8601 UTC times). Files are written atomically."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from sarapp.errors import SarappError
from sarapp.exchange.atomic import write_atomic
from sarapp.report.annual import AnnualReport, Sections, bulk_allocation
from sarapp.report.facts import CaseFacts, iso, jsonable
from sarapp.report.people import CasePeople
from sarapp.report.tables import Table, cell_text, report_tables

FORMAT = "sarapp-annual-report"
VERSION = 1
DEFINITIONS = "docs/annual-report.md"


class ExportError(SarappError):
    """A report file that cannot be written; the message names the file."""


def report_json(report: AnnualReport) -> dict[str, Any]:
    """Every figure, each with the case numbers it counted, and every case counted."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "definitions": DEFINITIONS,
        "year": report.year,
        "rcc": report.rcc,
        "period": {"start": iso(report.start), "end": iso(report.end)},
        "generated": iso(report.generated),
        "desk_rcc": plain(report.desk_rcc) if report.desk_rcc else None,
        "rccs": list(report.rccs),
        "total": sections_json(report.total),
        "by_month": {
            f"{report.year}-{m:02d}": sections_json(s) for m, s in report.by_month.items()
        },
        "by_rcc": {rcc: sections_json(s) for rcc, s in report.by_rcc.items()},
        "cases": [case_json(c, report.people[c.id]) for c in report.cases],
    }


def sections_json(sections: Sections) -> dict[str, Any]:
    return plain(sections)


def plain(value: Any) -> Any:
    """Dataclasses as dicts (a figure's absent ``not_known`` left out), times as ISO text."""
    if isinstance(value, list | tuple):
        if not value or type(value[0]) in _SCALARS:  # case numbers, seconds: as they are
            return list(value)
        return [plain(v) for v in value]
    names = _field_names(type(value))
    if names is not None:
        out = {}
        for name in names:
            item = getattr(value, name)
            if item is None and name == "not_known":
                continue
            out[name] = plain(item)
        return out
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return jsonable(value)


_SCALARS = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass (None for any other type), looked up once per type."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELDS[cls]


def case_json(case: CaseFacts, people: CasePeople) -> dict[str, Any]:
    return {
        "number": case.number,
        "id": case.id,
        "opened": iso(case.opened),
        "first_alert": iso(case.first_alert),
        "first_alert_source": case.source,
        "test": case.test,
        "dsc_cancelled": case.dsc_cancelled,
        "outcome": case.outcome,
        "phase_highest": case.phase_highest,
        "status": case.status,
        "closed": iso(case.closed),
        "rcc": case.rcc,
        "rcc_source": case.rcc_source,
        "rcc_country": case.rcc_country,
        "nature": case.nature,
        "vessel_type": case.vessel_type,
        "flag": case.flag,
        "persons": {
            "in_distress": people.in_distress,
            "rescued": people.rescued,
            "assisted": people.assisted,
            "dead": people.dead,
            "missing": people.missing,
            "source": people.source,
            "lives_lost_before_notification": people.lost_before,
            "lives_lost_after_notification": people.lost_after,
        },
        "position": None if case.lat is None else {"lat": case.lat, "lon": case.lon},
        "first_tasked": iso(case.first_tasked),
        "first_on_scene": iso(case.first_on_scene),
        "alert_to_tasking_s": case.response_s[0],
        "alert_to_on_scene_s": case.response_s[1],
        "alert_to_closure_s": case.response_s[2],
        "plans": [
            {
                "id": p.id,
                "unit": p.unit_name,
                "unit_type": p.unit_type,
                "status": p.status,
                "tasked": iso(p.tasked),
                "hours": p.hours,
                "area_nm2": p.area_nm2,
                "on_scene": iso(p.on_scene),
            }
            for p in case.plans
        ],
        "coordination": [
            {"event": k.event, "rcc": k.rcc_id, "package_id": k.package_id, "time": iso(k.time)}
            for k in case.coordination
        ],
        "packages": [
            {"direction": p.direction, "purpose": p.purpose, "rcc": p.peer_rcc, "time": iso(p.time)}
            for p in case.packages
        ],
    }


def json_text(report: AnnualReport) -> str:
    """Compact (tens of MB for a busy year: no indentation, which also keeps the fast encoder)."""
    with bulk_allocation():
        return json.dumps(report_json(report), ensure_ascii=False) + "\n"


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([cell_text(v) for v in row] for row in table.rows)
    return out.getvalue()


def write_csv_folder(report: AnnualReport, folder: Path) -> list[Path]:
    """One ``NAME.csv`` per table in ``folder`` (made if missing); the files written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file: give a folder for the CSV tables")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    written = []
    for table in report_tables(report):
        path = folder / f"{table.name}.csv"
        write_file(path, table_csv(table).encode("utf-8"))
        written.append(path)
    return written


def write_file(path: Path, content: bytes) -> None:
    try:
        write_atomic(Path(path), content, mode=0o644)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
