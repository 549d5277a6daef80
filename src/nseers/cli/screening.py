"""``nseers watchlist ...`` and ``nseers screen``: lists and lookout screening.

Loaded lists live where everything else does: in the registry database (SQLite in
``$NSEERS_DATA_DIR``, default ``./data``, unless ``$NSEERS_DATABASE_URL`` names another),
created and migrated on first use, so ``nseers watchlist load FILE`` followed by
``nseers screen ...`` works with no other set-up. ``nseers screen --list FILE`` screens
against a list file directly and touches no database.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from nseers.cli.registry import PurposeOption, RoleOption, UserOption, _actor, _fail, _registry
from nseers.core.actors import Role
from nseers.core.errors import FieldProblem, InvalidInputError, NseersError
from nseers.screening.index import Screener, WatchlistIndex
from nseers.screening.lists import parse_list
from nseers.screening.model import ScreeningQuery
from nseers.screening.policy import load_screening_policy
from nseers.services import screening as service

watchlist_app = typer.Typer(help="Load watchlists as dated versions; show their history, "
                                 "the hit queue, and adjudicate hits.", no_args_is_help=True)


def _print(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


@watchlist_app.command("load")
def watchlist_load(
    file: Annotated[Path, typer.Argument(help="CSV (id,name,aliases,date_of_birth,"
                                              "nationality,list,reason), OpenSanctions "
                                              "simple CSV, or FollowTheMoney JSON lines.")],
    source: Annotated[str | None, typer.Option(
        "--source", help="The list this file is a version of (default: the file's name).")
    ] = None,
    user: UserOption = None, role: RoleOption = Role.ADMINISTRATOR,
    purpose: PurposeOption = "",
) -> None:
    """Store FILE as the next version of its list, with the delta; re-screen the registry.

    Malformed rows are reported by line and column and left out; the rest is stored in
    one transaction. Exits 1 if nothing could be loaded.
    """
    try:
        data = file.read_bytes()
    except OSError as error:
        print(f"error: {file}: {error.strerror}", file=sys.stderr)
        raise typer.Exit(2) from None
    try:
        report = service.load_watchlist(_registry(), _actor(user, role, purpose), data,
                                        source or file.stem, file.name)
    except InvalidInputError as error:
        print(f"error: {file}: nothing was loaded:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        raise typer.Exit(1) from None
    except NseersError as error:
        raise _fail(error) from None
    for problem in report["problems"]:
        print(f"{file.name}: {problem} (row left out)", file=sys.stderr)
    _print(report)


@watchlist_app.command("versions")
def watchlist_versions(user: UserOption = None, role: RoleOption = Role.ADMINISTRATOR,
                       purpose: PurposeOption = "") -> None:
    """Every version of every list, newest first, with its delta."""
    try:
        _print(service.list_versions(_registry(), _actor(user, role, purpose)))
    except NseersError as error:
        raise _fail(error) from None


@watchlist_app.command("hits")
def watchlist_hits(status: Annotated[str, typer.Option(help="open, true_match, false_match, "
                                                            "needs_review or all")] = "open",
                   user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
                   purpose: PurposeOption = "") -> None:
    """The hit queue (audited: each hit shown is a read of a traveller's record)."""
    try:
        _print(service.list_hits(_registry(), _actor(user, role, purpose),
                                 None if status == "all" else status))
    except NseersError as error:
        raise _fail(error) from None


@watchlist_app.command("adjudicate")
def watchlist_adjudicate(
    hit: Annotated[int, typer.Argument(help="The hit's id.")],
    decision: Annotated[str, typer.Argument(help="true_match, false_match or needs_review")],
    note: Annotated[str, typer.Option(help="Why (kept with the decision).")] = "",
    user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
    purpose: PurposeOption = "",
) -> None:
    """Record a secondary officer's decision on a hit."""
    try:
        _print(service.adjudicate(_registry(), _actor(user, role, purpose), hit, decision,
                                  note))
    except NseersError as error:
        raise _fail(error) from None


def _read_queries(path: Path) -> list[ScreeningQuery]:
    text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    queries: list[ScreeningQuery] = []
    problems: list[FieldProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            queries.append(ScreeningQuery.from_dict(json.loads(line), f"line {number}"))
        except json.JSONDecodeError as error:
            print(f"error: line {number}: not JSON: {error.msg}", file=sys.stderr)
            raise typer.Exit(2) from None
        except InvalidInputError as error:
            problems.extend(error.problems)
    if problems:
        print("malformed queries; nothing was screened:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        raise typer.Exit(2)
    return queries


def screen_command(
    queries: Annotated[Path | None, typer.Option(
        "--queries", help='JSON lines of {"id","name","date_of_birth","nationality"}; - for '
                          "standard input.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="One name to screen.")] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="YYYY, YYYY-MM or YYYY-MM-DD.")
                   ] = None,
    nationality: Annotated[str | None, typer.Option("--nationality")] = None,
    output: Annotated[str, typer.Option("--format", help="jsonl (one line per query) or "
                                                         "json")] = "jsonl",
    limit: Annotated[int, typer.Option("--limit", min=1, max=50)] = 5,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Policy date (default today).")
                     ] = None,
    list_file: Annotated[Path | None, typer.Option(
        "--list", help="Screen against this list file instead of the registry's lists.")
    ] = None,
    user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
    purpose: PurposeOption = "",
) -> None:
    """Screen names against the watchlists; candidates best first, each explained."""
    if (queries is None) == (name is None):
        print("error: give --queries FILE or --name (not both)", file=sys.stderr)
        raise typer.Exit(2)
    try:
        batch = _read_queries(queries) if queries is not None else [
            ScreeningQuery.from_dict({"id": "1", "name": name, "date_of_birth": dob,
                                      "nationality": nationality}, "arguments")]
        on = date.fromisoformat(as_of) if as_of else date.today()  # noqa: DTZ011
    except InvalidInputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        raise typer.Exit(2) from None
    except ValueError as error:
        print(f"error: --as-of: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if list_file is not None:
        parsed = parse_list(list_file.read_bytes(), list_file.stem)
        for row_problem in parsed.problems:
            print(f"{list_file.name}: {row_problem} (row left out)", file=sys.stderr)
        screener = Screener(WatchlistIndex(parsed.persons), load_screening_policy())
        answers = [{"id": q.id, "candidates": [c.to_dict() for c in screener.screen(q, on,
                                                                                   limit)]}
                   for q in batch]
    else:
        try:
            answers = service.screen(_registry(), _actor(user, role, purpose), batch, on,
                                     limit)
        except NseersError as error:
            raise _fail(error) from None
    if output == "json":
        _print(answers)
        return
    for answer in answers:
        print(json.dumps(answer, ensure_ascii=False))
