"""Travel documents: reading and validating machine-readable zones (ICAO Doc 9303).

* :func:`parse_mrz` reads the text of an MRZ in any Doc 9303 format (TD1, TD2, TD3
  passports, MRV-A and MRV-B visas: Parts 4 to 7), checks every check digit, code, date
  and character class (Part 3), and answers with fields and precise problems, never an
  exception; ``tolerant=True`` corrects OCR confusions the check digits confirm.
* :func:`render_td3` and its siblings write an MRZ from fields, check digits included.
* :func:`names_match` compares a name typed from the visual zone with the MRZ's, accepting
  every transliteration Doc 9303 Part 3 permits and truncation.
* :func:`case_prefill` turns a reading into the facts of an inspection case.
* :func:`read_mrz_image` (in :mod:`nseers.documents.ocr`) finds and reads the MRZ on a
  photograph of a data page with Tesseract; it needs Pillow and the ``tesseract`` program.

The parser is pure and has no dependency outside the standard library.
"""

from __future__ import annotations

from nseers.documents.mrz import parse_mrz
from nseers.documents.names import names_match, transliterate
from nseers.documents.prefill import CasePrefill, case_prefill
from nseers.documents.reading import Correction, MrzProblem, MrzReading
from nseers.documents.render import (
    RenderError,
    render,
    render_mrva,
    render_mrvb,
    render_td1,
    render_td2,
    render_td3,
)

__all__ = [
    "CasePrefill",
    "Correction",
    "MrzProblem",
    "MrzReading",
    "RenderError",
    "case_prefill",
    "names_match",
    "parse_mrz",
    "render",
    "render_mrva",
    "render_mrvb",
    "render_td1",
    "render_td2",
    "render_td3",
    "transliterate",
]
