"""The carrier check (issue 17; EES Art. 13; 19 CFR 122.49a): one passenger or a manifest.

A carrier's account asks "may this passenger board?" and learns ``ok_to_board``,
``not_ok_to_board`` or ``no_record`` with the policy's reason codes, nothing else. Each
account is rate-limited by passengers asked about (a manifest costs one per row), and every
passenger asked about leaves an audit entry (:mod:`nseers.services.carrier`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from nseers.api.access import api_state, registry_of, requires
from nseers.api.problems import RateLimited
from nseers.api.routes.common import PROTECTED, problems
from nseers.api.schemas import RequestBody, ResponseBody
from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.services import carrier as service
from nseers.serving.ratelimit import RateLimiter

router = APIRouter(tags=["carriers"])
Carrier = Annotated[Actor, Depends(requires(Permission.CARRIER_CHECK))]
CarrierAnswerCode = Literal["ok_to_board", "not_ok_to_board", "no_record"]


class PassengerIn(RequestBody):
    """A passenger as the booking holds them, and the intended date of travel."""

    document_number: str = Field(min_length=1, max_length=40,
                                 description="As printed (spaces and '<' are dropped)")
    issuing_country: str = Field(pattern=r"^[A-Za-z]{3}$",
                                 description="ICAO 9303 code of the issuing state")
    nationality: str = Field(pattern=r"^[A-Za-z]{3}$", description="ICAO 9303 code")
    surname: str = Field(min_length=1, max_length=200)
    date_of_birth: date
    intended_travel_date: date = Field(
        description="The day the passenger is to travel; from today to the overlay's "
                    "horizon (carrier.query_window_days)")


class ManifestIn(RequestBody):
    """A whole manifest: each row is checked on its own, and a bad row is named by its
    index and field while the others are answered."""

    rows: list[dict[str, Any]] = Field(min_length=1, max_length=service.MAX_MANIFEST_ROWS)


class CarrierAnswer(ResponseBody):
    """The answer and the codes of the carrier policy, and nothing about the person."""

    answer: CarrierAnswerCode
    reason_codes: list[str]


class RowError(ResponseBody):
    """One bad field of a row."""

    path: str
    message: str


class ManifestRow(ResponseBody):
    """One row's answer, or the row's bad fields."""

    index: int
    answer: CarrierAnswerCode | None = None
    reason_codes: list[str] | None = None
    errors: list[RowError] | None = None


class ManifestAnswer(ResponseBody):
    """Every row, in the manifest's order, with the counts."""

    rows: list[ManifestRow]
    answered: int
    rejected: int


async def _take(request: Request, actor: Actor, passengers: int) -> None:
    limiter = api_state(request).carrier_limiter
    if limiter is None:
        return
    if passengers > limiter.capacity:
        raise InvalidInputError([FieldProblem(
            "rows", f"at most {limiter.capacity} passengers per request for this account")])
    wait = limiter.take(actor.username, passengers)
    if wait:
        raise RateLimited(RateLimiter.retry_after(wait))


@router.post("/carrier/check", response_model=CarrierAnswer,
             responses=problems(*PROTECTED, 409, 429))
async def check(request: Request, actor: Carrier, body: PassengerIn) -> dict[str, Any]:
    """May this passenger board on the intended date? (Audited; rate-limited per
    carrier account.)"""
    await _take(request, actor, 1)
    query = service.read_passenger(body.model_dump(mode="json"))
    return await run_in_threadpool(service.check_passenger, registry_of(request), actor,
                                   query)


@router.post("/carrier/manifest", response_model=ManifestAnswer,
             response_model_exclude_none=True, responses=problems(*PROTECTED, 409, 429))
async def manifest(request: Request, actor: Carrier, body: ManifestIn) -> dict[str, Any]:
    """Every passenger of a manifest, answered row by row; bad rows are named by index
    and field, and the rest are answered (audited; each row counts against the limit)."""
    await _take(request, actor, len(body.rows))
    return await run_in_threadpool(service.check_manifest, registry_of(request), actor,
                                   body.rows)
