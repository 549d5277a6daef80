"""Why a capture cannot be used: the quality gate's refusals, each with a retake hint.

A refused capture names the file (or form field) it came from, a stable machine-readable
``reason`` and a sentence an officer can act on. Nothing is enrolled from a refused capture.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from nseers.core.errors import NseersError

#: What the officer should do about each refusal: the retake path shown with the message.
RETAKE: Final[dict[str, str]] = {
    "unreadable_image": "upload a PNG or JPEG image taken by the camera or scanner",
    "no_face": "retake the photograph facing the camera, face uncovered and well lit",
    "several_faces": "retake the photograph with only the traveller in the frame",
    "face_too_small": "retake the photograph closer, the face filling most of the frame",
    "no_fingerprint": "rescan the finger, pressed flat on the clean platen",
    "low_fingerprint_quality": "clean the platen and the finger, then rescan it pressed "
                               "flat and still",
    "unreadable_template": "export the template again from the capture station",
    "unreadable_transaction": "export the ANSI/NIST-ITL file again from the capture station",
}


class CaptureRefusedError(NseersError):
    """A photograph or fingerprint the quality gate refuses; nothing was enrolled."""

    def __init__(self, source: str, reason: str, detail: str,
                 values: Mapping[str, object] | None = None) -> None:
        self.source = source
        self.reason = reason
        self.detail = detail
        self.values = dict(values or {})
        self.retake = RETAKE.get(reason, "capture it again")
        super().__init__(f"{source}: {detail}; {self.retake}")

    def to_dict(self) -> dict[str, object]:
        """The refusal as JSON-ready data for the API, the pages and the CLI."""
        return {"source": self.source, "reason": self.reason, "detail": self.detail,
                "retake": self.retake, "values": self.values}
