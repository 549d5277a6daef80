"""Refusal of entry: record it, read it, and show it again when the same person returns.

A secondary officer refuses an applicant for admission (8 CFR 235.3, 235.4; the refusal
record of EES Regulation (EU) 2017/2226 Art. 18) on coded grounds of INA 212(a), by a
procedure, with what followed; :func:`nseers.rules.refusals.assess_refusal` checks the
combination against the law on the refusal's date and explains it. The person is found or
created as inspection does (by ``person_id``, else the identity document, else a new
person), and the refusal gets its ``refusal`` encounter, so the timeline, the movement
statistics and the entry-exit feeds count it like any refusal.

A later arrival of the same identity is shown every earlier refusal (``prior_refusals``):
date, port, grounds, procedure and disposition. The traveller's own history shows the
date, the port and the grounds, never the officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Final

from annotated_types import MaxLen, MinLen

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import IdempotencyKey, LongText, PortCode
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.refusals import Refusal, RefusalGround
from nseers.rules.refusals import assess_refusal, coded_lists
from nseers.services.context import Registry
from nseers.services.facts import (
    DocumentFacts,
    Documents,
    Mode,
    PersonFacts,
    check_documents,
    check_person,
    check_plausible,
)
from nseers.services.people import find_document, record_documents, resolve_person
from nseers.services.refusal_history import (
    prior_refusal_warning,
    prior_refusals,
    refusal_view,
)
from nseers.services.registrants import once
from nseers.services.rows import encounter_row

#: The columns' lengths (``registry.refusals``; the API's own limits are the same).
PORT_CODE_LENGTH: Final = 40
NARRATIVE_LENGTH: Final = 4000
#: A coded ground, procedure or disposition (``GET /api/v1/refusals/codes``).
Code = Annotated[str, MinLen(1), MaxLen(60)]


@dataclass(frozen=True, slots=True)
class RefusalCommand:
    """A secondary officer's refusal of an applicant for admission: who, where and when,
    the coded grounds (``GET /api/v1/refusals/codes`` lists those in force), the procedure
    and what followed."""

    port_code: PortCode
    occurred_at: datetime
    person: PersonFacts
    grounds: Annotated[tuple[Code, ...], MinLen(1), MaxLen(10)]
    procedure: Code
    disposition: Code
    documents: Documents = ()
    narrative: LongText | None = None
    mode: Mode | None = None
    idempotency_key: IdempotencyKey = None


def record_refusal(registry: Registry, actor: Actor, command: RefusalCommand) -> dict[str, Any]:
    """Record a refusal of entry and its encounter; answer it with any earlier refusals."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        problems = check_person(command.person) + check_documents(command.documents)
        if not command.port_code.strip():
            problems.append(FieldProblem("port_code", "required"))
        elif len(command.port_code.strip()) > PORT_CODE_LENGTH:
            problems.append(FieldProblem("port_code", f"at most {PORT_CODE_LENGTH} characters "
                                                      f"(this is {len(command.port_code)})"))
        if command.narrative is not None and len(command.narrative) > NARRATIVE_LENGTH:
            problems.append(FieldProblem("narrative", f"at most {NARRATIVE_LENGTH} characters "
                                                      f"(this is {len(command.narrative)})"))
        if command.occurred_at.tzinfo is None:
            problems.append(FieldProblem("occurred_at", "must carry a time zone offset"))
            on = command.occurred_at.date()
        else:
            on = command.occurred_at.date()
            problems += check_plausible(command.person, on)
        try:
            assessment = assess_refusal(registry.rules.law(on), command.grounds,
                                        command.procedure, command.disposition)
        except InvalidInputError as error:
            problems += error.problems
        if problems:
            raise InvalidInputError(problems)
        person = resolve_person(uow, command.person, command.documents)
        document = record_documents(uow, person, command.documents)
        uow.session.flush()
        port = registry.rules.policy.ports.get(command.port_code.strip().upper())
        port_code = port.code if port is not None else command.port_code.strip().upper()
        earlier = prior_refusals(uow.session, [person.id], before=command.occurred_at)
        explanation = assessment.to_dict()
        encounter = Encounter(
            person_id=person.id, document_id=document.id if document is not None else None,
            **encounter_row(
                kind="refusal", outcome="refused", port_code=port_code,
                mode=port.mode if port is not None else command.mode,
                occurred_at=command.occurred_at, officer=uow.actor.username,
                refusal_reason="; ".join(g["citation"] for g in assessment.grounds),
                policy_version=registry.rules.policy.version,
                determinations={"refusal": explanation}))
        uow.session.add(encounter)
        uow.session.flush()
        refusal = Refusal(
            person_id=person.id, encounter_id=encounter.id,
            document_id=encounter.document_id, port_code=port_code,
            occurred_at=command.occurred_at, occurred_on=on, officer=uow.actor.username,
            procedure=command.procedure, disposition=command.disposition,
            narrative=(command.narrative or "").strip() or None,
            policy_version=registry.rules.policy.version, explanation=explanation,
            created_at=uow.now,
            grounds=[RefusalGround(position=i, ground=g) for i, g in enumerate(command.grounds)])
        uow.session.add(refusal)
        uow.session.flush()
        uow.audit("refusal.record", refusal, person.id, port=port_code,
                  grounds=list(command.grounds), procedure=command.procedure,
                  disposition=command.disposition, encounter=encounter.id)
        shown = earlier.get(person.id, [])
        if shown:
            uow.audit("refusal.prior_shown", "refusals", person.id,
                      refusals=[r["refusal_id"] for r in shown])
        return refusal_view(refusal) | {"prior_refusals": shown}
    return once(registry, actor, Permission.RECORD_REFUSAL, operation="refusal",
                command=command, work=work)


def show_refusal(registry: Registry, actor: Actor, refusal_id: int) -> dict[str, Any]:
    """One refusal with its explanation (audited as ``refusal.read``)."""
    with registry.work(actor, Permission.READ_PERSON) as uow:
        refusal = uow.session.get(Refusal, refusal_id)
        if refusal is None:
            raise NotFoundError("refusal", refusal_id)
        answer = refusal_view(refusal)
        uow.audit("refusal.read", refusal, refusal.person_id)
        uow.commit()
        return answer


def refusal_codes(registry: Registry, on: date) -> dict[str, Any]:
    """The coded grounds, procedures and dispositions in force on ``on`` (for forms)."""
    return {"as_of": on.isoformat()} | coded_lists(registry.rules.law(on))


def refusals_of_document(registry: Registry, actor: Actor, document: DocumentFacts,
                         on: date) -> dict[str, Any] | None:
    """The warning an officer sees while inspecting: the earlier refusals of the person who
    holds ``document`` (an identity document the registry knows), else ``None``.

    Audited as ``refusal.prior_shown`` only when there is something to show: a document
    the registry does not know, or a person never refused, reads nothing personal.
    """
    with registry.work(actor, Permission.READ_PERSON) as uow:
        record = find_document(uow, document)
        if record is None:
            return None
        found = prior_refusals(uow.session, [record.person_id]).get(record.person_id, [])
        earlier = [r for r in found if r["date"] <= on.isoformat()]
        if not earlier:
            return None
        warning = prior_refusal_warning(registry, on, earlier)
        uow.audit("refusal.prior_shown", "refusals", record.person_id,
                  refusals=[r["encounter_id"] for r in earlier])
        uow.commit()
        return warning
