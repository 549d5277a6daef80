"""The facts a command carries about a person and the documents presented.

Commands are plain frozen dataclasses: the API and web layers build them from requests,
the CLI and the demo loader from their own input. ``check_*`` functions name every bad
field by its path, the way the rules engine's case parser does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nseers.core.codes import is_alpha3
from nseers.core.errors import FieldProblem
from nseers.core.limits import DOCUMENT_NUMBER, NAME_PART, too_long
from nseers.core.states import document_issuer
from nseers.core.text import unsafe_character_problem
from nseers.documents.states import is_known_code

SEXES = frozenset({"M", "F", "X"})


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """Who the traveller is. ``person_id`` names a person the registry already knows."""

    surname: str = ""
    given_names: str = ""
    date_of_birth: date | None = None
    sex: str | None = None
    citizenships: tuple[str, ...] = ()
    surname_original: str | None = None
    given_names_original: str | None = None
    script: str | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """A document presented: passport, visa, card... ``number`` identifies it."""

    kind: str
    number: str | None = None
    issuer: str | None = None
    admission_class: str | None = None
    passport_type: str | None = None
    expires_on: date | None = None
    is_machine_read: bool = False


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
