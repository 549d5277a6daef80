"""Requests to correct a record (issue 17; Privacy Act 5 U.S.C. 552a(d); DHS TRIP; EES
Regulation (EU) 2017/2226 Art. 35 and 52): the request, its items, its evidence.

A request is made by the person or a representative (an attorney on Form G-28) and names
one or more items: a record (the person, a travel document, an I-94, an encounter), one of
its correctable fields, the value held when the request was made and the value asked for.
The district director acknowledges it and decides each item; an accepted item keeps the
value before and after the change, which the owning service wrote. The deadlines are kept
as computed from the law in force on the day of receipt, with their reasons.

Evidence is kept in the database, not on disk, so that a request that fails leaves no
file behind and an erased request takes its evidence with it; the SHA-256 proves which
bytes were presented.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class CorrectionRequest(Base):
    """One request to correct a person's records, and the decision on it."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # officer, self_service
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    filed_by: Mapped[str] = mapped_column(String(120))
    received_on: Mapped[date] = mapped_column(Date)
    requester_name: Mapped[str] = mapped_column(String(300))
    representative_name: Mapped[str | None] = mapped_column(String(300))
    representative_reference: Mapped[str | None] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    acknowledge_by: Mapped[date | None] = mapped_column(Date)
    decide_by: Mapped[date | None] = mapped_column(Date)
    deadline_reasons: Mapped[list[Any]] = mapped_column(Json)
    policy_version: Mapped[str] = mapped_column(String(80))
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_reasons: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[CorrectionItem]] = relationship(
        cascade="all, delete-orphan", order_by="CorrectionItem.position", lazy="selectin")
    #: The files' metadata loads with the request; their bytes only when asked for.
    evidence: Mapped[list[CorrectionEvidence]] = relationship(
        cascade="all, delete-orphan", order_by="CorrectionEvidence.id", lazy="selectin")


class CorrectionItem(Base):
    """One field of one record the requester asks to change, and what was decided."""

    __tablename__ = "correction_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("correction_requests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    value_when_filed: Mapped[str | None] = mapped_column(String(300))
    requested_value: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str | None] = mapped_column(String(20))  # accepted, refused
    value_before: Mapped[str | None] = mapped_column(String(300))
    value_after: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(2000))


class CorrectionEvidence(Base):
    """A file the requester attached: its name, detected type, size, SHA-256 and bytes."""

    __tablename__ = "correction_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("correction_requests.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
