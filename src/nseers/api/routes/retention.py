"""Retention and erasure (issue 17, EES Art. 34 overlay): the dry run for administrators,
legal holds for district directors, and the anonymous counts kept from erased files.

The API shows the dry run only; erasure itself is ``nseers retention run --apply``, run by
the scheduled job (``docs/retention.md``), so no HTTP request can erase a file.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BeforeValidator, Field

from nseers.api.access import registry_of, requires
from nseers.api.routes.common import (
    PROTECTED,
    AggregateReader,
    IdempotencyKey,
    mark_replay,
    problems,
)
from nseers.api.schemas import EARLIEST, LATEST, MAX_ID, Id, RequestBody, ResponseBody, iso_day
from nseers.core.actors import Actor, Permission
from nseers.services.erasure import anonymous_movements, retention_plan
from nseers.services.legal_holds import (
    MAX_REASON,
    MAX_REFERENCE,
    PlaceHold,
    ReleaseHold,
    list_holds,
    place_hold,
    release_hold,
)

router = APIRouter(tags=["retention"])
RetentionRunner = Annotated[Actor, Depends(requires(Permission.RUN_RETENTION))]
HoldPlacer = Annotated[Actor, Depends(requires(Permission.PLACE_LEGAL_HOLD))]
AsOf = Annotated[date, BeforeValidator(iso_day), Query(
    ge=EARLIEST, le=LATEST, description="The run's date, YYYY-MM-DD")]


class RetentionEntry(ResponseBody):
    """One file in the dry run: its status, dates and the rule, cited."""

    person_id: int
    status: str
    due_on: date | None
    notice_from: date | None
    erase_on: date | None
    notice_given_on: date | None
    holds: list[str]
    tables: list[str]
    rule: str | None
    kind: str | None
    why: str
    citation: str | None
    source: str | None
    effective: date | None
    confidence: str | None
    values: dict[str, Any] | None


class RetentionRule(ResponseBody):
    """The files one rule governs."""

    rule: str
    entries: list[RetentionEntry]


class RetentionPlan(ResponseBody):
    """What a retention run would do on ``as_of`` (nothing is erased)."""

    as_of: date
    counts: dict[str, int]
    rules: list[RetentionRule]


class HoldIn(RequestBody):
    """A legal hold on a person's file."""

    person_id: Id
    reason: Annotated[str, Field(max_length=MAX_REASON)]
    reference: Annotated[str, Field(max_length=MAX_REFERENCE)]


class ReleaseIn(RequestBody):
    """Why a hold ends."""

    reason: Annotated[str, Field(max_length=MAX_REASON)]


class HoldView(ResponseBody):
    """A legal hold."""

    hold_id: int
    person_id: int
    reason: str
    reference: str
    placed_by: str
    placed_at: str
    released_by: str | None
    released_at: str | None
    release_reason: str | None
    active: bool
    replayed: bool = False


class HeldPerson(HoldView):
    """A hold with the held person's name."""

    surname: str
    given_names: str


class ErasedMovementCount(ResponseBody):
    """Movements of erased files in one month, port, kind, class and nationality."""

    month: str
    port: str
    kind: str
    admission_class: str | None
    nationality: str | None
    count: int


@router.get("/retention/plan", response_model=RetentionPlan, responses=problems(*PROTECTED))
def plan(request: Request, actor: RetentionRunner, as_of: AsOf) -> dict[str, Any]:
    """The dry run: every file due, to be noticed, notified or held on ``as_of``, by rule,
    with registry ids only (audited)."""
    return retention_plan(registry_of(request), actor, as_of)


@router.get("/legal-holds", response_model=list[HeldPerson], responses=problems(*PROTECTED))
def holds(request: Request, actor: HoldPlacer,
          active: Annotated[bool, Query(description="only holds not released")] = True,
          ) -> list[dict[str, Any]]:
    """Legal holds with the held person's name (audited)."""
    return list_holds(registry_of(request), actor, active_only=active)


@router.post("/legal-holds", status_code=201, response_model=HoldView,
             responses=problems(*PROTECTED, 404))
def place(request: Request, response: Response, actor: HoldPlacer, body: HoldIn,
          idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Place a hold: the file is kept, whatever its retention period says."""
    answer = place_hold(registry_of(request), actor, PlaceHold(
        body.person_id, body.reason, body.reference, idempotency_key))
    return mark_replay(response, answer)


@router.post("/legal-holds/{hold_id}/release", response_model=HoldView,
             responses=problems(*PROTECTED, 404, 409))
def release(request: Request, response: Response, actor: HoldPlacer,
            hold_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: ReleaseIn,
            idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Release a hold; a released hold answers 409 ``already_released``."""
    answer = release_hold(registry_of(request), actor,
                          ReleaseHold(hold_id, body.reason, idempotency_key))
    return mark_replay(response, answer)


@router.get("/statistics/erased-movements", response_model=list[ErasedMovementCount],
            responses=problems(*PROTECTED))
def erased_movements(request: Request, actor: AggregateReader) -> list[dict[str, Any]]:
    """The anonymous counts kept from erased files (counts only, no names)."""
    return anonymous_movements(registry_of(request), actor)
