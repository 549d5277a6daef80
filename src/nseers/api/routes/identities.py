"""Identity merge and split (issue 13): an analyst asks, a second analyst approves.

A merge request moves nothing; ``/approval`` by another user carries it out (the requester
is answered 403), ``/rejection`` closes it. A split moves the named encounters and
documents, and what hangs off them, to a new person. Each is audited with before and after.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import Field

from nseers.api.access import registry_of, requires
from nseers.api.routes.common import PROTECTED, IdempotencyKey, mark_replay, problems
from nseers.api.schemas import MAX_ID, Id, PersonIn, PersonSummary, RequestBody, ResponseBody
from nseers.core.actors import Actor, Permission
from nseers.services.identities import (
    MAX_TEXT,
    MergeDecision,
    MergeRequest,
    Split,
    approve_merge,
    pending_merges,
    reject_merge,
    request_merge,
    split,
)

router = APIRouter(tags=["identities"])
IdentityManager = Annotated[Actor, Depends(requires(Permission.MANAGE_IDENTITIES))]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


class MergeIn(RequestBody):
    """Fold ``absorbed_id`` into ``survivor_id``: what shows they are one person, and why."""

    survivor_id: Id
    absorbed_id: Id
    evidence: Text
    reason: Text


class DecisionIn(RequestBody):
    """Why the merge is approved (optional) or rejected (required)."""

    reason: Text = ""


class SplitIn(RequestBody):
    """The encounters and documents that belong to someone else, and who that is."""

    person: PersonIn
    reason: Text
    encounter_ids: list[Id] = Field(default_factory=list, max_length=1000)
    document_ids: list[Id] = Field(default_factory=list, max_length=1000)


class MergeView(ResponseBody):
    """A merge request and, once approved, the ids of every row it moved."""

    request_id: int
    survivor_id: int
    absorbed_id: int
    evidence: str
    reason: str
    status: str
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None
    moved: dict[str, Any] | None
    replayed: bool = False


class EncounterLine(ResponseBody):
    """One encounter of a record under review."""

    id: int
    kind: str
    port_code: str
    occurred_on: str
    outcome: str


class DocumentLine(ResponseBody):
    """One document of a record under review."""

    id: int
    kind: str
    number: str
    issuing_state: str


class ReviewedRecord(PersonSummary):
    """One side of a pending merge."""

    names: list[str]
    documents: list[DocumentLine]
    encounters: list[EncounterLine]
    fins: list[str]


class PendingMerge(MergeView):
    """A pending merge with both records side by side."""

    survivor: ReviewedRecord
    absorbed: ReviewedRecord


class SplitView(ResponseBody):
    """The new person and the ids of the rows moved to it, by table."""

    person_id: int
    new_person_id: int
    moved: dict[str, list[Any]]
    fin: dict[str, Any]
    replayed: bool = False


@router.get("/identities/merges", response_model=list[PendingMerge],
            responses=problems(*PROTECTED))
def pending(request: Request, actor: IdentityManager) -> list[dict[str, Any]]:
    """Pending merge requests with both records side by side (audited)."""
    return pending_merges(registry_of(request), actor)


@router.post("/identities/merges", status_code=201, response_model=MergeView,
             responses=problems(*PROTECTED, 404, 409))
def ask(request: Request, response: Response, actor: IdentityManager, body: MergeIn,
        idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Request a merge; nothing moves until another user approves it."""
    answer = request_merge(registry_of(request), actor, MergeRequest(
        body.survivor_id, body.absorbed_id, body.evidence, body.reason, idempotency_key))
    return mark_replay(response, answer)


@router.post("/identities/merges/{request_id}/approval", response_model=MergeView,
             responses=problems(*PROTECTED, 404, 409))
def approve(request: Request, response: Response, actor: IdentityManager,
            request_id: RequestId, body: DecisionIn,
            idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Approve and carry out a merge; the user who requested it is answered 403."""
    answer = approve_merge(registry_of(request), actor,
                           MergeDecision(request_id, body.reason, idempotency_key))
    return mark_replay(response, answer)


@router.post("/identities/merges/{request_id}/rejection", response_model=MergeView,
             responses=problems(*PROTECTED, 404, 409))
def reject(request: Request, response: Response, actor: IdentityManager,
           request_id: RequestId, body: DecisionIn,
           idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Reject a merge, with a reason."""
    answer = reject_merge(registry_of(request), actor,
                          MergeDecision(request_id, body.reason, idempotency_key))
    return mark_replay(response, answer)


@router.post("/identities/{person_id}/split", status_code=201, response_model=SplitView,
             responses=problems(*PROTECTED, 404, 409))
def split_person(request: Request, response: Response, actor: IdentityManager,
                 person_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: SplitIn,
                 idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Give the named encounters and documents, and what hangs off them, to a new person."""
    answer = split(registry_of(request), actor, Split(
        person_id, body.person.facts(), body.reason, tuple(body.encounter_ids),
        tuple(body.document_ids), idempotency_key))
    return mark_replay(response, answer)
