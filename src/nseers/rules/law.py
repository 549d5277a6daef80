"""The law in force on one date, as the decision functions read it.

Wraps :class:`InForce` with the one thing every rule needs: a reason built from the
provision (or the policy value) in force, so that no rule writes a citation by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, NamedTuple, TypeVar

from nseers.rules.ids import ALL_RULE_IDS
from nseers.rules.policy.schema import Dated, Provision
from nseers.rules.policy.store import InForce, Policy
from nseers.rules.result import Reason

#: What a reason cites: citation, source, date of effect and confidence.
_Citation = tuple[str, str, date | None, str | None, Dated | None]
_ABSENT: Any = object()
T = TypeVar("T")

#: Every value :meth:`Law.constant` has built, by its id, and held here so that the id is
#: never reused: what a caller derives from a shared value (``nseers evaluate`` its JSON
#: text) it may keep by that id (issue 18). Bounded by the policy: its epochs times the
#: keys the rules use; past the bound new constants are still shared, only not listed.
SHARED: dict[int, Any] = {}
_SHARED_LIMIT = 100_000
#: Constants kept per epoch (see :meth:`Law.constant`).
_CONSTANTS_PER_EPOCH = 4_096


class _EpochParts(NamedTuple):
    """What every :class:`Law` of one epoch shares (see :meth:`Policy.per_epoch`)."""

    in_force: InForce
    provisions: dict[str, Provision]
    values: dict[str, Any]
    citations: dict[tuple[str, int | str], _Citation]
    constants: dict[Hashable, Any]


class Law:
    """What the rules may consult on one date: parameters, records and provisions.

    ``on`` is the date; ``in_force`` is the law in force throughout its epoch, shared by
    the epoch's days (its own ``on`` is the first day of the epoch a law was asked for).
    """

    __slots__ = ("_citations", "_constants", "_values", "in_force", "on", "policy",
                 "provisions")

    def __init__(self, policy: Policy, on: date) -> None:
        self.on = on
        self.policy = policy
        # Every day of an epoch has the same law in force, so what is read from it is
        # looked up once per epoch, not once per case (issue 18): the law in force itself,
        # the provision each rule cites, the values of parameters, the citation part of
        # each reason and the constants. One lookup gets them all: a stream of cases meets
        # a new date at almost every case, and a copy of the law in force for each date
        # was half the cost of a new date (20,000 cases meet 8,500 dates, and each worker
        # of ``nseers evaluate --workers`` meets most of them again).
        self.in_force: InForce
        (self.in_force, self.provisions, self._values, self._citations,
         self._constants) = policy.per_epoch(on, "law", lambda: _epoch_parts(policy, on))

    def constant(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, built once per epoch and shared by its cases (issue 18).

        Only for an answer that depends on nothing but the law in force and ``key``: not
        on the date (no ``self.on`` in its text) nor on any fact of the case that ``key``
        does not hold. A departure's "inspection does not apply", for one, is the same
        determination, citation and all, for every departure of the epoch, and building it
        again for each was a tenth of the engine's time. Results are immutable, so cases
        may share one.
        """
        try:
            return self._constants[key]  # type: ignore[no-any-return]
        except KeyError:
            value = build()
            # A key may hold a fact of the case (an admission class): past the bound, the
            # answer is built for each case again, and memory stays flat whatever the input.
            if len(self._constants) < _CONSTANTS_PER_EPOCH:
                self._constants[key] = value
                if len(SHARED) < _SHARED_LIMIT:
                    SHARED[id(value)] = value
            return value

    def value(self, parameter_id: str, default: Any = None) -> Any:
        """The value of a parameter in force on this date, or ``default``."""
        try:
            value = self._values[parameter_id]
        except KeyError:
            value = self._values[parameter_id] = self.in_force.value(parameter_id, _ABSENT)
        return default if value is _ABSENT else value

    def first_effective(self, parameter_id: str) -> str:
        """The date the parameter first took effect, for sentences like "began on ..."."""
        history = self.policy.history(parameter_id)
        return history[0].effective_from.isoformat() if history else "a later date"

    def reason(self, rule: str, text: str, values: dict[str, Any] | None = None,
               record: Dated | None = None) -> Reason:
        """A reason citing ``record`` when given (a value the rule used), else the provision."""
        key = (rule, id(record))
        try:
            citation, source, effective, confidence, _ = self._citations[key]
        except KeyError:
            citation, source, effective, confidence, _ = self._cite(key, rule, record)
        return Reason(rule, citation, source, text, values, effective, confidence)

    def parameter_reason(self, rule: str, parameter_id: str, text: str,
                         values: dict[str, Any] | None = None) -> Reason:
        """A reason citing the version of ``parameter_id`` in force.

        Its citation is kept by rule and parameter for the epoch: finding the version in
        force again for every reason was a twentieth of the engine's time (issue 18).
        """
        key = (rule, parameter_id)
        try:
            citation, source, effective, confidence, _ = self._citations[key]
        except KeyError:
            citation, source, effective, confidence, _ = self._cite(
                key, rule, self.in_force.get(parameter_id))
        return Reason(rule, citation, source, text, values, effective, confidence)

    def _cite(self, key: tuple[str, int | str], rule: str, record: Dated | None
              ) -> _Citation:
        """What a reason of ``rule`` citing ``record`` (else the rule's provision) cites,
        kept under ``key`` for the epoch."""
        cited: Dated | None = record if record is not None else self.provisions.get(rule)
        # The entry holds ``record`` so that its id is never reused while it is a key.
        citation: _Citation = (
            ("not cited", "not cited", None, None, record) if cited is None else
            (cited.citation, cited.source, cited.effective_from, cited.confidence.value,
             record))
        self._citations[key] = citation
        return citation


def _epoch_parts(policy: Policy, on: date) -> _EpochParts:
    """What the laws of the epoch that holds ``on`` share. Its law in force is that of
    ``on``: its ``on`` names the first date of the epoch a law was asked for, and any
    other day of the epoch has the same parameters, provisions and records in force."""
    in_force = policy.in_force(on)
    return _EpochParts(in_force, _cited_provisions(policy, in_force), {}, {}, {})


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
