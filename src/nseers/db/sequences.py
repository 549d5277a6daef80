"""Number sequences for the identifiers the registry issues: FINs, I-94 and permit numbers.

A number is allocated before the record is written. On PostgreSQL it comes from a real
sequence, which never blocks a concurrent transaction (a rolled-back request leaves a gap,
as sequences do); on SQLite, where every write transaction holds the database lock anyway,
it comes from a counter row updated in the same transaction. Allocating a block at a time
keeps a batch of a thousand registrations to one round trip.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, bindparam, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from nseers.db.base import Base


class NumberSequence(Base):
    """The next free number of one kind of identifier."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger)


#: The PostgreSQL sequence behind each counter (created by the first migration).
POSTGRESQL_SEQUENCES = {"fin": "fin_numbers", "i94": "i94_numbers", "permit": "permit_numbers"}


_NEXT_VALUES = {
    name: text(f"SELECT nextval('{sequence}') FROM generate_series(1, :n)")  # noqa: S608 - fixed names
    for name, sequence in POSTGRESQL_SEQUENCES.items()}


_COUNTERS = NumberSequence.__table__
_ADVANCE = (update(_COUNTERS).where(_COUNTERS.c.name == bindparam("counter"))  # type: ignore[arg-type]
            .values(next_value=_COUNTERS.c.next_value + bindparam("count"))
            .returning(_COUNTERS.c.next_value))


def allocate(session: Session, name: str, count: int = 1) -> list[int]:
    """Reserve ``count`` numbers of the sequence ``name`` (consecutive on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return list(session.execute(_NEXT_VALUES[name], {"n": count}).scalars())
    after = session.connection().execute(_ADVANCE, {"counter": name, "count": count}
                                         ).scalar_one()
    return list(range(after - count, after))
