"""``nseers refusal codes|show``: refusals of entry from the command line (issue 17).

``codes`` prints the law (the coded grounds of INA 212(a), the procedures and what may
follow each, in force on a date) and reads no personal data. ``show`` reads one refusal
as the operator (``--user``, ``--role``, ``--purpose``), audited as ``refusal.read``.
Refusals are recorded at secondary inspection (the console or ``POST /api/v1/refusals``),
not here: a refusal is an officer's decision at the port.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

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
from nseers.core.actors import Role
from nseers.core.errors import NseersError
from nseers.services.refusals import refusal_codes, show_refusal

refusal_app = typer.Typer(help="Refusals of entry: the coded grounds in force, and one "
                               "refusal (audited).", no_args_is_help=True)


@refusal_app.command("codes")
def codes(as_of: Annotated[str | None, typer.Option(
        "--as-of", help="YYYY-MM-DD (default: today).", show_default=False)] = None,
          as_json: JsonOption = False) -> None:
    """The grounds, procedures and dispositions in force on a date, with citations."""
    registry = _registry()
    try:
        on = date.fromisoformat(as_of) if as_of else registry.clock().date()
    except ValueError:
        print(f"error: --as-of: not a date: {as_of!r} (expected YYYY-MM-DD)", file=sys.stderr)
        raise typer.Exit(2) from None
    listing = refusal_codes(registry, on)
    if as_json:
        _print_json(listing)
        return
    print(f"Refusal of entry: the codes in force on {listing['as_of']}")
    for heading, key in (("Grounds", "grounds"), ("Procedures", "procedures"),
                         ("Dispositions", "dispositions")):
        print(f"\n{heading}:")
        for code, entry in listing[key].items():
            follows = (f" -> {', '.join(entry['dispositions'])}"
                       if "dispositions" in entry else "")
            print(f"  {code}: {entry['title']} [{entry['citation']}]{follows}")
    if listing["expedited_removal_grounds"]:
        print(f"\nExpedited removal only on: {', '.join(listing['expedited_removal_grounds'])}")


@refusal_app.command("show")
def show(refusal_id: Annotated[int, typer.Argument(min=1, help="The refusal's id.")],
         user: UserOption = None, role: RoleOption = Role.SECONDARY_OFFICER,
         purpose: PurposeOption = "") -> None:
    """One refusal with its grounds, procedure, what followed and the reasons, as JSON
    (audited)."""
    try:
        answer = show_refusal(_registry(), _actor(user, role, purpose), refusal_id)
    except NseersError as error:
        raise _fail(error) from None
    _print_json(answer)
