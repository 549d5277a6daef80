"""Biometrics: capture quality, templates, 1:1 verification and 1:N search.

Special registration took fingerprints and a photograph (8 CFR 264.1(f)); from 2004
8 CFR 235.1 made biometrics a condition of inspection. This package is the pure part of
that: bytes in, templates, scores and refusals out, no database.

* :mod:`~nseers.biometrics.faces`: the :class:`FaceMatcher` protocol and the dlib HOG +
  ResNet implementation (``face_recognition``), with the photograph's quality gate.
* :mod:`~nseers.biometrics.prints`: the :class:`PrintMatcher` protocol and NIST NBIS
  (MINDTCT, NFIQ 2, Bozorth3; ISO/IEC 19794-2 templates) through ``nbis-py``.
* :mod:`~nseers.biometrics.index`: faiss indexes for 1:N face search (exact, or IVF for
  large galleries) and the fingerprint candidate stage (:mod:`~.candidates`).
* :mod:`~nseers.biometrics.nist`: ANSI/NIST-ITL 1-2011 transactions (Types 1, 2, 10, 14).
* :mod:`~nseers.biometrics.sealing`: AES-GCM encryption of everything stored.
* :mod:`~nseers.biometrics.synthetic`: generated fingerprints for tests and the demo.

Thresholds are never chosen here: callers pass the values of the policy data
(``biometrics.face_*``, ``biometrics.fingerprint_*``).
"""

from __future__ import annotations

from nseers.biometrics.errors import CaptureRefusedError
from nseers.biometrics.faces import (
    DlibFaceMatcher,
    FaceComparison,
    FaceMatcher,
    FaceQualityPolicy,
    FaceTemplate,
    compare_faces,
)
from nseers.biometrics.prints import (
    NbisPrintMatcher,
    PrintComparison,
    PrintMatcher,
    PrintQualityPolicy,
    PrintTemplate,
    compare_prints,
)

__all__ = [
    "CaptureRefusedError",
    "DlibFaceMatcher",
    "FaceComparison",
    "FaceMatcher",
    "FaceQualityPolicy",
    "FaceTemplate",
    "NbisPrintMatcher",
    "PrintComparison",
    "PrintMatcher",
    "PrintQualityPolicy",
    "PrintTemplate",
    "compare_faces",
    "compare_prints",
]
