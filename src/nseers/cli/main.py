"""The entry point of the ``nseers`` command (and of ``python -m nseers``).

Most of a one-case ``nseers evaluate`` used to be spent starting typer: importing it and
building every command's parser from its signature (issue 18). The plain form,
``nseers evaluate SOURCE`` with no option, needs none of that, so :func:`main` runs it
directly through :mod:`nseers.cli.evaluate`, exactly as the typer command would: the same
output, the same exit status (0, 1 for invalid policy data, 2 for a malformed case, 130
when interrupted, 1 on a closed pipe). So do the command's own options when each is given
at most once with a plain value (``--workers 2``, ``--indent=0``, ``--policy-dir DIR``):
starting typer cost a two-worker run on 20,000 cases a twentieth of its time. Every other
command line (``--help``, an unknown option, a value typer would refuse or read otherwise)
goes to the typer application in :mod:`nseers.cli.commands`, which names the fault.

``from nseers.cli.main import app`` still works: names other than :func:`main` are looked
up in :mod:`nseers.cli.commands` on first use.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NoReturn

from nseers.logs import configure_logging


@dataclass(frozen=True, slots=True)
class PlainEvaluate:
    """``nseers evaluate`` as typer would read it: the source and the options' values."""

    source: str
    policy_dirs: tuple[Path, ...] = ()
    indent: int | None = None
    workers: int = 1


def plain_evaluate(args: list[str]) -> PlainEvaluate | None:
    """``args`` read as ``evaluate [OPTIONS] SOURCE``, or ``None`` where typer must decide.

    Only what typer reads the same way is taken: one source (``-`` is standard input);
    ``--workers`` (1 or more) and ``--indent`` at most once each with a value of ASCII
    digits; ``--policy-dir`` with a value that does not look like an option, as often as
    given; each value after a space or an ``=``. Anything else, ``--help`` and ``--``
    included, is typer's to read and, where it is wrong, to name.
    """
    if not args or args[0] != "evaluate":
        return None
    source: str | None = None
    numbers: dict[str, int] = {}
    policy_dirs: list[Path] = []
    rest = iter(args[1:])
    for word in rest:
        if word == "-" or not word.startswith("-"):
            if source is not None:
                return None
            source = word
            continue
        name, equals, value = word.partition("=")
        if name not in _OPTIONS:
            return None
        if not equals:
            value = next(rest, "")
        if not value or value.startswith("-"):
            return None
        if name == "--policy-dir":
            policy_dirs.append(Path(value))
            continue
        if name in numbers or not (value.isascii() and value.isdigit()):
            return None
        numbers[name] = int(value)
    if source is None or numbers.get("--workers", 1) < 1:
        return None
    return PlainEvaluate(source, tuple(policy_dirs), numbers.get("--indent"),
                         numbers.get("--workers", 1))


#: The options of ``nseers evaluate`` (:func:`nseers.cli.commands.evaluate`).
_OPTIONS: Final = frozenset({"--policy-dir", "--indent", "--workers"})


def _plain_evaluate(command: PlainEvaluate) -> NoReturn:
    """``nseers evaluate`` as the typer command runs it, ended as typer ends a command."""
    from nseers.cli.evaluate import CommandExit, evaluate  # noqa: PLC0415 - this path only

    try:
        evaluate(command.source, list(command.policy_dirs) or None, indent=command.indent,
                 workers=command.workers)
        sys.stdout.flush()
    except CommandExit as done:
        _exit_now(done.code)
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
    _exit_now(0)


def _exit_now(code: int) -> NoReturn:
    """End the process with ``code`` once what it wrote is out, skipping the interpreter's
    teardown: freeing, object by object, the law of every date and the encoded reasons
    that ``evaluate`` kept took 50 to 90 ms after 20,000 cases, a fifteenth of the run
    (issue 18). Logging is shut down first, as at a normal exit, and the output is flushed;
    nothing else is registered to run at exit on this path."""
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main() -> None:
    """Entry point of the ``nseers`` script."""
    # Issue 16: one logging configuration for the CLI and the server (nseers.logs).
    configure_logging()
    command = plain_evaluate(sys.argv[1:])
    if command is not None:
        _plain_evaluate(command)
    from nseers.cli.commands import app  # noqa: PLC0415 - see the module's docstring

    app()


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # the import system's probes (``__path__``) load nothing
        raise AttributeError(name)
    from nseers.cli import commands  # noqa: PLC0415 - see the module's docstring

    return getattr(commands, name)
