"""A person's timeline and compliance report: the record an attorney attaches to a filing.

The compliance report answers, for one person as of one date, the question behind an I-485
request for evidence: for every registration, every obligation with its window and whether
it was met, missed, suspended, waived, still due or upcoming, with the evidence (FINs,
encounters, interviews, change notices, I-94s, waivers, violations and their willfulness).

Readings we chose: a report made after its window closed is listed as evidence but leaves
the obligation missed; a departure counts against the departure-report duty when the rules
engine judged it at the time (its determination is stored with the encounter).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from nseers.core.actors import Actor, Permission
from nseers.core.errors import NotFoundError
from nseers.rules.obligations import relieving_departure, suspension_in_force
from nseers.rules.policy.store import Policy
from nseers.services.repositories import (
    CallInNoticeRecord,
    ChangeNoticeRecord,
    EncounterRecord,
    I94Entry,
    InterviewRecord,
    ObligationRecord,
    PersonRecord,
    Records,
    RecordStore,
    RefusalRecord,
    RegistrationRecord,
)

STATUSES = ("met", "missed", "suspended", "waived", "due", "upcoming", "standing", "ended",
            "undetermined")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def person_view(person: PersonRecord) -> dict[str, Any]:
    """The identifying facts of a person, as reports show them (the same keys as
    :func:`nseers.services.people.person_summary`)."""
    return {"id": person.id, "surname": person.surname, "given_names": person.given_names,
            "surname_original": person.surname_original,
            "given_names_original": person.given_names_original, "script": person.script,
            "date_of_birth": _iso(person.date_of_birth), "sex": person.sex,
            "citizenships": list(person.citizenships)}


def encounter_view(encounter: EncounterRecord) -> dict[str, Any]:
    """An encounter as reports show it."""
    return {"id": encounter.id, "kind": encounter.kind, "outcome": encounter.outcome,
            "port": encounter.port_code, "mode": encounter.mode,
            "occurred_at": encounter.occurred_at.isoformat(),
            "admission_class": encounter.admission_class,
            "admit_until": _iso(encounter.admit_until),
            "duration_of_status": encounter.duration_of_status,
            "officer": encounter.officer, "policy_version": encounter.policy_version}


def i94_view(record: I94Entry, as_of: date | None = None) -> dict[str, Any]:
    """An I-94 record as reports show it; as of a date, a surrender that came later is not
    yet known."""
    surrendered_on = record.surrendered_on
    if as_of is not None and surrendered_on is not None and surrendered_on > as_of:
        surrendered_on = None
    return {"number": record.number, "admission_class": record.admission_class,
            "port": record.port_code, "admitted_on": _iso(record.admitted_on),
            "admit_until": _iso(record.admit_until),
            "duration_of_status": record.duration_of_status,
            "multiple_entry": record.multiple_entry,
            "land_border_fee_usd": record.land_border_fee_usd, "parole": record.parole,
            "surrendered_on": _iso(surrendered_on)}


def refusal_event(refusal: RefusalRecord) -> dict[str, Any]:
    """A coded refusal on the timeline (issue 17): its grounds' codes and procedure."""
    return {"on": refusal.occurred_on.isoformat(), "type": "refusal", "id": refusal.id,
            "encounter_id": refusal.encounter_id, "port": refusal.port_code,
            "grounds": [g["code"] for g in refusal.explanation.get("grounds", [])],
            "procedure": refusal.procedure, "disposition": refusal.disposition,
            "officer": refusal.officer}


def _person(records: Records, person_id: int) -> PersonRecord:
    person = records.person(person_id)
    if person is None:
        raise NotFoundError("person", person_id)
    return person


def timeline(registry: RecordStore, actor: Actor, person_id: int, *,
             read_as: str = "person.timeline") -> dict[str, Any]:
    """Everything the registry holds about a person, oldest first, audited as ``read_as``
    (each kind of read has its own action: ``person.i94_read`` for the I-94 records).

    Each kind of record is one query by the person (the repository's; served by an index
    on ``person_id``): this is the query an officer waits for at the counter.
    """
    with registry.records_work(actor, Permission.READ_PERSON) as work:
        records = work.records
        person = person_view(_person(records, person_id))
        events: list[dict[str, Any]] = []
        for encounter in records.encounters_of(person_id):
            events.append({"on": encounter.occurred_on.isoformat(), "type": "encounter"}
                          | encounter_view(encounter))
        for registration in records.registrations_of(person_id):
            events.append({"on": registration.registered_on.isoformat(),
                           "type": "registration", "fin": registration.fin,
                           "route": registration.route, "basis": registration.basis,
                           "place": registration.place})
        for record in records.i94s_of(person_id):
            events.append({"on": record.admitted_on.isoformat(), "type": "i94"}
                          | i94_view(record))
        for violation in records.violations_of_person(person_id):
            events.append({"on": violation.occurred_on.isoformat(), "type": "violation",
                           "id": violation.id, "kind": violation.kind,
                           "willfulness": violation.willfulness})
        for permit in records.permits_of(person_id):
            events.append({"on": permit.issued_on.isoformat(), "type": "boat_landing_permit",
                           "number": permit.number, "expires_on": _iso(permit.expires_on),
                           "revoked_on": _iso(permit.revoked_on)})
        # Issue 17: each coded refusal beside its refusal encounter (grounds, procedure).
        events += [refusal_event(refusal) for refusal in records.refusals_of(person_id)]
        events.sort(key=lambda event: (event["on"], event["type"]))
        work.audit(read_as, f"person:{person_id}", person_id)
        work.commit()
        return {"person": person, "events": events}


def compliance_report(registry: RecordStore, actor: Actor, person_id: int,
                      as_of: date) -> dict[str, Any]:
    """Every obligation of every registration of the person, judged as of ``as_of``."""
    with registry.records_work(actor, Permission.READ_PERSON) as work:
        records = work.records
        person = _person(records, person_id)
        encounters = records.encounters_of(person_id, through=as_of)
        registrations = []
        found = records.registrations_of(person_id, through=as_of)
        for index, registration in enumerate(found):
            # A departure answers to the registration in force when it happened: the
            # latest one made before it.
            until = found[index + 1].registered_on if index + 1 < len(found) else None
            departures = [e for e in encounters if e.kind == "departure"
                          and e.occurred_on >= registration.registered_on
                          and (until is None or e.occurred_on < until)]
            registrations.append(_registration_report(records, registry.rules.policy,
                                                      registration, departures,
                                                      as_of))
        i94s = records.i94s_of(person_id, through=as_of)
        counts = dict.fromkeys(STATUSES, 0)
        for registration_report in registrations:
            for obligation in registration_report["obligations"]:
                counts[obligation["status"]] += 1
        report = {
            "person": person_view(person), "as_of": as_of.isoformat(),
            "policy_version": registry.rules.policy.version,
            "summary": {"registrations": len(registrations),
                        "obligations": {k: v for k, v in counts.items() if v},
                        "violations": sum(len(r["violations"]) for r in registrations),
                        "willful_violations": sum(
                            1 for r in registrations for v in r["violations"]
                            if v["willfulness"] == "willful")},
            "registrations": registrations,
            "encounters": [encounter_view(e) for e in encounters],
            "i94_records": [i94_view(r, as_of) for r in i94s],
        }
        work.audit("compliance.report", f"persons:{person_id}", person_id, as_of=as_of)
        work.commit()
        return report


def _registration_report(records: Records, policy: Policy, registration: RegistrationRecord,
                         departures: list[EncounterRecord], as_of: date) -> dict[str, Any]:
    rid = registration.id
    obligations = records.obligations_of(rid)
    interviews = records.interviews_of(rid, through=as_of)
    notices = records.call_in_notices_of(rid, through=as_of)
    changes = records.change_notices_of(rid, through=as_of)
    violations = records.violations_of(rid, through=as_of)
    waivers = records.waivers_of(rid, through=as_of)
    granted = {w.obligation_id: w for w in waivers
               if w.status == "granted" and w.decided_on is not None and w.decided_on <= as_of}
    judged = []
    for obligation in obligations:
        if obligation.window_start is not None and obligation.window_start > as_of \
                and obligation.kind in ("change_notice", "departure_report",
                                        "call_in_interview"):
            continue
        status, evidence = _judge(policy, obligation, registration.registered_on, as_of,
                                  interviews, notices, changes, departures)
        if obligation.id in granted and status in ("missed", "due", "upcoming"):
            status = "waived"
            evidence.append({"waiver_id": granted[obligation.id].id,
                             "decided_on": _iso(granted[obligation.id].decided_on)})
        judged.append({"kind": obligation.kind, "sequence": obligation.sequence,
                       "window_start": _iso(obligation.window_start),
                       "window_end": _iso(obligation.window_end),
                       "status": status, "evidence": evidence, "reasons": obligation.reasons})
    return {
        "fin": registration.fin, "route": registration.route, "basis": registration.basis,
        "grounds": registration.grounds, "registered_on": _iso(registration.registered_on),
        "place": registration.place, "call_in_group": registration.call_in_group,
        "timeliness": registration.timeliness,
        "obligations": judged,
        "violations": [{"id": v.id, "kind": v.kind, "occurred_on": _iso(v.occurred_on),
                        "description": v.description, "willfulness": v.willfulness,
                        "assessment": v.assessment} for v in violations],
        "waivers": [{"id": w.id, "status": w.status, "requested_on": _iso(w.requested_on),
                     "decided_on": _iso(w.decided_on), "reasons": w.decision_reasons}
                    for w in waivers],
    }


def _judge(policy: Policy, obligation: ObligationRecord, registered_on: date, as_of: date,
           interviews: Sequence[InterviewRecord], notices: Sequence[CallInNoticeRecord],
           changes: Sequence[ChangeNoticeRecord], departures: list[EncounterRecord]
           ) -> tuple[str, list[dict[str, Any]]]:
    if obligation.status == "suspended" and suspension_in_force(policy, obligation.kind,
                                                                as_of):
        return "suspended", []
    start, end = obligation.window_start, obligation.window_end
    if obligation.kind in ("thirty_day_report", "annual_report"):
        left = relieving_departure(obligation.kind, registered_on, start,
                                   (d.occurred_on for d in departures))
        if left is not None and left <= as_of:
            departed = next(d for d in departures if d.occurred_on == left)
            return "ended", [{"encounter_id": departed.id, "departed_on": left.isoformat(),
                              "port": departed.port_code}]
        return _judge_window(obligation.kind, start, end, as_of, interviews)
    if end is not None and end <= as_of and obligation.kind != "departure_report":
        scope_end = end
    else:
        scope_end = as_of
    if obligation.kind == "departure_report":
        relevant = [d for d in departures if (start is None or d.occurred_on >= start)
                    and (end is None or d.occurred_on < end)]
        evidence = [{"encounter_id": d.id, "on": d.occurred_on.isoformat(), "port": d.port_code,
                     "outcome": d.determinations.get("departure_registration", {})
                     .get("outcome")} for d in relevant]
        outcomes = {e["outcome"] for e in evidence}
        if "non_compliant" in outcomes:
            return "missed", evidence
        if "compliant" in outcomes:
            return "met", evidence
        if "undetermined" in outcomes:
            # The port list loaded cannot decide (issue 15): never a violation.
            return "undetermined", evidence
        return ("ended" if end is not None and end <= as_of else "standing"), evidence
    if obligation.kind == "change_notice":
        relevant_changes = [c for c in changes if c.changed_on <= scope_end]
        evidence = [{"change_id": c.id, "kind": c.kind, "changed_on": c.changed_on.isoformat(),
                     "filed_on": c.filed_on.isoformat(), "form": c.form, "on_time": c.on_time}
                    for c in relevant_changes]
        if any(not c.on_time for c in relevant_changes):
            return "missed", evidence
        if relevant_changes:
            return "met", evidence
        return ("ended" if end is not None and end <= as_of else "standing"), evidence
    # call_in_interview: judged notice by notice.
    evidence = []
    statuses = []
    by_notice = {i.notice_id: i for i in interviews if i.notice_id is not None}
    for notice in notices:
        interview = by_notice.get(notice.id)
        if interview is not None and interview.outcome == "completed" \
                and interview.held_on <= notice.appear_by:
            statuses.append("met")
        elif interview is not None or notice.appear_by < as_of:
            statuses.append("missed")
        else:
            statuses.append("due")
        evidence.append({"notice_id": notice.id, "issued_on": notice.issued_on.isoformat(),
                         "appear_by": notice.appear_by.isoformat(), "channel": notice.channel,
                         "interview_id": interview.id if interview else None,
                         "held_on": _iso(interview.held_on) if interview else None})
    for status in ("missed", "due", "met"):
        if status in statuses:
            return status, evidence
    return ("ended" if end is not None and end <= as_of else "standing"), evidence


def _judge_window(kind: str, start: date | None, end: date | None, as_of: date,
                  interviews: Sequence[InterviewRecord]) -> tuple[str, list[dict[str, Any]]]:
    assert start is not None and end is not None  # noqa: S101,PT018 - windows are stored whole
    candidates = [i for i in interviews if i.kind == kind and i.outcome == "completed"]
    within = [i for i in candidates if start <= i.held_on <= end]
    if within:
        return "met", [{"interview_id": within[0].id, "held_on": within[0].held_on.isoformat(),
                        "place": within[0].place}]
    late = [i for i in candidates if end < i.held_on <= as_of]
    evidence = [{"interview_id": i.id, "held_on": i.held_on.isoformat(), "place": i.place,
                 "late": True} for i in late[:1]]
    if as_of < start:
        return "upcoming", evidence
    if as_of <= end:
        return "due", evidence
    return "missed", evidence
