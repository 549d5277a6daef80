"""Form I-68 applications and Canadian Border Boat Landing Permits (8 CFR 235.1(e))."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.db.types import Json
from nseers.registry.people import Person


class I68Application(Base):
    """A family's application, its fee and the district director's decision."""

    __tablename__ = "i68_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    port_code: Mapped[str] = mapped_column(String(40))
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(120))
    fee_usd: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(String(10))  # pending, approved, denied
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    members: Mapped[list[I68Member]] = relationship(order_by="I68Member.id", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class I68Member(Base):
    """One person named on an application, and whether the family definition admits them."""

    __tablename__ = "i68_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("i68_applications.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    relation: Mapped[str] = mapped_column("relationship", String(24))
    married: Mapped[bool] = mapped_column(Boolean, default=False)
    same_address: Mapped[bool] = mapped_column(Boolean, default=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    needs_photo_id: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship(lazy="selectin")


class BoatLandingPermit(Base):
    """An approved application's permit: validity, conditions, and any revocation."""

    __tablename__ = "boat_landing_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("i68_applications.id"), unique=True)
    principal_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    conditions: Mapped[list[str]] = mapped_column(Json)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by: Mapped[str | None] = mapped_column(String(120))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    application: Mapped[I68Application] = relationship(lazy="selectin")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API
