"""``nseers evaluate``, free of typer: load the law, stream the cases, name every bad field.

The typer command (:mod:`nseers.cli.commands`) and the entry point's plain-form path
(:func:`nseers.cli.main.main`, for ``nseers evaluate SOURCE`` with no option) both call
:func:`evaluate`, so the two give the same bytes and exit status. A failure is printed
here and leaves as :class:`CommandExit` with the status: 1 when the policy data is
invalid, 2 when a case is malformed (nothing is printed on standard output then).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

from nseers.core.errors import FieldProblem, InvalidInputError, PolicyError
from nseers.rules.policy.store import Policy, load_policy

POLICY_DIR_ENV = "NSEERS_POLICY_DIR"


class CommandExit(Exception):  # noqa: N818 - an exit, as click's Exit, not an error
    """The command ends with exit status ``code``; what went wrong is already printed."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def policy(policy_dirs: list[Path] | None) -> Policy:
    """The built-in law plus ``policy_dirs`` and ``$NSEERS_POLICY_DIR``; exit 1 if invalid."""
    directories = list(policy_dirs or [])
    from_env = os.environ.get(POLICY_DIR_ENV)
    if from_env:
        directories.extend(Path(p) for p in from_env.split(os.pathsep) if p)
    try:
        return load_policy(tuple(directories))
    except PolicyError as error:
        _err("the policy data is invalid; nothing was evaluated:")
        for problem in error.problems:
            _err(f"  {problem}")
        raise CommandExit(1) from None


def fail_input(problems: tuple[FieldProblem, ...] | list[FieldProblem],
               heading: str = "malformed case; nothing was evaluated:") -> NoReturn:
    """Print ``heading`` and each problem on standard error; exit 2."""
    _err(heading)
    for problem in problems:
        _err(f"  {problem}")
    raise CommandExit(2)


def evaluate(source: str, policy_dirs: list[Path] | None, *, indent: int | None,
             workers: int) -> None:
    """Evaluate the case file ``source`` (``-``: standard input) onto standard output."""
    from nseers.cli import spans  # noqa: PLC0415 - only this command
    from nseers.cli.stream import evaluate_stream  # noqa: PLC0415 - only this command
    from nseers.rules.engine import Engine  # noqa: PLC0415 - after the policy's problems

    engine = Engine(policy(policy_dirs))
    try:
        if source == "-":
            evaluate_stream(sys.stdin, engine, sys.stdout, indent=indent, workers=workers)
            return
        if not Path(source).is_file():
            from nseers.cli.io import read_text  # noqa: PLC0415 - only to name the file

            read_text(source)  # names the missing file
        with Path(source).open(encoding="utf-8") as handle:
            try:
                evaluate_stream(handle, engine, sys.stdout, indent=indent, workers=workers,
                                path=source)
            except UnicodeDecodeError as error:
                raise spans.not_utf8(error, spans.first_bad_byte(source)) from None
    except UnicodeDecodeError as error:  # standard input: where in it is not known
        fail_input(spans.not_utf8(error, None).problems)
    except InvalidInputError as error:
        fail_input(error.problems)
