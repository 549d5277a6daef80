"""Faces: the quality gate, 128-dimensional templates and 1:1 comparison.

:class:`FaceMatcher` is the one interface the services use; :class:`DlibFaceMatcher` is the
implementation on dlib's HOG face detector and its ResNet face-recognition model (through
``face_recognition``, weights shipped in ``face_recognition_models``). A stronger model
drops in as another class with the same three members; templates carry the model's name
so that templates of different models are never compared.

The quality gate refuses what cannot be matched: no face, more than one face (a capture
with a second person in frame cannot be attributed), a face too small to carry identity.
The detector's own confidence decides what counts as a face, so a helmet or a poster in
the background that the detector scores weakly is not "a second face". Thresholds are not
chosen here: they come from the policy data (``biometrics.face_*``) through the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from nseers.biometrics.errors import CaptureRefusedError
from nseers.biometrics.images import rgb_pixels

DLIB_MODEL: Final = "dlib_resnet_v1"
EMBEDDING_SIZE: Final = 128
#: Below this many pixels on the longest side the detector is run on a doubled image, so
#: faces of passport-photo size in a small upload are still found.
_UPSAMPLE_BELOW: Final = 800


@dataclass(frozen=True, slots=True)
class FaceQualityPolicy:
    """What the gate demands of a photograph (values from ``biometrics.yaml``)."""

    min_detection_score: float
    min_face_pixels: int


@dataclass(frozen=True, slots=True)
class FaceBox:
    """Where the face is, in pixels of the decoded image, and how sure the detector is."""

    top: int
    right: int
    bottom: int
    left: int
    score: float

    @property
    def width(self) -> int:
        """The face's width in pixels."""
        return self.right - self.left


@dataclass(frozen=True, slots=True)
class FaceTemplate:
    """One face's embedding, the model that made it, and where the face was found."""

    model: str
    vector: tuple[float, ...]
    box: FaceBox

    def array(self) -> npt.NDArray[np.float32]:
        """The embedding as a float32 vector, the form the search index stores."""
        return np.asarray(self.vector, dtype=np.float32)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored encrypted; never shown to users)."""
        return {"model": self.model, "vector": list(self.vector),
                "box": {"top": self.box.top, "right": self.box.right,
                        "bottom": self.box.bottom, "left": self.box.left,
                        "score": self.box.score}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaceTemplate:
        """Inverse of :meth:`to_dict`."""
        box = data["box"]
        return cls(str(data["model"]), tuple(float(v) for v in data["vector"]),
                   FaceBox(int(box["top"]), int(box["right"]), int(box["bottom"]),
                           int(box["left"]), float(box["score"])))


@dataclass(frozen=True, slots=True)
class FaceComparison:
    """A 1:1 comparison: the distance, the threshold it was judged against, the verdict."""

    match: bool
    distance: float
    threshold: float

    def to_dict(self) -> dict[str, object]:
        """The CLI's and the API's answer: ``{"match", "distance", "threshold"}``."""
        return {"match": self.match, "distance": round(self.distance, 6),
                "threshold": self.threshold}


class FaceMatcher(Protocol):
    """Makes face templates and says how far apart two are (smaller is more alike)."""

    model: str

    def template(self, image: bytes, source: str, quality: FaceQualityPolicy) -> FaceTemplate:
        """The template of the one face in ``image``, or :class:`CaptureRefusedError`."""
        ...

    def distance(self, a: FaceTemplate, b: FaceTemplate) -> float:
        """Distance between two templates of this model."""
        ...


def compare_faces(matcher: FaceMatcher, a: FaceTemplate, b: FaceTemplate,
                  threshold: float) -> FaceComparison:
    """Judge two templates against ``biometrics.face_match_max_distance``."""
    distance = matcher.distance(a, b)
    return FaceComparison(distance <= threshold, distance, threshold)


class DlibFaceMatcher:
    """dlib HOG detection and the dlib ResNet embedding (Euclidean distance, 0.6 typical)."""

    model = DLIB_MODEL

    def __init__(self) -> None:
        import dlib  # noqa: PLC0415 - native library, loaded when faces are handled

        self._api = _face_recognition()
        self._detector = dlib.get_frontal_face_detector()

    def detect(self, pixels: npt.NDArray[np.uint8], quality: FaceQualityPolicy) -> list[FaceBox]:
        """Faces the detector is at least ``min_detection_score`` sure of, best first."""
        upsample = 1 if max(pixels.shape[:2]) < _UPSAMPLE_BELOW else 0
        # A slightly negative adjust threshold returns weak candidates with their scores;
        # the policy's minimum decides which of them count.
        rects, scores, _ = self._detector.run(pixels, upsample, -0.5)
        height, width = pixels.shape[:2]
        boxes = [FaceBox(max(r.top(), 0), min(r.right(), width - 1), min(r.bottom(), height - 1),
                         max(r.left(), 0), float(s)) for r, s in zip(rects, scores, strict=True)]
        kept = [b for b in boxes if b.score >= quality.min_detection_score]
        return sorted(kept, key=lambda b: b.score, reverse=True)

    def template(self, image: bytes, source: str, quality: FaceQualityPolicy) -> FaceTemplate:
        """Gate the photograph and embed its one face."""
        pixels = rgb_pixels(image, source)
        faces = self.detect(pixels, quality)
        values = {"faces": len(faces), "min_detection_score": quality.min_detection_score}
        if not faces:
            raise CaptureRefusedError(source, "no_face", "no face was found in the photograph",
                                      values)
        if len(faces) > 1:
            raise CaptureRefusedError(
                source, "several_faces",
                f"{len(faces)} faces were found in the photograph; it must show one person",
                values)
        face = faces[0]
        if face.width < quality.min_face_pixels:
            raise CaptureRefusedError(
                source, "face_too_small",
                f"the face is {face.width} pixels wide, fewer than the "
                f"{quality.min_face_pixels} needed", values | {"face_pixels": face.width})
        location = (face.top, face.right, face.bottom, face.left)
        encodings = self._api.face_encodings(pixels, known_face_locations=[location])
        vector = tuple(float(v) for v in encodings[0])
        return FaceTemplate(self.model, vector, face)

    def distance(self, a: FaceTemplate, b: FaceTemplate) -> float:
        """Euclidean distance between two dlib embeddings."""
        if a.model != b.model:
            raise ValueError(f"cannot compare a {a.model} template with a {b.model} one")
        return float(np.linalg.norm(a.array() - b.array()))


def _face_recognition() -> Any:
    """Import ``face_recognition`` without letting it change Pillow for everyone.

    Its module sets ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True`` on import, which would
    make every other reader in the process (MRZ photographs, uploads) accept truncated
    files silently; we restore the previous setting. It also calls ``quit()`` when
    ``face_recognition_models`` is missing, so that import is checked first.
    """
    import face_recognition_models  # noqa: F401, PLC0415 - fail loudly, not by quit()
    from PIL import ImageFile  # noqa: PLC0415

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import face_recognition  # noqa: PLC0415
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return face_recognition
