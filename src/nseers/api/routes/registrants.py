"""After registration: call-in registration, notices, interviews, changes, waivers,
violations' willfulness."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from nseers.api.access import registry_of
from nseers.api.bodies import to_command
from nseers.api.routes.common import (
    PROTECTED,
    ComplianceOfficer,
    IdempotencyKey,
    Registrar,
    ViolationAssessor,
    WaiverDecider,
    WaiverRequester,
    mark_replay,
    problems,
)
from nseers.api.schemas import (
    MAX_ID,
    AssessmentAnswer,
    AssessmentIn,
    CallInNoticeAnswer,
    CallInNoticeIn,
    CallInRegistrationAnswer,
    CallInRegistrationIn,
    ChangeAnswer,
    ChangeIn,
    InterviewAnswer,
    InterviewIn,
    WaiverAnswer,
    WaiverDecisionAnswer,
    WaiverDecisionIn,
    WaiverRequestIn,
)
from nseers.services.registrants import (
    CallInNoticeCommand,
    CallInRegistrationCommand,
    ChangeCommand,
    InterviewCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    WillfulnessAssessment,
    assess_violation,
    decide_waiver,
    issue_call_in_notice,
    record_change,
    record_interview,
    register_call_in,
    request_waiver,
)

router = APIRouter(tags=["registrants"])
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/registrations", status_code=201, response_model=CallInRegistrationAnswer,
             responses=problems(*PROTECTED, 404, 409))
def call_in_registration(request: Request, response: Response, actor: Registrar,
                         body: CallInRegistrationIn,
                         idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Register a person already in the United States under the call-in group that
    requires it; a registration after the group's window is recorded as a violation."""
    command = to_command(CallInRegistrationCommand, body, idempotency_key=idempotency_key)
    answer = register_call_in(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/call-in-notices", status_code=201, response_model=CallInNoticeAnswer,
             responses=problems(*PROTECTED, 404, 409))
def call_in_notice(request: Request, response: Response, actor: ComplianceOfficer,
                   body: CallInNoticeIn,
                   idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Require a registrant to appear, on a channel and with the notice the law allows."""
    command = to_command(CallInNoticeCommand, body, idempotency_key=idempotency_key)
    answer = issue_call_in_notice(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/interviews", status_code=201, response_model=InterviewAnswer,
             responses=problems(*PROTECTED, 404, 409))
def interview(request: Request, response: Response, actor: ComplianceOfficer,
              body: InterviewIn, idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Record a report or interview; a failure to appear is recorded as a violation."""
    command = to_command(InterviewCommand, body, idempotency_key=idempotency_key)
    answer = record_interview(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/changes", status_code=201, response_model=ChangeAnswer,
             responses=problems(*PROTECTED, 404, 409))
def change(request: Request, response: Response, actor: ComplianceOfficer, body: ChangeIn,
           idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Record a change of address, employer or school and judge whether it was filed in
    time (Form AR-11 SR), or was exempt through SEVIS."""
    command = to_command(ChangeCommand, body, idempotency_key=idempotency_key)
    answer = record_change(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/waivers", status_code=201, response_model=WaiverAnswer,
             responses=problems(*PROTECTED, 404, 409))
def waiver_request(request: Request, response: Response, actor: WaiverRequester,
                   body: WaiverRequestIn,
                   idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Request a waiver of one of a registrant's obligations."""
    command = to_command(WaiverRequestCommand, body, idempotency_key=idempotency_key)
    answer = request_waiver(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/waivers/{waiver_id}/decision", response_model=WaiverDecisionAnswer,
             responses=problems(*PROTECTED, 404, 409))
def waiver_decision(request: Request, response: Response, actor: WaiverDecider,
                    waiver_id: RecordId, body: WaiverDecisionIn,
                    idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Grant or deny a pending waiver request (district directors)."""
    command = to_command(WaiverDecisionCommand, body, waiver_id=waiver_id,
                         idempotency_key=idempotency_key)
    answer = decide_waiver(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.post("/violations/{violation_id}/assessment", response_model=AssessmentAnswer,
             responses=problems(*PROTECTED, 404, 409))
def violation_assessment(request: Request, response: Response, actor: ViolationAssessor,
                         violation_id: RecordId, body: AssessmentIn,
                         idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Assess whether a violation was willful; from 2012-04-16 only willful ones count."""
    command = to_command(WillfulnessAssessment, body, violation_id=violation_id,
                         idempotency_key=idempotency_key)
    answer = assess_violation(registry_of(request), actor, command)
    return mark_replay(response, answer)
