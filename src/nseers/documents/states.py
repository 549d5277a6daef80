"""The ICAO Doc 9303 three-letter codes, as the MRZ reader knows them.

The table lives in :mod:`nseers.core.states` (vocabulary shared with the rules, which
flag a code no state or organization has); this module keeps the reader's imports.
"""

from __future__ import annotations

from nseers.core.states import (
    ICAO_SPECIAL_CODES,
    ISO_3166_ALPHA3,
    MRZ_CODES,
    NO_NATIONALITY_CODES,
    ORGANIZATION_CODES,
    SPECIMEN_CODES,
    code_name,
    is_known_code,
    to_alpha3,
)

__all__ = ["ICAO_SPECIAL_CODES", "ISO_3166_ALPHA3", "MRZ_CODES", "NO_NATIONALITY_CODES",
           "ORGANIZATION_CODES", "SPECIMEN_CODES", "code_name", "is_known_code", "to_alpha3"]
