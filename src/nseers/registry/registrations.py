"""Special registrations and everything that follows from them (8 CFR 264.1(f)).

A registration event (at a port of entry, or at a call-in) gets its own Fingerprint
Identification Number (FIN). Its obligations are stored with their windows as the rules
engine computed them on the day of registration; the compliance report reads them back and
matches each against the evidence: interviews, departures, change notices, waivers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime
from nseers.registry.encounters import Encounter
from nseers.registry.people import Person


class SpecialRegistration(Base):
    """One registration event: its FIN, basis, place, biometrics and sworn answers."""

    __tablename__ = "special_registrations"
    __table_args__ = (UniqueConstraint("person_id", "call_in_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Fingerprint Identification Number: one per person, carried by each of the
    #: person's registrations (not unique per row; migration 0012).
    fin: Mapped[str | None] = mapped_column(String(16), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    route: Mapped[str] = mapped_column(String(16))  # port_of_entry, call_in
    basis: Mapped[str] = mapped_column(String(30))  # designated_nationality, individual
    grounds: Mapped[list[str]] = mapped_column(Json)
    registered_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(120))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"), unique=True)
    call_in_group: Mapped[int | None] = mapped_column(Integer)
    timeliness: Mapped[str | None] = mapped_column(String(20))
    admission_class: Mapped[str | None] = mapped_column(String(10))
    photograph_ref: Mapped[str | None] = mapped_column(String(300))
    fingerprints_ref: Mapped[str | None] = mapped_column(String(300))
    us_address: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    itinerary: Mapped[str | None] = mapped_column(Text)
    employer_or_school: Mapped[str | None] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(String(120))
    policy_version: Mapped[str] = mapped_column(String(80))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship(lazy="raise_on_sql")
    encounter: Mapped[Encounter | None] = relationship(lazy="raise_on_sql")
    obligations: Mapped[list[Obligation]] = relationship(
        back_populates="registration", order_by="Obligation.id", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class Obligation(Base):
    """A duty of a registrant with its window, as computed on the day of registration."""

    __tablename__ = "obligations"
    __table_args__ = (UniqueConstraint("registration_id", "kind", "sequence"),
                      Index("ix_obligations_due", "status", "window_end"))

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("special_registrations.id"),
                                                 index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12))  # required, suspended, on_notice
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(Json)

    registration: Mapped[SpecialRegistration] = relationship(back_populates="obligations",
                                                             lazy="raise_on_sql")
    person: Mapped[Person] = relationship(lazy="raise_on_sql")


class CallInNotice(Base):
    """A notice requiring a registrant to appear for an interview."""

    __tablename__ = "call_in_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("special_registrations.id"))
    channel: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    appear_by: Mapped[date] = mapped_column(Date)
    notice_days: Mapped[int] = mapped_column(Integer)
    office: Mapped[str] = mapped_column(String(200))
    issued_by: Mapped[str] = mapped_column(String(120))


class Interview(Base):
    """A registrant's appearance: the 30-day report, an annual report or a call-in."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("special_registrations.id"),
                                                 index=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("call_in_notices.id"),
                                                  unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(String(120))


class ChangeNotice(Base):
    """A change of address, employer or school (Form AR-11 SR)."""

    __tablename__ = "change_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("special_registrations.id"))
    kind: Mapped[str] = mapped_column(String(10))  # address, employer, school
    new_value: Mapped[str] = mapped_column(Text)
    changed_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(20))
    via_sevis: Mapped[bool] = mapped_column(Boolean, default=False)
    on_time: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    recorded_by: Mapped[str] = mapped_column(String(120))


class WaiverRequest(Base):
    """A request to waive one obligation, and the district director's decision."""

    __tablename__ = "waiver_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("special_registrations.id"))
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"))
    grounds: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10))  # pending, granted, denied
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class Violation(Base):
    """A failure to comply, with the willfulness assessment the 2012 guidance requires."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("special_registrations.id"))
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"))
    kind: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    willfulness: Mapped[str] = mapped_column(String(12))  # unassessed, willful, not_willful
    assessment: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str | None] = mapped_column(String(120))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship(lazy="raise_on_sql")
    registration: Mapped[SpecialRegistration] = relationship(lazy="raise_on_sql")
    obligation: Mapped[Obligation | None] = relationship(lazy="raise_on_sql")
    encounter: Mapped[Encounter | None] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API
