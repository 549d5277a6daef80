"""The entry-exit review queue (issue 12): links the linkage model is unsure of.

``nseers entry-exit report --queue`` fills the queue; an analyst lists it (pending by
default, oldest or least probable first, a page at a time), reads one item with both input
rows and the comparison levels that fired, and accepts or rejects the link with a reason.
A decided item answers 409 ``already_decided`` unless the body says ``supersede``: a change
of mind, audited with the decision it replaces. Every read and write is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from nseers.api.access import registry_of, requires
from nseers.api.bodies import RequestBody, request_body, to_command
from nseers.api.routes.common import PROTECTED, IdempotencyKey, mark_replay, problems
from nseers.api.schemas import MAX_ID, ResponseBody
from nseers.core.actors import Actor, Permission
from nseers.services.linkage_reviews import (
    MAX_PER_PAGE,
    ReviewDecision,
    decide_review,
    review_queue,
    show_review,
)

router = APIRouter(tags=["entry-exit"])
LinkReviewer = Annotated[Actor, Depends(requires(Permission.REVIEW_LINKS))]
ReviewId = Annotated[int, Path(ge=1, le=MAX_ID)]

# The body is the command's dataclass, read by request_body; mypy sees the base class.
if TYPE_CHECKING:
    DecisionIn: TypeAlias = RequestBody
else:
    DecisionIn = request_body(ReviewDecision, "ReviewDecisionIn", path=("review_id",))


class ReviewItem(ResponseBody):
    """One pair of feed records in the queue, and the decision once taken."""

    review_id: int
    arrival_record_id: str
    departure_record_id: str
    probability: float
    comparison_levels: dict[str, str]
    arrival: dict[str, Any]
    departure: dict[str, Any]
    run: str
    snapshot: str | None
    published_by: str
    first_seen_at: str
    last_seen_at: str
    status: Literal["pending", "accepted", "rejected"]
    decision: Literal["accept", "reject"] | None
    decided_by: str | None
    decision_reason: str | None
    decided_at: str | None


class DecidedItem(ReviewItem):
    """The item as decided."""

    replayed: bool = False


class ReviewPage(ResponseBody):
    """One page of the queue."""

    items: list[ReviewItem]
    total: int
    page: int
    per_page: int
    pages: int
    status: str
    order: str


@router.get("/entry-exit/reviews", response_model=ReviewPage,
            responses=problems(*PROTECTED))
def queue(request: Request, actor: LinkReviewer,
          status: Literal["pending", "decided", "all"] = "pending",
          order: Literal["oldest", "probability"] = "oldest",
          page: Annotated[int, Query(ge=1, le=MAX_ID)] = 1,
          per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20) -> dict[str, Any]:
    """The review queue, a page at a time: oldest first seen, or least probable, first
    (audited with the items shown)."""
    return review_queue(registry_of(request), actor, status=status, order=order, page=page,
                        per_page=per_page)


@router.get("/entry-exit/reviews/{review_id}", response_model=ReviewItem,
            responses=problems(*PROTECTED, 404))
def item(request: Request, actor: LinkReviewer, review_id: ReviewId) -> dict[str, Any]:
    """One item with both input rows and the comparison levels that fired (audited)."""
    return show_review(registry_of(request), actor, review_id)


@router.post("/entry-exit/reviews/{review_id}/decision", response_model=DecidedItem,
             responses=problems(*PROTECTED, 404, 409))
def decide(request: Request, response: Response, actor: LinkReviewer, review_id: ReviewId,
           body: DecisionIn, idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Accept or reject the link, with a reason; ``supersede`` to change a decision."""
    answer = decide_review(registry_of(request), actor, to_command(
        ReviewDecision, body, review_id=review_id, idempotency_key=idempotency_key))
    return mark_replay(response, answer)
