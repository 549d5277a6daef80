"""``nseers carrier check|manifest``: the carrier check from the command line (issue 17).

The same service as ``POST /api/v1/carrier/check`` and ``/carrier/manifest``, run against
the registry the environment names, as the carrier account ``--user`` (or
``$NSEERS_USER``); every passenger asked about is audited as over the API. A manifest is a
CSV file with a header row naming the fields (``document_number, issuing_country,
nationality, surname, date_of_birth, intended_travel_date``) or a JSON array of objects.
Prints JSON: the answers and nothing about the passengers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from nseers.cli.registry import UserOption, _actor, _fail, _registry
from nseers.core.actors import Role
from nseers.core.errors import NseersError
from nseers.services.carrier import (
    check_manifest,
    check_passenger,
    manifest_rows,
    read_passenger,
)

carrier_app = typer.Typer(help="Carrier boarding checks: may a passenger board? (audited)",
                          no_args_is_help=True)
PURPOSE = "carrier boarding check"


@carrier_app.command("check")
def check(
        document_number: Annotated[str, typer.Option(help="The passport's number.")],
        issuing_country: Annotated[str, typer.Option(help="Its issuer (ICAO 3 letters).")],
        nationality: Annotated[str, typer.Option(help="ICAO 3 letters.")],
        surname: Annotated[str, typer.Option(help="As in the passport.")],
        date_of_birth: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
        date: Annotated[str, typer.Option("--date", help="Intended date of travel.")],
        user: UserOption = None) -> None:
    """One passenger: ok_to_board, not_ok_to_board or no_record."""
    try:
        query = read_passenger({
            "document_number": document_number, "issuing_country": issuing_country,
            "nationality": nationality, "surname": surname, "date_of_birth": date_of_birth,
            "intended_travel_date": date})
        registry = _registry()
        try:
            answer = check_passenger(registry, _actor(user, Role.CARRIER, PURPOSE), query)
        finally:
            registry.database.dispose()
    except NseersError as error:
        raise _fail(error) from error
    print(json.dumps(answer))


@carrier_app.command("manifest")
def manifest(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                  help="CSV or JSON manifest.")],
             user: UserOption = None) -> None:
    """Every passenger of a manifest; bad rows are named by index and field."""
    try:
        rows = manifest_rows(path.read_text(encoding="utf-8"),
                             is_json=path.suffix.lower() == ".json")
    except (NseersError, UnicodeDecodeError) as error:
        print(f"error: {path}: {error}", file=sys.stderr)
        raise typer.Exit(2) from error
    try:
        registry = _registry()
        try:
            answer = check_manifest(registry, _actor(user, Role.CARRIER, PURPOSE), rows)
        finally:
            registry.database.dispose()
    except NseersError as error:
        raise _fail(error) from error
    print(json.dumps(answer, indent=2))
    if answer["rejected"]:
        raise typer.Exit(1)
