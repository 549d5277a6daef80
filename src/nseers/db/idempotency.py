"""Idempotency keys: a replayed write returns the first answer and records nothing twice.

A key is scoped to the user who sent it. The stored row holds a hash of the request, so the
same key sent with a different request is refused rather than silently answered with the
first request's result.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class IdempotencyKey(Base):
    """A write already done, and its answer."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(String(80))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def request_hash(operation: str, request: Any) -> str:
    """A stable hash of an operation and its request."""
    text = json.dumps([operation, request], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
