"""What happens to a registrant after registration (8 CFR 264.1(f)(3)-(5); INA 265).

Call-in notices and interviews, changes of address, employer or school (Form AR-11 SR, with
the SEVIS exception), waiver requests and decisions, violations and their willfulness
assessment (DHS guidance of 16 April 2012), and call-in ("domestic") registration of a
person already in the United States, judged against the group notices. Every legal value
used (notice days, channels, the change-notice period, the SEVIS classes) is read from the
policy in force on the relevant date and cited in the answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from annotated_types import Ge, Le, MaxLen, doc
from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.core.codes import canonical_class, class_family
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import (
    ClassCode,
    Fin,
    IdempotencyKey,
    LongText,
    OneOf,
    RecordId,
    Reference,
)
from nseers.core.identifiers import format_fin
from nseers.db.sequences import allocate
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.identities import current_fin
from nseers.registry.registrations import (
    CallInNotice,
    ChangeNotice,
    Interview,
    Obligation,
    SpecialRegistration,
    Violation,
    WaiverRequest,
)
from nseers.rules import ids
from nseers.rules.call_in import CallInFacts, assess_call_in
from nseers.rules.obligations import departed_before, notice_bar
from nseers.services.context import Registry
from nseers.services.facts import (
    ClaimedStatus,
    Documents,
    PersonFacts,
    check_documents,
    check_person,
)
from nseers.services.idempotency import once as idempotent
from nseers.services.movements import SwornAnswers, add_obligations, missing_captures
from nseers.services.people import record_documents, resolve_person
from nseers.services.rows import registration_row, violation_row

INTERVIEW_KINDS = frozenset({"thirty_day_report", "annual_report", "call_in_interview"})
INTERVIEW_OUTCOMES = frozenset({"completed", "failed_to_appear"})
CHANGE_KINDS = frozenset({"address", "employer", "school"})
SEVIS_CHANGE_KINDS = frozenset({"address", "school"})


def registration_by_fin(uow: UnitOfWork, fin: str) -> SpecialRegistration:
    """The person's latest registration under a FIN, or :class:`NotFoundError` (a FIN
    names one person; each of the person's registrations carries it). A FIN retired by a
    merge answers the identity that kept the other (:func:`current_fin`)."""
    registration = uow.session.execute(select(SpecialRegistration).where(
        SpecialRegistration.fin == current_fin(uow.session, fin)).order_by(
        SpecialRegistration.registered_on.desc(), SpecialRegistration.id.desc()).limit(1)
    ).scalar_one_or_none()
    if registration is None:
        raise NotFoundError("registration with FIN", fin)
    return registration


def once(registry: Registry, actor: Actor, permission: Permission, *, operation: str,
         command: Any, work: Any) -> dict[str, Any]:
    """Run ``work(uow)`` once per the command's idempotency key
    (:func:`nseers.services.idempotency.once`); a replay returns the first answer.

    The work may answer records not yet written under ``_name``: their ids are answered
    under ``name`` once flushed."""
    request = asdict(command)
    key = request.pop("idempotency_key", None)

    def flushed(uow: UnitOfWork) -> dict[str, Any]:
        answer: dict[str, Any] = work(uow)
        uow.session.flush()
        return {k[1:] if k.startswith("_") else k: (v.id if k.startswith("_") else v)
                for k, v in answer.items()}
    return idempotent(registry, actor, permission, operation=operation, key=key,
                      request=request, work=flushed)


# ---------------------------------------------------------------- call-in notices
@dataclass(frozen=True, slots=True)
class CallInNoticeCommand:
    """Require a registrant to appear for an interview."""

    fin: Fin
    channel: Annotated[str, MaxLen(20), doc("federal_register, mail, email or in_person")]
    issued_on: date
    office: Annotated[str, MaxLen(200)]
    appear_by: date | None = None
    idempotency_key: IdempotencyKey = None


def issue_call_in_notice(registry: Registry, actor: Actor,
                         command: CallInNoticeCommand) -> dict[str, Any]:
    """Issue a notice on a channel and with the notice period the law allows."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        registration = registration_by_fin(uow, command.fin)
        law = registry.rules.law(command.issued_on)
        bar = notice_bar(law, fin=registration.fin or command.fin,
                         interview_window=_interview_windows(uow, [registration.id]).get(
                             registration.id),
                         departed_on=_departures(uow, [registration], command.issued_on).get(
                             registration.id))
        if bar is not None and bar.field is not None:
            raise InvalidInputError([FieldProblem(bar.field, bar.text)])
        days = law.value("special_registration.call_in_notice_days")
        channels = law.value("special_registration.call_in_notice_channels", [])
        problems = []
        if command.channel not in channels:
            problems.append(FieldProblem("channel", f"must be one of {', '.join(channels)}"))
        appear_by = command.appear_by or command.issued_on + timedelta(days=days)
        if (appear_by - command.issued_on).days < days:
            problems.append(FieldProblem(
                "appear_by", f"gives {(appear_by - command.issued_on).days} days' notice; "
                             f"the law requires at least {days}"))
        if not command.office.strip():
            problems.append(FieldProblem("office", "required"))
        if problems:
            raise InvalidInputError(problems)
        if bar is not None:
            raise ConflictError(bar.code, bar.text)
        notice = CallInNotice(
            person_id=registration.person_id, registration_id=registration.id,
            channel=command.channel, issued_on=command.issued_on, appear_by=appear_by,
            notice_days=days, office=command.office, issued_by=uow.actor.username)
        uow.session.add(notice)
        reason = law.parameter_reason(
            ids.OBL_CALL_IN_INTERVIEW, "special_registration.call_in_notice_days",
            f"Notice given by {command.channel} on {command.issued_on.isoformat()}; the "
            f"registrant must appear by {appear_by.isoformat()} ({days} days' notice).",
            {"notice_days": days, "channel": command.channel})
        uow.audit("call_in_notice.issue", notice, registration.person_id, fin=registration.fin)
        return {"_notice_id": notice, "fin": registration.fin,
                "person_id": registration.person_id,
                "appear_by": appear_by.isoformat(), "notice_days": days,
                "reasons": [reason.to_dict()]}
    return once(registry, actor, Permission.MANAGE_COMPLIANCE, operation="call_in_notice",
                 command=command, work=work)


def _interview_windows(uow: UnitOfWork, registration_ids: list[int]
                       ) -> dict[int, tuple[date, date | None]]:
    """Each registration's window of interviews on notice (its ``call_in_interview``
    obligation), where it has one."""
    rows = uow.session.execute(select(
        Obligation.registration_id, Obligation.window_start, Obligation.window_end).where(
        Obligation.registration_id.in_(registration_ids),
        Obligation.kind == "call_in_interview")).all()
    return {r.registration_id: (r.window_start, r.window_end) for r in rows}


def _departures(uow: UnitOfWork, registrations: list[SpecialRegistration], on: date
                ) -> dict[int, date | None]:
    """For each registration, the departure after which its registrant was outside the
    United States on ``on`` (movements since registration only)."""
    by_person: dict[int, list[tuple[date, str]]] = {}
    person_ids = sorted({r.person_id for r in registrations})
    for row in uow.session.execute(select(
            Encounter.person_id, Encounter.occurred_on, Encounter.kind).where(
            Encounter.person_id.in_(person_ids),
            (Encounter.kind == "departure") | (Encounter.outcome == "admitted"))):
        by_person.setdefault(row.person_id, []).append((row.occurred_on, row.kind))
    return {r.id: departed_before(on, [m for m in by_person.get(r.person_id, [])
                                       if m[0] >= r.registered_on])
            for r in registrations}


def notice_offers(registry: Registry, actor: Actor, fins: list[str], on: date
                  ) -> dict[str, str | None]:
    """For each FIN, why no call-in notice can be issued on ``on`` (``None``: one can).

    The compliance queue offers "Issue call-in notice" only where this says ``None``, with
    the same rule (:func:`nseers.rules.obligations.notice_bar`) that
    :func:`issue_call_in_notice` refuses by, so what is offered is never then refused.
    """
    asked = sorted({f.replace("-", "").strip() for f in fins if f.strip()})
    if not asked:
        return {}
    with registry.work(actor, Permission.MANAGE_COMPLIANCE) as uow:
        # A retired FIN is answered for the identity that now holds the kept one.
        now = {fin: current_fin(uow.session, fin) for fin in asked}
        wanted = sorted(set(now.values()))
        registrations = list(uow.session.execute(select(SpecialRegistration).where(
            SpecialRegistration.fin.in_(wanted))
            .order_by(SpecialRegistration.registered_on.desc(),
                      SpecialRegistration.id.desc())).scalars())
        latest: dict[str, SpecialRegistration] = {}
        for registration in registrations:
            if registration.fin is not None:
                latest.setdefault(registration.fin, registration)
        chosen = list(latest.values())
        windows = _interview_windows(uow, [r.id for r in chosen])
        departed = _departures(uow, chosen, on)
        law = registry.rules.law(on)
        out: dict[str, str | None] = {}
        for fin, registration in latest.items():
            bar = notice_bar(law, fin=fin, interview_window=windows.get(registration.id),
                             departed_on=departed.get(registration.id))
            out[fin] = None if bar is None else bar.text
            uow.audit("call_in_notice.standing_read", registration, registration.person_id,
                      fin=fin, on=on.isoformat(), offered=bar is None)
        for fin, held in now.items():
            if fin != held and held in out:
                out[fin] = out[held]
        uow.commit()
        return out


def fin_holder(registry: Registry, actor: Actor, fin: str) -> dict[str, Any]:
    """Who holds ``fin`` now: ``{"person_id", "fin"}``, the FIN itself or, for a FIN an
    identity merge retired, the identity that kept the other (so a printed annotation or a
    bookmark with the old FIN still finds the record). :class:`NotFoundError` when no
    registration carries it. The lookup is audited as a read of the person."""
    with registry.work(actor, Permission.READ_PERSON) as uow:
        registration = registration_by_fin(uow, fin)
        uow.audit("registration.fin_read", registration, registration.person_id,
                  fin=registration.fin, asked=fin.replace("-", "").strip())
        uow.commit()
        return {"person_id": registration.person_id, "fin": registration.fin}


# --------------------------------------------------------------------- interviews
@dataclass(frozen=True, slots=True)
class InterviewCommand:
    """A registrant's appearance (or failure to appear) for a report or an interview."""

    fin: Fin
    kind: Annotated[str, OneOf(("thirty_day_report", "annual_report", "call_in_interview"))]
    held_on: date
    place: Annotated[str, MaxLen(200)]
    outcome: Annotated[str, OneOf(("completed", "failed_to_appear"))] = "completed"
    notice_id: RecordId | None = None
    notes: LongText | None = None
    idempotency_key: IdempotencyKey = None


def record_interview(registry: Registry, actor: Actor,
                     command: InterviewCommand) -> dict[str, Any]:
    """Record an interview; a failure to appear is recorded as a violation to assess."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        problems = []
        if command.kind not in INTERVIEW_KINDS:
            problems.append(FieldProblem("kind", "must be one of "
                                                 + ", ".join(sorted(INTERVIEW_KINDS))))
        if command.outcome not in INTERVIEW_OUTCOMES:
            problems.append(FieldProblem("outcome", "must be completed or failed_to_appear"))
        if command.kind == "call_in_interview" and command.notice_id is None:
            problems.append(FieldProblem("notice_id", "required for a call-in interview"))
        if problems:
            raise InvalidInputError(problems)
        registration = registration_by_fin(uow, command.fin)
        if command.held_on < registration.registered_on:
            raise InvalidInputError([FieldProblem("held_on", "precedes the registration")])
        if command.notice_id is not None:
            notice = uow.session.get(CallInNotice, command.notice_id)
            if notice is None or notice.registration_id != registration.id:
                raise NotFoundError("call-in notice of this registrant", command.notice_id)
            taken = uow.session.execute(select(Interview.id).where(
                Interview.notice_id == command.notice_id)).first()
            if taken is not None:
                raise ConflictError("already_recorded", f"the interview for notice "
                                                        f"{command.notice_id} is already recorded")
        interview = Interview(
            person_id=registration.person_id, registration_id=registration.id,
            notice_id=command.notice_id, kind=command.kind, held_on=command.held_on,
            place=command.place, outcome=command.outcome, notes=command.notes,
            officer=uow.actor.username)
        uow.session.add(interview)
        answer: dict[str, Any] = {"_interview_id": interview, "fin": registration.fin,
                                  "person_id": registration.person_id, "violation_id": None}
        if command.outcome == "failed_to_appear":
            violation = Violation(
                person_id=registration.person_id, registration_id=registration.id,
                **violation_row(
                    kind=command.kind, occurred_on=command.held_on,
                    description=f"failed to appear for the {command.kind.replace('_', ' ')}",
                    reasons=[]))
            uow.session.add(violation)
            answer["_violation_id"] = violation
            uow.audit("violation.record", violation, registration.person_id, kind=command.kind)
        uow.audit("interview.record", interview, registration.person_id, kind=command.kind,
                  outcome=command.outcome)
        return answer
    return once(registry, actor, Permission.MANAGE_COMPLIANCE, operation="interview",
                 command=command, work=work)


# ------------------------------------------------------------------- AR-11 SR
@dataclass(frozen=True, slots=True)
class ChangeCommand:
    """A change of address, employer or school the registrant reports."""

    fin: Fin
    kind: Annotated[str, OneOf(("address", "employer", "school"))]
    new_value: LongText
    changed_on: date
    filed_on: date
    via_sevis: bool = False
    idempotency_key: IdempotencyKey = None


def record_change(registry: Registry, actor: Actor, command: ChangeCommand) -> dict[str, Any]:
    """Record a change notice and judge whether it was filed in time (or exempt via SEVIS)."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        problems = []
        if command.kind not in CHANGE_KINDS:
            problems.append(FieldProblem("kind", "must be address, employer or school"))
        if not command.new_value.strip():
            problems.append(FieldProblem("new_value", "required"))
        if command.filed_on < command.changed_on:
            problems.append(FieldProblem("filed_on", "precedes the change"))
        if problems:
            raise InvalidInputError(problems)
        registration = registration_by_fin(uow, command.fin)
        law = registry.rules.law(command.changed_on)
        notice = law.value("special_registration.change_notice")
        bases = law.value("special_registration.change_notice_bases", [])
        sevis = law.value("special_registration.sevis_exception_class_families", [])
        family = class_family(canonical_class(registration.admission_class or ""))
        if notice is None or registration.basis not in bases:
            on_time, form, text = True, "AR-11", (
                "No AR-11 SR was required of this registrant on the date of the change; it is "
                "kept as an ordinary change of address.")
        elif command.via_sevis and family in sevis and command.kind in SEVIS_CHANGE_KINDS:
            on_time, form, text = True, "SEVIS", (
                f"A class {family} registrant's {command.kind} change reported through SEVIS "
                "need not also be filed on Form AR-11 SR.")
        else:
            deadline = command.changed_on + timedelta(days=notice.days)
            on_time = command.filed_on <= deadline
            form = notice.form
            text = (f"Form {notice.form} is due within {notice.days} days of the change, by "
                    f"{deadline.isoformat()}; it was filed on {command.filed_on.isoformat()}"
                    + (" (in time)." if on_time else " (late)."))
        reason = law.parameter_reason(ids.OBL_CHANGE_NOTICE, "special_registration.change_notice",
                                      text, {"basis": registration.basis, "via_sevis":
                                             command.via_sevis})
        change = ChangeNotice(
            person_id=registration.person_id, registration_id=registration.id,
            kind=command.kind, new_value=command.new_value, changed_on=command.changed_on,
            filed_on=command.filed_on, form=form, via_sevis=command.via_sevis, on_time=on_time,
            reasons=[reason.to_dict()], recorded_by=uow.actor.username)
        uow.session.add(change)
        answer: dict[str, Any] = {"_change_id": change, "fin": registration.fin, "form": form,
                                  "on_time": on_time, "violation_id": None,
                                  "reasons": [reason.to_dict()]}
        if not on_time:
            violation = Violation(
                person_id=registration.person_id, registration_id=registration.id,
                **violation_row(kind="change_notice", occurred_on=command.filed_on,
                                description=text, reasons=[reason.to_dict()]))
            uow.session.add(violation)
            answer["_violation_id"] = violation
            uow.audit("violation.record", violation, registration.person_id, kind="change_notice")
        uow.audit("change_notice.record", change, registration.person_id, kind=command.kind)
        return answer
    return once(registry, actor, Permission.MANAGE_COMPLIANCE, operation="change",
                 command=command, work=work)


# ----------------------------------------------------------------------- waivers
@dataclass(frozen=True, slots=True)
class WaiverRequestCommand:
    """A request to waive one of a registrant's obligations."""

    fin: Fin
    obligation_kind: Annotated[str, MaxLen(30)]
    grounds: LongText
    requested_on: date
    obligation_sequence: Annotated[int, Ge(0), Le(1000)] = 0
    idempotency_key: IdempotencyKey = None


def request_waiver(registry: Registry, actor: Actor,
                   command: WaiverRequestCommand) -> dict[str, Any]:
    """File a waiver request against one obligation; one open request per obligation."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        if not command.grounds.strip():
            raise InvalidInputError([FieldProblem("grounds", "required")])
        registration = registration_by_fin(uow, command.fin)
        obligation = uow.session.execute(select(Obligation).where(
            Obligation.registration_id == registration.id,
            Obligation.kind == command.obligation_kind,
            Obligation.sequence == command.obligation_sequence)).scalar_one_or_none()
        if obligation is None:
            raise InvalidInputError([FieldProblem(
                "obligation_kind", f"the registrant has no {command.obligation_kind} "
                                   f"obligation numbered {command.obligation_sequence}")])
        open_request = uow.session.execute(select(WaiverRequest.id).where(
            WaiverRequest.obligation_id == obligation.id,
            WaiverRequest.status.in_(("pending", "granted")))).first()
        if open_request is not None:
            raise ConflictError("waiver_exists", f"waiver request {open_request[0]} for this "
                                                 f"obligation is pending or granted")
        waiver = WaiverRequest(
            person_id=registration.person_id, registration_id=registration.id,
            obligation_id=obligation.id, grounds=command.grounds,
            requested_on=command.requested_on, requested_by=uow.actor.username,
            status="pending")
        uow.session.add(waiver)
        uow.audit("waiver.request", waiver, registration.person_id)
        return {"_waiver_id": waiver, "fin": registration.fin, "status": "pending"}
    return once(registry, actor, Permission.REQUEST_WAIVER, operation="waiver_request",
                 command=command, work=work)


@dataclass(frozen=True, slots=True)
class WaiverDecisionCommand:
    """The district director's decision on a waiver request."""

    waiver_id: int
    granted: bool
    reasons: LongText
    decided_on: date
    idempotency_key: IdempotencyKey = None


def decide_waiver(registry: Registry, actor: Actor,
                  command: WaiverDecisionCommand) -> dict[str, Any]:
    """Grant or deny a pending waiver request; a decided request is not decided again."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        if not command.reasons.strip():
            raise InvalidInputError([FieldProblem("reasons", "required")])
        waiver = uow.session.get(WaiverRequest, command.waiver_id)
        if waiver is None:
            raise NotFoundError("waiver request", command.waiver_id)
        if waiver.status != "pending":
            raise ConflictError("already_decided", f"waiver request {waiver.id} was already "
                                                   f"{waiver.status} on {waiver.decided_on}")
        if command.decided_on < waiver.requested_on:
            raise InvalidInputError([FieldProblem("decided_on", "precedes the request")])
        waiver.status = "granted" if command.granted else "denied"
        waiver.decided_on = command.decided_on
        waiver.decided_by = uow.actor.username
        waiver.decision_reasons = command.reasons
        uow.audit("waiver.decide", waiver, waiver.person_id, status=waiver.status)
        return {"waiver_id": waiver.id, "status": waiver.status}
    return once(registry, actor, Permission.DECIDE_WAIVER, operation="waiver_decision",
                 command=command, work=work)


# -------------------------------------------------------------------- violations
@dataclass(frozen=True, slots=True)
class WillfulnessAssessment:
    """An officer's assessment of whether a violation was willful, and the evidence (DHS
    guidance of 2012-04-16)."""

    violation_id: int
    willful: bool
    assessment: LongText
    assessed_on: date
    idempotency_key: IdempotencyKey = None


def assess_violation(registry: Registry, actor: Actor,
                     command: WillfulnessAssessment) -> dict[str, Any]:
    """Record the willfulness assessment; from 2012-04-16 only willful violations count."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        if not command.assessment.strip():
            raise InvalidInputError([FieldProblem(
                "assessment", "required: say what evidence shows the violation was or was not "
                              "willful (the burden is on the individual; a lookout alone is "
                              "not conclusive)")])
        violation = uow.session.get(Violation, command.violation_id)
        if violation is None:
            raise NotFoundError("violation", command.violation_id)
        if violation.willfulness != "unassessed":
            raise ConflictError("already_assessed", f"violation {violation.id} was assessed "
                                                    f"on {violation.assessed_on}")
        law = registry.rules.law(command.assessed_on)
        required = law.value("special_registration.willfulness_required", False)
        violation.willfulness = "willful" if command.willful else "not_willful"
        violation.assessment = command.assessment
        violation.assessed_by = uow.actor.username
        violation.assessed_on = command.assessed_on
        consequential = command.willful or not required
        reason = law.parameter_reason(
            ids.OBL_DEPARTURE, "special_registration.willfulness_required",
            ("Only willful non-compliance has consequences under the guidance in force; "
             if required else "No willfulness finding was required on this date; ")
            + ("this violation counts." if consequential else "this violation does not count."),
            {"willful": command.willful})
        uow.audit("violation.assess", violation, violation.person_id,
                  willfulness=violation.willfulness)
        return {"violation_id": violation.id, "willfulness": violation.willfulness,
                "consequential": consequential, "reasons": [reason.to_dict()]}
    return once(registry, actor, Permission.ASSESS_VIOLATION, operation="violation_assessment",
                 command=command, work=work)


# ------------------------------------------------------- call-in registration
@dataclass(frozen=True, slots=True)
class CallInRegistrationCommand:
    """Registration of a person already in the United States under a call-in notice."""

    person: PersonFacts
    registered_on: date
    place: Annotated[str, MaxLen(120)]
    answers: SwornAnswers
    admission_class: ClassCode | None = None
    last_admitted_on: date | None = None
    documents: Documents = ()
    claimed_status: ClaimedStatus = "nonimmigrant"
    asylum_applied_on: date | None = None
    asylum_granted: bool = False
    photograph_ref: Reference | None = None
    fingerprints_ref: Reference | None = None
    idempotency_key: IdempotencyKey = None


def register_call_in(registry: Registry, actor: Actor,
                     command: CallInRegistrationCommand) -> dict[str, Any]:
    """Register a person under the call-in group that requires it; late is a violation."""
    def work(uow: UnitOfWork) -> dict[str, Any]:
        problems = check_person(command.person) + check_documents(command.documents)
        for name in ("us_address", "purpose"):
            if not getattr(command.answers, name).strip():
                problems.append(FieldProblem(f"answers.{name}", "required"))
        if not command.place.strip():
            problems.append(FieldProblem("place", "required"))
        # A call-in registrant is fingerprinted and photographed at the office (8 CFR
        # 264.1(f)(4)); no exemption of inspection (8 CFR 235.1(f)) applies to an
        # interview under oath, so no FIN is issued without both.
        problems += missing_captures(
            registry.rules.law(command.registered_on).value(
                "special_registration.capture_modalities", []),
            photograph_ref=command.photograph_ref, fingerprints_ref=command.fingerprints_ref)
        if problems:
            raise InvalidInputError(problems)
        person = resolve_person(uow, command.person, command.documents)
        record_documents(uow, person, command.documents)
        citizenships = tuple(command.person.citizenships) or tuple(
            c.country for c in person.citizenships)
        facts = CallInFacts(
            citizenships=citizenships, sex=command.person.sex or person.sex,
            date_of_birth=command.person.date_of_birth or person.date_of_birth,
            claimed_status=command.claimed_status, admission_class=command.admission_class,
            last_admitted_on=command.last_admitted_on,
            asylum_applied_on=command.asylum_applied_on, asylum_granted=command.asylum_granted)
        assessments = assess_call_in(facts, registry.rules.policy, command.registered_on,
                                     registered_on=command.registered_on)
        required = [a for a in assessments if a.required]
        if not required:
            why = " ".join(r.text for a in assessments for r in a.reasons) or \
                "no call-in group covers the person's citizenships"
            raise ConflictError("not_a_call_in_registrant",
                                f"the person is not required to register under any call-in "
                                f"group: {why}")
        group = required[0]
        if person.id is not None:
            existing = uow.session.execute(select(SpecialRegistration.fin).where(
                SpecialRegistration.person_id == person.id,
                SpecialRegistration.call_in_group == group.group)).first()
            if existing is not None:
                raise ConflictError("already_registered",
                                    f"the person is already registered under call-in Group "
                                    f"{group.group} with FIN {existing[0]}")
        reasons = [r.to_dict() for r in group.reasons]
        held = None if person.id is None else uow.session.execute(
            select(SpecialRegistration.fin).where(SpecialRegistration.person_id == person.id,
                                                  SpecialRegistration.fin.is_not(None))
            .limit(1)).scalar_one_or_none()
        registration = SpecialRegistration(person=person, encounter=None, **registration_row(
            fin=held or format_fin(allocate(uow.session, "fin")[0]), route="call_in",
            basis="designated_nationality", grounds=["designated_nationality"],
            registered_on=command.registered_on, place=command.place,
            call_in_group=group.group, timeliness=group.timeliness,
            admission_class=command.admission_class, answers=command.answers,
            photograph_ref=command.photograph_ref, fingerprints_ref=command.fingerprints_ref,
            officer=uow.actor.username, policy_version=registry.rules.policy.version,
            reasons=reasons, created_at=uow.now))
        uow.session.add(registration)
        add_obligations(registry, uow, registration, person, route="call_in",
                        start=command.registered_on)
        answer: dict[str, Any] = {"_registration_id": registration, "_person_id": person,
                                  "fin": registration.fin, "group": group.group,
                                  "timeliness": group.timeliness, "violation_id": None,
                                  "reasons": reasons}
        if group.timeliness == "late":
            violation = Violation(person=person, registration=registration, **violation_row(
                kind="call_in_registration", occurred_on=command.registered_on,
                description=f"registered after the Group {group.group} window closed",
                reasons=reasons))
            uow.session.add(violation)
            answer["_violation_id"] = violation
            uow.audit("violation.record", violation, person, kind="call_in_registration")
        uow.audit("registration.create", registration, person, fin=registration.fin,
                  route="call_in", group=group.group)
        return answer
    return once(registry, actor, Permission.REGISTER, operation="call_in_registration",
                 command=command, work=work)
