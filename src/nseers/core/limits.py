"""How long a field may be: one set of lengths for the API, the console, the CLI and the
storage, so that no path accepts what another refuses.

These are technical limits, not law. They come from the travel-document standard and the
registry's columns:

* **A name part** (surname or given names, in Latin letters or the original script): at
  most 200 characters. ICAO Doc 9303 prints the full name in the visual zone and truncates
  it in the machine-readable zone (39 characters for both parts together on a TD3
  passport, Part 4 section 4.2.2; 30 on a TD1 card, Part 5); the visual zone has no fixed
  maximum, so the limit is the registry's column, five times the MRZ's and well beyond
  any recorded name. A 5,000-character "name" is an input error, not a person.
* **A document number**: at most 40 characters. The MRZ's document number field is 9
  characters, and a longer number continues in a TD1 card's optional data (Doc 9303
  Part 5, 15 characters); national visa, card and permit numbers are shorter than 40.
"""

from __future__ import annotations

from typing import Final

NAME_PART: Final = 200
DOCUMENT_NUMBER: Final = 40


def too_long(value: str | None, limit: int) -> str | None:
    """The problem with ``value`` if it is longer than ``limit`` characters, else None."""
    if value is not None and len(value) > limit:
        return f"at most {limit} characters (this is {len(value)})"
    return None
