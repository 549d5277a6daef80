"""Form I-68 (Canadian Border Boat Landing Permit): file, adjudicate, revoke (8 CFR 235.1(e)).

The family definition, the fee and its family cap, the permit's validity and the 90-day
wait after a denial are the rules engine's (``nseers.rules.i68``), read as of the filing
or decision date; the permit's conditions are the law's limits on that date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from annotated_types import MaxLen, MinLen, doc
from sqlalchemy import select

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import Email, IdempotencyKey, LongText, OneOf, PortCode, Reference
from nseers.core.identifiers import format_permit_number
from nseers.db.sequences import allocate
from nseers.db.uow import UnitOfWork
from nseers.registry.i68 import BoatLandingPermit, I68Application, I68Member
from nseers.rules.i68 import (
    Applicant,
    MemberCheck,
    Relationship,
    application_fee,
    earliest_reapplication,
    family_members,
    holder_group,
    permit_expires,
    port_problem,
    program_ports,
)
from nseers.rules.policy.store import Policy
from nseers.services.contacts import record_contacts
from nseers.services.context import Registry
from nseers.services.facts import Documents, PersonFacts, check_documents, check_person
from nseers.services.people import record_documents, resolve_person
from nseers.services.registrants import once

#: The relationships an application names, in the order a form offers them.
RELATIONSHIP_ORDER: tuple[Relationship, ...] = (
    "principal", "spouse", "child", "parent_of_principal", "parent_of_spouse", "other")
RELATIONSHIPS = frozenset(RELATIONSHIP_ORDER)


@dataclass(frozen=True, slots=True)
class I68MemberFacts:
    """One person named on the application."""

    person: PersonFacts
    relationship: Annotated[str, OneOf(("principal", "spouse", "child", "parent_of_principal",
                                        "parent_of_spouse", "other"))]
    married: bool = False
    same_address: bool = True
    documents: Documents = ()
    #: A permanent resident ("landed immigrant") of Canada, one of the groups that may hold
    #: a permit (8 CFR 235.1(e)); citizens show it by citizenship, LPRs by a Form I-551.
    canadian_permanent_resident: bool = False


@dataclass(frozen=True, slots=True)
class I68ApplicationCommand:
    """A family's application for a boat landing permit, filed at a port; the first
    member is the principal applicant."""

    port_code: PortCode
    filed_on: date
    members: Annotated[tuple[I68MemberFacts, ...], MinLen(1), MaxLen(20)]
    evidence: Annotated[tuple[Reference, ...], MaxLen(20)] = ()
    idempotency_key: IdempotencyKey = None
    #: The principal's e-mail, optional, for one-time codes and reminders (issue 17).
    #: Kept only when an officer files (in person, identity checked): a traveller filing
    #: for themselves could otherwise point another person's codes at their own mailbox.
    contact_email: Annotated[Email | None, doc("Optional: the principal's e-mail for "
                                               "one-time codes and reminders (issue 17); "
                                               "kept only when an officer files.")] = None


def file_i68(registry: Registry, actor: Actor, command: I68ApplicationCommand) -> dict[str, Any]:
    """File an application: check each member, compute the fee, refuse an early reapplication."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        problems = i68_problems(registry, command)
        if problems:
            raise InvalidInputError(problems)
        people = []
        for member in command.members:
            person = resolve_person(uow, member.person, member.documents)
            record_documents(uow, person, member.documents)
            people.append(person)
        uow.session.flush()
        principal = people[0]
        if uow.actor.role is not Role.TRAVELLER and principal.id is not None:
            record_contacts(uow, [(principal.id, command.contact_email, "i68")])
        if principal.id is not None:  # always, after the flush; kept for the type checker
            denials = [d for (d,) in uow.session.execute(select(I68Application.decided_on).where(
                I68Application.principal_person_id == principal.id,
                I68Application.status == "denied")) if d is not None]
            earliest = earliest_reapplication(registry.rules.policy, denials)
            if earliest is not None and command.filed_on < earliest:
                raise ConflictError(
                    "reapplication_too_early",
                    f"the family's last application was denied on {max(denials).isoformat()}; "
                    f"a new application may be filed from {earliest.isoformat()}")
        applicants = [Applicant(_relationship(m.relationship),
                                m.person.date_of_birth or people[i].date_of_birth or date.min,
                                m.married, m.same_address)
                      for i, m in enumerate(command.members)]
        checks = _with_groups(registry, command,
                              family_members(registry.rules.policy, applicants,
                                             command.filed_on),
                              [tuple(c.country for c in p.citizenships) for p in people])
        eligible = sum(1 for c in checks if c.eligible)
        if not checks[0].eligible:
            raise InvalidInputError([FieldProblem("members[0]", checks[0].reason)])
        fee = application_fee(registry.rules.policy, eligible, command.filed_on)
        application = I68Application(
            principal_person_id=principal.id, port_code=command.port_code,
            filed_on=command.filed_on, filed_by=uow.actor.username, fee_usd=fee,
            evidence=[{"reference": e} for e in command.evidence], status="pending")
        uow.session.add(application)
        uow.session.flush()
        for member, person, check in zip(command.members, people, checks, strict=True):
            uow.session.add(I68Member(
                application_id=application.id, person_id=person.id,
                relation=member.relationship, married=member.married,
                same_address=member.same_address, eligible=check.eligible, reason=check.reason,
                needs_photo_id=check.needs_photo_id))
            uow.audit("i68.file", application, person)
        return {"application_id": application.id, "status": "pending", "fee_usd": fee,
                # A traveller never learns registry ids: they would tell whether another
                # person is in the registry (issue 16).
                "members": [{"person_id": None if hides_ids else p.id,
                             "relationship": m.relationship,
                             "eligible": c.eligible, "reason": c.reason,
                             "needs_photo_id": c.needs_photo_id}
                            for m, p, c in zip(command.members, people, checks, strict=True)]}
    hides_ids = actor.role is Role.TRAVELLER
    return once(registry, actor, Permission.FILE_I68, operation="i68_application",
                command=command, work=work)


def _relationship(value: str) -> Relationship:
    for known in RELATIONSHIP_ORDER:
        if value == known:
            return known
    return "other"


def _with_groups(registry: Registry, command: I68ApplicationCommand,
                 checks: list[MemberCheck], known: list[tuple[str, ...]]
                 ) -> list[MemberCheck]:
    """Each member's family check, made ineligible where the member is in none of the
    groups that may hold a permit (the citizenships the command gives, else the
    registry's)."""
    return _member_groups(registry.rules.policy, command.filed_on, list(command.members),
                          checks, known)


def _member_groups(policy: Policy, on: date, members: list[I68MemberFacts],
                   checks: list[MemberCheck], known: list[tuple[str, ...]], *,
                   judge_unstated: bool = True) -> list[MemberCheck]:
    """The family checks, made ineligible for a member in no group that may hold a permit;
    ``judge_unstated=False`` (a preview while the form is typed) leaves alone a member whose
    citizenship and residence are not given yet."""
    out = []
    for member, check, recorded in zip(members, checks, known, strict=True):
        if not judge_unstated and not member.person.citizenships and not recorded and \
                not member.canadian_permanent_resident:
            out.append(check)
            continue
        group = holder_group(
            policy, on,
            citizenships=tuple(member.person.citizenships) or recorded,
            document_kinds=frozenset(d.kind for d in member.documents),
            canadian_permanent_resident=member.canadian_permanent_resident)
        out.append(MemberCheck(check.applicant, False, group.reason, check.needs_photo_id)
                   if check.eligible and group.group is None else check)
    return out


def filing_ports(registry: Registry, on: date) -> list[tuple[str, str]]:
    """The ports an I-68 may be filed at on ``on``, as (code, "name (code, state)"): the
    program's, not every port of entry."""
    return [(p.code, f"{p.name} ({p.code}, {p.state})")
            for p in program_ports(registry.rules.policy, on)]


def i68_problems(registry: Registry, command: I68ApplicationCommand) -> list[FieldProblem]:
    """Every problem with the application that needs no registry lookup, all at once (a
    form shows them together, not one per submission): the port, each member's facts and
    relationship, and a principal in none of the groups that may hold a permit."""
    policy = registry.rules.policy
    code = command.port_code.strip().upper()
    problems: list[FieldProblem] = []
    if not code:
        problems.append(FieldProblem("port_code", "required"))
    else:
        wrong = port_problem(policy, command.filed_on, policy.ports.get(code), code)
        if wrong is not None:
            problems.append(FieldProblem("port_code", wrong))
    problems += _check(command)
    if command.members and command.members[0].person.person_id is None and \
            command.members[0].person.citizenships:
        principal = command.members[0]
        group = holder_group(policy, command.filed_on,
                             citizenships=tuple(principal.person.citizenships),
                             document_kinds=frozenset(d.kind for d in principal.documents),
                             canadian_permanent_resident=principal.canadian_permanent_resident)
        if group.group is None:
            problems.append(FieldProblem("members[0].person.citizenships", group.reason))
    return problems


def _check(command: I68ApplicationCommand) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not command.members:
        return [FieldProblem("members", "at least the principal applicant is required")]
    if command.members[0].relationship != "principal":
        problems.append(FieldProblem("members[0].relationship", "the first member is the "
                                                                "principal applicant"))
    for index, member in enumerate(command.members):
        path = f"members[{index}]"
        problems += check_person(member.person, f"{path}.person")
        problems += check_documents(member.documents, f"{path}.documents")
        if member.relationship not in RELATIONSHIPS:
            problems.append(FieldProblem(f"{path}.relationship",
                                         f"must be one of {', '.join(sorted(RELATIONSHIPS))}"))
        elif index and member.relationship == "principal":
            problems.append(FieldProblem(f"{path}.relationship", "only one principal"))
        if member.person.person_id is None and member.person.date_of_birth is None:
            problems.append(FieldProblem(f"{path}.person.date_of_birth",
                                         "required: the family definition depends on age"))
    return problems


@dataclass(frozen=True, slots=True)
class I68DecisionCommand:
    """The district director's decision: approve (a permit is issued) or deny with
    reasons."""

    application_id: int
    approve: bool
    decided_on: date
    reasons: LongText = ""
    idempotency_key: IdempotencyKey = None


def decide_i68(registry: Registry, actor: Actor, command: I68DecisionCommand) -> dict[str, Any]:
    """Approve into a permit (validity and conditions from the law) or deny with reasons."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        application = uow.session.get(I68Application, command.application_id)
        if application is None:
            raise NotFoundError("I-68 application", command.application_id)
        if application.status != "pending":
            raise ConflictError("already_decided",
                                f"application {application.id} was already "
                                f"{application.status} on {application.decided_on}")
        if not command.approve and not command.reasons.strip():
            raise InvalidInputError([FieldProblem("reasons", "required to deny")])
        if command.decided_on < application.filed_on:
            raise InvalidInputError([FieldProblem("decided_on", "precedes the filing")])
        application.status = "approved" if command.approve else "denied"
        application.decided_on = command.decided_on
        application.decided_by = uow.actor.username
        application.decision_reasons = command.reasons or None
        answer: dict[str, Any] = {"application_id": application.id,
                                  "status": application.status, "permit": None}
        if command.approve:
            permit = BoatLandingPermit(
                number=format_permit_number(allocate(uow.session, "permit")[0]),
                application_id=application.id,
                principal_person_id=application.principal_person_id,
                issued_on=command.decided_on,
                expires_on=permit_expires(registry.rules.policy, command.decided_on),
                conditions=permit_conditions(registry, command.decided_on))
            uow.session.add(permit)
            answer["permit"] = {"number": permit.number, "issued_on": permit.issued_on.isoformat(),
                                "expires_on": permit.expires_on.isoformat(),
                                "conditions": permit.conditions}
            uow.audit("i68.permit_issue", permit, application.principal_person_id)
        uow.audit("i68.decide", application, application.principal_person_id,
                  status=application.status)
        return answer
    return once(registry, actor, Permission.DECIDE_I68, operation="i68_decision",
                command=command, work=work)


def permit_conditions(registry: Registry, on: date) -> list[str]:
    """The limits of the program on ``on``, as conditions printed on the permit."""
    law = registry.rules.law(on)
    conditions = []
    tons = law.value("i68.craft_max_net_tons_below")
    if tons is not None:
        conditions.append(f"pleasure craft under {tons} net tons only")
    miles = law.value("i68.max_distance_miles")
    if miles is not None:
        conditions.append(f"no travel beyond {miles} miles of the shore line")
    hours = law.value("i68.max_visit_hours")
    if hours is not None:
        conditions.append(f"visits of no more than {hours} hours (holders who are neither "
                          f"U.S. citizens nor lawful permanent residents)")
    conditions.append("no merchandise may be landed")
    return conditions


@dataclass(frozen=True, slots=True)
class RevocationCommand:
    """A district director's revocation of a permit."""

    permit_number: str
    revoked_on: date
    reason: LongText
    idempotency_key: IdempotencyKey = None


def revoke_permit(registry: Registry, actor: Actor, command: RevocationCommand) -> dict[str, Any]:
    """Revoke a permit; a revoked permit is not revoked again."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        if not command.reason.strip():
            raise InvalidInputError([FieldProblem("reason", "required")])
        permit = uow.session.execute(select(BoatLandingPermit).where(
            BoatLandingPermit.number == command.permit_number)).scalar_one_or_none()
        if permit is None:
            raise NotFoundError("boat landing permit", command.permit_number)
        if permit.revoked_on is not None:
            raise ConflictError("already_revoked", f"permit {permit.number} was revoked on "
                                                   f"{permit.revoked_on.isoformat()}")
        if command.revoked_on < permit.issued_on:
            raise InvalidInputError([FieldProblem("revoked_on", "precedes the permit's issue")])
        permit.revoked_on = command.revoked_on
        permit.revoked_by = uow.actor.username
        permit.revocation_reason = command.reason
        uow.audit("i68.revoke", permit, permit.principal_person_id)
        return {"permit_number": permit.number, "revoked_on": command.revoked_on.isoformat()}
    return once(registry, actor, Permission.DECIDE_I68, operation="i68_revocation",
                command=command, work=work)


def _reader(actor: Actor) -> tuple[Permission, bool]:
    """How ``actor`` reads I-68 records: an officer who may read persons reads any; one who
    may only file (a traveller's account) reads only the applications it filed."""
    if actor.may(Permission.READ_PERSON):
        return Permission.READ_PERSON, False
    return Permission.FILE_I68, True


def show_application(registry: Registry, actor: Actor, application_id: int) -> dict[str, Any]:
    """An I-68 application with its members, decision and permit number (audited as
    ``i68.application_read``). A traveller's account sees only what it filed: anyone
    else's application is "not found", as if it did not exist."""
    permission, own_only = _reader(actor)
    with registry.work(actor, permission) as uow:
        application = uow.session.get(I68Application, application_id)
        if application is None or (own_only and application.filed_by != actor.username):
            raise NotFoundError("I-68 application", application_id)
        permit = uow.session.execute(select(BoatLandingPermit.number).where(
            BoatLandingPermit.application_id == application.id)).scalar_one_or_none()
        answer = {
            "application_id": application.id, "port_code": application.port_code,
            "filed_on": application.filed_on.isoformat(), "filed_by": application.filed_by,
            "fee_usd": application.fee_usd, "status": application.status,
            "decided_on": (application.decided_on.isoformat()
                           if application.decided_on else None),
            "decision_reasons": application.decision_reasons,
            "members": [{"person_id": None if own_only else m.person_id,
                         "surname": m.person.surname, "given_names": m.person.given_names,
                         "relationship": m.relation, "eligible": m.eligible,
                         "reason": m.reason, "needs_photo_id": m.needs_photo_id}
                        for m in application.members],
            "permit_number": permit}
        uow.audit("i68.application_read", application, application.principal_person_id)
        uow.commit()
        return answer


def show_permit(registry: Registry, actor: Actor, number: str) -> dict[str, Any]:
    """A boat landing permit: validity, conditions, revocation, and whether it is in force
    on the registry's today (audited as ``i68.permit_read``); a traveller's account sees
    only the permits of applications it filed."""
    permission, own_only = _reader(actor)
    with registry.work(actor, permission) as uow:
        permit = uow.session.execute(select(BoatLandingPermit).where(
            BoatLandingPermit.number == number.strip().upper())).scalar_one_or_none()
        if permit is None or (own_only and permit.application.filed_by != actor.username):
            raise NotFoundError("boat landing permit", number)
        today = uow.now.date()
        status = ("revoked" if permit.revoked_on is not None and permit.revoked_on <= today
                  else "expired" if permit.expires_on < today else "valid")
        answer = {"number": permit.number, "application_id": permit.application_id,
                  "issued_on": permit.issued_on.isoformat(),
                  "expires_on": permit.expires_on.isoformat(),
                  "conditions": list(permit.conditions),
                  "revoked_on": permit.revoked_on.isoformat() if permit.revoked_on else None,
                  "revocation_reason": permit.revocation_reason, "status": status}
        uow.audit("i68.permit_read", permit, permit.principal_person_id)
        uow.commit()
        return answer


# --------------------------------------------------------------------- the fee preview
@dataclass(frozen=True, slots=True)
class FeePreview:
    """The fee in force on the filing date and each member's place in the family."""

    filed_on: date
    fee_usd: int
    per_person_usd: int
    cap_usd: int | None
    #: By the member's position on the application; a member without a date of birth
    #: cannot be checked yet and has none.
    checks: dict[int, MemberCheck]


def fee_preview(registry: Registry, members: Sequence[I68MemberFacts],
                filed_on: date) -> FeePreview:
    """What an application of ``members`` filed on ``filed_on`` would cost, and who of them
    is part of the family (8 CFR 235.1(e)), by the fee and the family cap in force then;
    nothing is recorded.

    The form shows it as the officer or the traveller types, by the same rules the filing
    applies (:func:`file_i68`)."""
    policy = registry.rules.policy
    dated = [(index, Applicant(_relationship(m.relationship), m.person.date_of_birth,
                               m.married, m.same_address))
             for index, m in enumerate(members) if m.person.date_of_birth is not None]
    checks = family_members(policy, [a for _, a in dated], filed_on)
    checks = _member_groups(policy, filed_on, [members[i] for i, _ in dated], checks,
                            [() for _ in dated], judge_unstated=False)
    law = policy.in_force(filed_on)
    return FeePreview(
        filed_on=filed_on,
        fee_usd=application_fee(policy, sum(1 for c in checks if c.eligible), filed_on),
        per_person_usd=law.value("i68.fee_per_person_usd", 0),
        cap_usd=law.value("i68.family_fee_cap_usd"),
        checks={index: check for (index, _), check in zip(dated, checks, strict=True)})
