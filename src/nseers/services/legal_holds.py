"""Legal holds: a district director's order that a person's file be kept, whatever its
retention period says (issue 17).

A hold names its reason and a reference (the case, subpoena, litigation or investigation
that needs the file), and stops erasure by a retention run until it is released, with a
reason, by a district director. The EES Regulation keeps data past its period only where
a procedure needs it (Art. 34(3): the Member State is told beforehand "in order for them
to adopt the appropriate measures"); a hold is that measure, recorded and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.db.uow import UnitOfWork
from nseers.registry.people import Person
from nseers.registry.retention import LegalHold
from nseers.services.context import Registry
from nseers.services.registrants import once

#: Longest reference and reason accepted (the columns' sizes; the reason is text).
MAX_REFERENCE = 200
MAX_REASON = 2000


def _required(problems: list[FieldProblem], name: str, value: str, longest: int) -> None:
    if not value.strip():
        problems.append(FieldProblem(name, "required"))
    elif len(value) > longest:
        problems.append(FieldProblem(name, f"at most {longest} characters"))


@dataclass(frozen=True, slots=True)
class PlaceHold:
    """Place a hold on a person's file."""

    person_id: int
    reason: str
    reference: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReleaseHold:
    """Release a hold."""

    hold_id: int
    reason: str
    idempotency_key: str | None = None


def _view(hold: LegalHold) -> dict[str, Any]:
    return {"hold_id": hold.id, "person_id": hold.person_id, "reason": hold.reason,
            "reference": hold.reference, "placed_by": hold.placed_by,
            "placed_at": hold.placed_at.isoformat(), "released_by": hold.released_by,
            "released_at": None if hold.released_at is None else hold.released_at.isoformat(),
            "release_reason": hold.release_reason,
            "active": hold.released_at is None}


def place_hold(registry: Registry, actor: Actor, command: PlaceHold) -> dict[str, Any]:
    """Place a hold; a retried request (same Idempotency-Key) places it once."""
    problems: list[FieldProblem] = []
    _required(problems, "reason", command.reason, MAX_REASON)
    _required(problems, "reference", command.reference, MAX_REFERENCE)
    if problems:
        raise InvalidInputError(problems)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        if uow.session.get(Person, command.person_id) is None:
            raise NotFoundError("person", command.person_id)
        hold = LegalHold(person_id=command.person_id, reason=command.reason.strip(),
                         reference=command.reference.strip(), placed_by=uow.actor.username,
                         placed_at=uow.now)
        uow.session.add(hold)
        uow.session.flush()
        uow.audit("legal_hold.place", hold, command.person_id, reference=hold.reference)
        return _view(hold)
    return once(registry, actor, Permission.PLACE_LEGAL_HOLD, operation="legal_hold_place",
                command=command, work=work)


def release_hold(registry: Registry, actor: Actor, command: ReleaseHold) -> dict[str, Any]:
    """Release an active hold; a released hold is not released again."""
    problems: list[FieldProblem] = []
    _required(problems, "reason", command.reason, MAX_REASON)
    if problems:
        raise InvalidInputError(problems)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        hold = uow.session.get(LegalHold, command.hold_id)
        if hold is None:
            raise NotFoundError("legal hold", command.hold_id)
        if hold.released_at is not None:
            raise ConflictError("already_released",
                                f"legal hold {hold.id} was released on "
                                f"{hold.released_at.date().isoformat()}")
        hold.released_at = uow.now
        hold.released_by = uow.actor.username
        hold.release_reason = command.reason.strip()
        uow.audit("legal_hold.release", hold, hold.person_id, reference=hold.reference)
        return _view(hold)
    return once(registry, actor, Permission.PLACE_LEGAL_HOLD, operation="legal_hold_release",
                command=command, work=work)


def list_holds(registry: Registry, actor: Actor, *, active_only: bool = True
               ) -> list[dict[str, Any]]:
    """Holds with the held person's name (a read of personal data, audited)."""
    with registry.work(actor, Permission.PLACE_LEGAL_HOLD) as uow:
        query = select(LegalHold, Person.surname, Person.given_names).join(
            Person, Person.id == LegalHold.person_id).order_by(LegalHold.id)
        if active_only:
            query = query.where(LegalHold.released_at.is_(None))
        out = [_view(hold) | {"surname": surname, "given_names": given}
               for hold, surname, given in uow.session.execute(query)]
        uow.audit("legal_hold.list", "legal_holds", None, active_only=active_only,
                  returned=sorted({h["person_id"] for h in out}))
        uow.commit()
    return out
