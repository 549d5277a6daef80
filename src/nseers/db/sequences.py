"""Number sequences for the identifiers the registry issues: FINs, I-94 and permit numbers.

A number is allocated before the record is written. On PostgreSQL it comes from a real
sequence, which never blocks a concurrent transaction (a rolled-back request leaves a gap,
as sequences do); on SQLite, where every write transaction holds the database lock anyway,
it comes from a counter row updated in the same transaction. Allocating a block at a time
keeps a batch of a thousand registrations to one round trip.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from nseers.db.base import Base


class NumberSequence(Base):
    """The next free number of one kind of identifier."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger)


#: The PostgreSQL sequence behind each counter (created by the first migration).
POSTGRESQL_SEQUENCES = {"fin": "fin_numbers", "i94": "i94_numbers", "permit": "permit_numbers"}


def allocate(session: Session, name: str, count: int = 1) -> list[int]:
    """Reserve ``count`` numbers of the sequence ``name`` (consecutive on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        sequence = POSTGRESQL_SEQUENCES[name]
        return list(session.execute(
            text(f"SELECT nextval('{sequence}') FROM generate_series(1, :n)"),  # noqa: S608 - a fixed name
            {"n": count}).scalars())
    table = NumberSequence.__table__
    after = session.connection().execute(
        update(table).where(table.c.name == name)  # type: ignore[arg-type]
        .values(next_value=table.c.next_value + count)
        .returning(table.c.next_value)).scalar_one()
    return list(range(after - count, after))
