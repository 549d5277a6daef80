"""Identity merges: two records found to be one person, joined after a second look.

IDENT and the EES keep one identity per person (issue 13); when an analyst finds that two
records are one person (a face or finger match, a document trail), the merge is requested
with the evidence and carried out only when a second user approves it (the four-eyes
review the EES asks of a change to an individual file, Art. 35). The request keeps what the
merge moved, so the audit and a later split can say which rows came from where.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class IdentityMerge(Base):
    """A request to fold ``absorbed_id`` into ``survivor_id``: pending, approved, rejected."""

    __tablename__ = "identity_merges"
    __table_args__ = (Index("ix_identity_merges_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    absorbed_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    #: What shows the two are one person: ``biometric_hit``, ``document``, ``fingerprint``...
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending, approved, rejected
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    #: On approval: the ids of every row moved, by table, and the FIN retired.
    moved: Mapped[dict[str, Any] | None] = mapped_column(Json)
