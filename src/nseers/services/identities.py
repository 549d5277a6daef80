"""Identity merge and split (issue 13): one enrolled identity per person.

IDENT, and the EES's shared biometric matching service, keep one identity per person; a
registry built from encounters at ports gets that wrong both ways. Two records can be one
person (a traveller who came back under a new passport or name, found by a face or finger
match at enrolment); one record can be two people (a passport shared or sold). An analyst
corrects the first with a **merge**, which a second user must approve before anything
moves (the four-eyes review of a change to an individual file, EES Regulation (EU)
2017/2226 Art. 35), and the second with a **split**.

A merge moves every row that names the absorbed person (every table with a foreign key to
``persons``, read from the models, so a table added later follows without a change here)
to the survivor and marks the absorbed record ``merged_into`` the survivor: a read of the
old id answers the survivor. A person has one FIN (8 CFR 264.1(f); issue 15), so the
merged identity keeps the FIN of its earliest registration; the other FIN is retired and
named in the merge record and the audit. A split moves the named encounters and documents,
and what hangs off them (the I-94 of an arrival, a refusal, the registration made at that
encounter and its obligations...), to a new person. Each is one audit entry with before and
after: the ids of every row moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from nseers.core.actors import Actor, Permission
from nseers.core.errors import (
    ConflictError,
    FieldProblem,
    InvalidInputError,
    NotFoundError,
    SecondReviewerRequiredError,
)
from nseers.core.fields import IdempotencyKey, LongText, RecordId
from nseers.core.identifiers import format_fin
from nseers.db.base import Base
from nseers.db.sequences import allocate
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.identities import FinAlias, IdentityMerge
from nseers.registry.people import Citizenship, Person, PersonName, TravelDocument
from nseers.registry.registrations import SpecialRegistration
from nseers.registry.retention import RetentionNotice
from nseers.registry.traveller_days import TravellerContact
from nseers.services.context import Registry
from nseers.services.facts import PersonFacts, check_person
from nseers.services.people import new_person, person_summary
from nseers.services.registrants import once

#: Longest reason and evidence accepted (``LongText``; the columns are text).
MAX_TEXT = 4000
#: Tables that name persons but are not a person's record: the merge requests themselves.
_NOT_MOVED = frozenset({"persons", "identity_merges"})
_PERSONS = cast("Table", Person.__table__)
_NAMES = cast("Table", PersonName.__table__)
_CITIZENSHIPS = cast("Table", Citizenship.__table__)
_CONTACTS = cast("Table", TravellerContact.__table__)
_NOTICES = cast("Table", RetentionNotice.__table__)
_REGISTRATIONS = cast("Table", SpecialRegistration.__table__)
_MERGES = cast("Table", IdentityMerge.__table__)
_ALIASES = cast("Table", FinAlias.__table__)
#: Links to *another* encounter than the row's own (the departure that surrendered an I-94,
#: the other side of an offline conflict): a split does not pull a row along by them.
_NOT_FOLLOWED = frozenset({("i94_records", "surrender_encounter_id"),
                           ("offline_conflicts", "other_encounter_id")})


def person_tables() -> list[tuple[Table, str]]:
    """Every (table, column) holding a person's id, read from the models."""
    found: list[tuple[Table, str]] = []
    for table in Base.metadata.sorted_tables:
        if table.name in _NOT_MOVED:
            continue
        found.extend((table, fk.parent.name) for fk in table.foreign_keys
                     if fk.column.table.name == "persons")
    return found


def _label(table: Table, column: str) -> str:
    # A plain str: the table's name is SQLAlchemy's quoted_name, which JSON keys refuse.
    return str(table.name) if column == "person_id" else f"{table.name}.{column}"


def _key(table: Table) -> Any:
    columns = list(table.primary_key.columns)
    return columns[0] if len(columns) == 1 else columns


def _ids(session: Session, table: Table, column: str, person_id: int,
         where: Any = None) -> list[Any]:
    key = _key(table)
    query = select(*key) if isinstance(key, list) else select(key)
    query = query.where(table.c[column] == person_id)
    if where is not None:
        query = query.where(where)
    rows = session.execute(query.order_by(*(key if isinstance(key, list) else [key]))).all()
    return [list(row) if isinstance(key, list) else row[0] for row in rows]


def holdings(session: Session, person_id: int) -> dict[str, list[Any]]:
    """The ids of every row that names ``person_id``, by table (tables with none left out)."""
    held: dict[str, list[Any]] = {}
    for table, column in person_tables():
        ids = _ids(session, table, column, person_id)
        if ids:
            held.setdefault(_label(table, column), []).extend(ids)
    return held


def _required(problems: list[FieldProblem], name: str, value: str) -> None:
    if not value.strip():
        problems.append(FieldProblem(name, "required"))
    elif len(value) > MAX_TEXT:
        problems.append(FieldProblem(name, f"at most {MAX_TEXT} characters"))


def _live(session: Session, person_id: int, name: str) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("person", person_id)
    if person.merged_into is not None:
        raise ConflictError("already_merged", f"{name} {person_id} was merged into person "
                                              f"{person.merged_into}")
    return person


# ------------------------------------------------------------------------ merges
@dataclass(frozen=True, slots=True)
class MergeRequest:
    """Ask that ``absorbed_id`` be folded into ``survivor_id``, with the evidence."""

    survivor_id: RecordId
    absorbed_id: RecordId
    evidence: LongText
    reason: LongText
    idempotency_key: IdempotencyKey = None


@dataclass(frozen=True, slots=True)
class MergeDecision:
    """Approve or reject a pending merge, with a reason."""

    request_id: int
    reason: LongText = ""
    idempotency_key: IdempotencyKey = None


def _view(merge: IdentityMerge) -> dict[str, Any]:
    return {"request_id": merge.id, "survivor_id": merge.survivor_id,
            "absorbed_id": merge.absorbed_id, "evidence": merge.evidence,
            "reason": merge.reason, "status": merge.status,
            "requested_by": merge.requested_by,
            "requested_at": merge.requested_at.isoformat(),
            "decided_by": merge.decided_by,
            "decided_at": None if merge.decided_at is None else merge.decided_at.isoformat(),
            "decision_reason": merge.decision_reason, "moved": merge.moved}


def request_merge(registry: Registry, actor: Actor, command: MergeRequest) -> dict[str, Any]:
    """A pending merge request; nothing moves until a second user approves it."""
    problems: list[FieldProblem] = []
    _required(problems, "evidence", command.evidence)
    _required(problems, "reason", command.reason)
    if command.survivor_id == command.absorbed_id:
        problems.append(FieldProblem("absorbed_id", "must name another person than "
                                                    "survivor_id"))
    if problems:
        raise InvalidInputError(problems)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        _live(uow.session, command.survivor_id, "survivor")
        _live(uow.session, command.absorbed_id, "absorbed person")
        pending = uow.session.execute(select(IdentityMerge.id).where(
            IdentityMerge.status == "pending",
            IdentityMerge.survivor_id.in_([command.survivor_id, command.absorbed_id]),
            IdentityMerge.absorbed_id.in_([command.survivor_id, command.absorbed_id]))
        ).scalar_one_or_none()
        if pending is not None:
            raise ConflictError("already_requested",
                                f"merge request {pending} for these persons is pending")
        merge = IdentityMerge(survivor_id=command.survivor_id,
                              absorbed_id=command.absorbed_id,
                              evidence=command.evidence.strip(), reason=command.reason.strip(),
                              status="pending", requested_by=uow.actor.username,
                              requested_at=uow.now)
        uow.session.add(merge)
        uow.session.flush()
        uow.audit("identity.merge.request", merge, command.survivor_id,
                  absorbed_id=command.absorbed_id, evidence=merge.evidence,
                  reason=merge.reason)
        return _view(merge)
    return once(registry, actor, Permission.MANAGE_IDENTITIES, operation="identity_merge",
                command=command, work=work)


def _pending(uow: UnitOfWork, request_id: int) -> IdentityMerge:
    merge = uow.session.get(IdentityMerge, request_id)
    if merge is None:
        raise NotFoundError("merge request", request_id)
    if merge.status != "pending":
        raise ConflictError("already_decided",
                            f"merge request {request_id} was {merge.status} by "
                            f"{merge.decided_by}")
    if merge.requested_by == uow.actor.username:
        raise SecondReviewerRequiredError(merge.requested_by, f"merge request {merge.id}")
    # Claim the request: of two reviewers deciding at once, the second finds it decided.
    claimed = uow.session.execute(
        update(_MERGES).where(_MERGES.c.id == request_id, _MERGES.c.status == "pending")
        .values(decided_by=uow.actor.username))
    if getattr(claimed, "rowcount", 1) != 1:
        raise ConflictError("already_decided", f"merge request {request_id} was decided by "
                                               f"another user at the same moment")
    return merge


def approve_merge(registry: Registry, actor: Actor, command: MergeDecision) -> dict[str, Any]:
    """Carry out a pending merge; refused to the user who requested it."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        merge = _pending(uow, command.request_id)
        session = uow.session
        survivor = _live(session, merge.survivor_id, "survivor")
        absorbed = _live(session, merge.absorbed_id, "absorbed person")
        before = {"survivor": person_summary(survivor) | {"rows": holdings(session,
                                                                           survivor.id)},
                  "absorbed": person_summary(absorbed) | {"rows": holdings(session,
                                                                           absorbed.id)}}
        carried = _carried(session, [survivor.id, absorbed.id])
        moved = _move_everything(session, absorbed.id, survivor.id)
        _retire(session, merge.id, survivor.id, moved["fin"], carried)
        session.execute(update(_PERSONS).where(Person.merged_into == absorbed.id)
                        .values(merged_into=survivor.id))
        session.execute(update(_PERSONS).where(Person.id == absorbed.id)
                        .values(merged_into=survivor.id))
        session.expire_all()
        merge = session.get_one(IdentityMerge, command.request_id)
        merge.status = "approved"
        merge.decided_by = uow.actor.username
        merge.decided_at = uow.now
        merge.decision_reason = command.reason.strip() or None
        merge.moved = moved
        after = {"survivor": person_summary(session.get_one(Person, merge.survivor_id))
                 | {"rows": holdings(session, merge.survivor_id)},
                 "absorbed": {"id": merge.absorbed_id, "merged_into": merge.survivor_id,
                              "rows": holdings(session, merge.absorbed_id)}}
        uow.audit("identity.merge", merge, merge.survivor_id, absorbed_id=merge.absorbed_id,
                  requested_by=merge.requested_by, evidence=merge.evidence,
                  reason=merge.reason, before=before, after=after, moved=moved)
        return _view(merge)
    return once(registry, actor, Permission.MANAGE_IDENTITIES,
                operation="identity_merge_approve", command=command, work=work)


def reject_merge(registry: Registry, actor: Actor, command: MergeDecision) -> dict[str, Any]:
    """Reject a pending merge with a reason; refused to the user who requested it."""
    problems: list[FieldProblem] = []
    _required(problems, "reason", command.reason)
    if problems:
        raise InvalidInputError(problems)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        merge = _pending(uow, command.request_id)
        merge.status = "rejected"
        merge.decided_by = uow.actor.username
        merge.decided_at = uow.now
        merge.decision_reason = command.reason.strip()
        uow.audit("identity.merge.reject", merge, merge.survivor_id,
                  absorbed_id=merge.absorbed_id, reason=merge.decision_reason)
        return _view(merge)
    return once(registry, actor, Permission.MANAGE_IDENTITIES,
                operation="identity_merge_reject", command=command, work=work)


def _move_everything(session: Session, absorbed: int, survivor: int) -> dict[str, Any]:
    """Point every row naming ``absorbed`` at ``survivor``; the ids moved, by table.

    Rows the survivor already has under a unique key (a citizenship, the contact address,
    a retention notice) are dropped rather than doubled, and named under ``dropped``."""
    clash = session.execute(
        select(SpecialRegistration.call_in_group)
        .where(SpecialRegistration.person_id == absorbed,
               SpecialRegistration.call_in_group.is_not(None),
               SpecialRegistration.call_in_group.in_(
                   select(SpecialRegistration.call_in_group)
                   .where(SpecialRegistration.person_id == survivor)))).scalars().first()
    if clash is not None:
        raise ConflictError("registered_twice",
                            f"both persons registered at call-in group {clash}; resolve the "
                            f"double registration before merging")
    dropped = _drop_duplicates(session, absorbed, survivor)
    session.execute(update(_NAMES)
                    .where(PersonName.person_id == absorbed, PersonName.kind == "primary")
                    .values(kind="alias"))
    moved: dict[str, Any] = {}
    for table, column in person_tables():
        ids = _ids(session, table, column, absorbed)
        if not ids:
            continue
        values: dict[str, Any] = {column: survivor}
        if "version" in table.c:
            # An optimistic editor holding the old row must reload it.
            values["version"] = table.c.version + 1
        session.execute(update(table).where(table.c[column] == absorbed).values(**values))
        moved[_label(table, column)] = ids
    fins = _one_fin(session, survivor, keep=None)
    return {"rows": moved, "dropped": dropped, "fin": fins}


def _drop_duplicates(session: Session, absorbed: int, survivor: int) -> dict[str, list[Any]]:
    dropped: dict[str, list[Any]] = {}
    held = set(session.execute(select(Citizenship.country)
                               .where(Citizenship.person_id == survivor)).scalars())
    last = session.scalar(select(func.max(Citizenship.position))
                          .where(Citizenship.person_id == survivor))
    position = -1 if last is None else last
    for country in session.execute(select(Citizenship.country)
                                   .where(Citizenship.person_id == absorbed)
                                   .order_by(Citizenship.position)).scalars().all():
        if country in held:
            dropped.setdefault("person_citizenships", []).append([absorbed, country])
            session.execute(delete(_CITIZENSHIPS).where(
                Citizenship.person_id == absorbed, Citizenship.country == country))
        else:
            position += 1
            session.execute(update(_CITIZENSHIPS).where(
                Citizenship.person_id == absorbed, Citizenship.country == country)
                .values(position=position))
    if session.get(TravellerContact, survivor) is not None and \
            session.get(TravellerContact, absorbed) is not None:
        dropped["traveller_contacts"] = [absorbed]
        session.execute(delete(_CONTACTS)
                        .where(TravellerContact.person_id == absorbed))
    notices = _NOTICES
    kept = select(notices.c.rule, notices.c.due_on).where(notices.c.person_id == survivor)
    doubled = [row.id for row in session.execute(select(notices.c.id, notices.c.rule,
                                                        notices.c.due_on)
                                                 .where(notices.c.person_id == absorbed))
               if (row.rule, row.due_on) in set(session.execute(kept).tuples())]
    if doubled:
        dropped["retention_notices"] = doubled
        session.execute(delete(notices).where(notices.c.id.in_(doubled)))
    return dropped


def _one_fin(session: Session, person_id: int, keep: str | None) -> dict[str, Any]:
    """Give every registration of the person one FIN: ``keep``, else the FIN of the
    earliest registration. Answers the FIN kept and those retired."""
    registrations = _REGISTRATIONS
    rows = session.execute(select(registrations.c.fin).where(
        registrations.c.person_id == person_id, registrations.c.fin.is_not(None))
        .order_by(registrations.c.registered_on, registrations.c.id)).scalars().all()
    if not rows:
        return {"kept": None, "retired": []}
    kept = keep or rows[0]
    retired = sorted(set(rows) - {kept})
    if retired or keep:
        session.execute(update(registrations).where(
            registrations.c.person_id == person_id, registrations.c.fin.is_not(None),
            registrations.c.fin != kept).values(fin=kept, version=registrations.c.version + 1))
    return {"kept": kept, "retired": retired}


def _carried(session: Session, person_ids: list[int]) -> dict[str, list[int]]:
    """The registrations of the persons, by the FIN each carries."""
    registrations = _REGISTRATIONS
    carried: dict[str, list[int]] = {}
    for row in session.execute(select(registrations.c.id, registrations.c.fin).where(
            registrations.c.person_id.in_(person_ids), registrations.c.fin.is_not(None))
            .order_by(registrations.c.id)):
        carried.setdefault(row.fin, []).append(row.id)
    return carried


def _retire(session: Session, merge_id: int, survivor: int, fins: dict[str, Any],
            carried: dict[str, list[int]]) -> None:
    """Alias each FIN the merge retired to the FIN kept, so a lookup by the old FIN (the
    registrant's notices and papers carry it) finds the identity; aliases of a retired FIN
    from earlier merges are re-pointed, so one hop always reaches the FIN in use."""
    kept, retired = fins["kept"], fins["retired"]
    if not retired:
        return
    session.execute(update(_ALIASES).where(_ALIASES.c.fin.in_(retired))
                    .values(fin=kept, person_id=survivor))
    for fin in retired:
        session.add(FinAlias(retired_fin=fin, fin=kept, person_id=survivor,
                             merge_id=merge_id, registration_ids=carried.get(fin, [])))
    session.flush()


def pending_merges(registry: Registry, actor: Actor) -> list[dict[str, Any]]:
    """Pending merge requests with both records side by side: names, date of birth,
    documents, encounters and FINs (a read of personal data, audited)."""
    with registry.work(actor, Permission.MANAGE_IDENTITIES) as uow:
        merges = uow.session.execute(select(IdentityMerge).where(
            IdentityMerge.status == "pending").order_by(IdentityMerge.id)).scalars().all()
        out = [_view(m) | {"survivor": _record(uow.session, m.survivor_id),
                           "absorbed": _record(uow.session, m.absorbed_id)} for m in merges]
        uow.audit("identity.merge.list", "identity_merges", None,
                  returned=sorted({p for m in merges for p in (m.survivor_id,
                                                                m.absorbed_id)}))
        uow.commit()
    return out


def split_record(registry: Registry, actor: Actor, person_id: int) -> dict[str, Any]:
    """The record a split is chosen from: names, documents, encounters and FINs (a read of
    personal data, audited). A record merged away answers :class:`ConflictError`: split the
    identity it became."""
    with registry.work(actor, Permission.MANAGE_IDENTITIES) as uow:
        _live(uow.session, person_id, "person")
        record = _record(uow.session, person_id)
        uow.audit("identity.split.read", f"person:{person_id}", person_id)
        uow.commit()
    return record


def _record(session: Session, person_id: int) -> dict[str, Any]:
    person = session.get_one(Person, person_id)
    encounters = session.execute(select(Encounter).where(Encounter.person_id == person_id)
                                 .order_by(Encounter.occurred_at)).scalars().all()
    fins = session.execute(select(SpecialRegistration.fin).distinct().where(
        SpecialRegistration.person_id == person_id,
        SpecialRegistration.fin.is_not(None))).scalars().all()
    return person_summary(person) | {
        "names": sorted({f"{n.given_names} {n.surname}".strip() for n in person.names}),
        "documents": [{"id": d.id, "kind": d.kind, "number": d.number,
                       "issuing_state": d.issuing_state} for d in person.documents],
        "encounters": [{"id": e.id, "kind": e.kind, "port_code": e.port_code,
                        "occurred_on": e.occurred_on.isoformat(), "outcome": e.outcome}
                       for e in encounters],
        "fins": sorted(fin for fin in fins if fin is not None)}


# ------------------------------------------------------------------------ splits
@dataclass(frozen=True, slots=True)
class Split:
    """Move the named encounters and documents of ``person_id`` to a new person."""

    person_id: int
    person: PersonFacts
    reason: LongText
    encounter_ids: tuple[RecordId, ...] = ()
    document_ids: tuple[RecordId, ...] = ()
    idempotency_key: IdempotencyKey = None


def split(registry: Registry, actor: Actor, command: Split) -> dict[str, Any]:
    """A new person gets the named encounters and documents and what hangs off them."""
    facts = replace(command.person, person_id=None)
    problems = check_person(facts, "person")
    _required(problems, "reason", command.reason)
    if not command.encounter_ids and not command.document_ids:
        problems.append(FieldProblem("encounter_ids", "name at least one encounter or "
                                                      "document to move"))
    if problems:
        raise InvalidInputError(problems)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        session = uow.session
        source = _live(session, command.person_id, "person")
        encounters = _owned(session, Encounter, command.encounter_ids, source.id,
                            "encounter_ids")
        documents = set(_owned(session, TravelDocument, command.document_ids, source.id,
                               "document_ids"))
        documents |= {d for d in session.execute(select(Encounter.document_id).where(
            Encounter.id.in_(encounters))).scalars() if d is not None}
        left = session.execute(select(Encounter.id).where(
            Encounter.person_id == source.id, Encounter.id.not_in(encounters),
            Encounter.document_id.in_(documents))).scalars().all()
        if left:
            raise InvalidInputError([FieldProblem(
                "encounter_ids", f"encounters {sorted(left)} were made on a document that "
                                 f"moves; move them too or keep the document")])
        before = person_summary(source) | {"rows": holdings(session, source.id)}
        created = new_person(uow, facts)
        session.flush()
        moving = _closure(session, source.id, {"encounters": set(encounters),
                                               "travel_documents": documents})
        moved: dict[str, list[Any]] = {}
        for table, column in person_tables():
            ids = moving.get(_label(table, column))
            if not ids or column != "person_id":
                continue
            key = _key(table)
            values: dict[str, Any] = {column: created.id}
            if "version" in table.c:
                values["version"] = table.c.version + 1
            session.execute(update(table).where(table.c[column] == source.id,
                                                key.in_(ids)).values(**values))
            moved[_label(table, column)] = sorted(ids)
        fin = _split_fin(session, source.id, created.id)
        session.expire_all()
        after = {"source": person_summary(session.get_one(Person, source.id))
                 | {"rows": holdings(session, source.id)},
                 "new": person_summary(session.get_one(Person, created.id))
                 | {"rows": holdings(session, created.id)}}
        uow.audit("identity.split", f"person:{source.id}", source.id, new_person=created.id,
                  reason=command.reason.strip(), before=before, after=after,
                  moved=moved, fin=fin)
        return {"person_id": source.id, "new_person_id": created.id, "moved": moved,
                "fin": fin}
    return once(registry, actor, Permission.MANAGE_IDENTITIES, operation="identity_split",
                command=command, work=work)


def _owned(session: Session, model: Any, ids: Iterable[int], person_id: int,
           path: str) -> list[int]:
    wanted = sorted(set(ids))
    found = set(session.execute(select(model.id).where(
        model.id.in_(wanted), model.person_id == person_id)).scalars())
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInputError([FieldProblem(path, f"{missing} are not records of person "
                                                    f"{person_id}")])
    return wanted


def _closure(session: Session, person_id: int, moving: dict[str, set[Any]]
             ) -> dict[str, set[Any]]:
    """The rows of ``person_id`` that hang off the moving ones (an I-94 issued at a moving
    encounter, the registration made there, its obligations...), until nothing is added."""
    grew = True
    while grew:
        grew = False
        for table, column in person_tables():
            if column != "person_id":
                continue
            key = _key(table)
            if isinstance(key, list):
                continue
            for fk in table.foreign_keys:
                if (table.name, fk.parent.name) in _NOT_FOLLOWED:
                    continue
                target = fk.column.table.name
                target = str(target)
                if target == "persons" or not moving.get(target):
                    continue
                found = set(session.execute(select(key).where(
                    table.c.person_id == person_id,
                    table.c[fk.parent.name].in_(moving[target]))).scalars())
                if found - moving.get(_label(table, column), set()):
                    moving.setdefault(_label(table, column), set()).update(found)
                    grew = True
    return moving


def _split_fin(session: Session, source: int, created: int) -> dict[str, Any]:
    """One FIN per person after a split: the new person keeps the FIN its registrations
    carry unless the source still carries it too, in which case a new FIN is issued.

    A split that undoes a merge hands the retired FIN back instead: where every registration
    one side keeps carried a FIN the merge retired, that side gets it again and its alias
    goes (see :func:`_hand_back`)."""
    registrations = _REGISTRATIONS
    carried = set(session.execute(select(registrations.c.fin).where(
        registrations.c.person_id == created, registrations.c.fin.is_not(None))).scalars())
    if not carried:
        return {"issued": None}
    handed = _hand_back(session, source, created)
    if handed is not None:
        return handed
    still = set(session.execute(select(registrations.c.fin).where(
        registrations.c.person_id == source, registrations.c.fin.in_(carried))).scalars())
    if not still:
        return _one_fin(session, created, keep=None) | {"issued": None}
    issued = format_fin(allocate(session, "fin")[0])
    return _one_fin(session, created, keep=issued) | {"issued": issued}


def _hand_back(session: Session, source: int, created: int) -> dict[str, Any] | None:
    """Give a retired FIN back to the side of a split whose registrations all carried it
    before the merge that retired it; ``None`` where no side's registrations are one
    retired FIN's."""
    registrations = _REGISTRATIONS
    held = _carried(session, [source])
    new = _carried(session, [created])
    if len(held) != 1 or len(new) != 1:
        return None
    fin = next(iter(held))
    mine = {side: set(next(iter(rows.values()))) for side, rows in (("source", held),
                                                                    ("new", new))}
    for alias in session.execute(select(FinAlias).where(FinAlias.fin == fin)
                                 .order_by(FinAlias.retired_fin)).scalars().all():
        was = set(alias.registration_ids)
        for side, person_id in (("new", created), ("source", source)):
            if not mine[side] <= was:
                continue
            session.execute(update(registrations).where(
                registrations.c.person_id == person_id).where(
                registrations.c.fin.is_not(None)).values(
                fin=alias.retired_fin, version=registrations.c.version + 1))
            session.delete(alias)
            session.flush()
            if side == "source":
                # The source answers the handed-back FIN now; the aliases it holds follow.
                session.execute(update(_ALIASES).where(
                    _ALIASES.c.fin == fin, _ALIASES.c.person_id == source)
                    .values(fin=alias.retired_fin))
                return {"kept": fin, "retired": [], "handed_back": alias.retired_fin,
                        "to": "source", "issued": None}
            return {"kept": alias.retired_fin, "retired": [], "handed_back":
                    alias.retired_fin, "to": "new", "issued": None}
    return None
