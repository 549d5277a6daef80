"""Travel documents over HTTP: read an MRZ from text or from a photo of the data page, and
get the inspection's traveller and document facts to prefill (ICAO Doc 9303).

Reading records nothing: the officer still reviews the facts and submits the inspection.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from nseers.api.access import registry_of
from nseers.api.routes.common import PROTECTED, Inspector, problems
from nseers.services.documents import MAX_IMAGE_BYTES, read_mrz, read_mrz_async

router = APIRouter(tags=["documents"])


class MrzTextIn(BaseModel):
    """The lines of a machine-readable zone, as typed, pasted or sent by a reader."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=400,
                      description="The two or three MRZ lines, separated by line breaks.")
    tolerant: bool = Field(False, description="Correct OCR confusions that the check "
                                              "digits confirm.")


class MrzAnswer(BaseModel):
    """The reading (as ``nseers mrz read`` prints it) and the facts it supports."""

    model_config = ConfigDict(extra="allow")

    format: str | None
    valid: bool
    fields: dict[str, Any]
    problems: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    confidence: float | None = None
    prefill: dict[str, Any]


@router.post("/documents/mrz", response_model=MrzAnswer,
             responses=problems(*PROTECTED))
def read_mrz_text(request: Request, actor: Inspector, body: MrzTextIn) -> dict[str, Any]:
    """Parse and validate an MRZ: every field, check digit, date and code, each problem with
    its field and position; and the traveller and document facts to prefill."""
    del actor  # signed in as an inspector; nothing personal is stored or returned but input
    reference = registry_of(request).clock().date()
    return read_mrz(body.text, reference_date=reference, tolerant=body.tolerant).to_dict()


@router.post("/documents/mrz/image", response_model=MrzAnswer,
             responses=problems(*PROTECTED))
async def read_mrz_photo(request: Request, actor: Inspector,
                         image: Annotated[UploadFile, File(description="PNG or JPEG of the "
                                                                       "data page")]
                         ) -> dict[str, Any]:
    """Find the MRZ on a photo or scan of the data page, read it with Tesseract and correct
    it by its check digits; the answer carries the reading's ``confidence``."""
    del actor
    data = await image.read(MAX_IMAGE_BYTES + 1)
    reference = registry_of(request).clock().date()
    # Tesseract takes seconds: in the bounded OCR pool, so the event loop keeps answering.
    return (await read_mrz_async(data, reference_date=reference, field="image")).to_dict()
