"""Reading a machine-readable zone: one use case for the API, the console and the CLI.

What an officer hands over (the MRZ's lines, typed or pasted or sent by a reader, or a
photo of the data page) becomes a checked reading (ICAO Doc 9303) and the inspection-case
facts it supports, to prefill the form. Issue 15 (fault 4) found this orchestration written
three times, each adapter choosing its own parser call, OCR call, defaults and error
mapping; here it is once:

* text is read strictly unless ``tolerant`` (OCR confusions the check digits confirm are
  then corrected, each correction listed); a photo tolerantly unless told otherwise, since
  Tesseract's confusions are the reason tolerance exists;
* a photo is read in the bounded OCR pool (:mod:`nseers.documents.intake`), never on an
  event loop and never in the database's worker threads; :func:`read_mrz_async` awaits it;
* what is not a PNG or JPEG of the size allowed, or shows no MRZ, is an
  :class:`~nseers.core.errors.InvalidInputError` naming ``field``; text without an MRZ's
  shape is a reading with no format and its problems, never an exception.

``reference_date`` fixes the century of two-digit years and whether the document has
expired: the event's date where there is one (the arrival being inspected), else today.
Reading records nothing: the officer still reviews the facts and submits the inspection.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any

from nseers.documents import CasePrefill, MrzReading, case_prefill, parse_mrz
from nseers.documents.intake import MAX_IMAGE_BYTES, read_image, submit_image
from nseers.documents.ocr import is_image

# The bound on a photo's size and the test that tells a photo from text are the callers'
# too: the API reads at most that much of an upload, the CLI tells a file's kind.
__all__ = ["MAX_IMAGE_BYTES", "MrzAnswer", "is_image", "read_mrz", "read_mrz_async"]


@dataclass(frozen=True, slots=True)
class MrzAnswer:
    """A reading and the case facts it supports (empty when the text has no MRZ shape)."""

    reading: MrzReading
    prefill: CasePrefill

    @classmethod
    def of(cls, reading: MrzReading) -> MrzAnswer:
        """The answer for ``reading``, its prefill derived from it."""
        return cls(reading, case_prefill(reading))

    def to_dict(self, *, prefill: bool = True) -> dict[str, Any]:
        """The reading as JSON-ready data (as ``nseers mrz read`` prints it), with the
        prefill under ``"prefill"`` unless told not to."""
        data = self.reading.to_dict()
        if prefill:
            data["prefill"] = self.prefill.to_dict()
        return data


def read_mrz(source: str | bytes, *, reference_date: date, tolerant: bool | None = None,
             allow_specimens: bool = False, field: str = "mrz",
             timeout: float = 60.0) -> MrzAnswer:
    """Read the MRZ in ``source``: text (``str``) or a photo of the data page (``bytes``,
    read in the OCR pool while this thread waits). See the module's notes for the rest."""
    if isinstance(source, str):
        return MrzAnswer.of(parse_mrz(source, reference_date=reference_date,
                                      tolerant=bool(tolerant),
                                      allow_specimens=allow_specimens))
    return MrzAnswer.of(read_image(source, reference_date=reference_date, field=field,
                                   timeout=timeout, tolerant=tolerant is not False,
                                   allow_specimens=allow_specimens))


async def read_mrz_async(source: str | bytes, *, reference_date: date,
                         tolerant: bool | None = None, allow_specimens: bool = False,
                         field: str = "mrz", timeout: float = 60.0) -> MrzAnswer:
    """:func:`read_mrz` for a request handler on the event loop: a photo is awaited from
    the OCR pool, so the loop keeps answering every other request meanwhile."""
    if isinstance(source, str):
        return read_mrz(source, reference_date=reference_date, tolerant=tolerant,
                        allow_specimens=allow_specimens, field=field)
    future: Future[MrzReading] = submit_image(
        source, reference_date=reference_date, field=field, timeout=timeout,
        tolerant=tolerant is not False, allow_specimens=allow_specimens)
    return MrzAnswer.of(await asyncio.wrap_future(future))
