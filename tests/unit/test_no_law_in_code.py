"""The law is data (issue 15): the rules name no country in code; which nationals a rule
covers is dated policy data with its citation; and the demo population names no date on
which the law changes (its Visa Waiver Program and TN dates were literals)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from nseers.documents.states import is_known_code
from nseers.rules.policy.schema import Dated
from nseers.rules.policy.store import default_policy

RULES = Path(__file__).parents[2] / "src" / "nseers" / "rules"
QUOTED_CODE = re.compile(r"""["']([A-Z]{3})["']""")


def test_no_rule_module_names_a_country_code() -> None:
    named = {f"{path.name}: {code}" for path in RULES.glob("*.py")
             for code in QUOTED_CODE.findall(path.read_text(encoding="utf-8"))
             if is_known_code(code)}
    assert named == set()


DEMO = Path(__file__).parents[2] / "src" / "nseers" / "demo"
DATE_LITERAL = re.compile(r"\bdate\(\s*(\d{4}),\s*(\d{1,2}),\s*(\d{1,2})\s*\)")


def policy_dates() -> set[date]:
    """Every day on which a record of the built-in policy takes effect or ends."""
    days = set()
    for record in policy_records():
        days.add(record.effective_from)
        if record.effective_to is not None:
            days.add(record.effective_to)
    return days


def policy_records() -> list[Dated]:
    policy = default_policy()
    return [record for document in policy.documents for record in document.records
            if isinstance(record, Dated)]


def test_no_demo_module_names_a_date_on_which_the_law_changes() -> None:
    """The demo draws test data from the rules; a date of law written in it (the Visa
    Waiver Program's designations, the 2015 Act's bar, the 2008 TN rule) would drift from
    the policy the rules read."""
    changes = policy_dates()
    named = {f"{path.name}: {day}" for path in sorted(DEMO.rglob("*.py"))
             for day in (date(*map(int, match.groups()))
                         for match in DATE_LITERAL.finditer(path.read_text(encoding="utf-8")))
             if day in changes}
    assert named == set()


def test_the_visa_waiver_program_and_the_tn_period_are_dated_policy() -> None:
    ids = {str(getattr(record, "id", "")) for record in policy_records()}
    assert {"visa_waiver.program_countries", "visa_waiver.barred_nationalities",
            "stay.tn_max_admission_years"} <= ids
