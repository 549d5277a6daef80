"""``nseers port ...``: a port workstation that keeps inspecting when the link is down.

The workstation is configured from the environment (``NSEERS_WORKSTATION_ID``,
``NSEERS_WORKSTATION_KEY``, ``NSEERS_CENTRAL_URL``, ``NSEERS_JOURNAL``; see
:mod:`nseers.workstation.settings`) and signs in to the central API as the officer named
by ``--username`` (``NSEERS_PORT_USERNAME``) with the password from standard input or
``NSEERS_PORT_PASSWORD``. See docs/offline-ports.md.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from nseers.cli.commands import _policy
from nseers.core.errors import InvalidInputError
from nseers.rules.engine import Engine
from nseers.workstation.journal import JournalTamperedError
from nseers.workstation.link import CentralLink, CentralRefusedError, SignIn
from nseers.workstation.settings import WorkstationSettings
from nseers.workstation.station import Workstation

port_app = typer.Typer(help="A port workstation: inspect arrivals online, or offline into a "
                            "signed local journal; forward the journal when the link "
                            "returns.", no_args_is_help=True)

UsernameOption = Annotated[str | None, typer.Option(
    "--username", envvar="NSEERS_PORT_USERNAME",
    help="The officer signing in to the central API.")]
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input "
                             "(else NSEERS_PORT_PASSWORD).")]


def _print(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _workstation(username: str | None, password_stdin: bool) -> Workstation:
    try:
        settings = WorkstationSettings.from_mapping()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if not username:
        print("error: --username (or NSEERS_PORT_USERNAME) is required", file=sys.stderr)
        raise typer.Exit(2)
    password = (sys.stdin.readline().rstrip("\n") if password_stdin
                else os.environ.get("NSEERS_PORT_PASSWORD", ""))
    token = SignIn(settings.central_url, username, password, settings.timeout_s)
    link = CentralLink(settings.central_url, token, settings.timeout_s)
    # The same law as `nseers evaluate`: the built-in policy and $NSEERS_POLICY_DIR.
    return Workstation(settings, link, username, Engine(_policy(None)))


def _arrivals(file: Path) -> list[dict[str, Any]]:
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        stripped = text.strip()
        if stripped.startswith("[") or (stripped.startswith("{") and "\n{" not in stripped):
            loaded = json.loads(stripped)
            items = loaded if isinstance(loaded, list) else [loaded]
        else:
            items = [json.loads(line) for line in stripped.splitlines() if line.strip()]
    except (OSError, ValueError) as error:
        print(f"error: {file}: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if not all(isinstance(item, dict) for item in items):
        print(f"error: {file}: each arrival must be a JSON object", file=sys.stderr)
        raise typer.Exit(2)
    return items


@port_app.command("inspect")
def inspect(
    file: Annotated[Path, typer.Argument(help="Arrival(s) as the body of POST "
                                              "/api/v1/arrivals: one JSON object, a JSON "
                                              "array or JSON Lines; - for standard input.")],
    username: UsernameOption = None, password_stdin: PasswordStdin = False,
) -> None:
    """Inspect each arrival, online or (when the central API is unreachable) offline.

    Online, the registry records it. Offline, it is evaluated here under the law of the
    day, journaled, and shown as OFFLINE with what could not be checked. Exits 2 on a case
    the rules cannot read, 1 when the central API refuses an arrival.
    """
    arrivals = _arrivals(file)
    station = _workstation(username, password_stdin)
    for index, arrival in enumerate(arrivals):
        try:
            answer = station.inspect(arrival)
        except InvalidInputError as error:
            print(f"error: arrival {index}: {error}", file=sys.stderr)
            raise typer.Exit(2) from None
        except CentralRefusedError as error:
            print(f"error: arrival {index}: the central API refused it: {error}",
                  file=sys.stderr)
            raise typer.Exit(1) from None
        except JournalTamperedError as error:
            print(f"error: {error}", file=sys.stderr)
            raise typer.Exit(1) from None
        if not answer["online"]:
            print(answer["notice"], file=sys.stderr)
        _print(answer)


@port_app.command("forward")
def forward(username: UsernameOption = None, password_stdin: PasswordStdin = False) -> None:
    """Forward every journaled entry in order, each once; exits 1 if some remain."""
    station = _workstation(username, password_stdin)
    try:
        report = station.forward()
    except JournalTamperedError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(1) from None
    _print(report)
    if report["remaining"]:
        raise typer.Exit(1)


@port_app.command("status")
def status() -> None:
    """Show the journal: entries waiting and forwarded, and whether its chain verifies.

    Exits 1 if it does not verify (an entry changed, removed or moved).
    """
    try:
        settings = WorkstationSettings.from_mapping()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    station = Workstation(settings, CentralLink(settings.central_url, None), "")
    report = station.status()
    _print(report)
    if report["problems"]:
        raise typer.Exit(1)
