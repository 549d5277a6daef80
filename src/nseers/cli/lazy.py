"""Subcommands loaded on first use, so that a command imports only what it needs.

``nseers evaluate`` must start in a fraction of a second, and importing the web, API and
database stack (FastAPI, SQLAlchemy, Alembic) took most of two seconds that it never used.
The root group therefore names its command groups here by module and imports a group only
when it is invoked, or when ``nseers --help`` lists them all (help stays complete).
"""

from __future__ import annotations

import importlib
from typing import Final

import typer
from typer import _click as click  # typer's own click, whose classes its groups use
from typer.core import TyperGroup

#: Command name -> (module, attribute). An attribute ending in ``_command`` is a single
#: command function; any other is a ``typer.Typer`` group.
LAZY_COMMANDS: Final[dict[str, tuple[str, str]]] = {
    "mrz": ("nseers.cli.mrz", "mrz_app"),
    "db": ("nseers.cli.registry", "db_app"),
    "person": ("nseers.cli.registry", "person_app"),
    "compliance": ("nseers.cli.registry", "compliance_app"),
    "audit": ("nseers.cli.registry", "audit_app"),
    "demo": ("nseers.cli.demo", "demo_app"),
    "users": ("nseers.cli.users", "users_app"),
    "web": ("nseers.cli.web", "web_app"),
    "serve": ("nseers.cli.users", "serve_command"),
    "biometrics": ("nseers.cli.biometrics", "biometrics_app"),
    "entry-exit": ("nseers.cli.entry_exit", "entry_exit_app"),
    "watchlist": ("nseers.cli.screening", "watchlist_app"),
    "screen": ("nseers.cli.screening", "screen_command"),
    "port": ("nseers.cli.port", "port_app"),
    "retention": ("nseers.cli.retention", "retention_app"),
    "carrier": ("nseers.cli.carrier", "carrier_app"),
    "reminders": ("nseers.cli.traveller_days", "reminders_app"),
    "stay": ("nseers.cli.traveller_days", "stay_command"),
    "refusal": ("nseers.cli.refusals", "refusal_app"),
    "corrections": ("nseers.cli.corrections", "corrections_app"),
}


def load_command(name: str) -> click.Command:
    """Import the module of command ``name`` and build its click command."""
    module_name, attribute = LAZY_COMMANDS[name]
    target = getattr(importlib.import_module(module_name), attribute)
    if isinstance(target, typer.Typer):
        command: click.Command = typer.main.get_group(target)
    else:
        single = typer.Typer()
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """The root group: its own commands first, then the lazily imported ones."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, eager ones in definition order, then the lazy ones."""
        return [*super().list_commands(ctx),
                *(name for name in LAZY_COMMANDS if name not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module the first time it is asked for."""
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            command = self.commands[cmd_name] = load_command(cmd_name)
        return command
