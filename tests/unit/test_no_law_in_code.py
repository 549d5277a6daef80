"""The law is data (issue 15): the rules name no country in code; which nationals a rule
covers is dated policy data with its citation."""

from __future__ import annotations

import re
from pathlib import Path

from nseers.documents.states import is_known_code

RULES = Path(__file__).parents[2] / "src" / "nseers" / "rules"
QUOTED_CODE = re.compile(r"""["']([A-Z]{3})["']""")


def test_no_rule_module_names_a_country_code() -> None:
    named = {f"{path.name}: {code}" for path in RULES.glob("*.py")
             for code in QUOTED_CODE.findall(path.read_text(encoding="utf-8"))
             if is_known_code(code)}
    assert named == set()
