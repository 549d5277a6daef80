"""Refusals of entry (issue 17; 8 CFR 235.3, 235.4; EES Art. 18): record, read, the codes
in force and the statistics by ground and port."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BeforeValidator

from nseers.api.access import PUBLIC, registry_of
from nseers.api.bodies import to_command
from nseers.api.refusal_bodies import (
    RefusalAnswer,
    RefusalCodes,
    RefusalCount,
    RefusalIn,
    RefusalView,
)
from nseers.api.routes.common import (
    PROTECTED,
    AggregateReader,
    IdempotencyKey,
    PersonReader,
    RefusalRecorder,
    mark_replay,
    problems,
)
from nseers.api.schemas import EARLIEST, LATEST, MAX_ID, iso_day
from nseers.services.refusals import RefusalCommand, record_refusal, refusal_codes, show_refusal
from nseers.services.statistics import refusals_by_ground_and_port

router = APIRouter(tags=["refusals"])
Day = Annotated[date, BeforeValidator(iso_day), Query(ge=EARLIEST, le=LATEST,
                                                      description="YYYY-MM-DD")]


@router.post("/refusals", status_code=201, response_model=RefusalAnswer,
             responses=problems(*PROTECTED, 404, 409))
def refuse(request: Request, response: Response, actor: RefusalRecorder, body: RefusalIn,
           idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Record a refusal of entry: the person (found by id or identity document, else
    created), the coded grounds, procedure and disposition checked against the law of the
    day, the refusal encounter; answers the person's earlier refusals too."""
    command = to_command(RefusalCommand, body, idempotency_key=idempotency_key)
    answer = record_refusal(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.get("/refusals/codes", response_model=RefusalCodes,
            dependencies=[Depends(PUBLIC)], responses=problems())
def codes(request: Request, as_of: Day | None = None) -> dict[str, Any]:
    """The coded grounds, procedures and dispositions in force on a date (default today):
    the law, so public."""
    registry = registry_of(request)
    return refusal_codes(registry, as_of or registry.clock().date())


@router.get("/refusals/{refusal_id}", response_model=RefusalView,
            responses=problems(*PROTECTED, 404))
def refusal(request: Request, actor: PersonReader,
            refusal_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict[str, Any]:
    """One refusal with its explanation (audited as ``refusal.read``)."""
    return show_refusal(registry_of(request), actor, refusal_id)


@router.get("/statistics/refusals", response_model=list[RefusalCount],
            responses=problems(*PROTECTED))
def refusal_statistics(request: Request, actor: AggregateReader,
                       start: Annotated[date, BeforeValidator(iso_day),
                                        Query(alias="from", ge=EARLIEST, le=LATEST)],
                       end: Annotated[date, BeforeValidator(iso_day),
                                      Query(alias="to", ge=EARLIEST, le=LATEST)]
                       ) -> list[dict[str, Any]]:
    """How often each ground was charged at each port, ``from`` to ``to`` (counts only)."""
    return refusals_by_ground_and_port(registry_of(request), actor, start, end)
