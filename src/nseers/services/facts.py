"""The facts a command carries about a person and the documents presented.

Commands are plain frozen dataclasses: the API and web layers build them from requests,
the CLI and the demo loader from their own input. ``check_*`` functions name every bad
field by its path, the way the rules engine's case parser does.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Annotated, Any

from annotated_types import Ge, Le, MaxLen, MinLen, doc

from nseers.core.codes import is_alpha3
from nseers.core.errors import FieldProblem
from nseers.core.fields import ClassCode, CountryCode, DocumentNumber, NamePart, OneOf, RecordId
from nseers.core.limits import DOCUMENT_NUMBER, NAME_PART, too_long
from nseers.core.states import document_issuer
from nseers.core.text import unsafe_character_problem
from nseers.documents.states import is_known_code
from nseers.rules.case import CIRCUMSTANCES, DOCUMENT_KINDS

SEXES = frozenset({"M", "F", "X"})

# The closed lists a command's fields choose from; the case parser's own where it has one,
# so the API's documented choices cannot drift from what the rules read.
Sex = Annotated[str, OneOf(("M", "F", "X"))]
Mode = Annotated[str, OneOf(("air", "sea", "land"))]
ClaimedStatus = Annotated[str, OneOf(("us_citizen", "lpr", "nonimmigrant", "immigrant",
                                      "refugee", "none"))]
DocumentKind = Annotated[str, OneOf(sorted(DOCUMENT_KINDS))]
PassportType = Annotated[str, OneOf(("regular", "diplomatic", "official"))]
Circumstance = Annotated[str, OneOf(CIRCUMSTANCES)]


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """Who the traveller is. ``person_id`` names a person the registry already knows."""

    surname: NamePart = ""
    given_names: NamePart = ""
    date_of_birth: date | None = None
    sex: Sex | None = None
    citizenships: Annotated[tuple[CountryCode, ...], MaxLen(10)] = ()
    surname_original: Annotated[NamePart | None, doc("the surname in its original script")] \
        = None
    given_names_original: NamePart | None = None
    script: Annotated[Annotated[str, MaxLen(4)] | None, doc("ISO 15924 code, e.g. Arab")] \
        = None
    person_id: RecordId | None = None


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """A document presented: passport, visa, card... ``number`` identifies it."""

    kind: DocumentKind
    number: DocumentNumber | None = None
    issuer: CountryCode | None = None
    admission_class: Annotated[ClassCode | None, doc("a visa's class")] = None
    passport_type: PassportType | None = None
    expires_on: date | None = None
    is_machine_read: bool = False


#: The documents a command presents: at most 20.
Documents = Annotated[tuple[DocumentFacts, ...], MaxLen(20)]


@dataclass(frozen=True, slots=True)
class Itinerary:
    """How far from the border and how long the traveller means to go, as the traveller
    states it at inspection: the facts of the case's ``itinerary``
    (:class:`nseers.rules.case.Itinerary`), with the bounds a request may give."""

    max_distance_from_border_miles: Annotated[float, Ge(0), Le(100_000)] | None = None
    length_of_stay_days: Annotated[float, Ge(0), Le(100_000)] | None = None
    length_of_stay_hours: Annotated[float, Ge(0), Le(10_000_000)] | None = None
    destination: Annotated[str, MinLen(1), MaxLen(100)] | None = None

    def case(self) -> dict[str, Any]:
        """The evaluation contract's ``itinerary``: the facts given, no others."""
        return {f.name: value for f in fields(self)
                if (value := getattr(self, f.name)) is not None}


def check_person(person: PersonFacts, path: str = "person") -> list[FieldProblem]:
    """Problems with the person's facts (none when ``person_id`` is given)."""
    if person.person_id is not None:
        return []
    problems = []
    if not person.surname.strip():
        problems.append(FieldProblem(f"{path}.surname", "required"))
    if person.sex is not None and person.sex not in SEXES:
        problems.append(FieldProblem(f"{path}.sex", f"must be one of M, F, X, not {person.sex!r}"))
    for name in ("surname", "given_names", "surname_original", "given_names_original"):
        value = getattr(person, name) or ""
        problem = too_long(value, NAME_PART) or unsafe_character_problem(value)
        if problem is not None:
            problems.append(FieldProblem(f"{path}.{name}", problem))
    for index, country in enumerate(person.citizenships):
        if not is_alpha3(country) or not is_known_code(country):
            problems.append(FieldProblem(f"{path}.citizenships[{index}]",
                                         f"not an ICAO Doc 9303 three-letter code: "
                                         f"{country!r}"))
    return problems


def check_plausible(person: PersonFacts, on: date, path: str = "person"
                    ) -> list[FieldProblem]:
    """Facts that cannot be true of a person seen on ``on``: born later."""
    if person.date_of_birth is not None and person.date_of_birth > on:
        return [FieldProblem(f"{path}.date_of_birth",
                             f"after the date of the event ({on.isoformat()}): a date of "
                             f"birth cannot be in the future")]
    return []


def check_documents(documents: tuple[DocumentFacts, ...],
                    path: str = "documents") -> list[FieldProblem]:
    """Problems with the documents presented."""
    problems = []
    for index, document in enumerate(documents):
        if document.number is not None and not document.number.strip():
            problems.append(FieldProblem(f"{path}[{index}].number", "empty"))
        elif (long := too_long(document.number, DOCUMENT_NUMBER)) is not None:
            problems.append(FieldProblem(f"{path}[{index}].number", long))
        if document.number and document.number.strip() and \
                document_issuer(document.kind, document.issuer) is None:
            problems.append(FieldProblem(f"{path}[{index}].issuer",
                                         f"required: the state that issued this {document.kind}"
                                         f" (only the United States' own documents may leave "
                                         f"it out)"))
        if document.issuer is not None and (not is_alpha3(document.issuer)
                                            or not is_known_code(document.issuer)):
            problems.append(FieldProblem(f"{path}[{index}].issuer",
                                         f"not an ICAO Doc 9303 three-letter code: "
                                         f"{document.issuer!r}"))
    return problems
