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

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Final, Literal

from annotated_types import Ge, Gt, MinLen

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


@dataclass(frozen=True)
class Text:
    """A constraint on a text field, as pydantic's ``StringConstraints`` would state it.

    The records are plain dataclasses so that a start which finds the validated policy
    kept (:mod:`~nseers.rules.policy.compiled`) never imports pydantic, a third of such a
    start (issue 18); pydantic reads this marker, and :mod:`annotated_types`' bounds, when
    :mod:`~nseers.rules.policy.validation` checks a file.
    """

    strip_whitespace: bool = False
    min_length: int | None = None
    pattern: str | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler
                                     ) -> CoreSchema:
        from pydantic_core import core_schema  # noqa: PLC0415 - only when validating

        return core_schema.str_schema(strip_whitespace=self.strip_whitespace or None,
                                      min_length=self.min_length, pattern=self.pattern)


NonEmpty = Annotated[str, Text(strip_whitespace=True, min_length=1)]
Alpha3 = Annotated[str, Text(pattern=r"^[A-Z]{3}$")]
StateCode = Annotated[str, Text(pattern=r"^[A-Z]{2}$")]

#: The YAML keys that differ from their field's name (``from`` and ``class`` are Python
#: keywords), by field.
ALIASES: Final = {"effective_from": "from", "effective_to": "to", "admission_class": "class"}


def alias(name: str) -> str:
    """The YAML key of a field."""
    return ALIASES.get(name, name)


class Confidence(StrEnum):
    """How sure the research is of a fact (``rules-research.md``, confidence scale)."""

    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"
    SEED = "B"


class Strict:
    """Frozen, closed records: an unknown key is an error.

    Every record and value of the policy is a frozen, keyword-only dataclass under this
    base, whose ``__pydantic_config__`` is what pydantic reads when it checks one: an
    unknown key is an error, and a field is read by its YAML key (``from`` for
    ``effective_from``) or by its own name.
    """

    __pydantic_config__: ClassVar[Any] = {"extra": "forbid", "populate_by_name": True,
                                       "alias_generator": alias}


@dataclass(frozen=True, kw_only=True)
class Dated(Strict):
    """Provenance every policy record carries."""

    effective_from: date
    effective_to: date | None = None
    citation: NonEmpty
    source: NonEmpty
    confidence: Confidence
    note: str | None = None

    def __post_init__(self) -> None:
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            msg = f"'to' ({self.effective_to}) must be after 'from' ({self.effective_from})"
            raise ValueError(msg)

    def in_force_on(self, on: date) -> bool:
        """Whether this record applies on ``on`` (``from`` inclusive, ``to`` exclusive)."""
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


@dataclass(frozen=True, kw_only=True)
class Parameter(Dated):
    """One dated value of a named legal parameter (an age, a fee, a distance, a list)."""

    id: NonEmpty
    value: Any


@dataclass(frozen=True, kw_only=True)
class Provision(Dated):
    """Where in the law a rule lives, as of a date.

    Paragraphs get re-lettered (235.1(d) became 235.1(f) around 2008), so a rule's
    citation is dated data like any value: the stable rule id stays, the citation moves.
    """

    id: NonEmpty
    title: NonEmpty


@dataclass(frozen=True, kw_only=True)
class PoeDesignation(Dated):
    """Nationalities designated for special registration on arrival (8 CFR 264.1(f)).

    ``match`` says what ties a traveller to the countries: ``nationality`` (any citizenship
    the traveller holds: "nationals or citizens") or ``travel_document`` (the issuer of the
    passport borne, as in the pre-2002 notices). ``applied: false`` keeps an unconfirmed
    report in the data, visible and cited, without the engine acting on it.
    """

    id: NonEmpty
    countries: Annotated[list[Alpha3], MinLen(1)]
    match: Literal["nationality", "travel_document"] = "nationality"
    excluded_class_families: list[NonEmpty] = field(default_factory=list)
    sex: Literal["M", "F"] | None = None
    age_min: Annotated[int, Ge(0)] | None = None
    age_max: Annotated[int, Ge(0)] | None = None
    applied: bool = True


@dataclass(frozen=True, kw_only=True)
class Window(Strict):
    """An inclusive date window."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            msg = f"window end {self.end} is before its start {self.start}"
            raise ValueError(msg)

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls inside the window, both ends included."""
        return self.start <= day <= self.end


@dataclass(frozen=True, kw_only=True)
class Presence(Strict):
    """A call-in notice's presence condition, with its operator exactly as worded."""

    operator: Literal["at_least_until", "after"]
    date: date


@dataclass(frozen=True, kw_only=True)
class CallInGroup(Dated):
    """A call-in ("domestic") registration group (8 CFR 264.1(f)(4) and its notice)."""

    id: NonEmpty
    group: Annotated[int, Ge(1)]
    countries: Annotated[list[Alpha3], MinLen(1)]
    sex: Literal["M", "F"] | None = None
    born_on_or_before: date
    last_admitted_on_or_before: date
    presence: Presence
    asylum_applied_on_or_before: date
    exempt_class_families: list[NonEmpty] = field(default_factory=list)
    window: Window
    grace_window: Window | None = None


@dataclass(frozen=True, kw_only=True)
class DeparturePort(Dated):
    """A port designated for special registrants' departures (an affirmative list)."""

    id: NonEmpty
    name: NonEmpty


@dataclass(frozen=True, kw_only=True)
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

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.complete and not (self.gap or "").strip():
            msg = "a list that is not complete must name its gap ('gap')"
            raise ValueError(msg)


@dataclass(frozen=True, kw_only=True)
class BorderZone(Dated):
    """How far a Mexican visitor may go without a Form I-94 when admitted at given ports.

    A zone applies to admissions at ``ports`` (codes) or, if none are listed, at every
    land port in ``state`` (or every land port on the border when neither is given).
    ``within_state`` limits the visit to the state of the port of entry.
    """

    id: NonEmpty
    miles: Annotated[int, Gt(0)]
    state: StateCode | None = None
    ports: list[NonEmpty] = field(default_factory=list)
    within_state: bool = False


@dataclass(frozen=True, kw_only=True)
class Port(Strict):
    """Reference data of a port of entry (not law, so not dated)."""

    code: NonEmpty
    name: NonEmpty
    mode: Literal["air", "sea", "land"]
    state: StateCode
    city: str | None = None
    border: Literal["mexico", "canada"] | None = None


@dataclass(frozen=True, kw_only=True)
class PolicyFile(Strict):
    """One YAML file of policy data: one kind of record."""

    kind: Literal["parameter", "provision", "poe_designation", "call_in_group", "departure_port",
                  "departure_port_list", "border_zone", "port"]
    title: NonEmpty
    description: str | None = None
    source: str | None = None
    records: list[dict[str, Any]]
    coverage: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.coverage and self.kind != "departure_port":
            msg = "'coverage' belongs only to a departure_port file"
            raise ValueError(msg)


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
