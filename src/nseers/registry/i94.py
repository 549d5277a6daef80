"""Form I-94 arrival/departure records (8 CFR 235.1(h) and 1.4)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.registry.encounters import Encounter
from nseers.registry.people import Person


class I94Record(Base):
    """One I-94: admission, class, admit-until or D/S, fee, and its surrender on departure."""

    __tablename__ = "i94_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(11), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"), unique=True)
    admission_class: Mapped[str | None] = mapped_column(String(10))
    port_code: Mapped[str] = mapped_column(String(40))
    admitted_on: Mapped[date] = mapped_column(Date)
    admit_until: Mapped[date | None] = mapped_column(Date)
    duration_of_status: Mapped[bool] = mapped_column(Boolean, default=False)
    multiple_entry: Mapped[bool] = mapped_column(Boolean, default=False)
    land_border_fee_usd: Mapped[int | None] = mapped_column(Integer)
    parole: Mapped[bool] = mapped_column(Boolean, default=False)
    surrendered_on: Mapped[date | None] = mapped_column(Date)
    surrender_encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"))

    person: Mapped[Person] = relationship(lazy="raise_on_sql")
    encounter: Mapped[Encounter] = relationship(foreign_keys=[encounter_id], lazy="raise_on_sql")
    surrender_encounter: Mapped[Encounter | None] = relationship(
        foreign_keys=[surrender_encounter_id], lazy="raise_on_sql")
