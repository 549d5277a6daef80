"""Refusals of entry: a record of their own (issue 17; EES Regulation (EU) 2017/2226 Art. 18).

A refusal names the person, the document presented, the port and the instant, the officer,
the coded grounds of inadmissibility (INA 212(a)), the procedure (withdrawal, expedited
removal, Notice to Appear) and what followed, with the explanation the rules gave on its
date. Each refusal also has its ``refusal`` encounter, so the movement statistics, the
timeline and the entry-exit feeds count it as they always have. The grounds are rows of
their own (``refusal_grounds``) so that statistics group by ground in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class Refusal(Base):
    """One refusal of entry at a port."""

    __tablename__ = "refusals"
    __table_args__ = (Index("ix_refusals_person_time", "person_id", "occurred_at"),
                      Index("ix_refusals_port_day", "port_code", "occurred_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"), unique=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("travel_documents.id"))
    port_code: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    occurred_on: Mapped[date] = mapped_column(Date)
    officer: Mapped[str] = mapped_column(String(120))
    procedure: Mapped[str] = mapped_column(String(40))
    disposition: Mapped[str] = mapped_column(String(40))
    narrative: Mapped[str | None] = mapped_column(Text)
    policy_version: Mapped[str] = mapped_column(String(80))
    explanation: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    grounds: Mapped[list[RefusalGround]] = relationship(
        cascade="all, delete-orphan", order_by="RefusalGround.position", lazy="selectin")


class RefusalGround(Base):
    """One coded ground a refusal rests on, in the order the officer gave them."""

    __tablename__ = "refusal_grounds"
    __table_args__ = (Index("ix_refusal_grounds_ground", "ground"),)

    refusal_id: Mapped[int] = mapped_column(ForeignKey("refusals.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    ground: Mapped[str] = mapped_column(String(60))
