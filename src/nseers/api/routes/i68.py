"""Form I-68: applications, decisions (with the permit), revocations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from nseers.api.access import registry_of
from nseers.api.bodies import to_command
from nseers.api.refusal_bodies import I68ApplicationView, PermitRecord
from nseers.api.routes.common import (
    PROTECTED,
    I68Decider,
    I68Filer,
    I68Reader,
    IdempotencyKey,
    mark_replay,
    problems,
)
from nseers.api.schemas import (
    MAX_ID,
    I68ApplicationAnswer,
    I68ApplicationIn,
    I68DecisionAnswer,
    I68DecisionIn,
    RevocationAnswer,
    RevocationIn,
)
from nseers.services.i68 import (
    I68ApplicationCommand,
    I68DecisionCommand,
    RevocationCommand,
    decide_i68,
    file_i68,
    revoke_permit,
    show_application,
    show_permit,
)

router = APIRouter(prefix="/i68", tags=["I-68"])


@router.post("/applications", status_code=201, response_model=I68ApplicationAnswer,
             responses=problems(*PROTECTED, 404, 409))
def application(request: Request, response: Response, actor: I68Filer,
                body: I68ApplicationIn,
                idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """File a family's application: each member checked against the family definition,
    the fee computed, an early reapplication after a denial refused."""
    command = to_command(I68ApplicationCommand, body, idempotency_key=idempotency_key)
    answer = file_i68(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/applications/{application_id}/decision", response_model=I68DecisionAnswer,
             responses=problems(*PROTECTED, 404, 409))
def decision(request: Request, response: Response, actor: I68Decider,
             application_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: I68DecisionIn,
             idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Approve (the permit, with the validity and conditions of the day) or deny."""
    command = to_command(I68DecisionCommand, body, application_id=application_id,
                         idempotency_key=idempotency_key)
    answer = decide_i68(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/permits/{permit_number}/revocation", response_model=RevocationAnswer,
             responses=problems(*PROTECTED, 404, 409))
def revocation(request: Request, response: Response, actor: I68Decider,
               permit_number: Annotated[str, Path(min_length=1, max_length=20)],
               body: RevocationIn, idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Revoke a boat landing permit."""
    command = to_command(RevocationCommand, body, permit_number=permit_number,
                         idempotency_key=idempotency_key)
    answer = revoke_permit(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.get("/applications/{application_id}", response_model=I68ApplicationView,
            responses=problems(*PROTECTED, 404))
def application_record(request: Request, actor: I68Reader,
                       application_id: Annotated[int, Path(ge=1, le=MAX_ID)]
                       ) -> dict[str, Any]:
    """An application, its members, decision and permit number. Officers who may read
    persons see any; a traveller's account sees only the applications it filed (any other
    is 404). Audited as ``i68.application_read``."""
    return show_application(registry_of(request), actor, application_id)


@router.get("/permits/{permit_number}", response_model=PermitRecord,
            responses=problems(*PROTECTED, 404))
def permit_record(request: Request, actor: I68Reader,
                  permit_number: Annotated[str, Path(min_length=1, max_length=20)]
                  ) -> dict[str, Any]:
    """A permit: validity, conditions, revocation and whether it is valid today. The same
    reading rules as the application; audited as ``i68.permit_read``."""
    return show_permit(registry_of(request), actor, permit_number)
