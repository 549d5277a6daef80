"""Traveller self-service: the I-94 lookup of the CBP I-94 website, anonymous and
rate-limited."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nseers.api.access import client_address, registry_of
from nseers.api.bodies import to_command
from nseers.api.routes.common import Traveller, problems
from nseers.api.schemas import I94LookupIn, I94Standing
from nseers.services.self_service import I94Lookup, lookup_i94

router = APIRouter(prefix="/self-service", tags=["self-service"])


@router.post("/i94", response_model=I94Standing, responses=problems(404, 429))
def i94_lookup(request: Request, actor: Traveller, body: I94LookupIn) -> dict[str, Any]:
    """Your most recent I-94, your arrivals and departures, and the days left on your
    admission (or overstayed), from the name, date of birth and document number exactly as
    in your passport. No sign-in; limited per address; any mismatch is the same 404."""
    return lookup_i94(registry_of(request), actor,
                      to_command(I94Lookup, body, client=client_address(request)))
