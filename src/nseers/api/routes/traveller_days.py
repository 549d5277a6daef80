"""The traveller's own days (issue 17): a one-time code to the e-mail on record, then
every I-94, the travel history and the days left; and the stay calculator.

Both code endpoints are the anonymous traveller's (no sign-in, limited per address, every
call audited); their answers never say whether a person exists. The calculator reads no
personal data, so it is public.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from nseers.api.access import PUBLIC, client_address, registry_of, requires
from nseers.api.bodies import to_command
from nseers.api.routes.common import PROTECTED, Traveller, problems
from nseers.api.traveller_bodies import (
    CodeAnswerIn,
    CodeChallenge,
    CodeRequestIn,
    StayAnswer,
    StayQuestionIn,
    TravellerDays,
)
from nseers.core.actors import Actor
from nseers.rules.stay import Stay
from nseers.services.traveller_days import (
    CodeAnswer,
    CodeRequest,
    StayQuestion,
    calculate_stay,
    my_days,
    request_code,
    verify_code,
)

router = APIRouter(prefix="/self-service", tags=["self-service"])
#: Any signed-in account: the services then answer only a traveller account's own record
#: (an officer's account is linked to no record, so it finds none).
TravellerAccount = Annotated[Actor, Depends(requires(None))]


@router.post("/code", response_model=CodeChallenge, status_code=202,
             responses=problems(409, 429))
def code_request(request: Request, actor: Traveller, body: CodeRequestIn) -> dict[str, Any]:
    """Ask for a one-time code: when the passport details match one person with an e-mail
    address on record (and the address given, if any, is that one), a six-digit code is
    sent there. The answer is the same in every case; keep its challenge for the next
    step. 409 ``mail_not_configured`` where this installation sends no e-mail."""
    return request_code(registry_of(request), actor, to_command(
        CodeRequest, body, client=client_address(request)))


@router.post("/days", response_model=TravellerDays, responses=problems(429))
def days(request: Request, actor: Traveller, body: CodeAnswerIn) -> dict[str, Any]:
    """Your every I-94 (the latest first), your arrivals and departures, and for each
    open admission the admit-until date and the days remaining or over; for each closed
    one, the departure record that closed it. The code works once, for a few minutes and
    a few tries; a wrong or expired one is a 422 naming ``code``."""
    return verify_code(registry_of(request), actor, to_command(
        CodeAnswer, body, client=client_address(request)))


@router.post("/account-link", response_model=TravellerDays,
             responses=problems(*PROTECTED))
def account_link(request: Request, actor: TravellerAccount,
                 body: CodeAnswerIn) -> dict[str, Any]:
    """Signed in as a traveller: answer a one-time code (from ``POST /self-service/code``)
    once to tie your account to your record; afterwards ``GET /self-service/my-days`` is
    enough. Answers your days, as ``POST /self-service/days`` does; 403 for an account
    that is not a traveller's."""
    return verify_code(registry_of(request), actor, to_command(
        CodeAnswer, body, client=client_address(request)),
                       link_account=True)


@router.get("/my-days", response_model=TravellerDays, responses=problems(*PROTECTED, 404))
def own_days(request: Request, actor: TravellerAccount) -> dict[str, Any]:
    """Signed in as a traveller whose account is linked to a record: every I-94, the
    travel history and the days left, without a code. 404 until the account is linked
    (and for any account that is not a traveller's)."""
    return my_days(registry_of(request), actor, client_address(request))


@router.post("/stay", response_model=StayAnswer, dependencies=[Depends(PUBLIC)],
             responses=problems())
def stay(request: Request, body: StayQuestionIn) -> dict[str, Any]:
    """The stay calculator: where an admission stands on a day (admit-until, or duration
    of status with the class's grace period) and, as an EES overlay, the 90-days-in-any-180
    count over the stays given, day by day. Reads no personal data."""
    question = StayQuestion(body.as_of, body.admit_until, body.duration_of_status,
                            body.admission_class, body.program_end,
                            tuple(Stay(s.entered_on, s.left_on) for s in body.stays))
    return calculate_stay(registry_of(request).rules, question)
