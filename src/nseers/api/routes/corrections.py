"""Correction and redress (issue 17; Privacy Act 5 U.S.C. 552a(d); EES Art. 35, 52): file
a request (an officer, or the traveller with their passport details), the director's
queue, acknowledgement and decision, the request, its evidence and the letter."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field

from nseers.api.access import client_address, registry_of, requires
from nseers.api.bodies import request_body, to_command
from nseers.api.routes.common import (
    PROTECTED,
    IdempotencyKey,
    PersonReader,
    Traveller,
    mark_replay,
    problems,
)
from nseers.api.schemas import MAX_ID, Day, Id, Name, RequestBody
from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.services import corrections as service
from nseers.services.correction_letters import (
    correction_letter,
    letter_text,
    own_correction_letter,
)
from nseers.services.correction_values import (
    EVIDENCE_TYPES,
    FIELDS,
    MAX_EVIDENCE_BYTES,
    EvidenceIn,
)

router = APIRouter(tags=["corrections"])
Requester = Annotated[Actor, Depends(requires(Permission.REQUEST_CORRECTION))]
Decider = Annotated[Actor, Depends(requires(Permission.DECIDE_CORRECTION))]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]
FIELD_PATTERN = "^(" + "|".join(re.escape(name) for name in FIELDS) + ")$"


class ItemIn(RequestBody):
    """One field of one record to correct, and the value asked for."""

    field: str = Field(pattern=FIELD_PATTERN,
                       description="record.field, from the closed list of correctable fields")
    requested_value: Annotated[str, Field(min_length=1, max_length=300)]
    record_id: Id | None = Field(default=None, description="the document, I-94 or "
                                                            "encounter; default: the only "
                                                            "or most recent one")


class EvidenceFileIn(RequestBody):
    """A file attached to the request (PDF, PNG, JPEG or plain text), base64-encoded."""

    filename: Annotated[str, Field(min_length=1, max_length=300)]
    content_base64: Annotated[str, Field(min_length=1,
                                         max_length=(MAX_EVIDENCE_BYTES * 4) // 3 + 8)]


class CorrectionIn(RequestBody):
    """A request to correct a person's records, by the person or a representative."""

    items: list[ItemIn] = Field(min_length=1, max_length=20)
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    requester_name: Annotated[str, Field(min_length=1, max_length=300)]
    representative_name: Annotated[str | None, Field(max_length=300)] = None
    representative_reference: Annotated[str | None, Field(
        max_length=120, description="e.g. the Form G-28 on file")] = None
    contact: Annotated[str | None, Field(max_length=500)] = None
    evidence: list[EvidenceFileIn] = Field(default_factory=list, max_length=5)

    def command(self, person_id: int | None, received_on: date | None,
                key: str | None) -> service.CorrectionRequestCommand:
        """The service's command; undecodable evidence is a 422 naming the file."""
        files = []
        for index, item in enumerate(self.evidence):
            try:
                data = base64.b64decode(item.content_base64, validate=True)
            except (binascii.Error, ValueError):
                raise InvalidInputError([FieldProblem(
                    f"evidence[{index}].content_base64", "not base64")]) from None
            files.append(EvidenceIn(item.filename, data))
        return service.CorrectionRequestCommand(
            items=tuple(service.CorrectionItemIn(i.field, i.requested_value, i.record_id)
                        for i in self.items),
            reason=self.reason, requester_name=self.requester_name, person_id=person_id,
            representative_name=self.representative_name,
            representative_reference=self.representative_reference, contact=self.contact,
            evidence=tuple(files), received_on=received_on, idempotency_key=key)


class OfficerCorrectionIn(CorrectionIn):
    """A request an officer files for a person the registry knows."""

    person_id: Id
    received_on: Day | None = Field(default=None, description="default: today")


class OwnCorrectionIn(CorrectionIn):
    """A traveller's request about their own records, with the passport details that
    prove who they are (as for the I-94 lookup)."""

    surname: Annotated[str, Field(min_length=1, max_length=200)]
    given_names: Name = ""
    date_of_birth: Day
    document_number: Annotated[str, Field(min_length=1, max_length=40)]


class OwnLetterIn(RequestBody):
    """A request's reference and the passport details of the person it is about."""

    reference: Annotated[str, Field(min_length=1, max_length=20,
                                    description="as on the answer: COR-000042")]
    surname: Annotated[str, Field(min_length=1, max_length=200)]
    given_names: Name = ""
    date_of_birth: Day
    document_number: Annotated[str, Field(min_length=1, max_length=40)]


if TYPE_CHECKING:
    DecisionIn: TypeAlias = RequestBody
else:
    DecisionIn = request_body(service.CorrectionDecisionCommand, "DecisionIn",
                              path=("request_id",))


class AcknowledgementIn(RequestBody):
    """When the receipt was acknowledged (default: today)."""

    acknowledged_on: Day | None = None


@router.post("/corrections", status_code=201, response_model=dict[str, Any],
             responses=problems(*PROTECTED, 404))
def file(request: Request, response: Response, actor: Requester, body: OfficerCorrectionIn,
         idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """File a request to correct a person's records (deadlines from the policy in force
    on the day of receipt)."""
    answer = service.file_correction(registry_of(request), actor, body.command(
        body.person_id, body.received_on, idempotency_key))
    return mark_replay(response, answer)


@router.post("/self-service/corrections", status_code=201, response_model=dict[str, Any],
             responses=problems(404, 429))
def file_own(request: Request, response: Response, actor: Traveller, body: OwnCorrectionIn,
             idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Ask for your own record to be corrected: give the name, date of birth and passport
    number exactly as in your passport (any mismatch is the same 404). No sign-in."""
    proof = service.IdentityProof(body.surname, body.given_names, body.date_of_birth,
                                  body.document_number)
    answer = service.file_own_correction(registry_of(request), actor, proof,
                                         body.command(None, None, idempotency_key),
                                         client=client_address(request))
    return mark_replay(response, answer)


@router.post("/self-service/corrections/letter", response_model=dict[str, Any],
             responses=problems(404, 429))
def own_letter(request: Request, actor: Traveller, body: OwnLetterIn) -> dict[str, Any]:
    """Follow your own request: its acknowledgement or decision letter, from its reference
    and your passport details (any mismatch is the same 404). No sign-in."""
    proof = service.IdentityProof(body.surname, body.given_names, body.date_of_birth,
                                  body.document_number)
    answer = own_correction_letter(registry_of(request), actor, proof, body.reference,
                                   client=client_address(request))
    return answer | {"text": letter_text(answer)}


@router.get("/corrections", response_model=dict[str, Any], responses=problems(*PROTECTED))
def queue(request: Request, actor: Decider,
          status: Annotated[Literal["open", "all", "received", "acknowledged", "accepted",
                                    "partly_accepted", "refused"], Query()] = "open"
          ) -> dict[str, Any]:
    """Requests by status, overdue ones first (each listed request is audited as read)."""
    return service.correction_queue(registry_of(request), actor, status)


@router.get("/corrections/{request_id}", response_model=dict[str, Any],
            responses=problems(*PROTECTED, 404))
def show(request: Request, actor: PersonReader, request_id: RequestId) -> dict[str, Any]:
    """One request: items, evidence (without its bytes), deadlines, decision (audited)."""
    return service.show_correction(registry_of(request), actor, request_id)


@router.get("/corrections/{request_id}/evidence/{evidence_id}", response_class=Response,
            responses={200: {"description": "The file, in the type told by its bytes",
                             "content": {t: {} for t in EVIDENCE_TYPES}},
                       **problems(*PROTECTED, 404)})
def evidence(request: Request, actor: PersonReader, request_id: RequestId,
             evidence_id: RequestId) -> Response:
    """An attached file, as it was received (audited)."""
    filename, media_type, data = service.correction_evidence(
        registry_of(request), actor, request_id, evidence_id)
    safe = "".join(c for c in filename if c.isalnum() or c in "._-") or "evidence"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@router.post("/corrections/{request_id}/acknowledgement", response_model=dict[str, Any],
             responses=problems(*PROTECTED, 404, 409))
def acknowledge(request: Request, response: Response, actor: Decider, request_id: RequestId,
                body: AcknowledgementIn, idempotency_key: IdempotencyKey = None
                ) -> dict[str, Any]:
    """Acknowledge the receipt of a request."""
    return mark_replay(response, service.acknowledge_correction(
        registry_of(request), actor, request_id, body.acknowledged_on, idempotency_key))


@router.post("/corrections/{request_id}/decision", response_model=dict[str, Any],
             responses=problems(*PROTECTED, 404, 409))
def decide(request: Request, response: Response, actor: Decider, request_id: RequestId,
           body: DecisionIn, idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Accept or refuse each item with reasons; accepted items change the records."""
    command = to_command(service.CorrectionDecisionCommand, body, request_id=request_id,
                         idempotency_key=idempotency_key)
    return mark_replay(response, service.decide_correction(registry_of(request), actor,
                                                           command))


@router.get("/corrections/{request_id}/letter", response_model=dict[str, Any],
            responses=problems(*PROTECTED, 404))
def letter(request: Request, actor: PersonReader, request_id: RequestId) -> dict[str, Any]:
    """The letter to the requester (acknowledgement or decision), with its plain text."""
    answer = correction_letter(registry_of(request), actor, request_id)
    return answer | {"text": letter_text(answer)}
