"""What the engine answers: determinations, each with the reasons that produced it.

A reason is the unit of explanation: the stable rule id, the citation and source in force
on the date, one sentence a lawyer can read, the values the rule used, the date the
provision or value it relied on took effect, and the research's confidence in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nseers.core.frozen import quick_init

DETERMINATIONS = (
    "inspection", "special_registration", "biometrics", "i94", "departure_registration")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if isinstance(value, dict):
        return plain_dict(value)
    return value


def plain_dict(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with dates as ISO text and collections as lists, as results report them."""
    # Scalars are checked inline: results are turned into dicts for every stored
    # encounter, and a call per value was a tenth of the registry's ingest time.
    return {k: v if type(v) in _SCALARS else _plain(v) for k, v in values.items()}


@quick_init
@dataclass(frozen=True, slots=True)
class Reason:
    """Why one part of a determination came out as it did."""

    rule: str
    citation: str
    source: str
    text: str
    values: dict[str, Any] | None = None
    effective: date | None = None
    confidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's form of a reason, with nseers' extra fields."""
        out: dict[str, Any] = {
            "rule": self.rule, "citation": self.citation, "source": self.source,
            "text": self.text,
        }
        if self.values:
            out["values"] = plain_dict(self.values)
        if self.effective is not None:
            out["effective"] = self.effective.isoformat()
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out


@quick_init
@dataclass(frozen=True, slots=True)
class Determination:
    """One question answered: its outcome code, extra facts, and reasons."""

    outcome: str
    reasons: tuple[Reason, ...]
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The contract's form: ``outcome``, any extra fields, then ``reasons``."""
        out: dict[str, Any] = {"outcome": self.outcome}
        if self.details:
            out.update(plain_dict(self.details))
        out["reasons"] = [r.to_dict() for r in self.reasons]
        return out


@quick_init
@dataclass(frozen=True, slots=True)
class PortResolution:
    """How the engine understood the port: from the reference data, or from the case."""

    code: str | None
    mode: str
    state: str | None
    known: bool
    name: str | None
    border: str | None
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The port as the result reports it."""
        out: dict[str, Any] = {"code": self.code, "known": self.known, "mode": self.mode,
                               "state": self.state}
        if self.name:
            out["name"] = self.name
        if self.reasons:
            out["reasons"] = [r.to_dict() for r in self.reasons]
        return out


@quick_init
@dataclass(frozen=True, slots=True)
class Result:
    """Every determination for one case, as of the case's date."""

    date: date
    event: str
    port: PortResolution
    determinations: dict[str, Determination]
    policy_version: str
    case_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The evaluation contract's result, plus ``port``, ``policy_version`` and ``id``."""
        out: dict[str, Any] = {}
        if self.case_id is not None:
            out["id"] = self.case_id
        out["date"] = self.date.isoformat()
        out["event"] = self.event
        out["as_of"] = self.date.isoformat()
        out["policy_version"] = self.policy_version
        out["port"] = self.port.to_dict()
        out["determinations"] = {
            name: self.determinations[name].to_dict() for name in DETERMINATIONS}
        return out
