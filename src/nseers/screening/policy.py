"""The dated thresholds and weights of screening, read from policy data.

``data/screening.yaml`` holds versions, each in force from a date, for all lists (``list:
null``) or for one list. :meth:`ScreeningPolicy.for_list` gives the version in force on a
date for a list: the list's own if it has one in force, else the default. Unknown keys and
missing weights are errors, so a misspelt weight cannot silently count for nothing.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nseers.core.errors import FieldProblem, PolicyError


class Points(BaseModel):
    """What birth date and nationality add to (or take from) the name similarity."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dob_exact: float
    dob_swapped: float
    dob_year: float
    dob_mismatch: float = Field(le=0)
    nationality_match: float
    nationality_mismatch: float = Field(le=0)


class ScreeningRule(BaseModel):
    """One version of the thresholds: in force from ``from``, for ``list`` or all lists."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    effective: date = Field(alias="from")
    list: str | None = None
    threshold: float = Field(gt=0, le=1)
    name_floor: float = Field(gt=0, le=1)
    points: Points
    citation: str
    rationale: str

    def describe(self) -> dict[str, object]:
        """What an explanation says of the policy it applied."""
        return {"from": self.effective.isoformat(), "list": self.list,
                "threshold": self.threshold, "name_floor": self.name_floor,
                "citation": self.citation}


class ScreeningPolicy:
    """All versions of the screening thresholds, by list and date."""

    def __init__(self, rules: list[ScreeningRule]) -> None:
        if not any(rule.list is None for rule in rules):
            raise PolicyError([FieldProblem("screening", "no default version (list: null)")])
        self.rules = sorted(rules, key=lambda r: r.effective)

    def for_list(self, list_name: str | None, on: date) -> ScreeningRule:
        """The version in force on ``on`` for ``list_name``, else the default in force."""
        for wanted in (list_name, None) if list_name else (None,):
            in_force = [r for r in self.rules if r.list == wanted and r.effective <= on]
            if in_force:
                return in_force[-1]
        earliest = [r for r in self.rules if r.list is None]
        return earliest[0]


def load_screening_policy(path: Path | None = None) -> ScreeningPolicy:
    """The built-in screening policy, or one read from ``path``; invalid data is refused."""
    if path is None:
        text = resources.files("nseers.screening").joinpath("data/screening.yaml").read_text(
            encoding="utf-8")
        where = "screening.yaml"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    document = yaml.safe_load(text)
    records = document.get("records") if isinstance(document, dict) else None
    if not isinstance(records, list):
        raise PolicyError([FieldProblem(where, "expected a mapping with a list of records")])
    rules: list[ScreeningRule] = []
    problems: list[FieldProblem] = []
    for number, record in enumerate(records):
        try:
            rules.append(ScreeningRule.model_validate(record))
        except ValidationError as error:
            problems.extend(FieldProblem(
                f"{where}: records[{number}]." + ".".join(str(p) for p in issue["loc"]),
                issue["msg"]) for issue in error.errors())
    if problems:
        raise PolicyError(problems)
    return ScreeningPolicy(rules)
