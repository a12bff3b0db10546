"""``sarapp log …``: append to, list, search and follow the case log."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time

from sarapp.cli.common import author_of, open_store
from sarapp.cli.output import one_line, print_json, to_jsonable
from sarapp.geo import format_dtg
from sarapp.model import LogEntry
from sarapp.privacy import Disclosure, PersonalContent, Purpose, shown_text
from sarapp.safetext import json_escaped
from sarapp.store import Desk, StoreError
from sarapp.store.log import canonical_entry_id

FOLLOW_WAIT_S = 1.0  # a wait of the feed; a lost server is retried this often


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    log = sub.add_parser("log", parents=[common], help="append to, list and search the case log")
    cmds = log.add_subparsers(dest="command", metavar="COMMAND", required=True)

    add = cmds.add_parser("add", parents=[common], help="append an entry to a case's log")
    add.add_argument("case", metavar="ID", help="case number, id or unique id prefix")
    add.add_argument("text", metavar="TEXT")
    add.add_argument("--author", help="default: $SARAPP_OPERATOR or the login name")
    add.add_argument("--corrects", metavar="ENTRY", help="id of the entry this one corrects")
    add.add_argument(
        "--id",
        dest="entry_id",
        metavar="UUID",
        help="the entry's id, chosen by the caller: a script that lost the answer runs the "
        "same command again and the entry is stored once",
    )
    add.add_argument(
        "--personal",
        action="store_true",
        help="personal data: kept beside the log, purged whole with the case's",
    )
    add.set_defaults(func=_add)

    lst = cmds.add_parser("list", parents=[common], help="a case's log, oldest first")
    lst.add_argument("case", metavar="ID")
    lst.set_defaults(func=_list)

    search = cmds.add_parser("search", parents=[common], help="full-text search of all logs")
    search.add_argument("query", metavar="QUERY", help="words (all must match); word* = prefix")
    search.add_argument("--case", metavar="ID", help="only this case")
    search.add_argument("--limit", type=int, default=50)
    search.set_defaults(func=_search)

    follow = cmds.add_parser(
        "follow", parents=[common], help="print each new entry of a case as any desk stores it"
    )
    follow.add_argument("case", metavar="ID")
    follow.set_defaults(func=_follow)


def entry_json(entry: LogEntry, content: PersonalContent | None = None) -> dict:
    """An entry; one with personal content has ``personal``: its text as the desk holds it
    (``[purged]``, ``[withheld]`` once gone)."""
    out = to_jsonable(entry)
    if content is not None:
        out["personal"] = content.shown
    return out


def _line(entry: LogEntry, content: PersonalContent | None = None) -> str:
    """One entry: its first line after the DTG, author and kind; any further line of its text
    indented under it, so a line break inside an entry cannot pass for an entry of its own
    (every line break Python knows counts: CR, VT, FF, NEL, U+2028…)."""
    head = f"{format_dtg(entry.time)}  {one_line(entry.author):<12}  {entry.kind.value:<10}  "
    first, *more = shown_text(entry.text, content).splitlines() or [""]
    return head + "".join([first, *(f"\n{CONTINUATION}{line}" for line in more)])


CONTINUATION = " " * 16 + "| "  # under the DTG column: no entry line starts with a space


def _add(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        if args.personal:
            changes = store.privacy.append_note(
                args.case, args.text, author=author_of(args), corrects=args.corrects,
                entry_id=args.entry_id,
            )  # fmt: skip
        else:
            changes = store.log.append(
                args.case, args.text, author=author_of(args), corrects=args.corrects,
                entry_id=args.entry_id,
            )  # fmt: skip
        stored_before = not changes.entries  # sent again: stored by the first run
        entry = store.log.entry(
            canonical_entry_id(args.entry_id) if stored_before else changes.entries[-1]
        )
        content = store.privacy.content(entry.id)
    print_json(entry_json(entry, content)) if args.json else print(_line(entry, content))
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        case_id = store.cases.resolve(args.case)
        entries = store.log.timeline(case_id)
        contents = store.privacy.contents(case_id)
        held = [e for e, c in contents.items() if c.state == "held"]
        store.privacy.record_disclosure(
            case_id, disclosure=Disclosure(Purpose.COORDINATION, True), kind="display",
            recipient="terminal (log list)", subjects=[f"entry:{e}" for e in held],
            author=author_of(args),
        )  # fmt: skip
    if args.json:
        print_json([entry_json(e, contents.get(e.id)) for e in entries])
    else:
        for entry in entries:
            print(_line(entry, contents.get(entry.id)))
    return 0


def _search(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        hits = store.log.search(args.query, limit=args.limit, case_ref=args.case)
    if args.json:
        print_json(
            [{**entry_json(h.entry), "snippet": h.snippet, "case": h.case_number} for h in hits]
        )
    else:
        for hit in hits:
            print(f"{hit.case_number}  {format_dtg(hit.entry.time)}  {one_line(hit.snippet)}")
    return 0


def _print_since(desk: Desk, case_id: str, last: int, *, as_json: bool) -> int:
    """Print the case's entries after ``last``; the seq of the last one printed."""
    for entry in desk.log.since(case_id, last):
        if as_json:
            print(json_escaped(json.dumps(entry_json(entry), ensure_ascii=False)), flush=True)
        else:
            print(_line(entry), flush=True)
        last = entry.seq
    return last


def _stop_on_signals() -> None:
    """SIGINT (Ctrl-C) and SIGTERM end the follow quietly, even in a process started with
    SIGINT ignored (a shell's background job, some CI runners), where Python would otherwise
    leave it ignored and the follow could only be killed."""
    if threading.current_thread() is not threading.main_thread():
        return  # signals reach the main thread only; a caller there owns them
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def _follow(args: argparse.Namespace) -> int:
    """Each entry stored in the case from now on, by any desk (``Desk.watch``), as one line
    (with ``--json`` one JSON object a line), until interrupted. What it is following goes
    to stderr, so stdout holds the entries only."""
    _stop_on_signals()
    try:  # around it all: the signal may come as soon as the line below is out, or on opening
        with open_store(args, create=False) as desk, desk.watch() as feed:
            case = desk.cases.get(args.case)
            last = max((e.seq for e in desk.log.since(case.id, 0)), default=0)
            print(f"following case {case.number} on {desk.location} (Ctrl-C to stop)",
                  file=sys.stderr, flush=True)  # fmt: skip
            lost = False
            while True:
                try:
                    changes = feed.wait(FOLLOW_WAIT_S)
                    # after a failure, read again whatever the feed says: what it reported
                    # while the log could not be read is not reported twice
                    if lost or (changes is not None and case.id in changes.cases):
                        last = _print_since(desk, case.id, last, as_json=args.json)
                    if lost:
                        print("sarapp: live updates are back", file=sys.stderr, flush=True)
                        lost = False
                except StoreError as exc:  # the server went away: resumed from ``last``
                    if not lost:
                        print(f"sarapp: {exc}; retrying", file=sys.stderr, flush=True)
                    lost = True
                    time.sleep(FOLLOW_WAIT_S)
    except KeyboardInterrupt:
        return 0
