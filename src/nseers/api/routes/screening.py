"""Watchlist screening: screen one traveller or a batch, the hit queue and adjudication,
list versions (history and upload). Issue 14; every answer comes from an audited service."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field

from nseers.api.access import registry_of, requires
from nseers.api.routes.common import PROTECTED, problems
from nseers.api.schemas import MAX_ID, RequestBody, ResponseBody
from nseers.core.actors import Actor, Permission
from nseers.screening.model import ScreeningQuery
from nseers.services import screening as service

router = APIRouter(tags=["screening"])
Screener = Annotated[Actor, Depends(requires(Permission.SCREEN))]
Adjudicator = Annotated[Actor, Depends(requires(Permission.ADJUDICATE_HIT))]
ListReader = Annotated[Actor, Depends(requires(Permission.READ_WATCHLISTS))]
ListLoader = Annotated[Actor, Depends(requires(Permission.LOAD_DATA))]


class QueryIn(RequestBody):
    """Who is screened: a name in any script; birth date and nationality if known."""

    id: str = Field(default="", max_length=200)
    name: str = Field(min_length=1, max_length=300)
    date_of_birth: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                      description="YYYY, YYYY-MM or YYYY-MM-DD")
    nationality: str | None = Field(default=None, pattern=r"^[A-Za-z]{1,3}$",
                                    description="ISO 3166 alpha-2 or alpha-3 (as in an MRZ)")

    def to_query(self) -> ScreeningQuery:
        """The pure query (a malformed date becomes a 422 naming the field)."""
        return ScreeningQuery.from_dict(self.model_dump(), "body")


class BatchIn(RequestBody):
    """Up to 1,000 queries screened in one request."""

    queries: list[QueryIn] = Field(min_length=1, max_length=1000)
    limit: int = Field(default=5, ge=1, le=50)


class CandidateView(ResponseBody):
    """A listed person the query may be: score 0..1, match, and why."""

    id: str
    score: float
    match: bool
    explanation: dict[str, Any]


class ScreeningAnswer(ResponseBody):
    """A query's candidates, best first."""

    id: str
    candidates: list[CandidateView]


class AdjudicationIn(RequestBody):
    """The secondary officer's decision on a hit."""

    decision: Literal["true_match", "false_match", "needs_review"]
    note: str = Field(default="", max_length=2000)


class ListVersionIn(RequestBody):
    """A list file's content (CSV or FollowTheMoney JSON lines) as text."""

    filename: str = Field(min_length=1, max_length=300)
    content: str = Field(min_length=1, max_length=50_000_000)


def _today(request: Request) -> date:
    return registry_of(request).clock().date()


@router.post("/screening", response_model=ScreeningAnswer, responses=problems(*PROTECTED))
def screen_one(request: Request, actor: Screener, body: QueryIn,
               limit: Annotated[int, Query(ge=1, le=50)] = 5) -> dict[str, Any]:
    """Screen one traveller against the current lists (audited)."""
    return service.screen(registry_of(request), actor, [body.to_query()], _today(request),
                          limit)[0]


@router.post("/screening/batch", response_model=list[ScreeningAnswer],
             responses=problems(*PROTECTED))
def screen_batch(request: Request, actor: Screener, body: BatchIn) -> list[dict[str, Any]]:
    """Screen up to 1,000 travellers in one request (audited)."""
    return service.screen(registry_of(request), actor, [q.to_query() for q in body.queries],
                          _today(request), body.limit)


@router.get("/screening/hits", response_model=list[dict[str, Any]],
            responses=problems(*PROTECTED))
def hits(request: Request, actor: Adjudicator,
         status: Annotated[Literal["open", "true_match", "false_match", "needs_review", "all"],
                           Query()] = "open") -> list[dict[str, Any]]:
    """The hit queue for secondary inspection (each hit shown is audited)."""
    return service.list_hits(registry_of(request), actor, None if status == "all" else status)


@router.post("/screening/hits/{hit_id}/adjudication", response_model=dict[str, Any],
             responses=problems(*PROTECTED, 404))
def adjudication(request: Request, actor: Adjudicator, body: AdjudicationIn,
                 hit_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict[str, Any]:
    """Record a true match, a false match (remembered for this list version) or a review."""
    return service.adjudicate(registry_of(request), actor, hit_id, body.decision, body.note)


@router.get("/watchlists/versions", response_model=list[dict[str, Any]],
            responses=problems(*PROTECTED))
def versions(request: Request, actor: ListReader) -> list[dict[str, Any]]:
    """Every version of every list, newest first, with its delta."""
    return service.list_versions(registry_of(request), actor)


@router.post("/watchlists/{source}/versions", status_code=201, response_model=dict[str, Any],
             responses=problems(*PROTECTED, 409))
def load(request: Request, actor: ListLoader, body: ListVersionIn,
         source: Annotated[str, Path(min_length=1, max_length=120,
                                     pattern=r"^[A-Za-z0-9_.-]+$")]) -> dict[str, Any]:
    """Store a new version of ``source``; malformed rows are reported, the rest loads."""
    return service.load_watchlist(registry_of(request), actor, body.content.encode("utf-8"),
                                  source, body.filename)



