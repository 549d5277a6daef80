"""What port workstations forwarded from their offline journals, and the conflicts found.

A port keeps inspecting when its link to the central registry is down (issue 17, modelled
on EES's fall-back procedures, Regulation (EU) 2017/2226 Art. 21: data are entered
locally and sent to the central system as soon as it is available again). Each forwarded
journal entry is kept here once, with the workstation, its place and MAC in the
workstation's chain, and the original event time; a conflict it revealed (the same person
at two ports while both were offline) waits for a secondary officer instead of being
merged silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import Json, UtcDateTime


class OfflineForward(Base):
    """One journal entry received from a workstation, and the answer it was given."""

    __tablename__ = "offline_forwards"
    __table_args__ = (UniqueConstraint("workstation_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workstation_id: Mapped[str] = mapped_column(String(80))
    #: The entry's place in the workstation's journal: 1, 2, 3, ... without gaps.
    sequence: Mapped[int] = mapped_column(Integer)
    mac: Mapped[str] = mapped_column(String(64))
    #: The MAC of the entry before it (the chain the server checks link by link).
    previous_mac: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    #: When the workstation journaled the entry (the link was down then).
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The event's own time, kept as the encounter's time.
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    port_code: Mapped[str] = mapped_column(String(40))
    officer: Mapped[str] = mapped_column(String(120))
    forwarded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: ``recorded`` (a new encounter), ``already_recorded`` (the online request had got
    #: through before the link failed) or ``held`` (not recorded: a conflict holds it).
    status: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"))
    answer: Mapped[dict[str, Any]] = mapped_column(Json)


class OfflineConflict(Base):
    """The same person processed at two ports while offline, for review."""

    __tablename__ = "offline_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``arrival_without_departure``, ``out_of_order`` or ``not_recordable`` (see
    #: services.offline).
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, resolved
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    forward_id: Mapped[int] = mapped_column(ForeignKey("offline_forwards.id"))
    workstation_id: Mapped[str] = mapped_column(String(80))
    port_code: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    other_encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"))
    other_port_code: Mapped[str | None] = mapped_column(String(40))
    other_occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    other_workstation_id: Mapped[str | None] = mapped_column(String(80))
    #: The arrival as the workstation sent it, where it could not be recorded in place.
    held_arrival: Mapped[dict[str, Any] | None] = mapped_column(Json)
    explanation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)
