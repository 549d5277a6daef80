"""Persons: search, show, timeline, compliance report, I-94 records, stays, a
registration's obligations. Every answer comes from an audited service read."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BeforeValidator

from nseers.api.access import registry_of
from nseers.api.routes.common import PROTECTED, PersonReader, problems
from nseers.api.schemas import (
    EARLIEST,
    LATEST,
    MAX_ID,
    ComplianceReport,
    I94View,
    PersonRecord,
    PersonStays,
    PersonSummary,
    RegistrationReport,
    Timeline,
    iso_day,
)
from nseers.core.errors import NotFoundError
from nseers.services.people import search_persons, show_person
from nseers.services.reports import compliance_report, timeline
from nseers.services.stays import person_stays

router = APIRouter(tags=["persons"])

PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="The person's registry id")]
AsOf = Annotated[date, BeforeValidator(iso_day),
                 Query(ge=EARLIEST, le=LATEST, description="YYYY-MM-DD")]


@router.get("/persons", response_model=list[PersonSummary], responses=problems(*PROTECTED))
def search(request: Request, actor: PersonReader,
           name: Annotated[str | None, Query(min_length=1, max_length=200,
                                             description="A name in any script: surname, "
                                                         "or given names and surname")] = None,
           date_of_birth: Annotated[date | None, Query(ge=EARLIEST, le=LATEST)] = None,
           document_number: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
           fin: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
           limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    """Persons matching every criterion given (at least one): a name in any script, a date
    of birth, a document number or a FIN. Audited with the criteria and the ids found."""
    return search_persons(registry_of(request), actor, name=name, date_of_birth=date_of_birth,
                          document_number=document_number, fin=fin, limit=limit)


@router.get("/persons/{person_id}", response_model=PersonRecord,
            responses=problems(*PROTECTED, 404))
def show(request: Request, actor: PersonReader, person_id: PersonId) -> dict[str, Any]:
    """A person's identity, documents and registrations (audited)."""
    return show_person(registry_of(request), actor, person_id)


@router.get("/persons/{person_id}/timeline", response_model=Timeline,
            responses=problems(*PROTECTED, 404))
def person_timeline(request: Request, actor: PersonReader,
                    person_id: PersonId) -> dict[str, Any]:
    """Every encounter, registration, I-94, violation and permit, oldest first (audited)."""
    return timeline(registry_of(request), actor, person_id)


@router.get("/persons/{person_id}/compliance", response_model=ComplianceReport,
            responses=problems(*PROTECTED, 404))
def compliance(request: Request, actor: PersonReader, person_id: PersonId,
               as_of: AsOf) -> dict[str, Any]:
    """Every obligation of every registration of the person, judged as of a date, with the
    evidence (audited)."""
    return compliance_report(registry_of(request), actor, person_id, as_of)


@router.get("/persons/{person_id}/i94", response_model=list[I94View],
            responses=problems(*PROTECTED, 404))
def i94_records(request: Request, actor: PersonReader,
                person_id: PersonId) -> list[dict[str, Any]]:
    """The person's I-94 records, oldest first (audited as ``person.i94_read``)."""
    events = timeline(registry_of(request), actor, person_id,
                      read_as="person.i94_read")["events"]
    return [event for event in events if event["type"] == "i94"]


@router.get("/persons/{person_id}/stays", response_model=PersonStays,
            responses=problems(*PROTECTED, 404))
def stays(request: Request, actor: PersonReader, person_id: PersonId,
          as_of: Annotated[date | None, BeforeValidator(iso_day), Query(
              ge=EARLIEST, le=LATEST, description="YYYY-MM-DD; default today")] = None
          ) -> dict[str, Any]:
    """Each admission, newest first: the expected departure date, the days remaining or
    over, and the departure that closed it with its source and confidence, by the overstay
    report's definitions (audited as ``person.stays_read``)."""
    return person_stays(registry_of(request), actor, person_id, as_of)


@router.get("/registrations/{fin}/obligations", response_model=RegistrationReport,
            responses=problems(*PROTECTED, 404))
def obligations(request: Request, actor: PersonReader,
                fin: Annotated[str, Path(min_length=1, max_length=20)],
                as_of: Annotated[date | None, Query(
                    ge=EARLIEST, le=LATEST,
                    description="YYYY-MM-DD; default today")] = None) -> dict[str, Any]:
    """A registration's obligations, each judged as of a date, with its evidence, its
    violations and waivers (audited: the FIN search and the compliance report)."""
    registry = registry_of(request)
    found = search_persons(registry, actor, fin=fin, limit=1)
    if not found:
        raise NotFoundError("registration with FIN", fin)
    day = as_of or registry.clock().date()
    report = compliance_report(registry, actor, found[0]["id"], day)
    wanted = fin.replace("-", "").strip()
    for registration in report["registrations"]:
        if registration["fin"] == wanted:
            answer: dict[str, Any] = registration
            return answer
    raise NotFoundError(f"registration with FIN registered by {day.isoformat()}", fin)
