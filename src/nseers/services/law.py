"""The law as the adapters ask for it: a case's determinations, the law in force, the ports.

The pages' live determinations (primary and secondary inspection, the departure desk) and
the API's ``POST /evaluations`` ask the rules engine the same question through this one
function, so that neither adapter reaches into :mod:`nseers.rules` (issue 15, fault 4). The
case is the contract's JSON (``shared/spec/evaluation-contract.md``); a malformed one is an
:class:`~nseers.core.errors.InvalidInputError` naming each bad field by its path.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from nseers.rules import case as contract
from nseers.rules.policy.schema import Port
from nseers.rules.policy.store import InForce
from nseers.rules.result import Result
from nseers.services.context import Registry

#: What the contract accepts as a traveller's claimed status, a passport's type and the
#: circumstances of an arrival: the choices the forms offer.
CLAIMED_STATUSES: Final = contract.CLAIMED_STATUSES
PASSPORT_TYPES: Final = contract.PASSPORT_TYPES
CIRCUMSTANCES: Final = contract.CIRCUMSTANCES


def evaluate_case(registry: Registry, case: Any) -> Result:
    """Every determination for ``case`` (parsed JSON) as of its own date, by the law in force
    then; nothing is recorded."""
    return registry.rules.evaluate(contract.parse_case(case))


def law_in_force(registry: Registry, on: date) -> InForce:
    """The law in force on ``on``: every parameter with its dates and citation, the
    designations, call-in groups, departure ports and provisions, and the policy's version.
    """
    return registry.rules.policy.in_force(on)


def record_json(record: Any) -> dict[str, Any]:
    """A policy record as the API and ``nseers policy show`` print it: its YAML keys, JSON
    values, no empty fields."""
    from nseers.rules.policy.validation import dump  # noqa: PLC0415 - pydantic, only here

    return dump(record)


def ports(registry: Registry) -> list[Port]:
    """The ports of entry of the reference data (code, name, state), in file order."""
    return list(registry.rules.policy.ports.values())
