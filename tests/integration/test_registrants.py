"""Call-ins, interviews, change notices, waivers, violations and the compliance report."""

from __future__ import annotations

from datetime import date

import pytest

from integration.helpers import (
    ANALYST,
    COMPLIANCE,
    DEPARTURE,
    DIRECTOR,
    SECONDARY,
    count,
    departure,
    iranian,
    visitor,
)
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError
from nseers.registry.registrations import SpecialRegistration, Violation
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import SwornAnswers, inspect_arrival, record_departure
from nseers.services.people import search_persons, show_person
from nseers.services.registrants import (
    CallInNoticeCommand,
    CallInRegistrationCommand,
    ChangeCommand,
    InterviewCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    WillfulnessAssessment,
    assess_violation,
    decide_waiver,
    issue_call_in_notice,
    record_change,
    record_interview,
    register_call_in,
    request_waiver,
)
from nseers.services.reports import compliance_report


def _obligations(report: dict, kind: str) -> list[dict]:
    return [o for r in report["registrations"] for o in r["obligations"] if o["kind"] == kind]


def _call_in(registered_on: date, **changes: object) -> CallInRegistrationCommand:
    values: dict = {
        "person": PersonFacts(surname="KHAN", given_names="IMRAN", date_of_birth=date(1975, 3, 3),
                              sex="M", citizenships=("PAK",)),
        "registered_on": registered_on, "place": "New York district office",
        "answers": SwornAnswers("5 Elm St, Queens, NY", "student", employer_or_school="CUNY"),
        "admission_class": "F1", "last_admitted_on": date(2002, 8, 20),
        "documents": (DocumentFacts("passport", "PK1111111", "PAK"),),
        "photograph_ref": "biometrics:test:photograph:KHAN",
        "fingerprints_ref": "biometrics:test:fingerprints:KHAN"}
    values.update(changes)
    return CallInRegistrationCommand(**values)


def test_the_thirty_day_report_met_in_its_window_and_the_annual_report_suspended(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    record_interview(registry, COMPLIANCE, InterviewCommand(
        arrival["fin"], "thirty_day_report", date(2003, 7, 20), "New York"))
    report = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2004, 12, 31))
    assert _obligations(report, "thirty_day_report")[0]["status"] == "met"
    assert _obligations(report, "annual_report")[0]["status"] == "suspended"
    assert report["registrations"][0]["fin"] == arrival["fin"]


def test_a_thirty_day_report_made_late_leaves_the_obligation_missed(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    record_interview(registry, COMPLIANCE, InterviewCommand(
        arrival["fin"], "thirty_day_report", date(2003, 7, 30), "New York"))
    during = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2003, 7, 20))
    assert _obligations(during, "thirty_day_report")[0]["status"] == "due"
    after = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2003, 8, 31))
    missed = _obligations(after, "thirty_day_report")[0]
    assert missed["status"] == "missed"
    assert missed["evidence"][0]["late"] is True


def test_a_waived_obligation_is_reported_as_waived_and_is_decided_only_once(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    waiver = request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
        arrival["fin"], "thirty_day_report", "hospitalised", date(2003, 7, 10)))
    with pytest.raises(ConflictError):
        request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
            arrival["fin"], "thirty_day_report", "again", date(2003, 7, 11)))
    decide_waiver(registry, DIRECTOR, WaiverDecisionCommand(
        waiver["waiver_id"], True, "medical certificate", date(2003, 7, 12)))
    with pytest.raises(ConflictError) as raised:
        decide_waiver(registry, DIRECTOR, WaiverDecisionCommand(
            waiver["waiver_id"], False, "changed my mind", date(2003, 7, 13)))
    assert raised.value.code == "already_decided"
    report = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2003, 9, 1))
    assert _obligations(report, "thirty_day_report")[0]["status"] == "waived"


def test_only_a_district_director_decides_a_waiver(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    waiver = request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
        arrival["fin"], "thirty_day_report", "hospitalised", date(2003, 7, 10)))
    with pytest.raises(ForbiddenError):
        decide_waiver(registry, COMPLIANCE, WaiverDecisionCommand(
            waiver["waiver_id"], True, "ok", date(2003, 7, 12)))


def test_a_call_in_notice_needs_the_legal_notice_period_and_channel(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian(occurred_at=iranian().occurred_at
                                                           .replace(year=2004),
                                                           admit_until=date(2004, 12, 1)))
    with pytest.raises(InvalidInputError) as raised:
        issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
            arrival["fin"], "carrier_pigeon", date(2004, 8, 1), "Newark",
            appear_by=date(2004, 8, 5)))
    assert {p.path for p in raised.value.problems} == {"channel", "appear_by"}
    notice = issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
        arrival["fin"], "mail", date(2004, 8, 1), "Newark"))
    assert notice["appear_by"] == "2004-08-11"
    assert notice["reasons"][0]["values"]["notice_days"] == 10
    record_interview(registry, COMPLIANCE, InterviewCommand(
        arrival["fin"], "call_in_interview", date(2004, 8, 12), "Newark",
        outcome="failed_to_appear", notice_id=notice["notice_id"]))
    report = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2004, 9, 1))
    assert _obligations(report, "call_in_interview")[0]["status"] == "missed"
    assert count(registry, Violation) == 1


def test_a_change_of_address_filed_late_is_a_violation_whose_willfulness_is_assessed_once(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    answer = record_change(registry, COMPLIANCE, ChangeCommand(
        arrival["fin"], "address", "9 Oak St, Boston", date(2003, 7, 1), date(2003, 7, 20)))
    assert answer["on_time"] is False
    assessed = assess_violation(registry, COMPLIANCE, WillfulnessAssessment(
        answer["violation_id"], False, "moved while hospitalised", date(2013, 1, 5)))
    assert assessed["consequential"] is False
    with pytest.raises(ConflictError):
        assess_violation(registry, COMPLIANCE, WillfulnessAssessment(
            answer["violation_id"], True, "again", date(2013, 1, 6)))


def test_a_students_address_change_through_sevis_needs_no_ar11sr_after_2003_12_02(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian(
        admission_class="F1", admit_until=None, duration_of_status=True,
        documents=(DocumentFacts("passport", "X1", "IRN"), DocumentFacts("visa", "9", "USA",
                                                                          "F1"))))
    answer = record_change(registry, COMPLIANCE, ChangeCommand(
        arrival["fin"], "address", "Dorm 4", date(2004, 1, 10), date(2004, 3, 1),
        via_sevis=True))
    assert (answer["on_time"], answer["form"]) == (True, "SEVIS")


def test_call_in_registration_in_the_window_is_timely_and_a_second_one_is_refused(
        registry: Registry) -> None:
    answer = register_call_in(registry, SECONDARY, _call_in(date(2003, 2, 10)))
    assert (answer["group"], answer["timeliness"]) == (3, "timely")
    assert answer["reasons"][0]["rule"]
    with pytest.raises(ConflictError) as raised:
        register_call_in(registry, SECONDARY, _call_in(date(2003, 2, 11),
                                                       idempotency_key="other"))
    assert raised.value.code == "already_registered"
    assert count(registry, SpecialRegistration) == 1


@pytest.mark.parametrize("missing", ["photograph_ref", "fingerprints_ref"])
def test_no_fin_at_a_call_in_without_the_photograph_and_the_prints(
        registry: Registry, missing: str) -> None:
    """Issue 15: call-in registration issued a FIN with neither; the port's gate now
    applies at the district office too (8 CFR 264.1(f)(4): fingerprinted, photographed)."""
    with pytest.raises(InvalidInputError) as raised:
        register_call_in(registry, SECONDARY, _call_in(date(2003, 2, 10), **{missing: None}))
    assert [p.path for p in raised.value.problems] == [missing]
    assert "8 CFR 264.1(f)" in raised.value.problems[0].message
    assert count(registry, SpecialRegistration) == 0


def test_call_in_registration_after_the_window_is_late_and_a_violation(
        registry: Registry) -> None:
    answer = register_call_in(registry, SECONDARY, _call_in(date(2003, 6, 2)))
    assert answer["timeliness"] == "late"
    assert answer["violation_id"] is not None


@pytest.mark.parametrize(("registered_on", "source"), [
    (date(2011, 4, 28), "76 FR 23830"), (date(2017, 1, 5), "81 FR 94231")])
def test_no_call_in_registration_and_no_violation_once_the_law_ended_it(
        registry: Registry, registered_on: date, source: str) -> None:
    """Issue 15: a Group 3 national registering in 2012 or 2017 was recorded as a late
    call-in registration with a violation, though every country had been delisted (and
    later the regulation removed); now the registration is refused and says why."""
    with pytest.raises(ConflictError) as raised:
        register_call_in(registry, SECONDARY, _call_in(registered_on))
    assert raised.value.code == "not_a_call_in_registrant"
    assert source in str(raised.value)
    assert count(registry, SpecialRegistration) == 0
    assert count(registry, Violation) == 0


def test_a_person_no_group_covers_is_not_registered_at_a_call_in(registry: Registry) -> None:
    command = _call_in(date(2003, 2, 10), person=PersonFacts(
        surname="DOE", given_names="JANE", date_of_birth=date(1975, 3, 3), sex="F",
        citizenships=("PAK",)))
    with pytest.raises(ConflictError) as raised:
        register_call_in(registry, SECONDARY, command)
    assert raised.value.code == "not_a_call_in_registrant"


def test_a_departure_counts_against_the_departure_duty_in_the_report(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-08-01"))
    report = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2003, 9, 1))
    duty = _obligations(report, "departure_report")[0]
    assert duty["status"] == "met"
    assert duty["evidence"][0]["outcome"] == "compliant"
    assert report["encounters"][-1]["kind"] == "departure"


def test_people_are_found_by_name_in_either_script_by_fin_and_by_document(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    for criteria in ({"name": "رضا احمدی"}, {"name": "Reza Ahmadi"}, {"name": "ahmadi"},
                     {"fin": arrival["fin"]}, {"document_number": "X1234567"},
                     {"name": "ahmadi", "date_of_birth": date(1970, 5, 1)}):
        found = search_persons(registry, SECONDARY, **criteria)  # type: ignore[arg-type]
        assert [p["id"] for p in found] == [arrival["person_id"]], criteria
    assert search_persons(registry, SECONDARY, name="ahmadi",
                          date_of_birth=date(1971, 5, 1)) == []


def test_people_are_found_by_given_names_alone_as_whole_words(registry: Registry) -> None:
    reza = inspect_arrival(registry, SECONDARY, iranian())["person_id"]
    anne = inspect_arrival(registry, SECONDARY, visitor(person=PersonFacts(
        surname="MÜLLER", given_names="Anne Marie", date_of_birth=date(1980, 2, 2), sex="F",
        citizenships=("FRA",))))["person_id"]
    for name, expected in (("Reza", [reza]), ("رضا", [reza]), ("anne", [anne]),
                           ("Marie", [anne]), ("Anne Marie", [anne]), ("Mari", []),
                           ("nne", [])):
        found = search_persons(registry, SECONDARY, name=name)
        assert [p["id"] for p in found] == expected, name


def test_an_analyst_may_not_read_a_persons_record(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    with pytest.raises(ForbiddenError):
        show_person(registry, ANALYST, arrival["person_id"])


def test_each_departure_answers_to_the_registration_in_force_when_it_happened(
        registry: Registry) -> None:
    first = inspect_arrival(registry, SECONDARY, iranian())
    record_departure(registry, DEPARTURE, departure(first["fin"], "2003-08-01"))
    second = inspect_arrival(registry, SECONDARY, iranian(
        occurred_at=iranian().occurred_at.replace(month=10), admit_until=date(2004, 3, 1)))
    record_departure(registry, DEPARTURE, departure(second["fin"], "2003-11-03",
                                                    reported=False))
    # One FIN names the person: the second registration carries the first one's number.
    assert second["fin"] == first["fin"]
    report = compliance_report(registry, COMPLIANCE, first["person_id"], date(2004, 1, 1))
    duties = [next(o for o in r["obligations"] if o["kind"] == "departure_report")
              for r in sorted(report["registrations"], key=lambda r: r["registered_on"])]
    assert [len(d["evidence"]) for d in duties] == [1, 1]
    assert [d["status"] for d in duties] == ["met", "missed"]
