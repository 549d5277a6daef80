"""``nseers users deactivate | activate | set-role | revoke-sessions``: end sessions now.

Like ``nseers users create``, whoever can run these on the server can already reach the
database, so they act as an administrator recorded under the operating system's login
name. Each ends every session of the account at once (:mod:`nseers.services.sessions`) and
is audited.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from nseers.bootstrap import open_registry
from nseers.cli.render import safe_text
from nseers.core.actors import Actor, Role
from nseers.core.errors import InvalidInputError, NseersError
from nseers.services.context import Registry
from nseers.services.sessions import revoke_sessions, set_active, set_role
from nseers.settings import Settings

Username = Annotated[str, typer.Argument(help="The account's username.")]


def _run(change: Callable[[Registry, Actor], dict[str, Any]], done: str) -> None:
    operator = Actor(os.environ.get("NSEERS_USER") or getpass.getuser(), Role.ADMINISTRATOR,
                     "account administration")
    registry = open_registry(Settings.from_mapping())
    try:
        answer = change(registry, operator)
    except InvalidInputError as error:
        for problem in error.problems:
            print(f"error: {safe_text(str(problem))}", file=sys.stderr)
        raise typer.Exit(2) from None
    except NseersError as error:
        print(f"error: {safe_text(str(error))}", file=sys.stderr)
        raise typer.Exit(1) from None
    finally:
        registry.database.dispose()
    print(done.format(**{k: safe_text(str(v)) for k, v in answer.items()}))


def register(users_app: typer.Typer) -> None:
    """Add the commands to ``nseers users``."""

    @users_app.command("deactivate")
    def deactivate(username: Username) -> None:
        """Deactivate an account: no more sign-ins, and every session ends now."""
        _run(lambda r, a: set_active(r, a, username, active=False),
             "deactivated {username}; its sessions have ended")

    @users_app.command("activate")
    def activate(username: Username) -> None:
        """Reactivate a deactivated account."""
        _run(lambda r, a: set_active(r, a, username, active=True), "activated {username}")

    @users_app.command("set-role")
    def change_role(username: Username,
                    role: Annotated[Role, typer.Option("--role", help="The new role.")]
                    ) -> None:
        """Move an account to another role; its sessions in the old role end now."""
        _run(lambda r, a: set_role(r, a, username, role),
             "{username} is now {role}; its sessions have ended")

    @users_app.command("revoke-sessions")
    def revoke(username: Username) -> None:
        """End every session of an account now (a lost laptop, a stolen token)."""
        _run(lambda r, a: revoke_sessions(r, a, username),
             "every session of {username} has ended")
