"""Retention and erasure (issue 17, EES Art. 34): legal holds, pre-erasure notices, and the
anonymous statistics that outlive an erased file.

A legal hold and a notice belong to a person (a foreign key to ``persons``), so erasing a
file sweeps its released holds and its notices with the rest of it; a person under an
active hold is never erased. :class:`AnonymousMovementCount` has no link to anyone: it
keeps, per month, port, kind of movement, class and nationality, how many movements the
erased files held, so the statistics the dashboards show do not change when a file goes
(EES Art. 63 keeps statistics the same way, with no identity data).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class LegalHold(Base):
    """An order that a person's file be kept whatever its retention period says.

    Placed and released by a district director, each with a reason; ``reference`` names the
    case, subpoena, litigation or investigation that needs the file kept.
    """

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(200))
    placed_by: Mapped[str] = mapped_column(String(120))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_by: Mapped[str | None] = mapped_column(String(120))
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)


class RetentionNotice(Base):
    """A notice, given before erasure, that a file is scheduled to be erased.

    One per person, rule and scheduled date: a second run finds it and gives no second
    notice. ``given_on`` is the run's as-of date, from which the notice period counts.
    """

    __tablename__ = "retention_notices"
    __table_args__ = (UniqueConstraint("person_id", "rule", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    rule: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date] = mapped_column(Date)
    given_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[list[str]] = mapped_column(Json)
    channel: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)
    given_by: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict[str, Any]] = mapped_column(Json)


class AnonymousMovementCount(Base):
    """How many movements of erased files fell in one month, port, kind, class and
    nationality: counts only, linked to no one."""

    __tablename__ = "anonymous_movement_counts"
    __table_args__ = (UniqueConstraint("month", "port_code", "kind", "admission_class",
                                       "nationality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    port_code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))  # arrival, departure, refusal
    #: Empty when the movement had none (a departure, a refusal), never NULL, so that the
    #: unique key holds on both databases.
    admission_class: Mapped[str] = mapped_column(String(10), default="")
    nationality: Mapped[str] = mapped_column(String(3), default="")
    count: Mapped[int] = mapped_column(Integer)
