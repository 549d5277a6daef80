"""Identity merges: two records found to be one person, joined after a second look.

IDENT and the EES keep one identity per person (issue 13); when an analyst finds that two
records are one person (a face or finger match, a document trail), the merge is requested
with the evidence and carried out only when a second user approves it (the four-eyes
review the EES asks of a change to an individual file, Art. 35). The request keeps what the
merge moved, so the audit and a later split can say which rows came from where.

A merge keeps one FIN and retires the other (8 CFR 264.1(f): a registrant has one FIN). The
registrant, his employer or his lawyer still quote the retired FIN, so a :class:`FinAlias`
maps it to the FIN the identity now holds, and every lookup by FIN goes through
:func:`current_fin`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class IdentityMerge(Base):
    """A request to fold ``absorbed_id`` into ``survivor_id``: pending, approved, rejected."""

    __tablename__ = "identity_merges"
    __table_args__ = (Index("ix_identity_merges_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    absorbed_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    #: What shows the two are one person: ``biometric_hit``, ``document``, ``fingerprint``...
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending, approved, rejected
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    #: On approval: the ids of every row moved, by table, and the FIN retired.
    moved: Mapped[dict[str, Any] | None] = mapped_column(Json)


class FinAlias(Base):
    """A FIN retired by a merge, and the FIN (and person) that now answers it.

    ``registration_ids`` are the registrations that carried the retired FIN before the
    merge, so a split that takes exactly those back can hand the FIN back with them."""

    __tablename__ = "fin_aliases"

    retired_fin: Mapped[str] = mapped_column(String(16), primary_key=True)
    fin: Mapped[str] = mapped_column(String(16), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    merge_id: Mapped[int] = mapped_column(ForeignKey("identity_merges.id"))
    registration_ids: Mapped[list[int]] = mapped_column(Json)


def normal_fin(fin: str) -> str:
    """A FIN as stored: without the hyphen or spaces an officer may type."""
    return fin.replace("-", "").strip()


def current_fin(session: Session, fin: str) -> str:
    """The FIN that answers ``fin`` now: ``fin`` itself, or the FIN kept by the merge that
    retired it. One hop is enough: a later merge re-points the aliases it inherits."""
    wanted = normal_fin(fin)
    kept = session.execute(select(FinAlias.fin).where(FinAlias.retired_fin == wanted)
                           ).scalar_one_or_none()
    return wanted if kept is None else kept


def current_fins(session: Session, fins: Iterable[str]) -> dict[str, str]:
    """:func:`current_fin` for many FINs in one query (a batch of departures)."""
    wanted = sorted({normal_fin(fin) for fin in fins})
    now = {fin: fin for fin in wanted}
    for start in range(0, len(wanted), 500):
        for retired, kept in session.execute(select(FinAlias.retired_fin, FinAlias.fin).where(
                FinAlias.retired_fin.in_(wanted[start:start + 500]))).tuples():
            now[retired] = kept
    return now
