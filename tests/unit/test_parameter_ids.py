"""Every parameter id the code names is one the policy holds (issue 15: 37 ids looked up by
unchecked strings, where a typo silently answered the default).

Two guards: this test reads the source for every id written as a literal and checks it
against the built-in policy; and at run time :meth:`InForce.value` refuses an id the
policy holds on no date with a ``PolicyError`` (a parameter simply not in force on the
date still answers the default).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from nseers.core.errors import PolicyError
from nseers.rules.policy.parameters import PARAMETERS
from nseers.rules.policy.store import default_policy

SOURCE = Path(__file__).parents[2] / "src" / "nseers"
LOOKUPS = (
    re.compile(r"\.(?:value|first_effective|history)\(\s*\"([a-z0-9_]+\.[a-z0-9_.]+)\""),
    re.compile(r"\.parameter_reason\(\s*[^,()]+,\s*\"([a-z0-9_]+\.[a-z0-9_.]+)\""),
)


def named_ids() -> dict[str, list[str]]:
    """Each literal parameter id in the source, with the files that name it."""
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in LOOKUPS:
            for match in pattern.finditer(text):
                found.setdefault(match.group(1), []).append(path.name)
    return found


def test_the_source_names_parameters_by_literal_ids() -> None:
    assert len(named_ids()) >= 30


def test_every_parameter_id_in_the_source_is_in_the_policy() -> None:
    known = set(PARAMETERS)
    unknown = {pid: files for pid, files in named_ids().items() if pid not in known}
    assert unknown == {}


def test_a_misspelt_id_fails_loudly_and_an_id_out_of_force_answers_the_default() -> None:
    in_force = default_policy().in_force(date(2003, 6, 15))
    with pytest.raises(PolicyError, match=r"special_registration\.cal_in_notice_days"):
        in_force.value("special_registration.cal_in_notice_days", 30)
    # Departure photographs of all aliens began in 2025: not in force in 2003, not a typo.
    assert in_force.value("biometrics.departure_photograph_all_aliens", "none") == "none"
