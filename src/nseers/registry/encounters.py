"""Encounters: each arrival, departure and refusal at a port, with the decisions made.

An encounter keeps the determinations the rules engine produced and the policy version
that produced them, so a decision can be explained years later under the law of its day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime
from nseers.registry.people import Person, TravelDocument


class Encounter(Base):
    """One event at a port: ``arrival``, ``departure`` or ``refusal``."""

    __tablename__ = "encounters"
    __table_args__ = (Index("ix_encounters_person_time", "person_id", "occurred_at"),
                      Index("ix_encounters_port_day", "port_code", "occurred_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str] = mapped_column(String(30))  # admitted, refused, referred, departed
    port_code: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str | None] = mapped_column(String(4))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    occurred_on: Mapped[date] = mapped_column(Date)
    officer: Mapped[str] = mapped_column(String(120))
    admission_class: Mapped[str | None] = mapped_column(String(10))
    admit_until: Mapped[date | None] = mapped_column(Date)
    duration_of_status: Mapped[bool] = mapped_column(Boolean, default=False)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("travel_documents.id"))
    policy_version: Mapped[str] = mapped_column(String(80))
    determinations: Mapped[dict[str, Any]] = mapped_column(Json)

    person: Mapped[Person] = relationship(lazy="raise_on_sql")
    document: Mapped[TravelDocument | None] = relationship(lazy="raise_on_sql")
