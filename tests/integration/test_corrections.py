"""Correction and redress on SQLite and PostgreSQL: filing, deadlines, the queue, the
decision written through the owning services, the letter, and what a failure leaves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from integration.helpers import COMPLIANCE, DIRECTOR, SECONDARY, audit_actions, count, visitor
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from nseers.db.audit import AuditEntry
from nseers.registry.corrections import CorrectionEvidence, CorrectionRequest
from nseers.registry.i94 import I94Record
from nseers.services.context import Registry
from nseers.services.correction_letters import (
    correction_letter,
    letter_text,
    own_correction_letter,
)
from nseers.services.correction_values import MAX_EVIDENCE_BYTES, EvidenceIn
from nseers.services.corrections import (
    CorrectionDecisionCommand,
    CorrectionItemIn,
    CorrectionRequestCommand,
    IdentityProof,
    ItemDecision,
    acknowledge_correction,
    correction_queue,
    decide_correction,
    file_correction,
    file_own_correction,
    show_correction,
)
from nseers.services.movements import inspect_arrival
from nseers.services.people import search_persons
from nseers.services.reports import compliance_report, timeline
from nseers.services.self_service import I94Lookup, lookup_i94

TRAVELLER = Actor("anonymous", Role.TRAVELLER)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MULLER = IdentityProof("MÜLLER", "Anne", date(1980, 2, 2), "P7654321")


def admitted(registry: Registry) -> int:
    """Anne Müller, admitted as a visitor in 2010 until 1 October 2010 and never departed:
    as of the registry's clock (24 November 2026) an overstayer."""
    return int(inspect_arrival(registry, SECONDARY, visitor())["person_id"])


def request(person_id: int | None, *items: CorrectionItemIn, **changes: object
            ) -> CorrectionRequestCommand:
    fields: dict[str, object] = {
        "items": items or (CorrectionItemIn("i94.admit_until", "2027-01-31"),),
        "reason": "The officer wrote the wrong year on my admission stamp.",
        "requester_name": "Anne Müller", "person_id": person_id,
        "representative_name": "J. Counsel", "representative_reference": "G-28 A123",
        "evidence": (EvidenceIn("stamp.pdf", PDF),)}
    fields.update(changes)
    return CorrectionRequestCommand(**fields)  # type: ignore[arg-type]


def test_a_filed_request_keeps_the_items_evidence_and_deadlines_of_the_day_of_receipt(
        registry: Registry) -> None:
    person_id = admitted(registry)
    answer = file_correction(registry, COMPLIANCE, request(person_id))
    assert answer["status"] == "received"
    assert answer["reference"].startswith("COR-")
    assert answer["received_on"] == "2026-11-24"
    # Ten weekdays (Privacy Act) and thirty days (the EES overlay) from 24 November 2026.
    assert (answer["acknowledge_by"], answer["decide_by"]) == ("2026-12-08", "2026-12-24")
    assert [r["citation"].split(";")[0] for r in answer["deadline_reasons"]] == [
        "5 U.S.C. 552a(d)(2)(A)", "Regulation (EU) 2017/2226, Art. 52(3)"]
    (item,) = answer["items"]
    assert (item["field"], item["value_when_filed"], item["requested_value"]) == (
        "i94.admit_until", "2010-10-01", "2027-01-31")
    (evidence,) = answer["evidence"]
    assert evidence["content_type"] == "application/pdf"
    assert evidence["size"] == len(PDF)
    assert len(evidence["sha256"]) == 64
    assert audit_actions(registry)[-1] == "correction.filed"


def test_an_accepted_correction_changes_the_timeline_compliance_report_and_standing(
        registry: Registry) -> None:
    person_id = admitted(registry)
    proof = I94Lookup("MÜLLER", "Anne", date(1980, 2, 2), "P7654321")
    assert lookup_i94(registry, TRAVELLER, proof)["status"] == "overstayed"
    filed = file_correction(registry, COMPLIANCE, request(person_id))
    acknowledge_correction(registry, DIRECTOR, filed["request_id"])
    decided = decide_correction(registry, DIRECTOR, CorrectionDecisionCommand(
        filed["request_id"], (ItemDecision(filed["items"][0]["id"], accept=True),),
        reasons="The stamp shows an admission until 31 January 2027."))
    assert decided["status"] == "accepted"
    assert (decided["items"][0]["value_before"], decided["items"][0]["value_after"]) == (
        "2010-10-01", "2027-01-31")

    i94_events = [e for e in timeline(registry, DIRECTOR, person_id)["events"]
                  if e["type"] == "i94"]
    assert [e["admit_until"] for e in i94_events] == ["2027-01-31"]
    report = compliance_report(registry, DIRECTOR, person_id, date(2026, 11, 24))
    assert report["encounters"][0]["admit_until"] == "2027-01-31"
    assert report["i94_records"][0]["admit_until"] == "2027-01-31"
    standing = lookup_i94(registry, TRAVELLER, proof)
    assert standing["status"] == "admitted"
    assert standing["days_remaining"] == 68

    with registry.sessions() as session:
        amended = session.execute(select(AuditEntry).where(
            AuditEntry.action.in_(("i94.amended", "encounter.amended")))).scalars().all()
    assert sorted(e.action for e in amended) == ["encounter.amended", "i94.amended"]
    assert all(e.detail["correction_request"] == filed["request_id"]
               and e.detail["before"] == "2010-10-01" for e in amended)


def test_a_partly_accepted_request_changes_only_the_accepted_fields(
        registry: Registry) -> None:
    person_id = admitted(registry)
    filed = file_correction(registry, COMPLIANCE, request(
        person_id, CorrectionItemIn("person.surname", "MUELLER"),
        CorrectionItemIn("person.date_of_birth", "1981-02-02")))
    surname, born = (i["id"] for i in filed["items"])
    decided = decide_correction(registry, DIRECTOR, CorrectionDecisionCommand(
        filed["request_id"], (ItemDecision(surname, True),
                              ItemDecision(born, False, note="The passport says 1980.")),
        reasons="The surname is transliterated as in the passport's MRZ."))
    assert decided["status"] == "partly_accepted"
    person = show_correction(registry, DIRECTOR, filed["request_id"])["person"]
    assert (person["surname"], person["date_of_birth"]) == ("MUELLER", "1980-02-02")
    # The corrected name is the one the registry now finds the person by.
    assert [p["id"] for p in search_persons(registry, DIRECTOR, name="Anne Mueller")] == [
        person_id]
    text = letter_text(correction_letter(registry, DIRECTOR, filed["request_id"]))
    assert "accepted in part" in text
    assert "corrected from MÜLLER to MUELLER" in text
    assert "Date of birth: not changed (you asked for 1981-02-02)" in text
    assert "on behalf of Anne Müller (Form G-28 G-28 A123)" in text


def test_a_decision_that_fails_half_way_changes_nothing_and_leaves_no_entry(
        registry: Registry) -> None:
    person_id = admitted(registry)
    filed = file_correction(registry, COMPLIANCE, request(
        person_id, CorrectionItemIn("person.surname", "MUELLER"),
        CorrectionItemIn("i94.admission_class", "B1")))
    surname, klass = (i["id"] for i in filed["items"])
    entries = len(audit_actions(registry))
    with pytest.raises(InvalidInputError) as refused:
        decide_correction(registry, DIRECTOR, CorrectionDecisionCommand(
            filed["request_id"], (ItemDecision(surname, True),
                                  ItemDecision(klass, True, value="ZZ9")),
            reasons="Both as asked."))
    assert refused.value.problems[0].path == "items[1].value"
    assert len(audit_actions(registry)) == entries
    view = show_correction(registry, DIRECTOR, filed["request_id"])
    assert view["status"] == "received"
    assert view["person"]["surname"] == "MÜLLER"


def test_a_retried_filing_and_decision_are_recorded_once(registry: Registry) -> None:
    person_id = admitted(registry)
    first = file_correction(registry, COMPLIANCE, request(person_id, idempotency_key="k1"))
    again = file_correction(registry, COMPLIANCE, request(person_id, idempotency_key="k1"))
    assert again["replayed"]
    assert again["request_id"] == first["request_id"]
    assert count(registry, CorrectionRequest) == 1
    assert count(registry, CorrectionEvidence) == 1
    decision = CorrectionDecisionCommand(
        first["request_id"], (ItemDecision(first["items"][0]["id"], True),),
        reasons="As asked.", idempotency_key="d1")
    decide_correction(registry, DIRECTOR, decision)
    assert decide_correction(registry, DIRECTOR, decision)["replayed"]
    assert audit_actions(registry).count("i94.amended") == 1
    with pytest.raises(ConflictError) as twice:
        decide_correction(registry, DIRECTOR, CorrectionDecisionCommand(
            first["request_id"], decision.items, reasons="Again."))
    assert twice.value.code == "already_decided"


def test_a_traveller_files_for_their_own_record_only_after_proving_who_they_are(
        registry: Registry) -> None:
    person_id = admitted(registry)
    other = inspect_arrival(registry, SECONDARY, visitor(
        "Q1111111", person=visitor().person.__class__(
            surname="OTHER", given_names="Person", date_of_birth=date(1975, 1, 1),
            sex="M", citizenships=("DEU",)),
        documents=(visitor().documents[0].__class__("passport", "Q1111111", "DEU"),)))
    with registry.sessions() as session:
        others_i94 = session.execute(select(I94Record.id).where(
            I94Record.person_id == other["person_id"])).scalar_one()

    own = file_own_correction(registry, TRAVELLER, MULLER, request(None),
                              client="203.0.113.9")
    assert own["person_id"] == person_id
    assert own["channel"] == "self_service"

    with pytest.raises(NotFoundError):
        file_own_correction(registry, TRAVELLER, IdentityProof(
            "MÜLLER", "Anne", date(1980, 2, 3), "P7654321"), request(None))
    assert audit_actions(registry)[-1] == "correction.identity_not_proven"
    with pytest.raises(InvalidInputError) as foreign:
        file_own_correction(registry, TRAVELLER, MULLER, request(
            None, CorrectionItemIn("i94.admit_until", "2027-01-01", record_id=others_i94)))
    assert foreign.value.problems[0].path == "items[0].record_id"
    assert count(registry, CorrectionRequest) == 1


def test_bad_input_names_the_field_and_records_nothing(registry: Registry) -> None:
    person_id = admitted(registry)
    cases = [
        (request(person_id, CorrectionItemIn("person.eye_colour", "blue")), "items[0].field"),
        (request(person_id, CorrectionItemIn("i94.admit_until", "31/01/2027")),
         "items[0].requested_value"),
        (request(person_id, CorrectionItemIn("person.citizenships", "FRA, XYZ")),
         "items[0].requested_value"),
        (request(person_id, reason=" "), "reason"),
        (request(person_id, reason="a\x00b"), "reason"),
        (request(person_id, requester_name="A" * 301), "requester_name"),
        (request(person_id, CorrectionItemIn("person.citizenships", "FRA " * 100)),
         "items[0].requested_value"),
        (request(person_id, requester_name="Anne\u202eMüller"), "requester_name"),
        (request(person_id, evidence=(EvidenceIn("a.exe", b"MZ\x90\x00\x03"),)),
         "evidence[0]"),
        (request(person_id, evidence=(EvidenceIn("big.pdf",
                                                 b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES),)),
         "evidence[0]"),
    ]
    for command, path in cases:
        with pytest.raises(InvalidInputError) as refused:
            file_correction(registry, COMPLIANCE, command)
        assert refused.value.problems[0].path == path
    assert count(registry, CorrectionRequest) == 0


def test_the_queue_lists_overdue_requests_first_and_only_the_director_reads_it(
        registry: Registry) -> None:
    person_id = admitted(registry)
    recent = file_correction(registry, COMPLIANCE, request(person_id))
    late = file_correction(registry, COMPLIANCE, request(
        person_id, CorrectionItemIn("person.sex", "F"), received_on=date(2026, 10, 1)))
    queue = correction_queue(registry, DIRECTOR)
    assert [r["request_id"] for r in queue["items"]] == [late["request_id"],
                                                         recent["request_id"]]
    assert queue["items"][0]["overdue"] == ["acknowledgement", "decision"]
    assert queue["items"][1]["overdue"] == []
    assert queue["overdue"] == 1
    assert audit_actions(registry)[-1] == "correction.queue_read"
    with pytest.raises(ForbiddenError):
        correction_queue(registry, COMPLIANCE)
    # A traveller's account may ask for its own record only, proving who it is.
    with pytest.raises(ForbiddenError):
        file_correction(registry, Actor("t.account", Role.TRAVELLER), request(person_id))
    with pytest.raises(ForbiddenError):
        decide_correction(registry, COMPLIANCE, CorrectionDecisionCommand(
            late["request_id"], (), reasons="x"))


def test_a_traveller_reads_the_letter_of_their_own_request_and_no_one_elses(
        registry: Registry) -> None:
    person_id = admitted(registry)
    filed = file_correction(registry, COMPLIANCE, request(person_id))
    other = inspect_arrival(registry, SECONDARY, visitor(
        "Q2222222", person=visitor().person.__class__(
            surname="OTHER", given_names="Person", date_of_birth=date(1975, 1, 1),
            sex="M", citizenships=("DEU",)),
        documents=(visitor().documents[0].__class__("passport", "Q2222222", "DEU"),)))
    theirs = file_correction(registry, COMPLIANCE, request(other["person_id"]))

    letter = own_correction_letter(registry, TRAVELLER, MULLER, filed["reference"])
    assert letter["kind"] == "acknowledgement"
    assert letter["decide_by"] == "2026-12-24"
    assert audit_actions(registry)[-1] == "correction.own_letter_read"
    assert own_correction_letter(registry, TRAVELLER, MULLER,
                                 str(filed["request_id"]))["reference"] == filed["reference"]
    for proof, case in ((MULLER, theirs["reference"]),
                        (IdentityProof("MÜLLER", "Anne", date(1980, 2, 2), "P0000000"),
                         filed["reference"])):
        with pytest.raises(NotFoundError):
            own_correction_letter(registry, TRAVELLER, proof, case)
        assert audit_actions(registry)[-1] == "correction.identity_not_proven"
    with pytest.raises(InvalidInputError):
        own_correction_letter(registry, TRAVELLER, MULLER, "my request")
