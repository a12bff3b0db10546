"""A seeded synthetic desk for the annual report: a year of cases planned as plain data
(``CaseSpec``), then written through the desk's own operations on the desk's clock.

The tests work the expected figures out from the specs, never from the report's code; the
benchmark builds its decade of cases with the same writer.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sarapp.model import PeerKey, Position, Rcc, UnitPosition
from sarapp.model_exchange import PackageRecord
from sarapp.planning.tasking import task_unit
from sarapp.store import Desk

YEAR, SEED, CASES = 2025, 17, 300  # the synthetic desk of the tests: a year of 300 cases
DESK = Rcc("MRCC-ETEL", "MRCC Etel", "FR")
PEERS = (Rcc("MRCC-ROMA", "IMRCC Roma", "IT"), Rcc("MRCC-MADRID", "CNCS Madrid", "ES"))
UNTRUSTED = "RCC-FARAWAY"  # a peer the desk has no country for
UNITS = (  # name, type
    ("SNS 061", "lifeboat"),
    ("SNS 062", "lifeboat"),
    ("PM Themis", "patrol_vessel"),
    ("Dragon 56", "helicopter"),
    ("Dragon 29", "helicopter"),
    ("Falcon 50", "fixed_wing"),
)
FREE_UNIT = "MV Helpful Neighbour"  # tasked by name, not in the registry
NATURES = ("fire", "taking water", "engine failure", "man overboard", "medical", "")
VESSEL_TYPES = ("fishing", "yacht", "cargo", "passenger", "")
FLAGS = ("FR", "FR", "IT", "ES", "GB", "PA", "MT", "")
SOURCES = ("officer",) * 5 + ("cospas-sarsat",) * 2 + ("ais-sart", "ais-mob", "epirb-ais", "dsc")
DEVICES = {"ais-sart": "AIS-SART", "ais-mob": "AIS MOB device", "epirb-ais": "EPIRB-AIS"}
# kind, figures, area in NM² of its rectangle (the test's own, from IAMSAR's W × L)
PATTERNS = (
    ("parallel-track", {"spacing_nm": 1.0, "width_nm": 6.0, "length_nm": 10.0}, 60.0),
    ("creeping-line", {"spacing_nm": 2.0, "width_nm": 8.0, "length_nm": 12.0}, 96.0),
)


@dataclass
class PlanSpec:
    unit: str
    unit_type: str  # "not registered" for FREE_UNIT
    pattern: int  # index into PATTERNS
    tasked: datetime
    window: tuple[datetime, datetime] | None
    status: str  # planned, done, cancelled
    inside_at: datetime | None  # the unit reports a position at the CSP then
    early_inside_at: datetime | None = None  # … and one before its tasking (must not count)
    late_inside_at: datetime | None = None  # … and one after its window (must not count)


OUTCOMES = ("", "", "rescued", "resolved", "no-trace", "false-alert", "beacon-test", "hoax",
            "assisted")  # fmt: skip


@dataclass
class PersonSpec:
    """A person record: its statuses as logged (the first adds it) and when it was
    recovered (None: not given)."""

    statuses: list[tuple[datetime, str]]
    recovered: datetime | None = None


@dataclass
class RegisterSpec:
    """A persons register: counts typed at the opening (possibly none), then records."""

    counts: dict[str, int] = field(default_factory=dict)
    persons: list[PersonSpec] = field(default_factory=list)


@dataclass
class CaseSpec:
    opened: datetime
    source: str
    test: bool
    phases: list[tuple[datetime, str]]  # (time, phase), the opening phase first
    nature: str
    vessel_type: str
    flag: str
    pob: int | None
    rcc_field: str
    lat: float
    lon: float
    # (time, new status, outcome chosen at closing: "" when not given or reopened)
    closings: list[tuple[datetime, str, str]] = field(default_factory=list)
    register: RegisterSpec | None = None
    late_alert: datetime | None = None  # an alert linked after the opening (not the source)
    dsc_cancel: datetime | None = None  # the sender cancels its DSC distress alert
    plans: list[PlanSpec] = field(default_factory=list)
    handover: tuple[str, str, datetime, datetime | None] | None = None  # outcome, peer, …
    info_packages: list[tuple[datetime, str]] = field(default_factory=list)  # (time, peer)
    demo: bool = False
    number: str = ""  # filled when written

    @property
    def closed(self) -> datetime | None:
        """The closing that stands (the last entry closes), else None."""
        if not self.closings or self.closings[-1][1] != "closed":
            return None
        return self.closings[-1][0]

    @property
    def outcome(self) -> str:
        """The outcome of the closing that stands ("" when open or not given)."""
        return self.closings[-1][2] if self.closed else ""


def plan_desk(seed: int, *, year: int, cases: int) -> list[CaseSpec]:
    """``cases`` cases over ``year`` and a few either side of it, in opening order."""
    rng = random.Random(seed)
    start = datetime(year, 1, 1, tzinfo=UTC)
    specs = []
    for _ in range(cases):
        opened = start + timedelta(seconds=rng.uniform(0, 365 * 86400))
        specs.append(_case(rng, opened))
    for days in (-6, -3, -1):  # opened late the year before, most closed in this year
        specs.append(_case(rng, start + timedelta(days=days, hours=rng.uniform(0, 20))))
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    specs.append(_case(rng, end - timedelta(hours=5)))  # closes (if at all) next year
    specs.append(_case(rng, end + timedelta(days=2)))  # next year: not counted
    demo = _case(rng, start + timedelta(days=100))
    demo.demo = True
    specs.append(demo)
    specs.sort(key=lambda s: s.opened)
    return specs


def _case(rng: random.Random, opened: datetime) -> CaseSpec:
    source = rng.choice(SOURCES)
    first = rng.choice(("INCERFA", "ALERFA", "DETRESFA"))
    if source != "officer":
        first = "DETRESFA"
    spec = CaseSpec(
        opened=opened,
        source=source,
        test=source not in ("officer", "dsc") and rng.random() < 0.1,
        phases=[(opened, first)],
        nature=rng.choice(NATURES),
        vessel_type=rng.choice(VESSEL_TYPES),
        flag=rng.choice(FLAGS),
        pob=None if rng.random() < 0.1 else rng.randint(1, 30),
        rcc_field="MRCC-ROMA" if rng.random() < 0.05 else "",
        lat=rng.uniform(44.0, 47.0),  # the Bay of Biscay, clear of land
        lon=rng.uniform(-9.0, -3.0),
    )
    t = opened
    if source == "officer" and rng.random() < 0.1:
        spec.late_alert = opened + timedelta(minutes=rng.uniform(3, 40))
    if source == "dsc" and rng.random() < 0.3:
        spec.dsc_cancel = opened + timedelta(minutes=rng.uniform(2, 10))
    for _ in range(rng.choice((0, 0, 1, 2))):  # escalations and stand-downs
        t += timedelta(minutes=rng.uniform(5, 120))
        spec.phases.append((t, rng.choice(("INCERFA", "ALERFA", "DETRESFA"))))
    if rng.random() < 0.65:
        for _ in range(rng.randint(1, 3)):
            spec.plans.append(_plan(rng, opened))
    if rng.random() < 0.1:
        outcome = rng.choice(("accepted", "accepted", "declined", "unanswered"))
        proposed = opened + timedelta(minutes=rng.uniform(30, 300))
        answered = (
            None if outcome == "unanswered" else proposed + timedelta(minutes=rng.uniform(5, 180))
        )
        spec.handover = (outcome, rng.choice(PEERS).id, proposed, answered)
    for _ in range(rng.choice((0,) * 8 + (1, 2))):
        peer = rng.choice((*[p.id for p in PEERS], UNTRUSTED))
        spec.info_packages.append((opened + timedelta(minutes=rng.uniform(10, 600)), peer))
    if rng.random() < 0.9:
        closed = opened + timedelta(hours=rng.uniform(1, 120))
        spec.closings.append((closed, "closed", rng.choice(OUTCOMES)))
        if rng.random() < 0.1:
            spec.closings.append((closed + timedelta(hours=2), "open", ""))
            if rng.random() < 0.7:
                later = closed + timedelta(hours=rng.uniform(3, 48))
                spec.closings.append((later, "closed", rng.choice(OUTCOMES)))
    spec.register = _register(rng, opened)
    return spec


def _register(rng: random.Random, opened: datetime) -> RegisterSpec | None:
    """A third of the cases keep a persons register: counts only, or records only."""
    draw = rng.random()
    if draw < 0.15:
        on_board = rng.randint(2, 60)
        rescued = rng.randint(0, on_board)
        missing = rng.randint(0, on_board - rescued)
        dead = rng.randint(0, on_board - rescued - missing)
        counts = {"on_board": on_board, "rescued": rescued, "missing": missing, "dead": dead}
        return RegisterSpec(counts={k: v for k, v in counts.items() if v or k == "on_board"})
    if draw >= 0.33:
        return None
    persons = []
    for i in range(rng.randint(1, 6)):
        t = opened + timedelta(minutes=5 + 10 * i)
        kind = rng.choice(("rescued", "rescued", "missing", "medevac", "died", "found dead",
                           "dead", "at-risk"))  # fmt: skip
        if kind == "died":  # rescued alive, dead later: a life lost after notification
            later = t + timedelta(minutes=rng.uniform(20, 600))
            persons.append(PersonSpec([(t, "rescued"), (later, "dead")]))
        elif kind == "found dead":  # recovered before the alert: lost before notification
            before = opened - timedelta(minutes=rng.uniform(10, 300))
            persons.append(PersonSpec([(t, "dead")], recovered=before))
        else:
            persons.append(PersonSpec([(t, kind)]))
    return RegisterSpec(persons=persons)


def _plan(rng: random.Random, opened: datetime) -> PlanSpec:
    unit, unit_type = rng.choice((*UNITS, (FREE_UNIT, "not registered")))
    tasked = opened + timedelta(minutes=rng.uniform(4, 180))
    window = None
    if rng.random() < 0.85:
        begin = tasked + timedelta(minutes=rng.uniform(20, 120))
        window = (begin, begin + timedelta(minutes=rng.choice((60, 90, 120, 180, 240))))
    inside = None
    if unit_type != "not registered" and rng.random() < 0.7:
        latest = window[1] if window else tasked + timedelta(hours=20)
        inside = tasked + (latest - tasked) * rng.uniform(0.1, 0.9)
    early = tasked - timedelta(minutes=30) if inside and rng.random() < 0.3 else None
    late = None
    if unit_type != "not registered" and rng.random() < 0.3:
        late = window[1] + timedelta(minutes=30) if window else tasked + timedelta(hours=30)
    return PlanSpec(
        unit=unit,
        unit_type=unit_type,
        pattern=rng.randrange(len(PATTERNS)),
        tasked=tasked,
        window=window,
        status=rng.choice(("done", "done", "done", "cancelled", "planned")),
        inside_at=inside,
        early_inside_at=early,
        late_inside_at=late,
    )


class DeskClock:
    """The desk's clock, set by the writer to the time of each event."""

    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def write_desk(path: Path, specs: list[CaseSpec]) -> None:
    """Write the specs into a new desk at ``path`` through the desk's own operations."""
    clock = DeskClock()
    with Desk.open(path, clock=clock) as store, store.transaction():
        store.trust.set_rcc(DESK)
        for peer in PEERS:
            key = base64.b64encode(hashlib.sha256(peer.id.encode()).digest()).decode()
            fingerprint = hashlib.sha256(key.encode()).hexdigest()
            store.trust.trust(PeerKey(peer, key, fingerprint), author="setup")
        for name, unit_type in UNITS:
            store.units.add(name=name, unit_type=unit_type)
        for n, spec in enumerate(specs):
            _write_case(store, clock, spec, n)


def _write_case(store: Desk, clock: DeskClock, spec: CaseSpec, n: int) -> None:
    clock.now = spec.opened
    values = {
        "nature": spec.nature,
        "vessel_type": spec.vessel_type,
        "flag": spec.flag,
        "pob": "" if spec.pob is None else str(spec.pob),
        "rcc": spec.rcc_field,
    }
    opening_phase = spec.phases[0][1]
    (case_id,) = store.cases.create(
        title=f"Synthetic case {n}", author="gen", phase=opening_phase, values=values,
        is_demo=spec.demo,
    ).cases  # fmt: skip
    spec.number = store.cases.get(case_id).number
    if spec.source != "officer":
        _alert(store, case_id, spec.source, spec.test, n, "a")
    store.cases.add_position(case_id, Position(spec.lat, spec.lon, time=spec.opened), author="gen")
    events: list[tuple[datetime, int, object]] = []
    if spec.late_alert:
        events.append(
            (spec.late_alert, 0, lambda: _alert(store, case_id, "ais-sart", False, n, "b"))
        )
    if spec.dsc_cancel:
        cancel = spec.dsc_cancel
        events.append((cancel, 0, lambda: _alert(store, case_id, "dsc-cancel", False, n, "c")))
    for when, phase in spec.phases[1:]:
        events.append((when, 1, lambda p=phase: store.cases.set_phase(case_id, p, author="gen")))
    for plan in spec.plans:
        events += _plan_events(store, case_id, plan, spec)
    if spec.handover:
        events += _handover_events(store, case_id, spec, n)
    for i, (when, peer) in enumerate(spec.info_packages):
        events.append(
            (when, 3, lambda p=peer, i=i: _package(store, case_id, p, "information", f"{n}-{i}"))
        )
    for when, status, outcome in spec.closings:
        events.append((when, 9, lambda s=status, o=outcome: store.cases.set_status(
            case_id, s, author="gen", outcome=o)))  # fmt: skip
    if spec.register is not None:
        events += _register_events(store, case_id, spec)
    for when, _, act in sorted(events, key=lambda e: (e[0], e[1])):
        clock.now = when
        act()


def _register_events(store: Desk, case_id: str, spec: CaseSpec) -> list:
    """The counts a minute after the opening, each record's statuses at their times."""
    register = spec.register
    assert register is not None
    events: list = []
    if register.counts:
        counts = dict(register.counts)

        def count() -> None:
            store.persons.set_counts(case_id, counts, author="gen")

        events.append((spec.opened + timedelta(minutes=1), 2, count))
    for i, person in enumerate(register.persons):
        holder: dict[str, str] = {}
        (first, status), *later = person.statuses
        values = {"status": status, "name": f"Person {spec.number or '?'}-{i + 1}"}
        if person.recovered is not None:
            values["recovered"] = person.recovered.isoformat()

        def add(values=values, holder=holder) -> None:
            holder["id"] = store.persons.add(case_id, values, author="gen").persons[0]

        events.append((first, 2, add))
        for when, new in later:
            events.append((when, 2, lambda h=holder, n=new: store.persons.set_field(
                h["id"], "status", n, author="gen")))  # fmt: skip
    return events


def _alert(store: Desk, case_id: str, source: str, test: bool, n: int, tag: str) -> None:
    if source == "cospas-sarsat":
        kind, data = "sit185", {"format": "sit185", "message_type": "INITIAL", "test": test}
    elif source in ("dsc", "dsc-cancel"):
        call = "distress alert" if source == "dsc" else "distress alert cancellation"
        kind, data = "dsc", {"format": "dsc", "kind": call, "casualty": f"2279{n:05d}"}
    else:
        mmsi = {"ais-sart": "970", "ais-mob": "972", "epirb-ais": "974"}[source] + f"{n:06d}"
        kind, data = "ais", {"format": "ais", "mmsi": mmsi, "device": DEVICES[source], "test": test}
    store.alerts.record(
        case_id, digest=f"{n}-{tag}", source_key=f"{kind}:{n}-{tag}", kind=kind,
        text=f"{kind} alert {n}{' TEST' if test else ''}", author="gen", data=data,
    )  # fmt: skip


def _plan_events(store: Desk, case_id: str, plan: PlanSpec, spec: CaseSpec) -> list:
    kind, figures, _ = PATTERNS[plan.pattern]
    holder: dict[str, str] = {}

    def task() -> None:
        figures_ = {k: v for k, v in figures.items() if k != "spacing_nm"}
        holder["id"] = task_unit(
            store, case_id, unit=plan.unit, kind=kind, csp=(spec.lat, spec.lon),
            course_deg=30.0, spacing_nm=figures["spacing_nm"],
            start=plan.window[0] if plan.window else None,
            end=plan.window[1] if plan.window else None, author="gen", **figures_,
        ).plan_id  # fmt: skip

    events = [(plan.tasked, 2, task)]
    if plan.status != "planned":
        done_at = plan.window[1] if plan.window else plan.tasked + timedelta(hours=3)
        events.append(
            (done_at, 4, lambda: store.plans.set_status(holder["id"], plan.status, "gen"))
        )
    for moment in (plan.inside_at, plan.early_inside_at, plan.late_inside_at):
        if moment is not None:
            events.append((moment, 5, lambda m=moment: _fix(store, plan.unit, spec, m)))
    return events


def _fix(store: Desk, unit: str, spec: CaseSpec, moment: datetime) -> None:
    unit_id = store.units.get(unit).id
    away = UnitPosition(unit_id, spec.lat + 1.0, spec.lon, moment - timedelta(minutes=20), "ais")
    at_csp = UnitPosition(unit_id, spec.lat, spec.lon, moment, "ais")
    store.units.add_positions([away, at_csp])


def _handover_events(store: Desk, case_id: str, spec: CaseSpec, n: int) -> list:
    outcome, peer, proposed, answered = spec.handover  # type: ignore[misc]
    package = f"handover-{n}"
    events = [
        (spec.opened, 1, lambda: store.coordination.record(
            case_id, event="coordinating", rcc_id=DESK.id, time=spec.opened, author="gen",
            text="coordinating")),
        (proposed, 2, lambda: store.coordination.record(
            case_id, event="proposed", rcc_id=peer, package_id=package, author="gen",
            text="proposed")),
        (proposed, 3, lambda: _package(store, case_id, peer, "request-coordination", package)),
    ]  # fmt: skip
    if answered is not None:
        events.append((answered, 4, lambda: store.coordination.record(
            case_id, event=outcome, rcc_id=peer, package_id=package, author="gen",
            text=outcome)))  # fmt: skip
    return events


def _package(store: Desk, case_id: str, peer: str, purpose: str, tag: str) -> None:
    store.packages.record(
        PackageRecord(
            id=f"pkg-{tag}", direction="sent", case_id=case_id, purpose=purpose, peer_rcc=peer,
            signer_fingerprint="", signature_status="signed", digest=tag, time=store.clock(),
        )
    )  # fmt: skip
