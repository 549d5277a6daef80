"""The law in force on one date, as the decision functions read it.

Wraps :class:`InForce` with the one thing every rule needs: a reason built from the
provision (or the policy value) in force, so that no rule writes a citation by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from nseers.rules.ids import ALL_RULE_IDS
from nseers.rules.policy.schema import Dated, Provision
from nseers.rules.policy.store import InForce, Policy
from nseers.rules.result import Reason


class Law:
    """What the rules may consult on one date: parameters, records and provisions."""

    __slots__ = ("in_force", "on", "policy", "provisions")

    def __init__(self, policy: Policy, on: date) -> None:
        self.on = on
        self.policy = policy
        self.in_force: InForce = policy.in_force(on)
        self.provisions: dict[str, Provision] = policy.per_epoch(
            on, "law.provisions", lambda: _cited_provisions(policy, self.in_force))

    def value(self, parameter_id: str, default: Any = None) -> Any:
        """The value of a parameter in force on this date, or ``default``."""
        return self.in_force.value(parameter_id, default)

    def first_effective(self, parameter_id: str) -> str:
        """The date the parameter first took effect, for sentences like "began on ..."."""
        history = self.policy.history(parameter_id)
        return history[0].effective_from.isoformat() if history else "a later date"

    def reason(self, rule: str, text: str, values: dict[str, Any] | None = None,
               record: Dated | None = None) -> Reason:
        """A reason citing ``record`` when given (a value the rule used), else the provision."""
        cited: Dated | None = record if record is not None else self.provisions.get(rule)
        if cited is None:
            return Reason(rule, "not cited", "not cited", text, values)
        return Reason(rule, cited.citation, cited.source, text, values,
                      cited.effective_from, cited.confidence.value)

    def parameter_reason(self, rule: str, parameter_id: str, text: str,
                         values: dict[str, Any] | None = None) -> Reason:
        """A reason citing the version of ``parameter_id`` in force."""
        return self.reason(rule, text, values, self.in_force.get(parameter_id))


def _cited_provisions(policy: Policy, in_force: InForce) -> dict[str, Provision]:
    """The provision each rule cites: the version in force, else the nearest one."""
    provisions = {}
    for rule in ALL_RULE_IDS:
        provision = in_force.provisions.get(rule) or _nearest(policy, rule, in_force.on)
        if provision is not None:
            provisions[rule] = provision
    return provisions


def _nearest(policy: Policy, rule: str, on: date) -> Provision | None:
    """The provision version closest to ``on`` when none is in force (before or after it)."""
    versions = [p for p in policy.records(Provision) if p.id == rule]
    if not versions:
        return None
    earlier = [p for p in versions if p.effective_from <= on]
    return earlier[-1] if earlier else versions[0]
