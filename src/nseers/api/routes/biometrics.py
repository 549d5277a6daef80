"""Biometrics over HTTP (issue 13): enrol a photograph and fingerprints, verify 1:1 at
departure or re-entry, identify 1:N.

Special registration took fingerprints and a photograph (8 CFR 264.1(f)); 8 CFR 235.1(f)
makes biometrics a condition of inspection. The use cases are
:mod:`nseers.services.biometrics`; this module parses the multipart uploads, bounds each
file (:data:`~nseers.services.biometrics.MAX_CAPTURE_BYTES`) and renders the answers.
A 1:N hit at enrolment is 409 ``biometric_hit`` with the candidates (ids, names, dates of
birth, scores: never an image or a template), until the officer resends with ``on_hit``
``attach`` (and ``attach_to``) or ``new``, and a reason.

Detection and embedding take a CPU for a second or more per photograph, so the routes are
plain functions, which FastAPI runs in its worker threads: the event loop keeps answering.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from nseers.api.access import api_state, registry_of
from nseers.api.problems import problem
from nseers.api.routes.common import PROTECTED, PersonReader, Registrar, problems
from nseers.api.schemas import MAX_ID, Problem
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.services.biometrics import (
    MAX_CAPTURE_BYTES,
    BiometricHitError,
    BiometricVault,
    Enrolment,
    bounded_capture,
    enrol,
    identify,
    nist_capture,
    verify,
)

router = APIRouter(tags=["biometrics"])

PersonId = Annotated[int, Form(ge=1, le=MAX_ID, description="The person's registry id.")]
Photograph = Annotated[UploadFile | None, File(description="The photograph (PNG or JPEG).")]
Fingers = Annotated[list[UploadFile] | None, File(
    description="Finger images (PNG, 500 ppi), one per entry of positions.")]
Positions = Annotated[list[int] | None, Form(
    description="The ANSI/NIST finger position (1-10) of each finger image, in order.")]


class Candidate(BaseModel):
    """Someone enrolled whom the capture matches: who, and how closely.

    Only these fields leave the server: whatever else the service's hit carries (now or
    later) is dropped, so no image or template can reach the answer by accident."""

    model_config = ConfigDict(extra="ignore")

    person_id: int
    name: str | None = None
    date_of_birth: str | None = None
    face_distance: float | None = Field(None, description="Below the policy's maximum.")
    finger_score: int | None = Field(None, description="Bozorth3; at or above the minimum.")


class BiometricHitProblem(Problem):
    """409 ``biometric_hit``: the problem details, and whom the capture matches."""

    candidates: list[Candidate]


class EnrolmentAnswer(BaseModel):
    """What was enrolled, under whom, and the hits the officer decided on."""

    person_id: int = Field(description="Whom the capture was enrolled under (attach_to on "
                                       "an attach).")
    records: list[int]
    hits: list[Candidate]
    retain_until: str


class VerificationAnswer(BaseModel):
    """The 1:1 comparison and where the traveller goes next."""

    person_id: int
    match: bool
    distance: float
    threshold: float
    route: Literal["continue", "secondary"]


class IdentificationAnswer(BaseModel):
    """Everyone enrolled whom the capture matches, best first (nothing is recorded)."""

    candidates: list[Candidate]


def _vault(request: Request) -> BiometricVault:
    factory = api_state(request).biometric_vault
    if factory is None:  # create_app always gives one; a hand-built state may not
        raise RuntimeError("the API was built without a biometric vault")
    return factory()


def _read(upload: UploadFile, field: str) -> bytes:
    return bounded_capture(upload.file.read(MAX_CAPTURE_BYTES + 1), field)


def _fingers(files: list[UploadFile] | None, positions: list[int] | None
             ) -> tuple[tuple[int, bytes], ...]:
    files, positions = files or [], positions or []
    if len(files) != len(positions):
        raise InvalidInputError([FieldProblem(
            "positions", f"one position per finger image: {len(files)} images, "
                         f"{len(positions)} positions")])
    return tuple((position, _read(upload, f"fingers[{position}]"))
                 for position, upload in zip(positions, files, strict=True))


@router.post("/biometrics/enrolments", status_code=201, response_model=EnrolmentAnswer,
             responses=problems(*PROTECTED, 404) | {409: {
                 "model": BiometricHitProblem,
                 "description": "biometric_hit: the capture matches someone else enrolled "
                                "(the candidates; nothing was written)"}})
def enrol_biometrics(
    request: Request, actor: Registrar, person_id: PersonId, photograph: Photograph = None,
    fingers: Fingers = None, positions: Positions = None,
    nist: Annotated[UploadFile | None, File(description="An ANSI/NIST-ITL 1-2011 "
                                            "transaction (Type-10 face, Type-14 fingers) "
                                            "instead of the images.")] = None,
    on_hit: Annotated[Literal["attach", "new"] | None, Form(
        description="After a 409 biometric_hit: attach to an existing identity, or "
                    "proceed as new.")] = None,
    attach_to: Annotated[int | None, Form(ge=1, le=MAX_ID, description="With on_hit="
                                          "attach: the matching identity.")] = None,
    reason: Annotated[str | None, Form(max_length=500, description="Why (required with "
                                                                   "on_hit; audited).")] = None,
) -> Any:
    """Gate the capture, search everyone enrolled 1:N, and enrol it: 201 with the records;
    409 ``biometric_hit`` with the candidates when it matches someone else enrolled."""
    if nist is not None:
        if photograph is not None or fingers:
            raise InvalidInputError([FieldProblem(
                "nist", "send either an ANSI/NIST-ITL file or the images, not both")])
        face, prints = nist_capture(nist.file.read(MAX_CAPTURE_BYTES + 1), "nist")
        source = "ansi_nist"
    else:
        face = _read(photograph, "photograph") if photograph is not None else None
        prints, source = _fingers(fingers, positions), "api"
    command = Enrolment(person_id, face, prints, source=source, on_hit=on_hit,
                        attach_to=attach_to, reason=reason)
    try:
        return enrol(registry_of(request), actor, _vault(request), command)
    except BiometricHitError as hit:
        return problem(409, "conflict", "Conflict", str(hit), code=hit.code,
                       extensions={"candidates": [Candidate(**h).model_dump()
                                                  for h in hit.hits]})


@router.post("/biometrics/verify", response_model=VerificationAnswer,
             responses=problems(*PROTECTED, 404))
def verify_biometrics(request: Request, actor: PersonReader, person_id: PersonId,
                      photograph: Annotated[UploadFile, File(description="The traveller's "
                                                                         "photograph.")]
                      ) -> dict[str, Any]:
    """1:1 at departure or re-entry: the traveller against the enrolled photograph;
    ``route`` is ``secondary`` when they do not match."""
    return verify(registry_of(request), actor, _vault(request), person_id,
                  _read(photograph, "photograph"))


@router.post("/biometrics/identify", response_model=IdentificationAnswer,
             responses=problems(*PROTECTED))
def identify_biometrics(request: Request, actor: Registrar, photograph: Photograph = None,
                        fingers: Fingers = None, positions: Positions = None
                        ) -> dict[str, Any]:
    """1:N: everyone enrolled whom the photograph or fingers match, best first."""
    face = _read(photograph, "photograph") if photograph is not None else None
    return {"candidates": identify(registry_of(request), actor, _vault(request), face,
                                   _fingers(fingers, positions))}
