"""Correction and redress: a request to correct a record, its decision, and the letter.

The model is DHS TRIP's (one tracked case per request, evidence attached, a written
answer) over the right to amend a record of the Privacy Act (5 U.S.C. 552a(d)(2)) and the
EES rectification of Regulation (EU) 2017/2226 (Art. 35, 52):

* :func:`file_correction` (an officer with ``request_correction`` and ``read_person``, for
  a person by id) and
  :func:`file_own_correction` (the traveller, proving who they are with the name, date of
  birth and passport number, as for the I-94 lookup) record a request: its items (a record,
  one of the closed list of :data:`~nseers.services.correction_values.FIELDS`, the requested
  value), the reason, the
  requester or their representative (an attorney's name and Form G-28 reference) and the
  evidence (size, type told by the bytes, SHA-256). The deadlines to acknowledge and to
  decide come from the policy in force on the day of receipt
  (:func:`nseers.rules.corrections.correction_deadlines`).
* :func:`acknowledge_correction` and :func:`decide_correction` are the district
  director's. Each item is accepted (with the requested value or another) or refused; the
  request is then accepted, partly accepted or refused, with reasons. An accepted item is
  written by the service that owns the record (:func:`nseers.services.people.amend_person`,
  :func:`~nseers.services.people.amend_document`,
  :func:`nseers.services.movements.amend_admission`) in the same unit of work, so the
  audit trail and every view derived from the record follow.
* :func:`correction_queue` lists open requests, overdue ones first;
  :func:`show_correction` reads one (audited); the letter is
  :mod:`nseers.services.correction_letters`.

Every write takes an idempotency key: a retried request is recorded once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, Final

from annotated_types import MaxLen, MinLen
from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import IdempotencyKey, RecordId
from nseers.core.text import unsafe_character_problem
from nseers.db.uow import UnitOfWork
from nseers.registry.corrections import CorrectionEvidence, CorrectionItem, CorrectionRequest
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.people import Person, PersonName, TravelDocument, name_key
from nseers.rules.corrections import Deadlines, correction_deadlines
from nseers.services.context import Registry
from nseers.services.correction_values import (
    FIELDS,
    EvidenceIn,
    check_evidence,
    parse_value,
    shown,
)
from nseers.services.idempotency import once
from nseers.services.movements import amend_admission
from nseers.services.people import (
    IDENTITY_DOCUMENTS,
    amend_document,
    amend_person,
    person_summary,
)

#: The longest text each field of a request may hold (its column's width).
LENGTHS: Final = {"requester_name": 300, "representative_name": 300,
                  "representative_reference": 120, "contact": 500, "reason": 4000}
VALUE_LENGTH: Final = 300
NOTE_LENGTH: Final = 2000
OPEN: Final = ("received", "acknowledged")
STATUSES: Final = ("received", "acknowledged", "accepted", "partly_accepted", "refused")
MAX_ITEMS: Final = 20


@dataclass(frozen=True, slots=True)
class CorrectionItemIn:
    """One field to correct: ``field`` from :data:`FIELDS` (``i94.admit_until``), the
    record's id (optional where the person has one such record), the value asked for."""

    field: str
    requested_value: str
    record_id: int | None = None




@dataclass(frozen=True, slots=True)
class CorrectionRequestCommand:
    """A request to correct a person's records."""

    items: tuple[CorrectionItemIn, ...]
    reason: str
    requester_name: str
    person_id: int | None = None
    representative_name: str | None = None
    representative_reference: str | None = None
    contact: str | None = None
    evidence: tuple[EvidenceIn, ...] = ()
    received_on: date | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class IdentityProof:
    """What a traveller types from their passport to file for their own record."""

    surname: str
    given_names: str
    date_of_birth: date
    document_number: str


@dataclass(frozen=True, slots=True)
class ItemDecision:
    """The director's decision on one item: accept (the requested value, or ``value``)
    or refuse, with a note."""

    item_id: RecordId
    accept: bool
    value: Annotated[str | None, MaxLen(300)] = None
    note: Annotated[str, MaxLen(2000)] = ""


@dataclass(frozen=True, slots=True)
class CorrectionDecisionCommand:
    """The district director's decision on every item of a request, with reasons."""

    request_id: int
    items: Annotated[tuple[ItemDecision, ...], MinLen(1), MaxLen(20)]
    reasons: Annotated[str, MinLen(1), MaxLen(4000)]
    decided_on: date | None = None
    idempotency_key: IdempotencyKey = None


# ----------------------------------------------------------------- records
def _record(uow: UnitOfWork, kind: str, record_id: int | None, person_id: int,
            path: str) -> Any:
    """The record an item names, which must be the person's own."""
    session = uow.session
    record: Any
    if kind == "person":
        record = session.get(Person, person_id)
    elif record_id is not None:
        model = {"document": TravelDocument, "i94": I94Record, "encounter": Encounter}[kind]
        record = session.get(model, record_id)
    elif kind == "i94":
        record = session.execute(select(I94Record).where(I94Record.person_id == person_id)
                                 .order_by(I94Record.admitted_on.desc(),
                                           I94Record.id.desc()).limit(1)).scalar_one_or_none()
    elif kind == "document":
        documents = session.execute(select(TravelDocument).where(
            TravelDocument.person_id == person_id)).scalars().all()
        if len(documents) != 1:
            raise InvalidInputError([FieldProblem(
                f"{path}.record_id", f"the person has {len(documents)} documents: say which")])
        record = documents[0]
    else:
        raise InvalidInputError([FieldProblem(f"{path}.record_id", "required for an "
                                                                   "encounter")])
    owner = record.id if isinstance(record, Person) else getattr(record, "person_id", None)
    if record is None or owner != person_id:
        named = f"{kind} {record_id}" if record_id is not None else kind
        raise InvalidInputError([FieldProblem(f"{path}.record_id",
                                              f"no {named} of this person")])
    return record


def _current(record: Any, kind: str, field: str) -> Any:
    name = field.split(".", 1)[1]
    if kind == "person" and name == "citizenships":
        return [c.country for c in record.citizenships]
    return getattr(record, name)


def proven_person(uow: UnitOfWork, proof: IdentityProof) -> int:
    """The one person the passport details name (the I-94 lookup's proof), else 404."""
    problems = [FieldProblem(name, "required") for name in ("surname", "document_number")
                if not getattr(proof, name).strip()]
    if problems:
        raise InvalidInputError(problems)
    matches = uow.session.execute(
        select(Person.id).distinct()
        .join(TravelDocument, TravelDocument.person_id == Person.id)
        .join(PersonName, PersonName.person_id == Person.id)
        .where(TravelDocument.number == proof.document_number.strip().upper(),
               TravelDocument.kind.in_(IDENTITY_DOCUMENTS),
               Person.date_of_birth == proof.date_of_birth,
               PersonName.surname_key == name_key(proof.surname),
               PersonName.given_names_key == name_key(proof.given_names))
        .limit(2)).scalars().all()
    if len(matches) != 1:
        raise NotFoundError("record", "matching the details given")
    return matches[0]


# ----------------------------------------------------------------- filing
def _request_fingerprint(command: CorrectionRequestCommand,
                         extra: dict[str, Any]) -> dict[str, Any]:
    """What an idempotency key stands for (evidence by its hash, not its bytes)."""
    return {"person_id": command.person_id, "reason": command.reason,
            "requester_name": command.requester_name,
            "representative_name": command.representative_name,
            "representative_reference": command.representative_reference,
            "contact": command.contact,
            "received_on": shown(command.received_on),
            "items": [[i.field, i.requested_value, i.record_id] for i in command.items],
            "evidence": [[e.filename, hashlib.sha256(e.data).hexdigest()]
                         for e in command.evidence], **extra}


def too_long(longest: int, length: int) -> str:
    """The problem with a text longer than its field holds."""
    return f"at most {longest} characters (this is {length})"


def _check_command(command: CorrectionRequestCommand) -> None:
    problems = []
    if not command.items:
        problems.append(FieldProblem("items", "name at least one field to correct"))
    if len(command.items) > MAX_ITEMS:
        problems.append(FieldProblem("items", f"at most {MAX_ITEMS}"))
    for name in ("reason", "requester_name"):
        if not getattr(command, name).strip():
            problems.append(FieldProblem(name, "required"))
    for name, longest in LENGTHS.items():
        text = getattr(command, name) or ""
        if len(text.strip()) > longest:
            problems.append(FieldProblem(name, too_long(longest, len(text.strip()))))
    for index, item in enumerate(command.items):
        if len(item.requested_value.strip()) > VALUE_LENGTH:
            problems.append(FieldProblem(f"items[{index}].requested_value", too_long(
                VALUE_LENGTH, len(item.requested_value.strip()))))
    for name in ("requester_name", "representative_name", "representative_reference"):
        problem = unsafe_character_problem(getattr(command, name) or "")
        if problem is not None:
            problems.append(FieldProblem(name, problem))
    for name in ("reason", "contact"):
        if "\x00" in (getattr(command, name) or ""):
            problems.append(FieldProblem(name, "contains a NUL character"))
    if command.representative_reference and not command.representative_name:
        problems.append(FieldProblem("representative_name",
                                     "required with a representative's reference (G-28)"))
    seen = set()
    for index, item in enumerate(command.items):
        if item.field not in FIELDS:
            problems.append(FieldProblem(f"items[{index}].field",
                                         f"not a correctable field: {item.field!r} (one of "
                                         f"{', '.join(FIELDS)})"))
        key = (item.field, item.record_id)
        if key in seen:
            problems.append(FieldProblem(f"items[{index}].field", "named twice"))
        seen.add(key)
    if problems:
        raise InvalidInputError(problems)


def _file(registry: Registry, actor: Actor, command: CorrectionRequestCommand,
          channel: str, person_of: Callable[[UnitOfWork], int],
          extra: dict[str, Any]) -> dict[str, Any]:
    """File the request once per idempotency key, a racing twin answered like the first
    (:func:`nseers.services.idempotency.once`)."""
    _check_command(command)
    evidence = check_evidence(command.evidence)
    request = _request_fingerprint(command, extra)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        person_id = person_of(uow)
        received_on = command.received_on or uow.now.date()
        if received_on > uow.now.date():
            raise InvalidInputError([FieldProblem("received_on", "in the future")])
        items: list[CorrectionItem] = []
        problems: list[FieldProblem] = []
        for index, item in enumerate(command.items):
            path = f"items[{index}]"
            kind = item.field.split(".", 1)[0]
            try:
                record = _record(uow, kind, item.record_id, person_id, path)
                parse_value(registry, item.field, item.requested_value, received_on,
                       f"{path}.requested_value")
            except InvalidInputError as error:
                problems.extend(error.problems)
                continue
            items.append(CorrectionItem(
                position=index, record_kind=kind, record_id=record.id,
                field=item.field.split(".", 1)[1],
                value_when_filed=shown(_current(record, kind, item.field)),
                requested_value=item.requested_value.strip()))
        if problems:
            raise InvalidInputError(problems)
        deadlines = correction_deadlines(registry.rules.policy, received_on)
        correction = CorrectionRequest(
            person_id=person_id, channel=channel, filed_at=uow.now,
            filed_by=actor.username, received_on=received_on,
            requester_name=command.requester_name.strip(),
            representative_name=(command.representative_name or "").strip() or None,
            representative_reference=(command.representative_reference or "").strip()
            or None, contact=(command.contact or "").strip() or None,
            reason=command.reason.strip(), status="received",
            acknowledge_by=deadlines.acknowledge_by, decide_by=deadlines.decide_by,
            deadline_reasons=[r.to_dict() for r in deadlines.reasons],
            policy_version=registry.rules.policy.version)
        correction.items = items
        correction.evidence = [CorrectionEvidence(
            filename="".join(c for c in item.filename if c.isprintable())[:300] or "evidence",
            content_type=kind, size=len(item.data),
            sha256=digest, content=item.data) for item, kind, digest in evidence]
        uow.session.add(correction)
        uow.session.flush()
        uow.audit("correction.filed", correction, person_id, channel=channel,
                  fields=[f"{i.record_kind}.{i.field}" for i in items],
                  evidence=[e.sha256 for e in correction.evidence],
                  representative=correction.representative_name)
        return request_view(correction, uow.now.date())
    return once(registry, actor, Permission.REQUEST_CORRECTION, operation="correction_request",
                key=command.idempotency_key, request=request, work=work)


def file_correction(registry: Registry, actor: Actor,
                    command: CorrectionRequestCommand) -> dict[str, Any]:
    """Record an officer's filing of a request for the person ``command.person_id``.

    The answer shows the values the person's records hold, so the filer must also be
    allowed to read them (``read_person``): a traveller's account, which may ask for its
    own corrections, files through :func:`file_own_correction`, proving who it is."""
    actor.require(Permission.READ_PERSON)
    if command.person_id is None:
        raise InvalidInputError([FieldProblem("person_id", "required")])
    person_id = command.person_id

    def person_of(uow: UnitOfWork) -> int:
        if uow.session.get(Person, person_id) is None:
            raise NotFoundError("person", person_id)
        return person_id
    return _file(registry, actor, command, "officer", person_of, {})


def file_own_correction(registry: Registry, actor: Actor, proof: IdentityProof,
                        command: CorrectionRequestCommand, client: str | None = None
                        ) -> dict[str, Any]:
    """Record a traveller's request about their own records, after the same proof as the
    I-94 lookup: a mismatch is "not found" and says nothing about anyone (audited)."""
    def person_of(uow: UnitOfWork) -> int:
        try:
            return proven_person(uow, proof)
        except NotFoundError:
            uow.audit("correction.identity_not_proven", "persons", None, client=client)
            uow.commit()
            raise
    # The traveller's request is received the day it is made: no back-dating.
    return _file(registry, actor, replace(command, person_id=None, received_on=None),
                 "self_service",
                 person_of, {"proof": [proof.surname, proof.given_names,
                                       proof.date_of_birth.isoformat(),
                                       proof.document_number]})


# ----------------------------------------------------------------- views
def _deadlines(request: CorrectionRequest) -> Deadlines:
    return Deadlines(request.received_on, request.acknowledge_by, request.decide_by, ())


def _overdue(request: CorrectionRequest, on: date) -> list[str]:
    return _deadlines(request).overdue(on, acknowledged=request.acknowledged_on is not None,
                                       decided=request.decided_on is not None)


def item_view(item: CorrectionItem) -> dict[str, Any]:
    return {"id": item.id, "record": item.record_kind, "record_id": item.record_id,
            "field": f"{item.record_kind}.{item.field}",
            "value_when_filed": item.value_when_filed,
            "requested_value": item.requested_value, "outcome": item.outcome,
            "value_before": item.value_before, "value_after": item.value_after,
            "note": item.note}


def request_view(request: CorrectionRequest, today: date) -> dict[str, Any]:
    return {"request_id": request.id, "reference": reference(request.id),
            "person_id": request.person_id,
            "status": request.status, "channel": request.channel,
            "filed_by": request.filed_by, "received_on": request.received_on.isoformat(),
            "requester_name": request.requester_name,
            "representative_name": request.representative_name,
            "representative_reference": request.representative_reference,
            "contact": request.contact, "reason": request.reason,
            "acknowledge_by": shown(request.acknowledge_by),
            "decide_by": shown(request.decide_by),
            "deadline_reasons": request.deadline_reasons,
            "overdue": _overdue(request, today),
            "acknowledged_on": shown(request.acknowledged_on),
            "acknowledged_by": request.acknowledged_by,
            "decided_on": shown(request.decided_on), "decided_by": request.decided_by,
            "decision_reasons": request.decision_reasons,
            "policy_version": request.policy_version,
            "items": [item_view(i) for i in request.items],
            "evidence": [{"id": e.id, "filename": e.filename, "content_type": e.content_type,
                          "size": e.size, "sha256": e.sha256} for e in request.evidence]}


def reference(request_id: int) -> str:
    """The case number a requester quotes: ``COR-000042``."""
    return f"COR-{request_id:06d}"


def load_request(uow: UnitOfWork, request_id: int) -> CorrectionRequest:
    request = uow.session.get(CorrectionRequest, request_id)
    if request is None:
        raise NotFoundError("correction request", request_id)
    return request


def show_correction(registry: Registry, actor: Actor, request_id: int) -> dict[str, Any]:
    """One request with its items, evidence and deadlines, and the person (audited)."""
    with registry.work(actor, Permission.READ_PERSON) as uow:
        request = load_request(uow, request_id)
        answer = request_view(request, uow.now.date())
        person = uow.session.get(Person, request.person_id)
        answer["person"] = person_summary(person) if person is not None else None
        uow.audit("correction.read", request, request.person_id)
        uow.commit()
        return answer


def correction_evidence(registry: Registry, actor: Actor, request_id: int,
                        evidence_id: int) -> tuple[str, str, bytes]:
    """An attached file: its name, type and bytes (audited as ``correction.evidence_read``)."""
    with registry.work(actor, Permission.READ_PERSON) as uow:
        request = load_request(uow, request_id)
        evidence = uow.session.get(CorrectionEvidence, evidence_id)
        if evidence is None or evidence.request_id != request.id:
            raise NotFoundError("evidence", evidence_id)
        uow.audit("correction.evidence_read", request, request.person_id,
                  evidence=evidence.id, sha256=evidence.sha256)
        uow.commit()
        return evidence.filename, evidence.content_type, evidence.content


def correction_queue(registry: Registry, actor: Actor, status: str = "open"
                     ) -> dict[str, Any]:
    """Requests by status (``open``: not yet decided), overdue first, then by the nearest
    deadline; each listed request is audited as read."""
    if status not in (*STATUSES, "open", "all"):
        raise InvalidInputError([FieldProblem("status", f"one of open, all, "
                                                        f"{', '.join(STATUSES)}")])
    with registry.work(actor, Permission.DECIDE_CORRECTION) as uow:
        statement = select(CorrectionRequest).order_by(CorrectionRequest.id)
        if status == "open":
            statement = statement.where(CorrectionRequest.status.in_(OPEN))
        elif status != "all":
            statement = statement.where(CorrectionRequest.status == status)
        requests = list(uow.session.execute(statement.limit(1000)).scalars())
        people = {p.id: p for p in uow.session.execute(select(Person).where(
            Person.id.in_({r.person_id for r in requests}))).scalars()}
        today = uow.now.date()
        views = []
        for request in requests:
            view = request_view(request, today)
            person = people.get(request.person_id)
            view["person"] = person_summary(person) if person is not None else None
            views.append(view)
        views.sort(key=lambda v: (not v["overdue"],
                                  _next_deadline(v) or "9999-12-31", v["request_id"]))
        # One entry per request shown, naming its person, as for every read of a record.
        for request in requests:
            uow.audit("correction.queue_read", request, request.person_id, status=status)
        uow.commit()
        return {"as_of": today.isoformat(), "status": status, "total": len(views),
                "overdue": sum(1 for v in views if v["overdue"]), "items": views}


def _next_deadline(view: dict[str, Any]) -> str | None:
    if view["decided_on"]:
        return None
    if not view["acknowledged_on"] and view["acknowledge_by"]:
        return str(view["acknowledge_by"])
    return str(view["decide_by"]) if view["decide_by"] else None


# ----------------------------------------------------------------- the director
def _once(registry: Registry, actor: Actor, operation: str, key: str | None,
          request: dict[str, Any], work: Callable[[UnitOfWork], dict[str, Any]]
          ) -> dict[str, Any]:
    return once(registry, actor, Permission.DECIDE_CORRECTION, operation=operation, key=key,
                request=request, work=work)


def acknowledge_correction(registry: Registry, actor: Actor, request_id: int,
                           acknowledged_on: date | None = None,
                           idempotency_key: str | None = None) -> dict[str, Any]:
    """Acknowledge the receipt of a request (5 U.S.C. 552a(d)(2)(A): in writing)."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        request = load_request(uow, request_id)
        if request.status != "received":
            raise ConflictError("already_acknowledged",
                                f"request {reference(request.id)} is already {request.status}")
        on = acknowledged_on or uow.now.date()
        if on < request.received_on or on > uow.now.date():
            raise InvalidInputError([FieldProblem(
                "acknowledged_on", "between the day of receipt and today")])
        request.status, request.acknowledged_on = "acknowledged", on
        request.acknowledged_by = uow.actor.username
        uow.audit("correction.acknowledged", request, request.person_id,
                  on_time=request.acknowledge_by is None or on <= request.acknowledge_by)
        uow.session.flush()
        return request_view(request, uow.now.date())
    return _once(registry, actor, "correction_acknowledgement", idempotency_key,
                 {"request_id": request_id, "on": shown(acknowledged_on)}, work)


def _apply(registry: Registry, uow: UnitOfWork, request: CorrectionRequest,
           item: CorrectionItem, text: str, on: date, path: str) -> None:
    """Write an accepted item through the service that owns the record."""
    field = f"{item.record_kind}.{item.field}"
    value = parse_value(registry, field, text, on, path)
    record = _record(uow, item.record_kind, item.record_id, request.person_id, path)
    item.value_before = shown(_current(record, item.record_kind, field))
    cause = {"correction_request": request.id, "correction_item": item.id}
    if item.record_kind == "person":
        amend_person(uow, record, item.field, value, **cause)
    elif item.record_kind == "document":
        amend_document(uow, record, item.field, value, **cause)
    else:
        encounter = record if item.record_kind == "encounter" else \
            uow.session.get(Encounter, record.encounter_id)
        if not isinstance(encounter, Encounter):
            raise NotFoundError("encounter of I-94", record.id)
        amend_admission(uow, encounter, item.field, value, **cause)
    item.value_after = shown(value)


def decide_correction(registry: Registry, actor: Actor,
                      command: CorrectionDecisionCommand) -> dict[str, Any]:
    """Accept or refuse every item, with reasons; accepted items change the records in the
    same transaction, or nothing is recorded."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        if not command.reasons.strip():
            raise InvalidInputError([FieldProblem("reasons", "required")])
        if "\x00" in command.reasons or any("\x00" in d.note for d in command.items):
            raise InvalidInputError([FieldProblem("reasons", "contains a NUL character")])
        long_ones = [FieldProblem(f"items[{i}].{name}", too_long(longest, len(text)))
                     for i, d in enumerate(command.items)
                     for name, text, longest in (("value", (d.value or "").strip(),
                                                  VALUE_LENGTH),
                                                 ("note", d.note.strip(), NOTE_LENGTH))
                     if len(text) > longest]
        if len(command.reasons.strip()) > LENGTHS["reason"]:
            long_ones.append(FieldProblem("reasons", too_long(LENGTHS["reason"],
                                                              len(command.reasons.strip()))))
        if long_ones:
            raise InvalidInputError(long_ones)
        request = load_request(uow, command.request_id)
        if request.status not in OPEN:
            raise ConflictError("already_decided",
                                f"request {reference(request.id)} was already "
                                f"{request.status.replace('_', ' ')} on {request.decided_on}")
        on = command.decided_on or uow.now.date()
        if on < request.received_on or on > uow.now.date():
            raise InvalidInputError([FieldProblem("decided_on",
                                                  "between the day of receipt and today")])
        by_id = {d.item_id: d for d in command.items}
        problems = [FieldProblem(f"items[{i}].item_id", "not an item of this request")
                    for i, d in enumerate(command.items)
                    if d.item_id not in {item.id for item in request.items}]
        problems += [FieldProblem("items", f"decide item {item.id} "
                                           f"({item.record_kind}.{item.field})")
                     for item in request.items if item.id not in by_id]
        if problems:
            raise InvalidInputError(problems)
        for index, item in enumerate(request.items):
            decision = by_id[item.id]
            item.note = decision.note.strip() or None
            if decision.accept:
                item.outcome = "accepted"
                _apply(registry, uow, request, item,
                       decision.value if decision.value else item.requested_value, on,
                       f"items[{index}].value")
            else:
                item.outcome = "refused"
        accepted = sum(1 for item in request.items if item.outcome == "accepted")
        request.status = ("accepted" if accepted == len(request.items) else
                          "refused" if accepted == 0 else "partly_accepted")
        request.decided_on, request.decided_by = on, uow.actor.username
        request.decision_reasons = command.reasons.strip()
        if request.acknowledged_on is None:
            request.acknowledged_on, request.acknowledged_by = on, uow.actor.username
        uow.audit("correction.decided", request, request.person_id, status=request.status,
                  on_time=request.decide_by is None or on <= request.decide_by,
                  items=[[i.id, i.outcome, i.value_before, i.value_after]
                         for i in request.items])
        uow.session.flush()
        return request_view(request, uow.now.date())
    return _once(registry, actor, "correction_decision", command.idempotency_key,
                 {"request_id": command.request_id, "reasons": command.reasons,
                  "decided_on": shown(command.decided_on),
                  "items": [[d.item_id, d.accept, d.value, d.note] for d in command.items]},
                 work)


