"""The traveller's own days: the contact on record, one-time codes and reminders sent.

A traveller proves they are the person of a record by answering a code sent to the e-mail
address on record for that person (captured, optionally, at inspection or on Form I-68).
A code is kept only as a salted hash, with its expiry, the wrong answers counted and the
moment it was used, so it works once, for a short time, and for a few tries. A reminder
before the admit-until date is kept once per I-94 and schedule point, which is what makes
``nseers reminders send`` safe to run again.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import UtcDateTime


class TravellerContact(Base):
    """The e-mail address on record for a person, and where it was captured."""

    __tablename__ = "traveller_contacts"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    #: ``inspection``, ``i68`` or ``demo``: the form the traveller gave it on.
    captured_on_form: Mapped[str] = mapped_column(String(20))
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime)
    captured_by: Mapped[str] = mapped_column(String(120))


class TravellerAccountLink(Base):
    """A traveller account tied to the person whose record it may see without a code.

    Made when a signed-in traveller answers a one-time code: the code proves the account
    holder receives the mail of that person, once; after that, signing in is enough.
    """

    __tablename__ = "traveller_account_links"

    username: Mapped[str] = mapped_column(String(120), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OneTimeCode(Base):
    """A code sent to a traveller's contact: hashed, short-lived, single-use, limited."""

    __tablename__ = "traveller_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the challenge token the traveller holds (the token itself is not kept).
    challenge: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReminderSent(Base):
    """One reminder of one I-94's admit-until date, at one point of the schedule."""

    __tablename__ = "traveller_reminders"
    __table_args__ = (UniqueConstraint("i94_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    i94_id: Mapped[int] = mapped_column(ForeignKey("i94_records.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    days_before: Mapped[int] = mapped_column(Integer)
    admit_until: Mapped[date] = mapped_column(Date)
    #: ``sent``, or ``superseded`` when a later point was reached first (one message then).
    outcome: Mapped[str] = mapped_column(String(12))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    message_id: Mapped[str | None] = mapped_column(String(200))
