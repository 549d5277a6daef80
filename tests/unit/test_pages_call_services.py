"""The pages ask the services for the law, never the rules engine (issue 15, fault 4).

An import contract keeps :mod:`nseers.web` off :mod:`nseers.rules`, but the registry the
pages hold carries the rules engine, so a page could still evaluate a case or read the
policy through ``registry.rules.<anything>`` without importing a rule. This test reads the
pages' code for that: a live determination is :func:`nseers.services.law.evaluate_case`,
the law in force :func:`~nseers.services.law.law_in_force`, the ports
:func:`~nseers.services.law.ports`, the I-68 fee :func:`nseers.services.i68.fee_preview`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nseers.web

WEB = Path(nseers.web.__file__).parent


def _reaches_into_the_rules_engine(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(WEB.parent)}:{node.lineno}: .rules.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
            and node.value.attr == "rules"]


def test_no_page_evaluates_a_case_or_reads_the_policy_off_the_rules_engine() -> None:
    found = [hit for path in sorted(WEB.rglob("*.py"))
             for hit in _reaches_into_the_rules_engine(path)]
    assert found == []
