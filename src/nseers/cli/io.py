"""Reading cases from files or stdin: one JSON case, a JSON array, or JSON Lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from nseers.core.errors import FieldProblem, InvalidInputError


def read_text(source: str) -> str:
    """The text of ``source``: a path, or ``-`` for standard input."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise InvalidInputError([FieldProblem("input", f"no such file: {source}")])
    return path.read_text(encoding="utf-8")


def read_cases(text: str) -> tuple[list[Any], bool]:
    """The raw cases in ``text`` and whether the input was a batch (array or JSON Lines)."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInputError([FieldProblem("input", "empty: expected a JSON case")])
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError as whole_error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) < 2:
            raise InvalidInputError([FieldProblem(
                "input", f"not valid JSON: {whole_error.msg} at line {whole_error.lineno} "
                         f"column {whole_error.colno}")]) from None
        cases, problems = [], []
        for number, line in enumerate(lines, start=1):
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as error:
                problems.append(FieldProblem(f"line {number}", f"not valid JSON: {error.msg}"))
        if problems:
            raise InvalidInputError(problems) from None
        return cases, True
    if isinstance(document, list):
        return document, True
    return [document], False
