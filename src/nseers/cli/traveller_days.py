"""``nseers reminders send`` and ``nseers stay``: the traveller's own days from the shell.

``reminders send --as-of DATE`` e-mails each traveller whose admit-until date is near, at
the points of ``traveller.reminder_days_before`` (policy data), through the configured
sender (SMTP where ``NSEERS_SMTP_HOST`` is set, else the file outbox); it acts as the
system, is audited per message, and sends each reminder once however often it runs (run
it daily from cron). ``stay`` is the stay calculator: it reads no personal data.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import typer

from nseers.bootstrap import open_registry
from nseers.core.actors import SYSTEM_ACTOR
from nseers.core.errors import NseersError
from nseers.rules.engine import Engine
from nseers.rules.stay import Stay
from nseers.services.traveller_days import StayQuestion, calculate_stay, send_reminders
from nseers.settings import Settings

reminders_app = typer.Typer(help="Reminders to travellers before their admit-until date.",
                            no_args_is_help=True)


def _day(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        print(f"error: {option}: not a date: {value!r} (expected YYYY-MM-DD)",
              file=sys.stderr)
        raise typer.Exit(2) from None


@reminders_app.command("send")
def reminders_send(
        as_of: Annotated[str, typer.Option("--as-of", help="The day the run is for, "
                                                           "YYYY-MM-DD.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Send the reminders due on --as-of (each once: safe to run again)."""
    on = _day("--as-of", as_of)
    try:
        report = send_reminders(open_registry(Settings.from_mapping()), SYSTEM_ACTOR, on)
    except (NseersError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(report, indent=2))
        return
    print(f"reminders as of {report['as_of']} (schedule: "
          f"{', '.join(str(d) for d in report['schedule'])} days before): "
          f"{len(report['sent'])} sent, {report['superseded']} superseded")
    for sent in report["sent"]:
        print(f"  I-94 {sent['i94']}: admit until {sent['admit_until']}, "
              f"{sent['days_before']}-day reminder {sent['message_id']}")


def _stay(value: str) -> Stay:
    entered, _, left = value.partition(":")
    return Stay(_day("--stay", entered), _day("--stay", left) if left else None)


def stay_command(
        as_of: Annotated[str, typer.Option("--as-of", help="The day to count on.")],
        admit_until: Annotated[str | None, typer.Option(
            "--admit-until", help="The I-94's admit-until date.")] = None,
        duration_of_status: Annotated[bool, typer.Option(
            "--duration-of-status", help="Admitted for the duration of status (D/S).")]
        = False,
        admission_class: Annotated[str | None, typer.Option(
            "--class", help="The class of admission (F1, M1, J1, ...).")] = None,
        program_end: Annotated[str | None, typer.Option(
            "--program-end", help="A D/S program's end date.")] = None,
        stays: Annotated[list[str] | None, typer.Option(
            "--stay", help="A stay ENTERED:LEFT (or ENTERED: while still in) for the EES "
                           "90/180 overlay; repeat it.")] = None,
        days: Annotated[bool, typer.Option("--days", help="List each day of the window.")]
        = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The stay calculator: admit-until or D/S with grace, and the EES 90/180 overlay."""
    question = StayQuestion(
        _day("--as-of", as_of), _day("--admit-until", admit_until) if admit_until else None,
        duration_of_status, admission_class,
        _day("--program-end", program_end) if program_end else None,
        tuple(_stay(s) for s in stays or ()))
    try:
        answer = calculate_stay(Engine(), question)
    except NseersError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(answer, indent=2))
        return
    _print_answer(answer, days)


def _print_answer(answer: dict[str, Any], days: bool) -> None:
    admission = answer["admission"]
    if admission is not None:
        standing = admission["standing"]
        line = {"within": f"{admission['days_remaining']} days remaining until "
                          f"{admission['last_day']}",
                "over": f"{admission['days_over']} days over since {admission['last_day']}",
                "open_ended": "open-ended (no date to count to)"}[standing]
        print(f"admission as of {answer['as_of']}: {line}")
        for reason in admission["reasons"]:
            print(f"  [{reason['rule']}] {reason['text']} ({reason['citation']})")
    window = answer["ees_overlay"]
    if window is not None:
        print(f"EES overlay: {window['days_used']} of {window['max_days']} days used in "
              f"{window['window_start']}..{window['on']}; {window['days_left']} left, "
              f"{window['days_over']} over"
              + (f"; may stay until {window['last_day_of_stay']}"
                 if window["last_day_of_stay"] else ""))
        print(f"  [{window['reason']['rule']}] {window['reason']['citation']}")
        for day in window["days"] if days else ():
            print(f"  {day['day']} {'counted' if day['counted'] else '-      '} {day['why']}")
