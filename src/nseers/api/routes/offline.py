"""Offline port journals (issue 17): forward a journal entry; the conflicts found, for review.

A workstation that journaled arrivals while the link was down sends them here one by one,
in order, when it returns (see :mod:`nseers.services.offline` and docs/offline-ports.md).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field

from nseers.api.access import registry_of, requires
from nseers.api.bodies import to_command
from nseers.api.routes.common import PROTECTED, problems
from nseers.api.schemas import MAX_ID, ArrivalIn, Instant, RequestBody
from nseers.core.actors import Actor, Permission
from nseers.services import offline as service
from nseers.services.movements import ArrivalInspection

router = APIRouter(tags=["offline ports"])
Forwarder = Annotated[Actor, Depends(requires(Permission.FORWARD_OFFLINE))]
Reviewer = Annotated[Actor, Depends(requires(Permission.ADJUDICATE_HIT))]
Mac = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$",
                           description="HMAC-SHA256, 64 lower-case hex digits")]


class JournalEntryIn(RequestBody):
    """One entry of a workstation's offline journal, with its place in the chain."""

    workstation_id: str = Field(min_length=1, max_length=80)
    sequence: int = Field(ge=1, le=MAX_ID, description="1, 2, 3, ... without gaps")
    previous_mac: Mac
    mac: Mac
    recorded_at: Instant
    idempotency_key: str = Field(min_length=1, max_length=200,
                                 description="the key the arrival was first tried with")
    inspected_by: str | None = Field(None, max_length=120,
                                     description="the officer signed in at the workstation")
    arrival: ArrivalIn

    def entry(self) -> service.JournalEntry:
        return service.JournalEntry(
            workstation_id=self.workstation_id, sequence=self.sequence,
            previous_mac=self.previous_mac, mac=self.mac, recorded_at=self.recorded_at,
            arrival=to_command(ArrivalInspection, self.arrival,
                               idempotency_key=self.idempotency_key),
            inspected_by=self.inspected_by,
            sent=self.arrival.model_dump(mode="json", exclude_none=True))


class ResolutionIn(RequestBody):
    """What the secondary officer found."""

    resolution: str = Field(min_length=1, max_length=2000)


@router.post("/offline/arrivals", response_model=dict[str, Any],
             responses=problems(*PROTECTED, 404, 409))
def forward(request: Request, actor: Forwarder, body: JournalEntryIn) -> dict[str, Any]:
    """Forward one journaled arrival: recorded once, at its original time, in its
    workstation's order; a conflict is recorded for review (409 ``out_of_sequence`` or
    ``broken_chain`` when the entry is not the next one of the chain)."""
    return service.forward_arrival(registry_of(request), actor, body.entry())


@router.get("/offline/conflicts", response_model=list[dict[str, Any]],
            responses=problems(*PROTECTED))
def conflicts(request: Request, actor: Reviewer,
              status: Annotated[Literal["open", "resolved", "all"], Query()] = "open"
              ) -> list[dict[str, Any]]:
    """The same person processed at two ports while offline (audited per person)."""
    return service.list_conflicts(registry_of(request), actor,
                                  None if status == "all" else status)


@router.post("/offline/conflicts/{conflict_id}/resolution", response_model=dict[str, Any],
             responses=problems(*PROTECTED, 404, 409))
def resolve(request: Request, actor: Reviewer, body: ResolutionIn,
            conflict_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict[str, Any]:
    """Close a conflict with the secondary officer's finding."""
    return service.resolve_conflict(registry_of(request), actor, conflict_id,
                                    body.resolution)
