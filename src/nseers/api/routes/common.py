"""What the endpoint modules share: the actor types, headers and documented problems."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Depends, Header, Response

from nseers.api.access import ANONYMOUS, AnyOf, requires
from nseers.api.schemas import Problem
from nseers.core.actors import Actor, Permission

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200,
    description="Send the same key again to get the first answer back (marked "
                "replayed) instead of recording the request twice.")]

# The actor of a request, by what the endpoint needs (see nseers.api.access).
SignedIn = Annotated[Actor, Depends(requires(None))]
Traveller = Annotated[Actor, Depends(ANONYMOUS)]
PersonReader = Annotated[Actor, Depends(requires(Permission.READ_PERSON))]
Inspector = Annotated[Actor, Depends(requires(Permission.INSPECT_ARRIVAL))]
DepartureOfficer = Annotated[Actor, Depends(requires(Permission.RECORD_DEPARTURE))]
Registrar = Annotated[Actor, Depends(requires(Permission.REGISTER))]
ComplianceOfficer = Annotated[Actor, Depends(requires(Permission.MANAGE_COMPLIANCE))]
WaiverRequester = Annotated[Actor, Depends(requires(Permission.REQUEST_WAIVER))]
WaiverDecider = Annotated[Actor, Depends(requires(Permission.DECIDE_WAIVER))]
ViolationAssessor = Annotated[Actor, Depends(requires(Permission.ASSESS_VIOLATION))]
I68Filer = Annotated[Actor, Depends(requires(Permission.FILE_I68))]
I68Decider = Annotated[Actor, Depends(requires(Permission.DECIDE_I68))]
Auditor = Annotated[Actor, Depends(requires(Permission.READ_AUDIT))]
# Issue 17: refusals of entry, and the I-68 reads (an applicant's own, or an officer's).
RefusalRecorder = Annotated[Actor, Depends(requires(Permission.RECORD_REFUSAL))]
I68Reader = Annotated[Actor, Depends(AnyOf(Permission.READ_PERSON, Permission.FILE_I68))]
AggregateReader = Annotated[Actor, Depends(requires(Permission.READ_AGGREGATES))]
Administrator = Annotated[Actor, Depends(requires(Permission.ADMINISTER))]


_DESCRIPTIONS: Final = {
    401: "Not signed in, or the token is invalid or expired",
    403: "The role does not allow this",
    404: "No such record",
    409: "The request conflicts with the record's state (see code)",
    413: "The request body is over the size limit (refused before it is read)",
    422: "Invalid input, or a body that is not valid JSON; errors names each bad field",
    429: "Too many requests from this address (see Retry-After)",
    500: "Unexpected failure (logged on the server)",
    503: "The database is busy, unreachable or past the request's deadline (see "
         "Retry-After)",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for the problems an endpoint can answer (always 413, 422, 500,
    503)."""
    return {code: {"model": Problem, "description": _DESCRIPTIONS[code]}
            for code in sorted({*codes, 413, 422, 500, 503})}


PROTECTED: Final = (401, 403)


def mark_replay(response: Response, answer: dict[str, Any]) -> dict[str, Any]:
    """Say in a header, too, that an answer is a replay of an earlier request."""
    if answer.get("replayed"):
        response.headers["Idempotent-Replayed"] = "true"
    return answer
