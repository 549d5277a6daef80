"""The entry-exit review queue (issue 12): links the linkage model is unsure of.

A probabilistic link under the confident threshold is put before an analyst, who accepts
or rejects it. The queue is keyed by the pair of feed records (``arrival_record_id``,
``departure_record_id``): a re-run of the report that finds the same pair again updates
its probability, evidence and ``last_seen_at``, never adds a second item, and never
touches a decision already taken. The item keeps what the analyst needs to judge the
pair (both input rows, the comparison levels that fired) and the run it came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime

#: The longest feed record id the queue keeps.
RECORD_ID_LENGTH = 100
#: The longest run label and snapshot path.
RUN_LENGTH = 300


class LinkageReview(Base):
    """One pair in the review queue and, once an analyst has looked, the decision."""

    __tablename__ = "linkage_reviews"
    __table_args__ = (
        UniqueConstraint("arrival_record_id", "departure_record_id"),
        Index("ix_linkage_reviews_decision", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    arrival_record_id: Mapped[str] = mapped_column(String(RECORD_ID_LENGTH))
    departure_record_id: Mapped[str] = mapped_column(String(RECORD_ID_LENGTH))
    #: The match probability of the latest run that found the pair.
    probability: Mapped[float] = mapped_column(Float)
    #: Comparison name -> the level that fired (``name``: ``Exact match on name_key``...).
    comparison_levels: Mapped[dict[str, Any]] = mapped_column(Json)
    #: The arrival's and the departure's input rows, as the feeds gave them.
    arrival: Mapped[dict[str, Any]] = mapped_column(Json)
    departure: Mapped[dict[str, Any]] = mapped_column(Json)
    #: The run that last found the pair (fiscal year, as-of date, inputs' hashes) and its
    #: snapshot folder when one was written.
    run: Mapped[str] = mapped_column(String(RUN_LENGTH))
    snapshot: Mapped[str | None] = mapped_column(String(RUN_LENGTH))
    published_by: Mapped[str] = mapped_column(String(120))
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decision: Mapped[str | None] = mapped_column(String(6))  # accept, reject
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
