"""A workstation's settings: who it is, its journal's key, where the central API is.

Read from a mapping (the process environment by default), so tests pass their own. The
key signs the journal (HMAC-SHA256); it is the workstation's own, kept outside the
journal file, so that whoever can edit the file cannot re-sign what they changed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

WORKSTATION_ID_ENV: Final = "NSEERS_WORKSTATION_ID"
WORKSTATION_KEY_ENV: Final = "NSEERS_WORKSTATION_KEY"
CENTRAL_URL_ENV: Final = "NSEERS_CENTRAL_URL"
JOURNAL_ENV: Final = "NSEERS_JOURNAL"
TIMEOUT_ENV: Final = "NSEERS_CENTRAL_TIMEOUT"
#: HMAC-SHA256 keys shorter than the hash are weak (as for the audit key).
MIN_KEY_BYTES: Final = 32


@dataclass(frozen=True, slots=True)
class WorkstationSettings:
    """One workstation: its id, its journal's key and file, the central API."""

    workstation_id: str
    key: bytes
    journal: Path
    central_url: str = "http://127.0.0.1:8000"
    #: Seconds to wait for the central API before working offline.
    timeout_s: float = 5.0

    def __post_init__(self) -> None:
        if not self.workstation_id.strip():
            raise ValueError(f"{WORKSTATION_ID_ENV}: a workstation id is required")
        if len(self.key) < MIN_KEY_BYTES:
            raise ValueError(f"{WORKSTATION_KEY_ENV} must be at least {MIN_KEY_BYTES} bytes")

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str] | None = None) -> WorkstationSettings:
        """Settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        workstation = env.get(WORKSTATION_ID_ENV, "")
        journal = env.get(JOURNAL_ENV) or str(
            Path(env.get("NSEERS_DATA_DIR") or "data") / f"journal-{workstation}.db")
        return cls(workstation_id=workstation, key=env.get(WORKSTATION_KEY_ENV, "").encode(),
                   journal=Path(journal),
                   central_url=(env.get(CENTRAL_URL_ENV) or "http://127.0.0.1:8000"
                                ).rstrip("/"),
                   timeout_s=float(env.get(TIMEOUT_ENV) or 5.0))
