"""``sarapp plan suggest CASE --worksheet FILE``: sub-areas for the units of a worksheet on
the case's kept drift, and with ``--task`` the parallel-track plans that search them."""

from __future__ import annotations

import argparse

from sarapp.cli.output import print_json
from sarapp.geo import format_ddm


def register_suggest(plan_sub: argparse._SubParsersAction, common) -> None:
    what = (
        "Suggest a sub-area and track spacing per unit that maximise total POS on the "
        "case's kept drift (as the searches reported done left it)."
    )
    suggest = plan_sub.add_parser("suggest", parents=[common], help=what, description=what)
    suggest.add_argument("case", metavar="CASE")
    suggest.add_argument(
        "--worksheet",
        required=True,
        metavar="FILE",
        help="the units and conditions, as for "
        "'plan worksheet' (datums and errors are not used here)",
    )
    suggest.add_argument("--run", metavar="RUN_ID", help="a kept drift run (default: latest)")
    suggest.add_argument("--overlap", action="store_true", help="sub-areas may overlap")
    suggest.add_argument("--task", action="store_true", help="store them as plans")
    suggest.add_argument("--start", help="search window start (DTG or ISO)")
    suggest.add_argument("--end", help="search window end: the cloud of its middle is used")
    suggest.add_argument("--author")
    suggest.set_defaults(func=_suggest)


def _suggest(args: argparse.Namespace) -> int:
    from sarapp.cli.common import author_of, open_store, parse_time
    from sarapp.cli.plan import _read_json
    from sarapp.planning.suggest_case import suggest_for_case, task_suggestion
    from sarapp.planning.worksheet_json import worksheet_input_from_json
    from sarapp.progress import run_to_end

    inputs = worksheet_input_from_json(_read_json(args.worksheet))
    start, end = parse_time(args.start), parse_time(args.end)
    middle = start + (end - start) / 2 if start and end else start or end
    with open_store(args, create=False) as store:
        result = run_to_end(
            suggest_for_case(
                store,
                args.case,
                inputs=inputs,
                run_ref=args.run,
                allow_overlap=args.overlap,
                at=middle,
            )
        )
        tasked = []
        if args.task:
            tasked = task_suggestion(
                store,
                args.case,
                result.suggestion,
                start=start,
                end=end,
                author=author_of(args),
            )
    s = result.suggestion
    if args.json:
        print_json(
            {
                "drift_run_id": result.drift_run_id,
                "pos": s.pos,
                "bearing_deg": s.bearing_deg,
                "units": s.units,
                "plan_ids": [t.plan_id for t in tasked],
            }
        )
        return 0
    print(f"total POS {s.pos:.1%} on drift run {result.drift_run_id[:8]}")
    for u in s.units:
        print(
            f"{u.name}: centre {format_ddm(u.centre_lat, u.centre_lon)}, {u.length_nm:.1f} × "
            f"{u.width_nm:.1f} NM along {u.orientation_deg:03.0f}°T, track spacing "
            f"{u.track_spacing_nm:.2f} NM, coverage {u.coverage:.2f}, POD {u.pod:.0%}"
        )
    for t in tasked:
        print(f"tasked: plan {t.plan_id[:8]}")
    return 0
