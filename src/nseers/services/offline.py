"""Forwarded offline journals: record each entry exactly once, in order, and surface conflicts.

A port workstation that cannot reach the registry journals its inspections locally and
forwards them when the link returns (issue 17; the EES's fall-back procedure,
Regulation (EU) 2017/2226 Art. 21, enters locally kept data into the central system as
soon as it is available again). This service is the central side of that promise:

* **Exactly once.** An entry is identified by its workstation and its place in the
  workstation's journal (``sequence``). A re-sent entry (the answer was lost on the way
  back) finds its row and gets the first answer again. The entry's idempotency key is the
  one the workstation used when it first tried the arrival online, so an arrival whose
  online request did get through before the link failed is not recorded a second time.
* **In order.** A workstation's entries must arrive as 1, 2, 3, ... and each must name
  the MAC of the entry before it: a gap, a reordering or a removed entry is refused
  (``out_of_sequence``, ``broken_chain``) and nothing is recorded.
* **Original time, marked offline.** The encounter keeps the event's own time; the audit
  entry ``offline.forward`` names the workstation, the sequence and when it was journaled.
* **Refusals held, not lost.** An arrival the normal write path refuses (a fact the rules
  reject; a registration a primary officer may not take) is held as ``not_recordable``
  with the officer's data, so the rest of the journal is not stuck behind it.
* **Conflicts for review, never merged.** The same person processed at two ports while both
  were offline shows as two arrivals with no departure between them, or as an arrival
  older than one already recorded. The first is recorded and flagged
  (``arrival_without_departure``); the second cannot be placed before a later admission,
  so it is held, with the data the officer took, and flagged (``out_of_order``). A
  secondary officer reviews the list (``ADJUDICATE_HIT``: a conflict, like a watchlist hit,
  is secondary inspection's to resolve).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import case, func, select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.offline import OfflineConflict, OfflineForward
from nseers.services.context import Registry
from nseers.services.movements import ArrivalInspection, ingest
from nseers.services.people import find_document, identity_document

#: The ``previous_mac`` of a journal's first entry.
GENESIS_MAC: Final = "0" * 64
_MAC: Final = re.compile(r"^[0-9a-f]{64}$")
CONFLICT_STATUSES: Final = ("open", "resolved")
#: Refusals that say "not now" or "not in this place of the chain": the entry is not held,
#: the workstation is told (409) and sends it again later, or in order.
RETRY_LATER: Final = frozenset({"duplicate", "concurrent_update", "out_of_sequence",
                                "broken_chain", "journal_mismatch"})


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One entry of a workstation's offline journal, as forwarded."""

    workstation_id: str
    sequence: int
    previous_mac: str
    mac: str
    recorded_at: datetime
    #: The arrival, carrying the idempotency key the workstation first sent it with.
    arrival: ArrivalInspection
    #: The arrival as the workstation sent it (kept with a conflict that holds it).
    sent: dict[str, Any]
    #: The officer signed in at the workstation when it was journaled.
    inspected_by: str | None = None


def forward_arrival(registry: Registry, actor: Actor, entry: JournalEntry) -> dict[str, Any]:
    """Record one forwarded journal entry once, in its place in the chain.

    Answers the arrival's answer under ``arrival`` (or ``None`` where a conflict holds it),
    the forward's ``status`` and the ``conflicts`` it raised; ``replayed`` when the entry
    had been forwarded before.
    """
    _check(entry)
    with registry.work(actor, Permission.FORWARD_OFFLINE) as uow:
        known = _forward(uow, entry.workstation_id, entry.sequence)
        if known is not None:
            if known.mac != entry.mac or known.idempotency_key != entry.arrival.idempotency_key:
                raise ConflictError("journal_mismatch",
                                    f"entry {entry.sequence} of workstation "
                                    f"{entry.workstation_id} was forwarded before with "
                                    f"different contents")
            return known.answer | {"replayed": True}
        _check_link(uow, entry)
    written: list[dict[str, Any]] = []
    try:
        ingest(registry, actor, [entry.arrival],
               also=lambda uow, answers: written.append(_record(uow, entry, answers[0])))
    except ConflictError as error:
        if error.code in RETRY_LATER:
            raise
        kind = "out_of_order" if error.code == "out_of_order" else "not_recordable"
        return _hold(registry, actor, entry, kind, str(error))
    except InvalidInputError as error:
        return _hold(registry, actor, entry, "not_recordable", str(error))
    return written[0]


def list_conflicts(registry: Registry, actor: Actor,
                   status: str | None = "open") -> list[dict[str, Any]]:
    """The conflicts found in forwarded journals (open ones by default), audited per person."""
    if status is not None and status not in CONFLICT_STATUSES:
        raise InvalidInputError([FieldProblem("status", "one of open, resolved, all")])
    with registry.work(actor, Permission.ADJUDICATE_HIT) as uow:
        statement = select(OfflineConflict).order_by(OfflineConflict.id)
        if status is not None:
            statement = statement.where(OfflineConflict.status == status)
        conflicts = list(uow.session.execute(statement).scalars())
        for conflict in conflicts:
            uow.audit("offline.conflict_read", conflict, conflict.person_id)
        uow.commit()
        return [conflict_dict(c) for c in conflicts]


def resolve_conflict(registry: Registry, actor: Actor, conflict_id: int,
                     resolution: str) -> dict[str, Any]:
    """Close a conflict with the secondary officer's finding (required, in words)."""
    if not resolution.strip():
        raise InvalidInputError([FieldProblem("resolution", "required: say what was found")])
    with registry.work(actor, Permission.ADJUDICATE_HIT) as uow:
        conflict = uow.session.get(OfflineConflict, conflict_id)
        if conflict is None:
            raise NotFoundError("offline conflict", conflict_id)
        if conflict.status == "resolved":
            raise ConflictError("already_decided", f"conflict {conflict_id} was resolved "
                                                   f"by {conflict.resolved_by}")
        conflict.status, conflict.resolution = "resolved", resolution.strip()
        conflict.resolved_by, conflict.resolved_at = actor.username, uow.now
        uow.audit("offline.conflict_resolved", conflict, conflict.person_id, before="open",
                  after="resolved", kind=conflict.kind, resolution=conflict.resolution)
        uow.commit()
        return conflict_dict(conflict)


def workstations(registry: Registry, actor: Actor) -> list[dict[str, Any]]:
    """Each workstation that has forwarded a journal: how many entries, how many held, and
    when it last came back online (no personal data, so no per-person audit)."""
    with registry.work(actor, Permission.ADJUDICATE_HIT) as uow:
        rows = uow.session.execute(
            select(OfflineForward.workstation_id, func.count(),
                   func.sum(case((OfflineForward.status == "held", 1), else_=0)),
                   func.max(OfflineForward.recorded_at), func.max(OfflineForward.forwarded_at))
            .group_by(OfflineForward.workstation_id)
            .order_by(OfflineForward.workstation_id)).all()
        return [{"workstation_id": workstation, "entries": entries, "held": int(held or 0),
                 "last_recorded_at": last_recorded.isoformat(),
                 "last_forwarded_at": last_forwarded.isoformat()}
                for workstation, entries, held, last_recorded, last_forwarded in rows]


def conflict_dict(conflict: OfflineConflict) -> dict[str, Any]:
    """A conflict as the API and the console show it."""
    return {
        "id": conflict.id, "kind": conflict.kind, "status": conflict.status,
        "person_id": conflict.person_id, "workstation_id": conflict.workstation_id,
        "port_code": conflict.port_code, "occurred_at": conflict.occurred_at.isoformat(),
        "other_encounter_id": conflict.other_encounter_id,
        "other_port_code": conflict.other_port_code,
        "other_occurred_at": (conflict.other_occurred_at.isoformat()
                              if conflict.other_occurred_at else None),
        "other_workstation_id": conflict.other_workstation_id,
        "held": conflict.held_arrival is not None, "held_arrival": conflict.held_arrival,
        "explanation": conflict.explanation,
        "resolved_by": conflict.resolved_by,
        "resolved_at": conflict.resolved_at.isoformat() if conflict.resolved_at else None,
        "resolution": conflict.resolution,
    }


# ----------------------------------------------------------------------------- checks
def _check(entry: JournalEntry) -> None:
    problems = []
    if not entry.workstation_id.strip():
        problems.append(FieldProblem("workstation_id", "required"))
    if entry.sequence < 1:
        problems.append(FieldProblem("sequence", "must be 1 or more"))
    for name in ("mac", "previous_mac"):
        if not _MAC.match(getattr(entry, name)):
            problems.append(FieldProblem(name, "must be 64 lower-case hex digits "
                                               "(HMAC-SHA256)"))
    if entry.recorded_at.tzinfo is None:
        problems.append(FieldProblem("recorded_at", "must carry a time zone offset"))
    if not entry.arrival.idempotency_key:
        problems.append(FieldProblem("idempotency_key", "required: every journal entry "
                                                        "carries its own"))
    if problems:
        raise InvalidInputError(problems)


def _forward(uow: UnitOfWork, workstation: str, sequence: int) -> OfflineForward | None:
    found: OfflineForward | None = uow.session.execute(select(OfflineForward).where(
        OfflineForward.workstation_id == workstation,
        OfflineForward.sequence == sequence)).scalar_one_or_none()
    return found


def _check_link(uow: UnitOfWork, entry: JournalEntry) -> None:
    """Refuse an entry that is not the next one of its workstation's chain."""
    last = uow.session.execute(
        select(OfflineForward).where(OfflineForward.workstation_id == entry.workstation_id)
        .order_by(OfflineForward.sequence.desc()).limit(1)).scalar_one_or_none()
    expected = 1 if last is None else last.sequence + 1
    if entry.sequence != expected:
        raise ConflictError("out_of_sequence",
                            f"workstation {entry.workstation_id}: entry {expected} is due "
                            f"next, not {entry.sequence}; forward the journal in order")
    if entry.previous_mac != (GENESIS_MAC if last is None else last.mac):
        raise ConflictError("broken_chain",
                            f"workstation {entry.workstation_id}: entry {entry.sequence} does "
                            f"not follow the entry forwarded before it (previous_mac differs)")


# ---------------------------------------------------------------------------- writing
def _record(uow: UnitOfWork, entry: JournalEntry, answer: dict[str, Any]) -> dict[str, Any]:
    """The forward row, its audit entry and any conflict, in the arrival's transaction."""
    _check_link(uow, entry)  # again, in this transaction: a concurrent forward may have won
    replayed = bool(answer.get("replayed"))
    arrival = {k: v for k, v in answer.items() if k != "replayed"}
    forward = _new_forward(uow, entry, "already_recorded" if replayed else "recorded",
                           answer["person_id"], answer["encounter_id"])
    conflicts = [] if replayed else _conflicts_with_earlier(uow, entry, forward, answer)
    uow.session.flush()
    forward.answer = _answer(forward, arrival, conflicts)
    uow.audit("offline.forward", f"encounter:{answer['encounter_id']}", answer["person_id"],
              workstation=entry.workstation_id, sequence=entry.sequence,
              recorded_at=entry.recorded_at, occurred_at=entry.arrival.occurred_at,
              inspected_by=entry.inspected_by, status=forward.status,
              conflicts=[c.id for c in conflicts])
    for conflict in conflicts:
        uow.audit("offline.conflict_found", conflict, conflict.person_id, kind=conflict.kind,
                  other_encounter=conflict.other_encounter_id)
    return forward.answer


def _hold(registry: Registry, actor: Actor, entry: JournalEntry, kind: str,
          reason: str) -> dict[str, Any]:
    """An arrival the registry cannot record as it stands: older than one already recorded
    (``out_of_order``), or refused by the normal write path (``not_recordable``: a fact the
    rules or the registry reject, a registration a primary officer may not take). It is
    kept, unrecorded, with the data the officer took, for a secondary officer to review,
    and the journal goes on: later entries are not stuck behind it."""
    with registry.work(actor, Permission.FORWARD_OFFLINE) as uow:
        known = _forward(uow, entry.workstation_id, entry.sequence)
        if known is not None:  # a concurrent re-send held it first
            return known.answer | {"replayed": True}
        _check_link(uow, entry)
        person_id = _person_of(uow, entry.arrival)
        later = None if person_id is None or kind != "out_of_order" else uow.session.execute(
            select(Encounter).where(Encounter.person_id == person_id,
                                    Encounter.kind == "arrival",
                                    Encounter.occurred_at >= entry.arrival.occurred_at)
            .order_by(Encounter.occurred_at.desc()).limit(1)).scalar_one_or_none()
        forward = _new_forward(uow, entry, "held", person_id, None)
        uow.session.flush()
        why = ("The same person was processed at another port while this workstation was "
               "offline." if kind == "out_of_order" else
               "The registry refused the arrival as journaled offline.")
        conflict = _conflict(uow, kind, entry, forward, person_id, later,
                             f"Held, not recorded: {reason}. {why}")
        conflict.held_arrival = entry.sent
        uow.session.flush()
        forward.answer = _answer(forward, None, [conflict])
        uow.audit("offline.forward_held", f"offline_forwards:{forward.id}", person_id,
                  workstation=entry.workstation_id, sequence=entry.sequence,
                  recorded_at=entry.recorded_at, occurred_at=entry.arrival.occurred_at,
                  inspected_by=entry.inspected_by, conflict=conflict.id)
        uow.audit("offline.conflict_found", conflict, person_id, kind=conflict.kind,
                  other_encounter=conflict.other_encounter_id)
        uow.commit()
        return forward.answer


def _new_forward(uow: UnitOfWork, entry: JournalEntry,
                 status: Literal["recorded", "already_recorded", "held"],
                 person_id: int | None, encounter_id: int | None) -> OfflineForward:
    forward = OfflineForward(
        workstation_id=entry.workstation_id, sequence=entry.sequence, mac=entry.mac,
        previous_mac=entry.previous_mac, idempotency_key=entry.arrival.idempotency_key,
        recorded_at=entry.recorded_at, occurred_at=entry.arrival.occurred_at,
        port_code=entry.arrival.port_code, officer=uow.actor.username,
        forwarded_at=uow.now, status=status, person_id=person_id,
        encounter_id=encounter_id, answer={})
    uow.session.add(forward)
    return forward


def _conflicts_with_earlier(uow: UnitOfWork, entry: JournalEntry, forward: OfflineForward,
                            answer: dict[str, Any]) -> list[OfflineConflict]:
    """An admitted arrival whose person's previous encounter is an admitted arrival too:
    two entries with no departure between them, at least one taken offline."""
    if answer["outcome"] != "admitted":
        return []
    previous = uow.session.execute(
        select(Encounter).where(Encounter.person_id == answer["person_id"],
                                Encounter.id != answer["encounter_id"],
                                Encounter.occurred_at < entry.arrival.occurred_at)
        .order_by(Encounter.occurred_at.desc()).limit(1)).scalar_one_or_none()
    if previous is None or previous.kind != "arrival" or previous.outcome != "admitted":
        return []
    return [_conflict(uow, "arrival_without_departure", entry, forward, answer["person_id"],
                      previous,
                      f"Recorded, and flagged: admitted at {previous.port_code} on "
                      f"{previous.occurred_at.isoformat()} and again at "
                      f"{entry.arrival.port_code} on {entry.arrival.occurred_at.isoformat()} "
                      f"with no departure recorded between them.")]


def _conflict(uow: UnitOfWork, kind: str, entry: JournalEntry, forward: OfflineForward,
              person_id: int | None, other: Encounter | None,
              explanation: str) -> OfflineConflict:
    other_workstation = None
    if other is not None:
        other_workstation = uow.session.execute(
            select(OfflineForward.workstation_id).where(
                OfflineForward.encounter_id == other.id)).scalar_one_or_none()
    conflict = OfflineConflict(
        kind=kind, status="open", person_id=person_id, forward_id=forward.id,
        workstation_id=entry.workstation_id, port_code=entry.arrival.port_code,
        occurred_at=entry.arrival.occurred_at,
        other_encounter_id=other.id if other is not None else None,
        other_port_code=other.port_code if other is not None else None,
        other_occurred_at=other.occurred_at if other is not None else None,
        other_workstation_id=other_workstation, explanation=explanation,
        created_at=uow.now)
    uow.session.add(conflict)
    return conflict


def _person_of(uow: UnitOfWork, arrival: ArrivalInspection) -> int | None:
    if arrival.person.person_id is not None:
        return arrival.person.person_id
    identity = identity_document(arrival.documents)
    found = find_document(uow, identity) if identity is not None else None
    return found.person_id if found is not None else None


def _answer(forward: OfflineForward, arrival: dict[str, Any] | None,
            conflicts: list[OfflineConflict]) -> dict[str, Any]:
    return {"workstation_id": forward.workstation_id, "sequence": forward.sequence,
            "status": forward.status, "recorded_at": forward.recorded_at.isoformat(),
            "arrival": arrival, "conflicts": [conflict_dict(c) for c in conflicts],
            "replayed": False}
