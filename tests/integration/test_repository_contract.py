"""The repository contract (issue 15, fault 5): the in-memory records answer as the
database does.

One scenario is recorded through the real services on SQLite and PostgreSQL; the rows are
then copied, whole tables read plainly, into :class:`fakes.records.MemoryRecords`, and each
converted read (the timeline, the compliance report at dates on both sides of every event)
runs on both. Equal answers mean the fake's filters and orders are the database's, so the
unit tests that run on the fake (``tests/unit/test_reports_on_memory.py``) test what the
database would answer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from integration.helpers import (
    ANALYST,
    COMPLIANCE,
    DEPARTURE,
    DIRECTOR,
    PRIMARY,
    SECONDARY,
    at,
    departure,
    iranian,
    visitor,
)
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, NotFoundError
from nseers.demo.loader import load
from nseers.demo.population import generate
from nseers.services.casework import WAIVER_STATUSES, WILLFULNESS, violations, waiver_requests
from nseers.services.context import Registry
from nseers.services.dashboard import yearly_rates
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.i68 import (
    I68ApplicationCommand,
    I68DecisionCommand,
    I68MemberFacts,
    decide_i68,
    file_i68,
)
from nseers.services.movements import inspect_arrival, record_departure
from nseers.services.queues import (
    APPLICATION_STATUSES,
    QueueQuery,
    export_obligations_due,
    i68_applications,
    obligations_due,
)
from nseers.services.referrals import pending_referrals, referral_facts
from nseers.services.registrants import (
    CallInNoticeCommand,
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
    request_waiver,
)
from nseers.services.reports import compliance_report, timeline
from nseers.services.self_service import I94Lookup, lookup_i94
from nseers.services.statistics import (
    movements_by_port_and_day,
    movements_by_port_and_month,
    refusals_by_ground_and_port,
    registrations_by_basis,
)

TRAVELLER = Actor("anonymous", Role.TRAVELLER)
AS_OF = (date(2003, 6, 14), date(2003, 6, 15), date(2003, 7, 10), date(2003, 7, 20),
         date(2003, 7, 31), date(2003, 8, 5), date(2003, 9, 1), date(2003, 10, 20),
         date(2004, 1, 1), date(2004, 9, 1), date(2012, 6, 1), date(2026, 11, 24))


def _scenario(registry: Registry) -> list[int]:
    """Two registrations, their evidence and violations, an I-68 permit, and a visitor."""
    first = inspect_arrival(registry, SECONDARY, iranian())
    fin = first["fin"]
    record_interview(registry, COMPLIANCE, InterviewCommand(
        fin, "thirty_day_report", date(2003, 7, 30), "New York"))
    change = record_change(registry, COMPLIANCE, ChangeCommand(
        fin, "address", "9 Oak St, Boston", date(2003, 7, 1), date(2003, 7, 20)))
    assess_violation(registry, COMPLIANCE, WillfulnessAssessment(
        change["violation_id"], False, "moved while hospitalised", date(2013, 1, 5)))
    waiver = request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
        fin, "thirty_day_report", "hospitalised", date(2003, 7, 25)))
    decide_waiver(registry, DIRECTOR, WaiverDecisionCommand(
        waiver["waiver_id"], True, "medical certificate", date(2003, 8, 5)))
    record_departure(registry, DEPARTURE, departure(fin, "2003-09-01"))
    again = iranian().occurred_at.replace(month=10)
    second = inspect_arrival(registry, SECONDARY, iranian(occurred_at=again,
                                                          admit_until=date(2004, 3, 1)))
    record_departure(registry, DEPARTURE, departure(second["fin"], "2003-11-03",
                                                    reported=False))
    later = inspect_arrival(registry, SECONDARY, iranian(
        occurred_at=iranian().occurred_at.replace(year=2004), admit_until=date(2004, 12, 1)))
    notice = issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
        later["fin"], "mail", date(2004, 8, 1), "Newark"))
    record_interview(registry, COMPLIANCE, InterviewCommand(
        later["fin"], "call_in_interview", date(2004, 8, 12), "Newark",
        outcome="failed_to_appear", notice_id=notice["notice_id"]))
    request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
        later["fin"], "thirty_day_report", "abroad", date(2004, 7, 1)))
    person_id = first["person_id"]
    filed = file_i68(registry, PRIMARY, I68ApplicationCommand(
        port_code="BLAINE", filed_on=date(2012, 5, 1), evidence=("passport.pdf",),
        members=(I68MemberFacts(PersonFacts(person_id=person_id), "principal",
                                documents=(DocumentFacts("passport", "X1234567", "IRN"),),
                                # By 2012 a landed immigrant of Canada, so eligible.
                                canadian_permanent_resident=True),)))
    decide_i68(registry, DIRECTOR, I68DecisionCommand(filed["application_id"], True,
                                                      date(2012, 5, 10)))
    other = inspect_arrival(registry, SECONDARY, visitor())
    return [person_id, other["person_id"]]


def test_the_memory_records_answer_the_timeline_and_reports_as_the_database_does(
        registry: Registry) -> None:
    people = _scenario(registry)
    with registry.sessions() as session:
        memory = MemoryRegistry(rules=registry.rules,
                                records=MemoryRecords.copied_from(session))
    for person_id in people:
        assert timeline(memory, SECONDARY, person_id) == timeline(registry, SECONDARY,
                                                                  person_id)
        for as_of in AS_OF:
            on_memory = compliance_report(memory, COMPLIANCE, person_id, as_of)
            assert on_memory == compliance_report(registry, COMPLIANCE, person_id, as_of), \
                (person_id, as_of)
    report = compliance_report(memory, COMPLIANCE, people[0], date(2026, 11, 24))
    # The scenario reaches every kind of evidence, so the comparison above compared them.
    assert report["summary"]["registrations"] == 3
    assert report["summary"]["violations"] >= 3
    statuses = {o["status"] for r in report["registrations"] for o in r["obligations"]}
    assert {"met", "missed", "waived", "suspended"} <= statuses


def test_the_memory_records_list_casework_as_the_database_does(registry: Registry) -> None:
    _scenario(registry)
    with registry.sessions() as session:
        memory = MemoryRegistry(rules=registry.rules,
                                records=MemoryRecords.copied_from(session))
    listed = 0
    for page in (1, 2, 3):
        for status in WAIVER_STATUSES:
            on_memory = waiver_requests(memory, DIRECTOR, status=status, page=page,
                                        per_page=1)
            assert on_memory == waiver_requests(registry, DIRECTOR, status=status,
                                                page=page, per_page=1), (status, page)
            listed += len(on_memory["items"])
        for willfulness in WILLFULNESS:
            on_memory = violations(memory, COMPLIANCE, willfulness=willfulness, page=page,
                                   per_page=1)
            assert on_memory == violations(registry, COMPLIANCE, willfulness=willfulness,
                                           page=page, per_page=1), (willfulness, page)
            listed += len(on_memory["items"])
    # Two waivers (granted, pending) and four violations (one assessed), all compared.
    assert listed >= 5


def _answer(call: Any) -> Any:
    """What a read answers, or the kind of refusal it raises."""
    try:
        return call()
    except (ConflictError, NotFoundError) as error:
        return type(error).__name__


@pytest.mark.parametrize("port", [None, "JFK", "IAD"])
def test_the_memory_records_list_referrals_as_the_database_does(
        registry: Registry, port: str | None) -> None:
    def referred(number: str, hour: int) -> int:
        command = iranian(number, decision="refer", answers=None,
                          occurred_at=at("2003-06-15", hour),
                          documents=(DocumentFacts("passport", number, "IRN"),
                                     DocumentFacts("visa", f"V{number}", "USA", "B2")))
        return int(inspect_arrival(registry, PRIMARY, command)["encounter_id"])

    answered = referred("X7000001", 9)
    inspect_arrival(registry, SECONDARY, iranian("X7000001", occurred_at=at("2003-06-15", 11)))
    waiting = [referred("X7000002", 10), referred("X7000003", 10)]
    admitted = int(inspect_arrival(registry, SECONDARY, visitor())["encounter_id"])
    with registry.sessions() as session:
        memory = MemoryRegistry(rules=registry.rules,
                                records=MemoryRecords.copied_from(session))
    for limit in (1, 100):
        queue = pending_referrals(memory, SECONDARY, port_code=port, limit=limit)
        assert queue == pending_referrals(registry, SECONDARY, port_code=port, limit=limit)
    for encounter in (answered, *waiting, admitted, 404):
        assert _answer(lambda e=encounter: referral_facts(memory, SECONDARY, e)) == \
            _answer(lambda e=encounter: referral_facts(registry, SECONDARY, e))
    assert len(pending_referrals(memory, SECONDARY)) == 2


def test_on_a_generated_population_the_memory_records_answer_as_the_database_does(
        registry: Registry) -> None:
    load(registry, generate(60, 11), seed=11)
    with registry.sessions() as session:
        memory = MemoryRegistry(rules=registry.rules,
                                records=MemoryRecords.copied_from(session))
    records = memory.records
    assert records.refusals
    assert records.violations
    assert records.registrations
    for start, end in ((date(2002, 1, 1), date(2002, 12, 31)),
                       (date(2003, 3, 1), date(2004, 2, 29)),
                       (date(2010, 1, 1), date(2010, 12, 31))):
        for port in (None, "jfk"):
            assert movements_by_port_and_day(memory, ANALYST, start, end, port) == \
                movements_by_port_and_day(registry, ANALYST, start, end, port)
    whole = (date(2000, 1, 1), date(2026, 12, 31))
    assert movements_by_port_and_month(memory, ANALYST, *whole) == \
        movements_by_port_and_month(registry, ANALYST, *whole)
    assert registrations_by_basis(memory, ANALYST, *whole) == \
        registrations_by_basis(registry, ANALYST, *whole)
    assert refusals_by_ground_and_port(memory, ANALYST, *whole) == \
        refusals_by_ground_and_port(registry, ANALYST, *whole)
    for as_of in (date(2003, 12, 31), date(2026, 11, 24)):
        assert yearly_rates(memory, ANALYST, 2000, 2026, as_of) == \
            yearly_rates(registry, ANALYST, 2000, 2026, as_of)
    for person in records.persons:
        assert timeline(memory, SECONDARY, person.id) == timeline(registry, SECONDARY,
                                                                  person.id)
        for as_of in (date(2003, 7, 1), date(2004, 1, 1), date(2026, 11, 24)):
            assert compliance_report(memory, COMPLIANCE, person.id, as_of) == \
                compliance_report(registry, COMPLIANCE, person.id, as_of), (person.id, as_of)
    for as_of in (date(2003, 1, 15), date(2003, 7, 1), date(2004, 1, 1), date(2026, 11, 24)):
        _queues_agree(memory, registry, as_of)
    for status in APPLICATION_STATUSES:
        for page in (1, 2):
            assert i68_applications(memory, DIRECTOR, status=status, page=page,
                                    per_page=2) == \
                i68_applications(registry, DIRECTOR, status=status, page=page, per_page=2)
    found = 0
    for document in records.documents:
        person = records.person(document.person_id)
        assert person is not None
        for surname in (person.surname, person.surname.lower(), "NOBODY"):
            born = person.date_of_birth or date(1900, 1, 1)
            asked = I94Lookup(surname, person.given_names, born, document.number.lower())
            on_memory = _answer(lambda q=asked: lookup_i94(memory, TRAVELLER, q))
            assert on_memory == _answer(lambda q=asked: lookup_i94(registry, TRAVELLER, q))
            found += isinstance(on_memory, dict)
    assert found > 0


def _queues_agree(memory: MemoryRegistry, registry: Registry, as_of: date) -> int:
    """Compare the compliance queue for every kind and status on ``as_of``; the lines."""
    lines = 0
    for kinds in ((), ("thirty_day_report",), ("annual_report", "call_in_interview")):
        for status in (None, "due", "overdue"):
            asked = QueueQuery(as_of=as_of, kinds=kinds, status=status, per_page=500)
            on_memory = obligations_due(memory, COMPLIANCE, asked)
            assert on_memory == obligations_due(registry, COMPLIANCE, asked), (kinds, status)
            lines += on_memory["total"]
    paged = QueueQuery(as_of=as_of, per_page=2, page=2, due_by=as_of + timedelta(days=30))
    assert obligations_due(memory, COMPLIANCE, paged) == \
        obligations_due(registry, COMPLIANCE, paged)
    assert export_obligations_due(memory, COMPLIANCE, QueueQuery(as_of=as_of)) == \
        export_obligations_due(registry, COMPLIANCE, QueueQuery(as_of=as_of))
    return lines


#: Days after admission on which the generated registrants leave (None: they stay), on
#: every side of the 30-day report's window (days 30 to 40).
DEPARTURE_DAYS = (None, 0, 3, 29, 30, 35, 40, 41, 200)


def test_the_compliance_queue_in_sql_agrees_with_the_rules_function_on_generated_data(
        registry: Registry) -> None:
    """The fake's queue judges each report with ``rules.obligations.relieving_departure``
    (the compliance report's rule); the database's queue filters in SQL. Registrants who
    leave on every side of the report window, a call-in notice answered and one not, and
    as-of dates on both sides of each window, of an appear-by date and of the 2003-12-02
    suspension."""
    admitted = iranian().occurred_at.date()
    fins = []
    for index, day in enumerate(DEPARTURE_DAYS):
        command = iranian(f"Q{index:07d}")
        visa = replace(command.documents[1], number=f"V{index:07d}")
        arrival = inspect_arrival(registry, SECONDARY, replace(
            command, documents=(command.documents[0], visa)))
        fins.append(arrival["fin"])
        if day is not None:
            record_departure(registry, DEPARTURE, departure(
                arrival["fin"], (admitted + timedelta(days=day)).isoformat()))
    record_interview(registry, COMPLIANCE, InterviewCommand(
        fins[0], "thirty_day_report", date(2003, 7, 20), "New York"))
    for fin, answered in ((fins[0], True), (fins[-1], False)):
        notice = issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
            fin, "mail", date(2003, 12, 10), "Newark"))
        if answered:
            record_interview(registry, COMPLIANCE, InterviewCommand(
                fin, "call_in_interview", date(2003, 12, 15), "Newark",
                notice_id=notice["notice_id"]))
    with registry.sessions() as session:
        memory = MemoryRegistry(rules=registry.rules,
                                records=MemoryRecords.copied_from(session))
    lines = sum(_queues_agree(memory, registry, as_of) for as_of in (
        date(2003, 7, 14), date(2003, 7, 15), date(2003, 7, 25), date(2003, 7, 26),
        date(2003, 12, 1), date(2003, 12, 2), date(2003, 12, 20), date(2003, 12, 21),
        date(2004, 7, 1), date(2026, 11, 24)))
    assert lines > 0
