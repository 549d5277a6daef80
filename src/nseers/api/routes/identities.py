"""Identity merge and split (issue 13): an analyst asks, a second analyst approves.

A merge request moves nothing; ``/approval`` by another user carries it out (the requester
is answered 403), ``/rejection`` closes it. A split moves the named encounters and
documents, and what hangs off them, to a new person. Each is audited with before and after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from fastapi import APIRouter, Depends, Path, Request, Response

from nseers.api.access import registry_of, requires
from nseers.api.bodies import RequestBody, request_body, to_command
from nseers.api.routes.common import PROTECTED, IdempotencyKey, mark_replay, problems
from nseers.api.schemas import MAX_ID, PersonSummary, ResponseBody
from nseers.core.actors import Actor, Permission
from nseers.services.identities import (
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
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


# Each body is its command's dataclass, read by request_body; mypy sees the base class.
if TYPE_CHECKING:
    MergeIn: TypeAlias = RequestBody
    DecisionIn: TypeAlias = RequestBody
    SplitIn: TypeAlias = RequestBody
else:
    MergeIn = request_body(MergeRequest, "MergeIn")
    DecisionIn = request_body(MergeDecision, "MergeDecisionIn", path=("request_id",))
    SplitIn = request_body(Split, "SplitIn", path=("person_id",))


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
    answer = request_merge(registry_of(request), actor, to_command(
        MergeRequest, body, idempotency_key=idempotency_key))
    return mark_replay(response, answer)


@router.post("/identities/merges/{request_id}/approval", response_model=MergeView,
             responses=problems(*PROTECTED, 404, 409))
def approve(request: Request, response: Response, actor: IdentityManager,
            request_id: RequestId, body: DecisionIn,
            idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Approve and carry out a merge; the user who requested it is answered 403."""
    answer = approve_merge(registry_of(request), actor, to_command(
        MergeDecision, body, request_id=request_id, idempotency_key=idempotency_key))
    return mark_replay(response, answer)


@router.post("/identities/merges/{request_id}/rejection", response_model=MergeView,
             responses=problems(*PROTECTED, 404, 409))
def reject(request: Request, response: Response, actor: IdentityManager,
           request_id: RequestId, body: DecisionIn,
           idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Reject a merge, with a reason."""
    answer = reject_merge(registry_of(request), actor, to_command(
        MergeDecision, body, request_id=request_id, idempotency_key=idempotency_key))
    return mark_replay(response, answer)


@router.post("/identities/{person_id}/split", status_code=201, response_model=SplitView,
             responses=problems(*PROTECTED, 404, 409))
def split_person(request: Request, response: Response, actor: IdentityManager,
                 person_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: SplitIn,
                 idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Give the named encounters and documents, and what hangs off them, to a new person."""
    answer = split(registry_of(request), actor, to_command(
        Split, body, person_id=person_id, idempotency_key=idempotency_key))
    return mark_replay(response, answer)
