"""Fingerprints: NFIQ 2 quality, ISO/IEC 19794-2 minutiae templates, Bozorth3 comparison.

:class:`PrintMatcher` is the interface; :class:`NbisPrintMatcher` wraps NIST's NBIS through
``nbis-py``: MINDTCT finds the minutiae, NFIQ 2 grades the image (0-100, higher is better)
and Bozorth3 scores two minutiae sets (a count of compatible minutia pairs; NIST treats
about 40 as the point above which two prints are probably of one finger). A template is
stored and exchanged as an ISO/IEC 19794-2:2005 finger minutiae record, the format capture
stations and other systems read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Protocol

from nseers.biometrics.errors import CaptureRefusedError
from nseers.biometrics.images import png_greyscale

NBIS_MODEL: Final = "nbis_bozorth3"
#: Fewer minutiae than this and Bozorth3 cannot tell fingers apart (it needs pairs of pairs).
MIN_MINUTIAE: Final = 12


@dataclass(frozen=True, slots=True)
class PrintQualityPolicy:
    """What the gate demands of a fingerprint image (``biometrics.fingerprint_min_nfiq2``)."""

    min_nfiq2: int


@dataclass(frozen=True, slots=True)
class Minutia:
    """One ridge ending or bifurcation: position in pixels, direction in degrees."""

    x: int
    y: int
    angle: float
    kind: str


@dataclass(frozen=True, slots=True)
class PrintTemplate:
    """An ISO/IEC 19794-2 record with its quality and its minutiae (for the candidate stage)."""

    model: str
    iso_19794_2: bytes
    nfiq2: int | None
    minutiae: tuple[Minutia, ...]


@dataclass(frozen=True, slots=True)
class PrintComparison:
    """A 1:1 comparison: the Bozorth3 score and the threshold it was judged against."""

    match: bool
    score: int
    threshold: int

    def to_dict(self) -> dict[str, object]:
        """The CLI's and the API's answer: ``{"match", "score", "threshold"}``."""
        return {"match": self.match, "score": self.score, "threshold": self.threshold}


class PrintMatcher(Protocol):
    """Makes fingerprint templates and scores two of them (larger is more alike)."""

    model: str

    def template(self, image: bytes, source: str, quality: PrintQualityPolicy) -> PrintTemplate:
        """The template of the finger in ``image``, or :class:`CaptureRefusedError`."""
        ...

    def load(self, iso_19794_2: bytes, source: str) -> PrintTemplate:
        """A template from an ISO/IEC 19794-2 record made elsewhere."""
        ...

    def score(self, a: PrintTemplate, b: PrintTemplate) -> int:
        """Similarity of two templates."""
        ...


def compare_prints(matcher: PrintMatcher, a: PrintTemplate, b: PrintTemplate,
                   threshold: int) -> PrintComparison:
    """Judge two templates against ``biometrics.fingerprint_match_min_score``."""
    score = matcher.score(a, b)
    return PrintComparison(score >= threshold, score, threshold)


class NbisPrintMatcher:
    """NBIS MINDTCT + NFIQ 2 + Bozorth3 on 500 ppi images."""

    model = NBIS_MODEL

    def __init__(self, ppi: float | None = None) -> None:
        import nbis  # noqa: PLC0415 - loads the native library only when prints are handled

        self._nbis = nbis
        self._extractor = nbis.new_nbis_extractor(nbis.NbisExtractorSettings(
            min_quality=0.0, get_center=False, check_fingerprint=False,
            compute_nfiq2=True, ppi=ppi))
        self._loaded: dict[bytes, Any] = {}

    def template(self, image: bytes, source: str, quality: PrintQualityPolicy) -> PrintTemplate:
        """Gate the image on NFIQ 2 and extract its minutiae."""
        png = png_greyscale(image, source)
        try:
            minutiae = self._extractor.extract_minutiae(png)
        except self._nbis.NbisError as error:
            raise CaptureRefusedError(
                source, "no_fingerprint",
                f"NBIS found no fingerprint to grade or extract ({type(error).__name__})",
                {"min_nfiq2": quality.min_nfiq2}) from None
        nfiq2 = int(minutiae.quality().score)
        points = _minutiae(minutiae)
        values: dict[str, object] = {"nfiq2": nfiq2, "min_nfiq2": quality.min_nfiq2,
                                     "minutiae": len(points)}
        if nfiq2 < quality.min_nfiq2:
            raise CaptureRefusedError(
                source, "low_fingerprint_quality",
                f"NFIQ 2 quality {nfiq2} is below the {quality.min_nfiq2} required", values)
        if len(points) < MIN_MINUTIAE:
            raise CaptureRefusedError(
                source, "no_fingerprint",
                f"only {len(points)} minutiae were found; at least {MIN_MINUTIAE} are needed",
                values)
        iso = bytes(minutiae.to_iso_19794_2_2005())
        self._loaded[iso] = minutiae
        return PrintTemplate(self.model, iso, nfiq2, points)

    def load(self, iso_19794_2: bytes, source: str) -> PrintTemplate:
        """Read an ISO/IEC 19794-2:2005 record (from a capture station or our own store)."""
        minutiae = self._minutiae_of(iso_19794_2, source)
        return PrintTemplate(self.model, iso_19794_2, None, _minutiae(minutiae))

    def score(self, a: PrintTemplate, b: PrintTemplate) -> int:
        """The Bozorth3 score of two templates."""
        return int(self._minutiae_of(a.iso_19794_2, "probe").compare(
            self._minutiae_of(b.iso_19794_2, "reference")))

    def _minutiae_of(self, iso: bytes, source: str) -> Any:
        found = self._loaded.get(iso)
        if found is None:
            if not iso.startswith(b"FMR\x00"):
                raise CaptureRefusedError(source, "unreadable_template",
                                          "not an ISO/IEC 19794-2 finger minutiae record")
            try:
                found = self._extractor.load_iso_19794_2_2005(iso)
            except self._nbis.NbisError as error:
                raise CaptureRefusedError(
                    source, "unreadable_template",
                    f"the ISO/IEC 19794-2 record cannot be read ({type(error).__name__})"
                ) from None
            if len(self._loaded) > 4096:
                self._loaded.clear()
            self._loaded[iso] = found
        return found


def _minutiae(minutiae: Any) -> tuple[Minutia, ...]:
    return tuple(Minutia(int(m.x()), int(m.y()), float(m.angle()),
                         "bifurcation" if "BIFURCATION" in str(m.kind()) else "ridge_ending")
                 for m in minutiae.get())
