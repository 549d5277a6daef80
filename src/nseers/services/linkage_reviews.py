"""The entry-exit review queue (issue 12): an analyst accepts or rejects an unsure link.

``nseers entry-exit report --queue`` publishes the probabilistic links under the confident
threshold (:class:`~nseers.entry_exit.definitions.LinkageSettings`) here, one item per pair
of feed records: a re-run that finds the pair again updates the item (its probability,
evidence, rows and ``last_seen_at``), never adds a second one, and never touches a decision
taken. An analyst reads the queue (oldest or least probable first), looks at both input
rows side by side with the comparison levels that fired, and accepts or rejects the link
with a reason. The decisions are applied on every later run
(:func:`decisions_to_apply`): a rejected link is never used again, and a decided pair is not
queued again.

A decision is not re-decided silently: deciding an item already decided is refused
(``already_decided``) unless the analyst says it is a change of mind (``supersede``); the
new decision then replaces the old one and the audit entry keeps both, before and after.

The items hold persons' data (names, birth dates, documents), so every read is audited
like a read of a person's record, with the purpose the actor gave; every write is audited
with what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from annotated_types import doc
from sqlalchemy import func, select, true, tuple_

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import IdempotencyKey, LongText, OneOf, RecordId
from nseers.db.uow import UnitOfWork
from nseers.entry_exit.report import Decision
from nseers.registry.linkage_reviews import RECORD_ID_LENGTH, RUN_LENGTH, LinkageReview
from nseers.services.context import Registry
from nseers.services.registrants import once

DECISIONS: Final = ("accept", "reject")
#: How the queue can be read: the oldest first (first seen), or the least probable first.
ORDERS: Final = ("oldest", "probability")
#: Which items: not yet decided, decided, or every one.
STATUSES: Final = ("pending", "decided", "all")
MAX_PER_PAGE: Final = 200
MAX_REASON: Final = 4000
_CHUNK: Final = 500


# ------------------------------------------------------------------ publishing
@dataclass(frozen=True, slots=True)
class QueueItem:
    """One unsure link of a run, with what the analyst needs to judge it."""

    arrival_record_id: str
    departure_record_id: str
    probability: float
    #: Comparison name -> the level that fired, in words.
    comparison_levels: Mapping[str, str] = field(default_factory=dict)
    #: The two input rows as the feeds gave them (column -> value).
    arrival: Mapping[str, Any] = field(default_factory=dict)
    departure: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QueuePublication:
    """A run's review queue, to put before the analysts."""

    run: str
    items: tuple[QueueItem, ...]
    snapshot: str | None = None


def _check_publication(publication: QueuePublication) -> None:
    problems: list[FieldProblem] = []
    if not publication.run.strip() or len(publication.run) > RUN_LENGTH:
        problems.append(FieldProblem("run", f"required, at most {RUN_LENGTH} characters"))
    if publication.snapshot is not None and len(publication.snapshot) > RUN_LENGTH:
        problems.append(FieldProblem("snapshot", f"at most {RUN_LENGTH} characters"))
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(publication.items):
        for name in ("arrival_record_id", "departure_record_id"):
            value = getattr(item, name)
            if not value.strip() or len(value) > RECORD_ID_LENGTH:
                problems.append(FieldProblem(f"items[{index}].{name}",
                                             f"required, at most {RECORD_ID_LENGTH} characters"))
        if not 0.0 <= item.probability <= 1.0:
            problems.append(FieldProblem(f"items[{index}].probability", "between 0 and 1"))
        pair = (item.arrival_record_id, item.departure_record_id)
        if pair in seen:
            problems.append(FieldProblem(f"items[{index}]", "the same pair twice in one run"))
        seen.add(pair)
    if problems:
        raise InvalidInputError(problems)


def _existing(uow: UnitOfWork, pairs: list[tuple[str, str]]
              ) -> dict[tuple[str, str], LinkageReview]:
    found: dict[tuple[str, str], LinkageReview] = {}
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start:start + _CHUNK]
        query = select(LinkageReview).where(tuple_(
            LinkageReview.arrival_record_id, LinkageReview.departure_record_id).in_(chunk))
        for review in uow.session.execute(query).scalars():
            found[(review.arrival_record_id, review.departure_record_id)] = review
    return found


def publish_queue(registry: Registry, actor: Actor,
                  publication: QueuePublication) -> dict[str, Any]:
    """Put a run's unsure links in the queue: new pairs are added, pairs already queued are
    updated (a decided pair keeps its decision). One audit entry names the run and counts."""
    _check_publication(publication)
    with registry.work(actor, Permission.REVIEW_LINKS) as uow:
        pairs = [(i.arrival_record_id, i.departure_record_id) for i in publication.items]
        existing = _existing(uow, pairs)
        added: list[LinkageReview] = []
        updated: list[int] = []
        decided: list[int] = []
        for item in publication.items:
            review = existing.get((item.arrival_record_id, item.departure_record_id))
            if review is None:
                review = LinkageReview(
                    arrival_record_id=item.arrival_record_id,
                    departure_record_id=item.departure_record_id,
                    published_by=uow.actor.username, first_seen_at=uow.now)
                uow.session.add(review)
                added.append(review)
            elif review.decision is not None:
                decided.append(review.id)
            else:
                updated.append(review.id)
            review.probability = float(item.probability)
            review.comparison_levels = dict(item.comparison_levels)
            review.arrival = dict(item.arrival)
            review.departure = dict(item.departure)
            review.run = publication.run
            review.snapshot = publication.snapshot
            review.last_seen_at = uow.now
        uow.session.flush()
        answer = {"run": publication.run, "snapshot": publication.snapshot,
                  "queued": len(added), "updated": len(updated),
                  "already_decided": len(decided),
                  "pending": _count(uow, "pending")}
        uow.audit("entry_exit.review.publish", "linkage_reviews", None,
                  run=publication.run, snapshot=publication.snapshot,
                  added=[r.id for r in added], updated=updated, already_decided=decided)
        uow.commit()
        return answer


# --------------------------------------------------------------------- reading
def _status(review: LinkageReview) -> str:
    if review.decision is None:
        return "pending"
    return "accepted" if review.decision == "accept" else "rejected"


def _view(review: LinkageReview) -> dict[str, Any]:
    return {"review_id": review.id, "arrival_record_id": review.arrival_record_id,
            "departure_record_id": review.departure_record_id,
            "probability": review.probability,
            "comparison_levels": dict(review.comparison_levels),
            "arrival": dict(review.arrival), "departure": dict(review.departure),
            "run": review.run, "snapshot": review.snapshot,
            "published_by": review.published_by,
            "first_seen_at": review.first_seen_at.isoformat(),
            "last_seen_at": review.last_seen_at.isoformat(),
            "status": _status(review), "decision": review.decision,
            "decided_by": review.decided_by, "decision_reason": review.decision_reason,
            "decided_at": None if review.decided_at is None else review.decided_at.isoformat()}


def _where(status: str) -> Any:
    if status == "pending":
        return LinkageReview.decision.is_(None)
    if status == "decided":
        return LinkageReview.decision.is_not(None)
    return true()


def _count(uow: UnitOfWork, status: str) -> int:
    return int(uow.session.execute(select(func.count()).select_from(LinkageReview).where(
        _where(status))).scalar_one())


def _choice(problems: list[FieldProblem], name: str, value: str,
            allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        problems.append(FieldProblem(name, f"one of {', '.join(allowed)}"))


def review_queue(registry: Registry, actor: Actor, *, status: str = "pending",
                 order: str = "oldest", page: int = 1, per_page: int = 20) -> dict[str, Any]:
    """One page of the queue: ``oldest`` first seen first, or lowest ``probability``
    first (then by pair). Audited with the ids shown, as a read of persons' data."""
    problems: list[FieldProblem] = []
    _choice(problems, "status", status, STATUSES)
    _choice(problems, "order", order, ORDERS)
    if page < 1:
        problems.append(FieldProblem("page", "at least 1"))
    if not 1 <= per_page <= MAX_PER_PAGE:
        problems.append(FieldProblem("per_page", f"between 1 and {MAX_PER_PAGE}"))
    if problems:
        raise InvalidInputError(problems)
    first = (LinkageReview.first_seen_at if order == "oldest"
             else LinkageReview.probability)
    with registry.work(actor, Permission.REVIEW_LINKS) as uow:
        total = _count(uow, status)
        rows = uow.session.execute(
            select(LinkageReview).where(_where(status))
            .order_by(first, LinkageReview.probability, LinkageReview.arrival_record_id,
                      LinkageReview.departure_record_id, LinkageReview.id)
            .offset((page - 1) * per_page).limit(per_page)).scalars().all()
        items = [_view(r) for r in rows]
        uow.audit("entry_exit.review.list", "linkage_reviews", None, status=status,
                  order=order, page=page, shown=[r.id for r in rows])
        uow.commit()
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": max(1, -(-total // per_page)), "status": status, "order": order}


def show_review(registry: Registry, actor: Actor, review_id: int) -> dict[str, Any]:
    """One item of the queue with both input rows (audited)."""
    with registry.work(actor, Permission.REVIEW_LINKS) as uow:
        review = uow.session.get(LinkageReview, review_id)
        if review is None:
            raise NotFoundError("review item", review_id)
        uow.audit("entry_exit.review.read", review, None,
                  arrival_record_id=review.arrival_record_id,
                  departure_record_id=review.departure_record_id)
        uow.commit()
        return _view(review)


# -------------------------------------------------------------------- deciding
@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """Accept or reject the link of one review item, with the reason."""

    review_id: RecordId
    decision: Annotated[str, OneOf(DECISIONS)]
    reason: LongText
    supersede: Annotated[bool, doc(
        "true to change a decision already taken (a change of mind); the earlier decision "
        "stays in the audit trail")] = False
    idempotency_key: IdempotencyKey = None


def _before(review: LinkageReview) -> dict[str, Any] | None:
    if review.decision is None:
        return None
    return {"decision": review.decision, "decided_by": review.decided_by,
            "reason": review.decision_reason,
            "decided_at": None if review.decided_at is None else review.decided_at.isoformat()}


def decide_review(registry: Registry, actor: Actor, command: ReviewDecision) -> dict[str, Any]:
    """Accept or reject a link. A decided item is re-decided only with ``supersede``; the
    audit entry then holds the decision it replaces (before) and the new one (after)."""
    problems: list[FieldProblem] = []
    _choice(problems, "decision", command.decision, DECISIONS)
    if not command.reason.strip():
        problems.append(FieldProblem("reason", "required: say why the link is accepted or "
                                               "rejected"))
    elif len(command.reason) > MAX_REASON:
        problems.append(FieldProblem("reason", f"at most {MAX_REASON} characters"))
    if problems:
        raise InvalidInputError(problems)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        review = uow.session.get(LinkageReview, command.review_id)
        if review is None:
            raise NotFoundError("review item", command.review_id)
        before = _before(review)
        if before is not None and not command.supersede:
            raise ConflictError(
                "already_decided",
                f"review item {review.id} was {_status(review)} by {review.decided_by}; "
                f"send supersede to change the decision")
        review.decision = command.decision
        review.decided_by = uow.actor.username
        review.decision_reason = command.reason.strip()
        review.decided_at = uow.now
        uow.audit("entry_exit.review.decide", review, None, review_id=review.id,
                  arrival_record_id=review.arrival_record_id,
                  departure_record_id=review.departure_record_id,
                  before=before, after=_before(review))
        return _view(review)
    return once(registry, actor, Permission.REVIEW_LINKS, operation="linkage_review_decide",
                command=command, work=work)


def decisions_to_apply(registry: Registry, actor: Actor) -> list[Decision]:
    """Every decision taken, for a run of the report to apply (audited with the count)."""
    with registry.work(actor, Permission.REVIEW_LINKS) as uow:
        rows = uow.session.execute(
            select(LinkageReview).where(LinkageReview.decision.is_not(None))
            .order_by(LinkageReview.id)).scalars().all()
        decisions = [Decision(r.arrival_record_id, r.departure_record_id,
                              "accept" if r.decision == "accept" else "reject",
                              r.decided_by or "", r.decision_reason or "") for r in rows]
        uow.audit("entry_exit.review.decisions", "linkage_reviews", None,
                  decisions=len(decisions))
        uow.commit()
        return decisions
