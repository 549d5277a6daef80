"""``nseers web``: demonstration sign-ins and the web pages on the embedded database.

``nseers web demo-users`` makes one account per role, all with the same demonstration
password, so that each screen can be tried in the role it is for. ``nseers web demo``
loads the demonstration population, makes those accounts, prints the address and the
sign-ins, and serves the API and the pages. Both refuse a database other than the
embedded SQLite one unless told otherwise: demonstration passwords have no place in
production.
"""

from __future__ import annotations

import os
import secrets
import sys
from typing import Annotated, Final

import typer
import uvicorn

from nseers.app import create_site
from nseers.bootstrap import open_registry
from nseers.core.actors import SYSTEM_ACTOR, Role
from nseers.core.errors import ConflictError
from nseers.demo.casework import load_casework, passenger_lines
from nseers.demo.corrections import load_corrections
from nseers.demo.loader import load
from nseers.demo.offline import load_offline_journals
from nseers.demo.population import generate
from nseers.demo.retention import place_demo_hold
from nseers.demo.traveller_days import load_traveller_days
from nseers.logs import logging_config
from nseers.services.accounts import NewUser, create_user
from nseers.services.context import Registry
from nseers.serving.settings import ServerSettings
from nseers.settings import Settings

web_app = typer.Typer(help="The web pages: demonstration sign-ins and a demonstration server.",
                      no_args_is_help=True)

#: The demonstration accounts: one per role a person can have.
DEMO_ACCOUNTS: Final = (
    ("primary", Role.PRIMARY_OFFICER),
    ("secondary", Role.SECONDARY_OFFICER),
    ("departure", Role.DEPARTURE_OFFICER),
    ("compliance", Role.COMPLIANCE_OFFICER),
    ("director", Role.DISTRICT_DIRECTOR),
    ("analyst", Role.ANALYST),
    ("auditor", Role.AUDITOR),
    ("admin", Role.ADMINISTRATOR),
    ("traveller", Role.TRAVELLER),
    # A carrier's system account, named for the carrier (issue 17): American Airlines.
    ("carrier.aal", Role.CARRIER),
)
#: The demonstration password of every demonstration account (printed, never secret).
DEMO_PASSWORD: Final = "demo-only port of entry 2003"  # noqa: S105 - a published demo password
DEMO_TRAVELLERS: Final = 400
DEMO_SEED: Final = 2002

EmbeddedOnly = Annotated[bool, typer.Option(
    "--allow-non-embedded", help="Also on a database other than the embedded SQLite one "
                                 "(never in production).")]


def create_demo_users(registry: Registry, password: str = DEMO_PASSWORD
                      ) -> list[tuple[str, Role, bool]]:
    """Make the demonstration accounts; each answer says whether it was made or existed."""
    made = []
    for username, role in DEMO_ACCOUNTS:
        try:
            create_user(registry, SYSTEM_ACTOR, NewUser(username, role, password))
        except ConflictError:
            made.append((username, role, False))
        else:
            made.append((username, role, True))
    return made


def print_sign_ins(accounts: list[tuple[str, Role, bool]], password: str = DEMO_PASSWORD
                   ) -> None:
    """The table of demonstration sign-ins."""
    print(f"Demonstration sign-ins (password for each: {password}):")
    for username, role, created in accounts:
        note = "" if created else " (already there)"
        print(f"  {username:<11} {role.value}{note}")


def _settings(allow_non_embedded: bool) -> Settings:
    settings = Settings.from_mapping()
    if not settings.is_sqlite and not allow_non_embedded:
        print("error: demonstration accounts are made only on the embedded SQLite database; "
              "unset NSEERS_DATABASE_URL or pass --allow-non-embedded", file=sys.stderr)
        raise typer.Exit(2)
    return settings


@web_app.command("demo-users")
def demo_users(allow_non_embedded: EmbeddedOnly = False) -> None:
    """Make one demonstration account per role (idempotent) and print the sign-ins."""
    registry = open_registry(_settings(allow_non_embedded))
    try:
        print_sign_ins(create_demo_users(registry))
    finally:
        registry.database.dispose()


def run_demo(host: str = "127.0.0.1", port: int = 8000, *,
             allow_non_embedded: bool = False) -> None:
    """Load the demonstration data and accounts, print the address and sign-ins, serve.

    What ``make run`` calls last. The population and the accounts are loaded idempotently,
    so running it again records nothing twice.
    """
    settings = _settings(allow_non_embedded)
    registry = open_registry(settings)
    report = load(registry, generate(DEMO_TRAVELLERS, DEMO_SEED), seed=DEMO_SEED)
    place_demo_hold(registry, DEMO_SEED)
    print(f"Demonstration population: {report.travellers} travellers, {report.recorded} "
          f"events recorded, {report.refused} refused")
    load_offline_journals(registry)  # issue 17: two ports' offline journals, in conflict
    casework = load_casework(registry, DEMO_SEED)
    print(f"Casework (issue 17): {casework.waivers} pending waivers, {casework.violations} "
          f"violations to assess, {casework.passengers} carrier-check travellers"
          + (f"; not recorded: {'; '.join(casework.refusals)}" if casework.refusals else ""))
    print(f"Correction requests for the director's queue: {load_corrections(registry)}")
    accounts = create_demo_users(registry)
    days = load_traveller_days(registry)
    server_settings = ServerSettings.from_mapping() if os.environ.get("NSEERS_SECRET_KEY") else \
        ServerSettings(secret_key=secrets.token_bytes(32))
    app = create_site(registry, settings, server_settings=server_settings, owns_registry=True)
    print()
    print(f"nseers is at http://{host}:{port}/ (the API at http://{host}:{port}/api/docs)")
    print_sign_ins(accounts)
    print("\n".join(passenger_lines()))
    print("Travellers need no account to check their I-94 at /traveller. Stop with Ctrl-C.")
    print(f"My travel days at /traveller/days: {days.surname} {days.given_names}, born "
          f"{days.date_of_birth}, passport {days.document_number}; the code is mailed to "
          f"the outbox {settings.mail_outbox} (.eml files).")
    sys.stdout.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", log_config=logging_config())


@web_app.command("demo")
def demo(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
    allow_non_embedded: EmbeddedOnly = False,
) -> None:
    """Serve the pages on the embedded database with demonstration data and sign-ins."""
    run_demo(host, port, allow_non_embedded=allow_non_embedded)
