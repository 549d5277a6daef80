"""Arrival inspections and departures (concurrent ones share transactions: see
:mod:`nseers.api.batching`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from nseers.api.access import api_state
from nseers.api.bodies import to_command
from nseers.api.routes.common import (
    PROTECTED,
    DepartureOfficer,
    IdempotencyKey,
    Inspector,
    mark_replay,
    problems,
)
from nseers.api.schemas import ArrivalAnswer, ArrivalIn, DepartureAnswer, DepartureIn
from nseers.services.movements import ArrivalInspection, DepartureRecord

router = APIRouter(tags=["movements"])


@router.post("/arrivals", status_code=201, response_model=ArrivalAnswer,
             responses=problems(*PROTECTED, 404, 409))
async def arrival(request: Request, response: Response, actor: Inspector, body: ArrivalIn,
                  idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Inspect an arriving traveller: evaluate the law of the day, record the encounter and
    the decision; where due, register (a new FIN, secondary officers only) and issue the
    I-94."""
    answer = await api_state(request).movements.submit(
        actor, to_command(ArrivalInspection, body, idempotency_key=idempotency_key))
    return mark_replay(response, answer)


@router.post("/departures", status_code=201, response_model=DepartureAnswer,
             responses=problems(*PROTECTED, 404, 409))
async def departure(request: Request, response: Response, actor: DepartureOfficer,
                    body: DepartureIn, idempotency_key: IdempotencyKey = None
                    ) -> dict[str, Any]:
    """Record a departure; judge a registrant's in-person departure report and record a
    violation where it was not made as required; take the I-94 back."""
    answer = await api_state(request).movements.submit(
        actor, to_command(DepartureRecord, body, idempotency_key=idempotency_key))
    return mark_replay(response, answer)
