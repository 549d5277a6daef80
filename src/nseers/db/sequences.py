"""Number sequences for the identifiers the registry issues: FINs, I-94 and permit numbers.

A number is allocated before the record is written, in the same transaction, so a rolled
back request gives its number back and a committed one never shares it. Allocating a
block at a time keeps a batch of a thousand registrations to one round trip.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from nseers.db.base import Base


class NumberSequence(Base):
    """The next free number of one kind of identifier."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger)


def allocate(session: Session, name: str, count: int = 1) -> range:
    """Reserve ``count`` consecutive numbers of the sequence ``name``."""
    after = session.execute(
        update(NumberSequence).where(NumberSequence.name == name)
        .values(next_value=NumberSequence.next_value + count)
        .returning(NumberSequence.next_value)).scalar_one()
    return range(after - count, after)
