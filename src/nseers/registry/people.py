"""Persons and their travel documents.

A person may be known by several names: the name in the original script (Arabic,
Cyrillic, Han...) and its transliteration, and aliases. Every name is kept in
``person_names`` with a search key (upper case, accents removed, spaces folded) so that
a search in any script finds the person.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nseers.db.base import Base
from nseers.db.types import UtcDateTime


def name_key(text: str) -> str:
    """Fold a name for search: NFKD, accents dropped, upper case, single spaces.

    Non-Latin scripts keep their letters (``"محمد"`` stays ``"محمد"``); a Latin name loses
    its diacritics (``"Müller"`` -> ``"MULLER"``), as officers type it from a document.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.upper().replace("-", " ").replace("'", "").split())


class Person(Base):
    """Someone the registry knows: a traveller, a registrant, an I-68 applicant."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    surname_original: Mapped[str | None] = mapped_column(String(200))
    given_names_original: Mapped[str | None] = mapped_column(String(200))
    script: Mapped[str | None] = mapped_column(String(4))
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Set when an approved identity merge folded this record into another person
    #: (``services.identities``); reads of this id then answer the survivor.
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))

    citizenships: Mapped[list[Citizenship]] = relationship(
        cascade="all, delete-orphan", order_by="Citizenship.position", lazy="selectin")
    names: Mapped[list[PersonName]] = relationship(cascade="all, delete-orphan", lazy="select")
    documents: Mapped[list[TravelDocument]] = relationship(back_populates="person",
                                                           lazy="select")


class Citizenship(Base):
    """One of a person's nationalities (ICAO alpha-3), in the order given."""

    __tablename__ = "person_citizenships"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class PersonName(Base):
    """A name a person is known by, with its search key."""

    __tablename__ = "person_names"
    __table_args__ = (Index("ix_person_names_surname_key", "surname_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # primary, original, alias
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    surname_key: Mapped[str] = mapped_column(String(200))
    given_names_key: Mapped[str] = mapped_column(String(200))


class TravelDocument(Base):
    """A passport, visa, card or permit a person presented."""

    __tablename__ = "travel_documents"
    __table_args__ = (UniqueConstraint("kind", "issuing_state", "number"),
                      Index("ix_travel_documents_number", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))
    issuing_state: Mapped[str] = mapped_column(String(3))
    admission_class: Mapped[str | None] = mapped_column(String(10))
    passport_type: Mapped[str | None] = mapped_column(String(12))
    expires_on: Mapped[date | None] = mapped_column(Date)
    is_machine_read: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship(back_populates="documents")
