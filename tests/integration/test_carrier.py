"""The carrier check against the registry, on SQLite and PostgreSQL: who matches, what
each answer is, what leaves and what the audit trail keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from integration.helpers import DEPARTURE, PRIMARY, at, visitor
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, InvalidInputError
from nseers.db.audit import AuditEntry
from nseers.services.carrier import (
    PassengerQuery,
    check_manifest,
    check_passenger,
    document_digest,
    read_passenger,
)
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts
from nseers.services.movements import DepartureRecord, inspect_arrival, record_departure

CARRIER = Actor("carrier.aal", Role.CARRIER)
#: The registry's clock in these tests is 2026-11-24.
TRAVEL = date(2026, 12, 1)


def _admit(registry: Registry, number: str, *, admitted: str, until: str,
           departed: str | None = None, born: date = date(1980, 2, 2),
           expires: date | None = None) -> int:
    answer = inspect_arrival(registry, PRIMARY, replace(
        visitor(number), occurred_at=at(admitted), admit_until=date.fromisoformat(until),
        documents=(DocumentFacts("passport", number, "FRA", expires_on=expires),),
        person=replace(visitor().person, date_of_birth=born)))
    if departed is not None:
        record_departure(registry, DEPARTURE, DepartureRecord(
            port_code="IAD", occurred_at=at(departed, 18), person_id=answer["person_id"]))
    return int(answer["person_id"])


def _query(number: str, **changes: Any) -> PassengerQuery:
    query = PassengerQuery(document_number=number, issuing_country="FRA", nationality="FRA",
                           surname="Muller", date_of_birth=date(1980, 2, 2),
                           intended_travel_date=TRAVEL)
    return replace(query, **changes)


def _checks(registry: Registry) -> list[AuditEntry]:
    with registry.sessions() as session:
        return list(session.execute(select(AuditEntry).where(
            AuditEntry.action == "carrier.check").order_by(AuditEntry.seq)).scalars())


def test_a_traveller_who_left_in_time_may_board_and_the_answer_says_nothing_else(
        registry: Registry) -> None:
    person = _admit(registry, "FR100001", admitted="2024-05-01", until="2024-10-31",
                    departed="2024-10-20")
    answer = check_passenger(registry, CARRIER, _query("FR100001"))
    assert answer == {"answer": "ok_to_board", "reason_codes": []}
    [entry] = _checks(registry)
    assert entry.actor == "carrier.aal"
    assert entry.person_id == person
    assert entry.detail["answer"] == "ok_to_board"
    assert entry.detail["document"] == document_digest(registry, _query("FR100001"))
    assert "FR100001" not in str(entry.detail)


def test_any_detail_that_does_not_match_is_no_record_and_is_audited_without_a_person(
        registry: Registry) -> None:
    _admit(registry, "FR100002", admitted="2024-05-01", until="2024-10-31",
           departed="2024-10-20")
    for query in (_query("FR100002", date_of_birth=date(1980, 2, 3)),
                  _query("FR100002", surname="MARTIN"),
                  _query("FR100002", nationality="DEU"),
                  _query("FR100002", issuing_country="BEL"),
                  _query("FR999999")):
        assert check_passenger(registry, CARRIER, query) == {"answer": "no_record",
                                                             "reason_codes": []}
    entries = _checks(registry)
    assert len(entries) == 5
    assert all(e.person_id is None and e.detail["answer"] == "no_record" for e in entries)


def test_the_surname_matches_in_any_case_and_without_accents(registry: Registry) -> None:
    _admit(registry, "FR100003", admitted="2024-05-01", until="2024-10-31",
           departed="2024-10-20")
    assert check_passenger(registry, CARRIER, _query("FR100003", surname="müller"))[
        "answer"] == "ok_to_board"


def test_an_open_overstay_is_not_ok_with_only_the_referral_code(registry: Registry) -> None:
    _admit(registry, "FR100004", admitted="2026-01-10", until="2026-07-09")
    answer = check_passenger(registry, CARRIER, _query("FR100004"))
    assert answer == {"answer": "not_ok_to_board", "reason_codes": ["contact_border_authority"]}
    [entry] = _checks(registry)
    assert entry.detail["grounds"] == ["overstay_without_departure"]
    assert entry.detail["rules"] == ["carrier.overstay_without_departure"]


def test_a_departure_after_181_days_unlawfully_present_bars_and_one_after_180_does_not(
        registry: Registry) -> None:
    _admit(registry, "FR100005", admitted="2023-01-01", until="2023-06-30",
           departed="2023-12-28")
    _admit(registry, "FR100006", admitted="2023-01-01", until="2023-06-30",
           departed="2023-12-27", born=date(1981, 3, 3))
    barred = check_passenger(registry, CARRIER, _query("FR100005"))
    free = check_passenger(registry, CARRIER, _query("FR100006",
                                                     date_of_birth=date(1981, 3, 3)))
    assert barred["answer"] == "not_ok_to_board"
    assert free["answer"] == "ok_to_board"
    assert _checks(registry)[0].detail["grounds"] == ["unlawful_presence_bar"]


def test_a_passport_the_registry_knows_has_expired_is_not_ok_with_the_document_code(
        registry: Registry) -> None:
    _admit(registry, "FR100007", admitted="2024-05-01", until="2024-10-31",
           departed="2024-10-20", expires=date(2026, 11, 30))
    assert check_passenger(registry, CARRIER, _query("FR100007")) == {
        "answer": "not_ok_to_board", "reason_codes": ["document_not_valid"]}
    assert check_passenger(registry, CARRIER, _query(
        "FR100007", intended_travel_date=date(2026, 11, 30)))["answer"] == "ok_to_board"


def test_a_manifest_answers_the_good_rows_and_names_the_bad_ones_by_index_and_field(
        registry: Registry) -> None:
    _admit(registry, "FR100008", admitted="2024-05-01", until="2024-10-31",
           departed="2024-10-20")
    _admit(registry, "FR100009", admitted="2026-01-10", until="2026-07-09")
    good = {"document_number": "FR100008", "issuing_country": "fra", "nationality": "FRA",
            "surname": "MULLER", "date_of_birth": "1980-02-02",
            "intended_travel_date": TRAVEL.isoformat()}
    answer = check_manifest(registry, CARRIER, [
        good,
        {**good, "date_of_birth": "1980-13-01", "nationality": "FR"},
        {**good, "document_number": "FR100009"},
        {**good, "intended_travel_date": "2026-11-01"},
        {k: v for k, v in good.items() if k != "surname"},
    ])
    assert answer["answered"] == 2
    assert answer["rejected"] == 3
    rows = answer["rows"]
    assert rows[0] == {"index": 0, "answer": "ok_to_board", "reason_codes": []}
    assert {e["path"] for e in rows[1]["errors"]} == {"rows[1].date_of_birth",
                                                      "rows[1].nationality"}
    assert rows[2] == {"index": 2, "answer": "not_ok_to_board",
                       "reason_codes": ["contact_border_authority"]}
    assert [e["path"] for e in rows[3]["errors"]] == ["rows[3].intended_travel_date"]
    assert [e["path"] for e in rows[4]["errors"]] == ["rows[4].surname"]
    entries = _checks(registry)
    assert [e.detail["manifest_row"] for e in entries] == [0, 2]


def test_a_date_outside_the_window_is_refused_naming_the_field(registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as error:
        check_passenger(registry, CARRIER, _query("FR1", intended_travel_date=date(2027, 3, 1)))
    assert [p.path for p in error.value.problems] == ["intended_travel_date"]
    assert _checks(registry) == []


def test_only_a_carrier_account_may_check(registry: Registry) -> None:
    with pytest.raises(ForbiddenError):
        check_passenger(registry, PRIMARY, _query("FR100010"))


def test_reading_a_passenger_names_every_bad_field() -> None:
    with pytest.raises(InvalidInputError) as error:
        read_passenger({"document_number": "AB 12<", "issuing_country": "FRANCE",
                        "surname": "", "date_of_birth": 19800202, "extra": 1})
    paths = {p.path for p in error.value.problems}
    assert paths == {"extra", "issuing_country", "nationality", "surname", "date_of_birth",
                     "intended_travel_date"}


def test_an_overlong_number_or_surname_is_refused_as_the_registry_would() -> None:
    with pytest.raises(InvalidInputError) as error:
        read_passenger({"document_number": "P" * 41, "issuing_country": "FRA",
                        "nationality": "FRA", "surname": "M" * 201,
                        "date_of_birth": "1980-02-02", "intended_travel_date": "2026-12-01"})
    assert {p.path: p.message for p in error.value.problems} == {
        "document_number": "at most 40 characters (this is 41)",
        "surname": "at most 200 characters (this is 201)"}


def test_a_stowaway_removed_on_arrival_is_not_ok_for_five_years_and_a_refusal_is_no_bar(
        registry: Registry) -> None:
    removed = inspect_arrival(registry, PRIMARY, replace(
        visitor("FR300001"), occurred_at=at("2024-03-01"), decision="refuse",
        refusal_reason="stowaway on MV Example", circumstances=("stowaway",),
        admission_class=None, admit_until=None))
    refused = inspect_arrival(registry, PRIMARY, replace(
        visitor("FR300002"), occurred_at=at("2024-03-01"), decision="refuse",
        refusal_reason="withdrew the application for admission", admission_class=None,
        admit_until=None, person=replace(visitor().person, date_of_birth=date(1981, 1, 1))))
    assert removed["outcome"] == refused["outcome"] == "refused"
    assert check_passenger(registry, CARRIER, _query("FR300001")) == {
        "answer": "not_ok_to_board", "reason_codes": ["contact_border_authority"]}
    assert _checks(registry)[0].detail["grounds"] == ["removal_bar"]
    assert check_passenger(registry, CARRIER, _query(
        "FR300002", date_of_birth=date(1981, 1, 1)))["answer"] == "ok_to_board"
