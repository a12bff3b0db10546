"""``sarapp db …``: database checks."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sub.add_parser("db", parents=[common], help="check the database and its case logs")
