"""Who owes what, as of when: the queue (SQL) and the report (the rules) agree.

The queue filters obligations in SQL for speed; the report judges them with the rules
functions. Where they could drift, on generated registrants with departures on every side
of the report windows and a range of as-of dates, both must give the same answer: a
registrant who left before a report's window opened owes it no more (8 CFR 264.1(f)(3)),
so it is neither overdue in the queue nor missed in the report.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from integration.helpers import COMPLIANCE, DEPARTURE, SECONDARY, at, departure, iranian
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.context import Registry
from nseers.services.movements import inspect_arrival, record_departure
from nseers.services.queues import QueueQuery, obligations_due
from nseers.services.registrants import (
    CallInNoticeCommand,
    issue_call_in_notice,
    notice_offers,
)
from nseers.services.reports import compliance_report

ADMITTED = date(2003, 6, 15)
#: Days after admission on which the generated registrants leave (None: they stay).
DEPARTURE_DAYS = (None, 0, 3, 29, 30, 35, 40, 41, 200)
AS_OF = (date(2003, 7, 14), date(2003, 7, 15), date(2003, 7, 20), date(2003, 7, 25),
         date(2003, 7, 26), date(2003, 11, 1))
QUEUE_FOR_REPORT = {"due": "due", "missed": "overdue"}


@pytest.fixture
def registrants(registry: Registry) -> dict[int, int | None]:
    people = {}
    for index, day in enumerate(DEPARTURE_DAYS):
        command = iranian(f"Q{index:07d}")
        visa = replace(command.documents[1], number=f"V{index:07d}")
        arrival = inspect_arrival(registry, SECONDARY, replace(
            command, documents=(command.documents[0], visa), idempotency_key=f"queue-{index}"))
        if day is not None:
            record_departure(registry, DEPARTURE, departure(
                arrival["fin"], (ADMITTED + timedelta(days=day)).isoformat()))
        people[arrival["person_id"]] = day
    return people


@pytest.mark.parametrize("as_of", AS_OF, ids=date.isoformat)
def test_the_queue_lists_exactly_the_thirty_day_reports_the_report_calls_due_or_missed(
        registry: Registry, registrants: dict[int, int | None], as_of: date) -> None:
    queue = obligations_due(registry, COMPLIANCE, QueueQuery(
        as_of=as_of, kinds=("thirty_day_report",), per_page=500))
    listed = {row["person_id"]: row["status"] for row in queue["items"]}
    expected = {}
    for person_id in registrants:
        report = compliance_report(registry, COMPLIANCE, person_id, as_of)
        for registration in report["registrations"]:
            for obligation in registration["obligations"]:
                if obligation["kind"] == "thirty_day_report" and \
                        obligation["status"] in QUEUE_FOR_REPORT:
                    expected[person_id] = QUEUE_FOR_REPORT[obligation["status"]]
    assert listed == expected


def test_a_registrant_who_left_on_day_3_is_not_charged_with_the_thirty_day_report(
        registry: Registry, registrants: dict[int, int | None]) -> None:
    person_id = next(p for p, day in registrants.items() if day == 3)
    report = compliance_report(registry, COMPLIANCE, person_id, date(2003, 11, 1))
    thirty = next(o for r in report["registrations"] for o in r["obligations"]
                  if o["kind"] == "thirty_day_report")
    assert thirty["status"] == "ended"
    assert thirty["evidence"][0]["departed_on"] == "2003-06-18"
    stayed = next(p for p, day in registrants.items() if day is None)
    report = compliance_report(registry, COMPLIANCE, stayed, date(2003, 11, 1))
    assert [o["status"] for r in report["registrations"] for o in r["obligations"]
            if o["kind"] == "thirty_day_report"] == ["missed"]


@pytest.mark.parametrize(("admitted", "kind", "as_of", "status"), [
    # The annual window 2003-11-15..2003-12-05 straddles the suspension of 2003-12-02.
    ("2002-11-25", "annual_report", "2003-11-20", "due"),
    ("2002-11-25", "annual_report", "2003-12-10", "suspended"),
    # The 30-day window 2003-11-24..2003-12-04 straddles it too.
    ("2003-10-25", "thirty_day_report", "2003-11-28", "due"),
    ("2003-10-25", "thirty_day_report", "2003-12-02", "suspended"),
])
def test_an_as_of_view_does_not_know_a_suspension_that_came_later(
        registry: Registry, admitted: str, kind: str, as_of: str, status: str) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian(occurred_at=at(admitted)))
    on = date.fromisoformat(as_of)
    report = compliance_report(registry, COMPLIANCE, arrival["person_id"], on)
    judged = [o["status"] for r in report["registrations"] for o in r["obligations"]
              if o["kind"] == kind and (o["sequence"] or 1) == 1]
    assert judged == [status]
    queue = obligations_due(registry, COMPLIANCE, QueueQuery(as_of=on, kinds=(kind,)))
    assert [row["status"] for row in queue["items"]] == (["due"] if status == "due" else [])


def test_an_as_of_report_does_not_show_an_i94_surrendered_later(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-08-01"))
    before = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2003, 7, 1))
    after = compliance_report(registry, COMPLIANCE, arrival["person_id"], date(2003, 9, 1))
    assert [r["surrendered_on"] for r in before["i94_records"]] == [None]
    assert [r["surrendered_on"] for r in after["i94_records"]] == ["2003-08-01"]


def test_no_call_in_notice_goes_to_a_registrant_who_has_left(registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian(
        occurred_at=at("2004-02-01"), admit_until=date(2004, 12, 1)))
    record_departure(registry, DEPARTURE, departure(arrival["fin"], "2004-05-01"))
    with pytest.raises(ConflictError) as refused:
        issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
            arrival["fin"], "mail", date(2004, 8, 1), "Newark"))
    assert refused.value.code == "registrant_departed"
    assert "departed the United States on 2004-05-01" in str(refused.value)
    before = issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
        arrival["fin"], "mail", date(2004, 4, 1), "Newark"))
    assert before["appear_by"] == "2004-04-11"


#: Issue dates on every side of the notice rule (2003-12-02), the delisting (2011-04-28)
#: and the generated departures.
NOTICE_DAYS = (date(2003, 7, 1), date(2003, 12, 1), date(2003, 12, 2), date(2004, 3, 1),
               date(2011, 4, 27), date(2011, 4, 28), date(2017, 1, 1))


def _issue(registry: Registry, fin: str, on: date, key: str) -> str | None:
    """Why the service refused to issue the notice, or None when it issued it."""
    try:
        issue_call_in_notice(registry, COMPLIANCE, CallInNoticeCommand(
            fin, "mail", on, "Newark", idempotency_key=key))
    except (ConflictError, InvalidInputError) as refused:
        return str(refused)
    return None


@pytest.mark.usefixtures("registrants")
@pytest.mark.parametrize("issued_on", NOTICE_DAYS, ids=date.isoformat)
def test_a_call_in_notice_is_offered_exactly_where_it_would_be_issued(
        registry: Registry, issued_on: date) -> None:
    """Issue 15: the queue offered a notice before 2003-12-02 (and to registrants who had
    left) that the service then refused, a dead end. The offer and the refusal now come
    from one rule, so on every registrant and date they agree."""
    queue = obligations_due(registry, COMPLIANCE, QueueQuery(as_of=date(2003, 11, 1),
                                                             per_page=500))
    fins = sorted({row["fin"] for row in queue["items"]})
    assert len(fins) >= 2
    offers = notice_offers(registry, COMPLIANCE, fins, issued_on)
    assert sorted(offers) == fins
    for index, fin in enumerate(fins):
        refused = _issue(registry, fin, issued_on, f"offer-{issued_on}-{index}")
        if refused is None:
            assert offers[fin] is None, f"{fin} not offered on {issued_on}, yet issued"
        else:
            bar = offers[fin]
            assert bar is not None, f"{fin} offered on {issued_on}, then {refused}"
            assert bar in refused
    if issued_on < date(2003, 12, 2):
        assert all("took effect on 2003-12-02" in (bar or "") for bar in offers.values())
