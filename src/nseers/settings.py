"""Settings: where the data lives and which database to use.

Read from a mapping (the process environment by default) so tests pass their own and never
touch the real environment. SQLite in the data directory is the embedded default;
``NSEERS_DATABASE_URL`` names PostgreSQL in production (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATABASE_URL_ENV = "NSEERS_DATABASE_URL"
DATA_DIR_ENV = "NSEERS_DATA_DIR"
DEFAULT_DATA_DIR = "data"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the registry is stored."""

    data_dir: Path
    database_url: str

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
        url = env.get(DATABASE_URL_ENV) or f"sqlite:///{data_dir / 'nseers.db'}"
        return cls(data_dir=data_dir, database_url=url)

    @property
    def is_sqlite(self) -> bool:
        """Whether the embedded SQLite store is in use."""
        return self.database_url.startswith("sqlite")
