"""``nseers retention``: the retention run (dry run by default) and legal holds.

``nseers retention run --as-of DATE`` lists, by rule, every file due for erasure, in its
notice window, notified, or held; ``--apply`` gives the notices and erases. Run it daily
from a systemd timer or cron (``docs/retention.md``); a second run on the same day does
nothing more. The operator acts as an administrator (``RUN_RETENTION``); legal holds are
placed and released by a district director (``PLACE_LEGAL_HOLD``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from nseers.cli.registry import JsonOption, UserOption, _actor, _fail, _print_json, _registry
from nseers.cli.render import safe_text
from nseers.core.actors import Role
from nseers.core.errors import NseersError
from nseers.services.erasure import FileOutbox, NoticeSender, run_retention
from nseers.services.legal_holds import PlaceHold, ReleaseHold, list_holds, place_hold, release_hold

retention_app = typer.Typer(help="Retention and erasure of persons' files (EES Art. 34 "
                                 "overlay), and legal holds.", no_args_is_help=True)
hold_app = typer.Typer(help="Legal holds: keep a person's file whatever its retention "
                            "period says.", no_args_is_help=True)
retention_app.add_typer(hold_app, name="hold")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


AsOf = Annotated[str, typer.Option("--as-of", help="The run's date, YYYY-MM-DD.")]


@retention_app.command("run")
def retention_run(as_of: AsOf,
                  apply: Annotated[bool, typer.Option(
                      "--apply", help="Give the notices and erase (default: a dry run that "
                                      "only lists).")] = False,
                  outbox: Annotated[Path | None, typer.Option(
                      "--outbox", help="Write each notice as a JSON file in this directory "
                                       "(default: the notice record only).")] = None,
                  user: UserOption = None, as_json: JsonOption = False) -> None:
    """List what is due on --as-of, by rule; with --apply, notify and erase."""
    day = _day(as_of)
    sender: NoticeSender | None = None if outbox is None else FileOutbox(outbox)
    try:
        answer = run_retention(_registry(), _actor(user, Role.ADMINISTRATOR, "retention"),
                               day, apply=apply, sender=sender)
    except NseersError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(answer)
        return
    _print_plan(answer)


def _print_plan(answer: dict[str, Any]) -> None:
    console = Console(highlight=False)
    counts = answer["counts"]
    mode = "applied" if answer["applied"] else "dry run"
    console.print(f"retention as of {answer['as_of']} ({mode}): {counts['due']} due, "
                  f"{counts['notice']} to notify, {counts['notified']} notified, "
                  f"{counts['held']} held", markup=False)
    for group in answer["rules"]:
        first = group["entries"][0]
        table = Table(title=f"{group['rule']} ({first['citation']})")
        for column in ("person", "status", "due on", "erase on", "why"):
            table.add_column(column)
        for entry in group["entries"]:
            table.add_row(str(entry["person_id"]), entry["status"], entry["due_on"] or "",
                          entry["erase_on"] or "", safe_text(entry["why"]))
        console.print(table)
    biometrics = answer["biometrics"]
    if answer["applied"]:
        console.print(f"noticed {len(answer['noticed'])}, erased {len(answer['erased'])}, "
                      f"biometric records purged {biometrics['purged']} "
                      f"({biometrics['rule']}: {biometrics['years']} years)", markup=False)
    else:
        console.print(f"biometric records due {biometrics['due']} "
                      f"({biometrics['rule']}: {biometrics['years']} years)", markup=False)


@hold_app.command("place")
def hold_place(person_id: Annotated[int, typer.Argument(min=1)],
               reason: Annotated[str, typer.Option("--reason", help="Why the file is kept.")],
               reference: Annotated[str, typer.Option(
                   "--reference", help="The case, subpoena or investigation.")],
               user: UserOption = None) -> None:
    """Place a legal hold on a person's file."""
    try:
        hold = place_hold(_registry(), _actor(user, Role.DISTRICT_DIRECTOR, "legal hold"),
                          PlaceHold(person_id, reason, reference))
    except NseersError as error:
        raise _fail(error) from None
    print(f"legal hold {hold['hold_id']} placed on person {person_id}")


@hold_app.command("release")
def hold_release(hold_id: Annotated[int, typer.Argument(min=1)],
                 reason: Annotated[str, typer.Option("--reason", help="Why it ends.")],
                 user: UserOption = None) -> None:
    """Release a legal hold."""
    try:
        release_hold(_registry(), _actor(user, Role.DISTRICT_DIRECTOR, "legal hold"),
                     ReleaseHold(hold_id, reason))
    except NseersError as error:
        raise _fail(error) from None
    print(f"legal hold {hold_id} released")


@hold_app.command("list")
def hold_list(user: UserOption = None, as_json: JsonOption = False) -> None:
    """The active legal holds (audited: it names the held persons)."""
    try:
        holds = list_holds(_registry(), _actor(user, Role.DISTRICT_DIRECTOR, "legal hold"))
    except NseersError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(holds)
        return
    console = Console(highlight=False)
    for hold in holds:
        console.print(safe_text(f"{hold['hold_id']}\tperson {hold['person_id']}\t"
                                f"{hold['surname']}, {hold['given_names']}\t"
                                f"{hold['reference']}"))
