"""``nseers users`` and ``nseers serve``: local accounts, and the HTTP API server.

``nseers users create`` is how the first administrator is made: whoever can run the
command on the server can already reach the database, so it acts as an administrator
(recorded under the operating system's login name). ``nseers serve`` migrates the schema
once and starts uvicorn on the API's factory; each worker process builds its own registry.
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from typing import Annotated

import typer
import uvicorn

from nseers.bootstrap import open_registry
from nseers.cli.accounts import register as register_account_commands
from nseers.core.actors import Actor, Role
from nseers.core.errors import InvalidInputError, NseersError
from nseers.db.engine import create_database_engine
from nseers.db.migrate import upgrade
from nseers.logs import logging_config
from nseers.services.accounts import NewUser, create_user
from nseers.settings import Settings

#: The environment variable holding the token-signing secret (read by nseers.serving.settings).
SECRET_KEY_ENV = "NSEERS_SECRET_KEY"  # noqa: S105 - a variable's name, not a secret
#: The API's factory, by import string: uvicorn imports it in each worker process.
APP_FACTORY = "nseers.app:site_from_environment"

users_app = typer.Typer(help="Local accounts that sign in to the API and the web pages.",
                        no_args_is_help=True)
# Issue 16: deactivate, activate, set-role, revoke-sessions.
register_account_commands(users_app)


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="The new account's username.")],
    role: Annotated[Role, typer.Option("--role", help="The role the account acts in.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input "
                                 "instead of prompting.")] = False,
) -> None:
    """Create an account (the password is asked twice, or read with --password-stdin).

    When standard input is not a terminal (a pipe or a file) the password is its first
    line, as with --password-stdin: prompting there would echo nothing useful and warn.
    """
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    operator = Actor(os.environ.get("NSEERS_USER") or getpass.getuser(), Role.ADMINISTRATOR,
                     "account administration")
    registry = open_registry(Settings.from_mapping())
    try:
        user = create_user(registry, operator, NewUser(username, role, password))
    except InvalidInputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        raise typer.Exit(2) from None
    except NseersError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(1) from None
    finally:
        registry.database.dispose()
    print(f"created user {user['username']} in role {user['role']}")


def serve_command(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (each with its own "
                                                     "database connections).")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
    proxy_headers: Annotated[bool, typer.Option(
        help="Trust X-Forwarded-For from --forwarded-allow-ips (behind a reverse proxy: the "
             "client's address is what the self-service rate limit counts).")] = False,
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="Proxies whose X-Forwarded-* headers are trusted.")] = "127.0.0.1",
) -> None:
    """Serve the HTTP API: OpenAPI at /api/openapi.json, docs at /api/docs.

    The database is $NSEERS_DATABASE_URL (or SQLite in $NSEERS_DATA_DIR); its schema is
    migrated first, and the biometric key file made if there is neither one nor
    $NSEERS_BIOMETRIC_KEY. Tokens are signed with $NSEERS_SECRET_KEY (at least 32 bytes); without
    it a random secret is made at start, shared by the workers, and tokens die with the
    server.
    """
    settings = Settings.from_mapping()
    engine = create_database_engine(settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    try:  # before the workers start, so they share one key file made on first start
        settings.resolved_biometric_key()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    if not os.environ.get(SECRET_KEY_ENV):
        print(f"warning: {SECRET_KEY_ENV} is not set; tokens are signed with a random secret "
              f"and will not survive a restart", file=sys.stderr)
        # Set for the worker processes uvicorn starts, so that all of them accept a token
        # any of them issued.
        os.environ[SECRET_KEY_ENV] = secrets.token_urlsafe(48)
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                access_log=access_log, proxy_headers=proxy_headers,
                log_config=logging_config(),
                forwarded_allow_ips=forwarded_allow_ips)
