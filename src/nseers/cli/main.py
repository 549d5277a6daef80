"""The entry point of the ``nseers`` command (and of ``python -m nseers``).

Most of a one-case ``nseers evaluate`` used to be spent starting typer: importing it and
building every command's parser from its signature (issue 18). The plain form,
``nseers evaluate SOURCE`` with no option, needs none of that, so :func:`main` runs it
directly through :mod:`nseers.cli.evaluate`, exactly as the typer command would: the same
output, the same exit status (0, 1 for invalid policy data, 2 for a malformed case, 130
when interrupted, 1 on a closed pipe). Every other command line, options and ``--help``
included, goes to the typer application in :mod:`nseers.cli.commands`.

``from nseers.cli.main import app`` still works: names other than :func:`main` are looked
up in :mod:`nseers.cli.commands` on first use.
"""

from __future__ import annotations

import errno
import sys
from typing import Any, NoReturn

from nseers.logs import configure_logging


def is_plain_evaluate(args: list[str]) -> bool:
    """Whether ``args`` is ``evaluate SOURCE`` and nothing else (``-`` is standard input)."""
    return (len(args) == 2 and args[0] == "evaluate"
            and (args[1] == "-" or not args[1].startswith("-")))


def _plain_evaluate(source: str) -> NoReturn:
    """``nseers evaluate SOURCE`` with typer's defaults, ended as typer ends a command."""
    from nseers.cli.evaluate import CommandExit, evaluate  # noqa: PLC0415 - this path only

    try:
        evaluate(source, None, indent=None, workers=1)
    except CommandExit as done:
        sys.exit(done.code)
    except KeyboardInterrupt:
        sys.exit(130)
    except EOFError:
        print(file=sys.stderr)
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper  # noqa: PLC0415 - as typer does

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        sys.exit(1)
    sys.exit(0)


def main() -> None:
    """Entry point of the ``nseers`` script."""
    # Issue 16: one logging configuration for the CLI and the server (nseers.logs).
    configure_logging()
    if is_plain_evaluate(sys.argv[1:]):
        _plain_evaluate(sys.argv[2])
    from nseers.cli.commands import app  # noqa: PLC0415 - see the module's docstring

    app()


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # the import system's probes (``__path__``) load nothing
        raise AttributeError(name)
    from nseers.cli import commands  # noqa: PLC0415 - see the module's docstring

    return getattr(commands, name)
