"""The shape of policy data: what a dated, cited value looks like, kind by kind.

Every record carries when it took effect (``from``, the effective date, which belongs to
the new rule), optionally when it stopped (``to``, exclusive: the first day it no longer
applies), what law it comes from (``citation``: the CFR or statute section), the document
that made it (``source``: the Federal Register cite or notice), and how sure the research
is of it (``confidence``, the scale of ``rules-research.md``). A repeal or suspension is a
new dated record, never a deletion, so the history of the law stays queryable.

Unknown keys are errors everywhere: a misspelt key would otherwise silently fall back to a
default and change the law without anyone noticing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Alpha3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Confidence(StrEnum):
    """How sure the research is of a fact (``rules-research.md``, confidence scale)."""

    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"
    SEED = "B"


class Strict(BaseModel):
    """Frozen, closed models: an unknown key is an error.

    Their validators are built on first use (``defer_build``), not at import: a start that
    finds the validated policy kept (:mod:`~nseers.rules.policy.compiled`) never validates.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              defer_build=True)


class Dated(Strict):
    """Provenance every policy record carries."""

    effective_from: date = Field(alias="from")
    effective_to: date | None = Field(default=None, alias="to")
    citation: NonEmpty
    source: NonEmpty
    confidence: Confidence
    note: str | None = None

    @model_validator(mode="after")
    def _to_after_from(self) -> Dated:
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            msg = f"'to' ({self.effective_to}) must be after 'from' ({self.effective_from})"
            raise ValueError(msg)
        return self

    def in_force_on(self, on: date) -> bool:
        """Whether this record applies on ``on`` (``from`` inclusive, ``to`` exclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


class Parameter(Dated):
    """One dated value of a named legal parameter (an age, a fee, a distance, a list)."""

    id: NonEmpty
    value: Any


class Provision(Dated):
    """Where in the law a rule lives, as of a date.

    Paragraphs get re-lettered (235.1(d) became 235.1(f) around 2008), so a rule's
    citation is dated data like any value: the stable rule id stays, the citation moves.
    """

    id: NonEmpty
    title: NonEmpty


class PoeDesignation(Dated):
    """Nationalities designated for special registration on arrival (8 CFR 264.1(f)).

    ``match`` says what ties a traveller to the countries: ``nationality`` (any citizenship
    the traveller holds: "nationals or citizens") or ``travel_document`` (the issuer of the
    passport borne, as in the pre-2002 notices). ``applied: false`` keeps an unconfirmed
    report in the data, visible and cited, without the engine acting on it.
    """

    id: NonEmpty
    countries: list[Alpha3] = Field(min_length=1)
    match: Literal["nationality", "travel_document"] = "nationality"
    excluded_class_families: list[NonEmpty] = Field(default_factory=list)
    sex: Literal["M", "F"] | None = None
    age_min: int | None = Field(default=None, ge=0)
    age_max: int | None = Field(default=None, ge=0)
    applied: bool = True


class Window(Strict):
    """An inclusive date window."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            msg = f"window end {self.end} is before its start {self.start}"
            raise ValueError(msg)
        return self

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls inside the window, both ends included."""
        return self.start <= day <= self.end


class Presence(Strict):
    """A call-in notice's presence condition, with its operator exactly as worded."""

    operator: Literal["at_least_until", "after"]
    date: date


class CallInGroup(Dated):
    """A call-in ("domestic") registration group (8 CFR 264.1(f)(4) and its notice)."""

    id: NonEmpty
    group: int = Field(ge=1)
    countries: list[Alpha3] = Field(min_length=1)
    sex: Literal["M", "F"] | None = None
    born_on_or_before: date
    last_admitted_on_or_before: date
    presence: Presence
    asylum_applied_on_or_before: date
    exempt_class_families: list[NonEmpty] = Field(default_factory=list)
    window: Window
    grace_window: Window | None = None


class DeparturePort(Dated):
    """A port designated for special registrants' departures (an affirmative list)."""

    id: NonEmpty
    name: NonEmpty


class DeparturePortList(Dated):
    """How much of a notice's list of designated departure ports the data holds, and when.

    The list is affirmative (8 CFR 264.1(f)): a port not on it is not designated. That
    inference is sound only where the whole list in force is loaded, so each notice's
    coverage is dated data. ``complete: true`` says every port designated on the dates
    ``from``..``to`` is loaded; ``complete: false`` says only part is, and ``gap`` names
    what is missing. A port not on a list that is not known complete is *undetermined*,
    never a violation (docs/decisions/0006-complete-and-partial-port-lists.md).
    """

    id: NonEmpty
    complete: bool
    gap: str | None = None

    @model_validator(mode="after")
    def _gap_named(self) -> DeparturePortList:
        if not self.complete and not (self.gap or "").strip():
            msg = "a list that is not complete must name its gap ('gap')"
            raise ValueError(msg)
        return self


class BorderZone(Dated):
    """How far a Mexican visitor may go without a Form I-94 when admitted at given ports.

    A zone applies to admissions at ``ports`` (codes) or, if none are listed, at every
    land port in ``state`` (or every land port on the border when neither is given).
    ``within_state`` limits the visit to the state of the port of entry.
    """

    id: NonEmpty
    miles: int = Field(gt=0)
    state: StateCode | None = None
    ports: list[NonEmpty] = Field(default_factory=list)
    within_state: bool = False


class Port(Strict):
    """Reference data of a port of entry (not law, so not dated)."""

    code: NonEmpty
    name: NonEmpty
    mode: Literal["air", "sea", "land"]
    state: StateCode
    city: str | None = None
    border: Literal["mexico", "canada"] | None = None


class PolicyFile(Strict):
    """One YAML file of policy data: one kind of record."""

    kind: Literal["parameter", "provision", "poe_designation", "call_in_group", "departure_port",
                  "departure_port_list", "border_zone", "port"]
    title: NonEmpty
    description: str | None = None
    source: str | None = None
    records: list[dict[str, Any]]
    coverage: list[dict[str, Any]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coverage_only_for_ports(self) -> PolicyFile:
        if self.coverage and self.kind != "departure_port":
            msg = "'coverage' belongs only to a departure_port file"
            raise ValueError(msg)
        return self


RECORD_MODELS: dict[str, type[Strict]] = {
    "parameter": Parameter,
    "provision": Provision,
    "poe_designation": PoeDesignation,
    "call_in_group": CallInGroup,
    "departure_port": DeparturePort,
    "departure_port_list": DeparturePortList,
    "border_zone": BorderZone,
    "port": Port,
}
