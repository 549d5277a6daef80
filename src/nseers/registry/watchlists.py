"""Watchlist versions, their listed persons, and screening hits with their adjudication.

Each import of a list is a new version (never an update of an old one), holding every
person of that version and the delta from the version before, so an auditor can say which
list said what on any day. A hit is a traveller's candidate match above threshold; the
secondary officer's adjudication is kept on it, and a ``false_match`` adjudication stops
the same traveller being referred again for the same listed person until a newer version
of that list arrives (``version_id`` tells which version the hit was scored against).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class WatchlistVersion(Base):
    """One dated import of one source list: who loaded it, what it held, what changed."""

    __tablename__ = "watchlist_versions"
    __table_args__ = (UniqueConstraint("source", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(120), index=True)
    number: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    loaded_by: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    person_count: Mapped[int] = mapped_column(Integer)
    delta: Mapped[dict[str, Any]] = mapped_column(Json)
    problems: Mapped[list[Any]] = mapped_column(Json)


class ListedPersonRecord(Base):
    """A listed person as one version of a list gave it (``data``: ListedPerson.to_dict)."""

    __tablename__ = "watchlist_persons"
    __table_args__ = (UniqueConstraint("version_id", "listed_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id"), index=True)
    listed_id: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(Json)


class ScreeningHit(Base):
    """A traveller referred because a listed person scored above threshold."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(300), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20))
    query: Mapped[dict[str, Any]] = mapped_column(Json)
    listed_id: Mapped[str] = mapped_column(String(200))
    version_id: Mapped[int] = mapped_column(ForeignKey("watchlist_versions.id"))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    adjudicated_by: Mapped[str | None] = mapped_column(String(120))
    adjudicated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(2000))
