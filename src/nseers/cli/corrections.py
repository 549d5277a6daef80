"""``nseers corrections``: the correction queue and a request's letter from the command line.

Attributed like every registry command (``--user``, ``--role``, ``--purpose``; the audit
trail records all three). The queue is the district director's; the letter may be read by
any officer and is printed as plain text, ready to mail (see docs/corrections.md).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nseers.cli.registry import (
    JsonOption,
    PurposeOption,
    RoleOption,
    UserOption,
    _actor,
    _fail,
    _print_json,
    _registry,
)
from nseers.cli.render import safe_text
from nseers.core.actors import Role
from nseers.core.errors import NseersError
from nseers.core.text import escape_unsafe
from nseers.services.correction_letters import correction_letter, letter_text
from nseers.services.corrections import correction_queue

corrections_app = typer.Typer(help="Correction requests: the queue and the letters (audited).",
                              no_args_is_help=True)


@corrections_app.command("queue")
def queue(status: Annotated[str, typer.Option(
              help="open, all, received, acknowledged, accepted, partly_accepted or "
                   "refused")] = "open",
          user: UserOption = None, role: RoleOption = Role.DISTRICT_DIRECTOR,
          purpose: PurposeOption = "", as_json: JsonOption = False) -> None:
    """List correction requests, overdue ones first."""
    try:
        answer = correction_queue(_registry(), _actor(user, role, purpose), status)
    except NseersError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(answer)
        return
    table = Table(title=f"{answer['total']} {status} requests as of {answer['as_of']}, "
                        f"{answer['overdue']} overdue")
    for column in ("request", "person", "received", "acknowledge by", "decide by",
                   "status", "overdue"):
        table.add_column(column)
    for r in answer["items"]:
        person = r["person"] or {}
        table.add_row(r["reference"], safe_text(f"{person.get('surname', '')}, "
                                                f"{person.get('given_names', '')}"),
                      r["received_on"], r["acknowledge_by"] or "-", r["decide_by"] or "-",
                      r["status"], ", ".join(r["overdue"]))
    Console().print(table)


@corrections_app.command("letter")
def letter(request_id: Annotated[int, typer.Argument(help="The request's number.")],
           user: UserOption = None, role: RoleOption = Role.DISTRICT_DIRECTOR,
           purpose: PurposeOption = "") -> None:
    """Print the letter to the requester (acknowledgement or decision) as plain text."""
    try:
        text = letter_text(correction_letter(_registry(), _actor(user, role, purpose),
                                             request_id))
    except NseersError as error:
        raise _fail(error) from None
    print(escape_unsafe(text), end="")
