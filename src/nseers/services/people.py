"""Persons: finding or creating them from a command's facts, and reading their records.

Every read of a person's record through these functions leaves an audit entry naming the
user, role and purpose.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError, NotFoundError
from nseers.core.states import IDENTITY_DOCUMENTS, document_issuer
from nseers.db.uow import UnitOfWork
from nseers.registry.identities import current_fin
from nseers.registry.people import Citizenship, Person, PersonName, TravelDocument, name_key
from nseers.registry.registrations import SpecialRegistration
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.rows import (
    citizenship_rows,
    document_row,
    name_row,
    person_name_rows,
    person_row,
)


def new_person(uow: UnitOfWork, facts: PersonFacts) -> Person:
    """A new person with every name indexed for search."""
    person = Person(**person_row(facts, created_at=uow.now))
    person.citizenships = [Citizenship(**row) for row in citizenship_rows(facts.citizenships)]
    person.names = [PersonName(**row) for row in person_name_rows(facts)]
    uow.session.add(person)
    return person


def identity_document(documents: tuple[DocumentFacts, ...]) -> DocumentFacts | None:
    """The document that identifies the traveller: the first passport or card with a number."""
    for document in documents:
        if document.kind in IDENTITY_DOCUMENTS and document.number and document.issuer:
            return document
    return None


def resolve_person(uow: UnitOfWork, facts: PersonFacts,
                   documents: tuple[DocumentFacts, ...]) -> Person:
    """The person the facts name: by id, else by identity document, else a new person."""
    session = uow.session
    if facts.person_id is not None:
        person = session.get(Person, facts.person_id)
        if person is None:
            raise NotFoundError("person", facts.person_id)
        return person
    document = identity_document(documents)
    if document is not None:
        record = find_document(uow, document)
        if record is not None:
            return record.person
    return new_person(uow, facts)


def document_key(document: DocumentFacts) -> tuple[str, str, str]:
    """How the registry identifies a document: kind, issuing state, number. A numbered
    document of a kind several states issue names its issuer (``check_documents``)."""
    return (document.kind, document_issuer(document.kind, document.issuer) or "",
            (document.number or "").strip())


def find_document(uow: UnitOfWork, document: DocumentFacts) -> TravelDocument | None:
    """A document the registry holds (or this unit of work created), by its key."""
    key = ("document", *document_key(document))
    if key not in uow.memo:
        kind, issuer, number = document_key(document)
        uow.memo[key] = uow.session.execute(select(TravelDocument).where(
            TravelDocument.kind == kind, TravelDocument.issuing_state == issuer,
            TravelDocument.number == number)).scalar_one_or_none()
    found: TravelDocument | None = uow.memo[key]
    return found


def record_documents(uow: UnitOfWork, person: Person,
                     documents: tuple[DocumentFacts, ...]) -> TravelDocument | None:
    """Keep each numbered document; returns the identity document's record."""
    identity = identity_document(documents)
    identity_record = None
    for document in documents:
        if not document.number:
            continue
        record = find_document(uow, document)
        if record is None:
            key = document_key(document)
            record = TravelDocument(person=person, **document_row(key, document))
            uow.session.add(record)
            uow.memo[("document", *key)] = record
        elif record.person is not person:
            raise InvalidInputError([_taken(document)])
        if document is identity:
            identity_record = record
    return identity_record


def _taken(document: DocumentFacts) -> FieldProblem:
    return FieldProblem("documents", f"{document.kind} {document.issuer} {document.number} "
                                     f"belongs to another person in the registry")


def person_summary(person: Person) -> dict[str, Any]:
    """The identifying facts of a person, as the API and reports show them."""
    return _summary(person, [c.country for c in person.citizenships])


def _summary(person: Person | Row[Any], citizenships: list[str]) -> dict[str, Any]:
    return {
        "id": person.id,
        "surname": person.surname,
        "given_names": person.given_names,
        "surname_original": person.surname_original,
        "given_names_original": person.given_names_original,
        "script": person.script,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "sex": person.sex,
        "citizenships": citizenships,
    }


def show_person(registry: Registry, actor: Actor, person_id: int) -> dict[str, Any]:
    """A person's identity, documents and registrations (audited)."""
    with registry.work(actor, Permission.READ_PERSON) as uow:
        person = _get(uow.session, person_id)
        registrations = uow.session.execute(
            select(SpecialRegistration).where(SpecialRegistration.person_id == person.id)
            .order_by(SpecialRegistration.registered_on)).scalars().all()
        view = person_summary(person) | {
            "documents": [{"kind": d.kind, "number": d.number, "issuing_state": d.issuing_state,
                           "admission_class": d.admission_class,
                           "expires_on": d.expires_on.isoformat() if d.expires_on else None}
                          for d in person.documents],
            "registrations": [{"id": r.id, "fin": r.fin, "basis": r.basis, "route": r.route,
                               "registered_on": r.registered_on.isoformat(), "place": r.place}
                              for r in registrations],
        }
        if person.id != person_id:
            view["merged_from"] = person_id
        uow.audit("person.read", f"person:{person.id}", person.id)
        uow.commit()
        return view


def search_persons(registry: Registry, actor: Actor, *, name: str | None = None,
                   date_of_birth: date | None = None, document_number: str | None = None,
                   fin: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Persons matching every criterion given: a name in any script (a surname, given
    names, or both in either order), a date of birth, a document number or a FIN. Audited,
    with the criteria and the ids returned."""
    if not any((name, date_of_birth, document_number, fin)):
        raise InvalidInputError([FieldProblem(
            "", "give at least one of name, date_of_birth, document_number or fin")])
    with registry.work(actor, Permission.READ_PERSON) as uow:
        query = select(Person).distinct()
        if name:
            query = query.join(PersonName).where(_name_condition(name))
        if date_of_birth:
            query = query.where(Person.date_of_birth == date_of_birth)
        if document_number:
            query = query.join(TravelDocument).where(
                TravelDocument.number == document_number.strip().upper())
        if fin:
            query = query.join(SpecialRegistration,
                               SpecialRegistration.person_id == Person.id).where(
                SpecialRegistration.fin == current_fin(uow.session, fin))
        people = uow.session.execute(query.order_by(Person.id).limit(limit)).scalars().all()
        found = [person_summary(p) for p in people]
        uow.audit("person.search", "persons", None,
                  criteria={"name": name, "date_of_birth": date_of_birth,
                            "document_number": document_number, "fin": fin},
                  returned=[p.id for p in people])
        uow.commit()
        return found


def _name_condition(name: str) -> Any:
    parts = name_key(name).split(" ")
    whole = " ".join(parts)
    conditions = [PersonName.surname_key == whole,
                  # Given names alone ("Reza", "Anne Marie"): the whole of them, or their
                  # first names, or whole words within them ("Marie" in "Anne Marie").
                  PersonName.given_names_key == whole,
                  PersonName.given_names_key.startswith(whole + " ", autoescape=True),
                  PersonName.given_names_key.contains(" " + whole + " ", autoescape=True),
                  PersonName.given_names_key.endswith(" " + whole, autoescape=True)]
    if len(parts) > 1:
        # "Given Surname" and "Surname Given" both find the person.
        for cut in range(1, len(parts)):
            first, rest = " ".join(parts[:cut]), " ".join(parts[cut:])
            conditions.append(and_(PersonName.surname_key == rest,
                                   PersonName.given_names_key.startswith(first)))
            conditions.append(and_(PersonName.surname_key == first,
                                   PersonName.given_names_key.startswith(rest)))
    return or_(*conditions)


def _get(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError("person", person_id)
    # A record merged into another (issue 13) answers as the identity it became.
    while person.merged_into is not None:
        person = session.get_one(Person, person.merged_into)
    return person


def get_person(session: Session, person_id: int) -> Person:
    """The person ``person_id``, or :class:`NotFoundError`."""
    return _get(session, person_id)


def read_person_summary(session: Session, person_id: int) -> dict[str, Any]:
    """:func:`person_summary` of ``person_id`` read with one indexed query (a row per
    citizenship), without loading the ORM object: the timeline's path. Raises
    :class:`NotFoundError` for an unknown person."""
    p, c = Person.__table__.c, Citizenship.__table__.c
    rows = session.execute(
        select(p.id, p.surname, p.given_names, p.surname_original, p.given_names_original,
               p.script, p.date_of_birth, p.sex, c.country)
        .outerjoin(Citizenship.__table__, c.person_id == p.id)
        .where(p.id == person_id).order_by(c.position)).all()
    if not rows:
        raise NotFoundError("person", person_id)
    return _summary(rows[0], [r.country for r in rows if r.country is not None])


# ------------------------------------------------------------ amendments (issue 17)
#: The fields of a person and of a travel document that an amendment may change.
PERSON_FIELDS = ("surname", "given_names", "date_of_birth", "sex", "citizenships")
DOCUMENT_FIELDS = ("number", "expires_on")


def amend_person(uow: UnitOfWork, person: Person, field: str, value: Any,
                 **cause: Any) -> None:
    """Change one identifying field of ``person`` in this unit of work, audited as
    ``person.amended`` with the value before and after and the ``cause`` (a correction
    request, say). A new name is indexed for search in place of the old primary name, so
    searches and the self-service lookup find the person by the corrected name."""
    before = _person_value(person, field)
    if field == "citizenships":
        person.citizenships = [Citizenship(**row) for row in citizenship_rows(value)]
    elif field in ("surname", "given_names"):
        setattr(person, field, value)
        primary = next((n for n in person.names if n.kind == "primary"), None)
        if primary is not None:
            for column, indexed in name_row("primary", person.surname,
                                            person.given_names).items():
                setattr(primary, column, indexed)
    elif field in PERSON_FIELDS:
        setattr(person, field, value)
    else:
        raise InvalidInputError([FieldProblem("field", f"not a field of a person: {field}")])
    uow.audit("person.amended", f"person:{person.id}", person.id, field=field,
              before=before, after=_person_value(person, field), **cause)


def _person_value(person: Person, field: str) -> Any:
    if field == "citizenships":
        return [c.country for c in person.citizenships]
    return getattr(person, field)


def amend_document(uow: UnitOfWork, document: TravelDocument, field: str, value: Any,
                   **cause: Any) -> None:
    """Change a travel document's number or expiry date, audited as ``document.amended``.
    A number another person's document of the same kind and issuer already has is refused,
    as :func:`record_documents` refuses it."""
    if field not in DOCUMENT_FIELDS:
        raise InvalidInputError([FieldProblem("field", f"not a field of a document: {field}")])
    if field == "number":
        taken = uow.session.execute(select(TravelDocument.id).where(
            TravelDocument.kind == document.kind,
            TravelDocument.issuing_state == document.issuing_state,
            TravelDocument.number == value, TravelDocument.id != document.id)).first()
        if taken is not None:
            raise InvalidInputError([FieldProblem(
                "requested_value", f"{document.kind} {document.issuing_state} {value} is "
                                   f"another document in the registry")])
    before = getattr(document, field)
    setattr(document, field, value)
    uow.audit("document.amended", f"travel_documents:{document.id}", document.person_id,
              field=field, before=before, after=value, **cause)
