"""``nseers mrz read --many``: a file of MRZs, one per line, read as a stream.

A batch of scanned documents (a carrier's manifest, a kiosk's log) is one MRZ per line. Each
line is read and checked by the same use case as a single MRZ
(:func:`nseers.services.documents.read_mrz`), printed as one compact
JSON line and dropped, so memory stays flat and the rate is that of the parser.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import IO, Final

from nseers.services.documents import read_mrz

#: Rows of each format's length, for an MRZ whose rows were run together on one line:
#: TD1 (3 x 30), TD2 and MRV-B (2 x 36), TD3 and MRV-A (2 x 44).
_ROW_LENGTHS: Final = {90: 30, 72: 36, 88: 44}


def split_rows(line: str) -> str:
    """The MRZ on ``line`` as rows: as they are if spaced, else cut at the format's length."""
    stripped = line.strip()
    row = _ROW_LENGTHS.get(len(stripped))
    if row is None or any(c.isspace() for c in stripped):
        return stripped
    return "\n".join(stripped[i:i + row] for i in range(0, len(stripped), row))


def read_many(source: str, reference: date, *, tolerant: bool, specimen: bool,
              prefill: bool) -> int:
    """Print a reading per non-blank line of ``source``; the exit status (0 all valid)."""
    if source == "-":
        return _stream(sys.stdin, sys.stdout, reference, tolerant=tolerant,
                       specimen=specimen, prefill=prefill)
    try:
        with Path(source).open(encoding="utf-8") as handle:
            return _stream(handle, sys.stdout, reference, tolerant=tolerant,
                           specimen=specimen, prefill=prefill)
    except (OSError, UnicodeDecodeError) as error:
        print(f"nothing could be read: {source}: {error}", file=sys.stderr)
        return 2


def _stream(handle: IO[str], out: IO[str], reference: date, *, tolerant: bool,
            specimen: bool, prefill: bool) -> int:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    write = out.write
    all_valid = True
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        answer = read_mrz(split_rows(line), reference_date=reference, tolerant=tolerant,
                          allow_specimens=specimen)
        all_valid = all_valid and answer.reading.valid
        output = {"line": number, **answer.to_dict(
            prefill=prefill and answer.reading.format is not None)}
        write(encode(output) + "\n")
    out.flush()
    return 0 if all_valid else 1
