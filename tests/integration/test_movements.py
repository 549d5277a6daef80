"""Arrivals and departures through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from integration.helpers import (
    DEPARTURE,
    PRIMARY,
    SECONDARY,
    audit_actions,
    count,
    departure,
    iranian,
    visitor,
)
from nseers.core.errors import ConflictError, IdempotencyKeyReusedError, InvalidInputError
from nseers.core.identifiers import is_valid_check_digit
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.people import Person
from nseers.registry.registrations import Obligation, SpecialRegistration, Violation
from nseers.services.context import Registry
from nseers.services.movements import (
    ArrivalInspection,
    ingest,
    inspect_arrival,
    record_departure,
)


def test_a_registrant_admitted_at_a_port_gets_a_fin_obligations_and_an_i94(
        registry: Registry) -> None:
    answer = inspect_arrival(registry, SECONDARY, iranian())
    assert answer["outcome"] == "admitted"
    assert answer["determinations"]["special_registration"]["outcome"] == "required"
    assert is_valid_check_digit(answer["fin"])
    assert answer["i94_number"][9] == "A"
    assert count(registry, SpecialRegistration) == 1
    assert count(registry, I94Record) == 1
    with registry.sessions() as session:
        kinds = {o.kind: o for o in session.query(Obligation)}
    assert kinds["thirty_day_report"].window_start == date(2003, 7, 15)
    assert kinds["thirty_day_report"].window_end == date(2003, 7, 25)
    assert {"departure_report", "change_notice", "annual_report"} <= set(kinds)
    assert audit_actions(registry) == ["arrival.inspect"]


def test_an_ordinary_visitor_gets_an_i94_and_no_registration(registry: Registry) -> None:
    answer = inspect_arrival(registry, PRIMARY, visitor())
    assert answer["fin"] is None
    assert answer["i94_number"] is not None
    assert count(registry, SpecialRegistration) == 0


def test_a_replayed_arrival_returns_the_first_answer_and_records_nothing_twice(
        registry: Registry) -> None:
    command = iranian(idempotency_key="counter-7-0001")
    first = inspect_arrival(registry, SECONDARY, command)
    again = inspect_arrival(registry, SECONDARY, command)
    assert again["replayed"] is True
    assert again["fin"] == first["fin"]
    assert again["encounter_id"] == first["encounter_id"]
    assert count(registry, Encounter) == 1
    assert count(registry, SpecialRegistration) == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, iranian(idempotency_key="k"))
    with pytest.raises(IdempotencyKeyReusedError):
        inspect_arrival(registry, SECONDARY, visitor(idempotency_key="k"))
    assert count(registry, Encounter) == 1


def test_admitting_a_registrant_without_the_sworn_answers_names_the_field_and_writes_nothing(
        registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as raised:
        inspect_arrival(registry, SECONDARY, iranian(answers=None))
    assert [p.path for p in raised.value.problems] == ["answers"]
    assert count(registry, Person) == 0
    assert audit_actions(registry) == []


def test_bad_facts_are_all_named_at_once(registry: Registry) -> None:
    command = iranian(decision="refuse", refusal_reason=" ",
                      person=replace(iranian().person, sex="Q", citizenships=("Iran",)))
    with pytest.raises(InvalidInputError) as raised:
        inspect_arrival(registry, SECONDARY, command)
    assert {p.path for p in raised.value.problems} == {
        "person.sex", "person.citizenships[0]", "refusal_reason"}


def test_a_primary_officer_must_refer_a_registrant_to_secondary(registry: Registry) -> None:
    with pytest.raises(ConflictError) as raised:
        inspect_arrival(registry, PRIMARY, iranian())
    assert raised.value.code == "secondary_inspection_required"
    referred = inspect_arrival(registry, PRIMARY, iranian(decision="refer"))
    assert referred["outcome"] == "referred"
    assert referred["fin"] is None


def test_a_departure_reported_in_person_at_a_designated_port_is_compliant(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    answer = record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-08-01"))
    assert answer["compliance"] == "compliant"
    assert answer["i94_surrendered"] == arrival["i94_number"]
    assert count(registry, Violation) == 0


def test_a_departure_without_the_in_person_report_is_recorded_as_a_violation(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    answer = record_departure(registry, DEPARTURE,
                              departure(arrival["fin"], "2003-08-01", reported=False))
    assert answer["compliance"] == "non_compliant"
    assert answer["violation_id"] is not None
    with registry.sessions() as session:
        violation = session.get(Violation, answer["violation_id"])
        assert violation is not None
        assert violation.willfulness == "unassessed"
        assert violation.obligation_id is not None


def test_departing_a_person_with_no_arrival_is_refused_and_nothing_is_written(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-08-01"))
    encounters = count(registry, Encounter)
    with pytest.raises(ConflictError) as raised:
        record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-08-02"))
    assert raised.value.code == "no_open_arrival"
    assert count(registry, Encounter) == encounters


def test_a_batch_with_one_bad_command_records_nothing_and_names_the_command(
        registry: Registry) -> None:
    commands = [visitor("A0000001"), visitor("A0000002"),
                visitor("A0000003", admission_class=None), visitor("A0000004")]
    with pytest.raises(InvalidInputError) as raised:
        ingest(registry, PRIMARY, commands)
    assert [p.path for p in raised.value.problems] == ["[2].admission_class"]
    assert count(registry, Encounter) == 0
    assert count(registry, Person) == 0


def test_a_batch_can_arrive_and_depart_the_same_new_person(registry: Registry) -> None:
    from nseers.core.actors import SYSTEM_ACTOR  # noqa: PLC0415

    arrival = iranian("Z9999999")
    leave = departure(None, "2003-08-01", documents=arrival.documents[:1])
    answers = ingest(registry, SYSTEM_ACTOR, [visitor(), arrival, leave])
    assert answers[2]["compliance"] == "compliant"
    assert answers[2]["fin"] == answers[1]["fin"]
    assert answers[1]["person_id"] == answers[2]["person_id"]
    assert count(registry, Person) == 2


def test_a_returning_traveller_is_found_by_passport(registry: Registry) -> None:
    first = inspect_arrival(registry, PRIMARY, visitor())
    record_departure(registry, DEPARTURE, departure(None, "2010-05-01", port="IAD",
                                                    reported=False,
                                                    documents=visitor().documents))
    again = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=visitor().occurred_at.replace(year=2011), admit_until=date(2011, 9, 1)))
    assert again["person_id"] == first["person_id"]
    assert count(registry, Person) == 1


def test_a_large_batch_leaves_few_fins_unused(registry: Registry) -> None:
    # A batch reserves FINs in blocks that start small and double; reserving the most a
    # batch of 64 arrivals could need (32) for its one registrant left 31 numbers unused.
    from nseers.core.actors import SYSTEM_ACTOR  # noqa: PLC0415

    travellers = [visitor(f"P{7000000 + n}") for n in range(63)]
    def registrant(number: str) -> ArrivalInspection:
        command = iranian(f"X{number}")
        return replace(command, documents=(command.documents[0], replace(
            command.documents[1], number=number)))

    first = ingest(registry, SYSTEM_ACTOR, [*travellers, registrant("10000001")])[-1]["fin"]
    second = ingest(registry, SYSTEM_ACTOR, [registrant("10000002")])[0]["fin"]
    unused = int(second[:10]) - int(first[:10]) - 1
    assert 0 <= unused < 16


def test_the_ids_a_batch_reserves_are_its_tables_own_and_taken_for_good(
        registry: Registry) -> None:
    # On PostgreSQL a batch reserves its ids from each table's sequence in one statement
    # (the sequence named once per statement, issue 18): were they drawn from any other
    # sequence, or not drawn at all, the next row given an id by the table's own default
    # would collide with one of the batch's.
    from sqlalchemy import text  # noqa: PLC0415

    from nseers.core.actors import SYSTEM_ACTOR  # noqa: PLC0415

    arrival = iranian("Z9999998")
    leave = departure(None, "2003-08-01", reported=False, documents=arrival.documents[:1])
    ingest(registry, SYSTEM_ACTOR, [*(visitor(f"P{7100000 + n}") for n in range(40)),
                                    arrival, leave])
    tables = ("persons", "person_names", "travel_documents", "encounters", "i94_records",
              "special_registrations", "obligations", "violations")
    with registry.database.begin() as connection:
        highest = {t: connection.execute(text(f"SELECT max(id) FROM {t}")).scalar_one()  # noqa: S608 - fixed names
                   for t in tables}
        assert all(highest.values())
        if registry.dialect == "postgresql":
            drawn = {t: connection.execute(text(
                f"SELECT nextval(pg_get_serial_sequence('{t}', 'id'))")).scalar_one()
                for t in tables}
            assert all(drawn[t] > highest[t] for t in tables), (drawn, highest)
    again = ingest(registry, SYSTEM_ACTOR, [visitor("P7200000")])[0]
    assert again["encounter_id"] > highest["encounters"]
    assert again["person_id"] > highest["persons"]


def test_a_batch_is_recorded_with_the_collector_held_off_and_given_back(
        registry: Registry) -> None:
    import gc  # noqa: PLC0415

    from nseers.core.actors import SYSTEM_ACTOR  # noqa: PLC0415

    assert gc.isenabled()
    during: list[bool] = []
    ingest(registry, SYSTEM_ACTOR, [visitor("P7300000"), visitor("P7300001")],
           also=lambda _uow, _answers: during.append(gc.isenabled()))
    assert during == [False]
    assert gc.isenabled()
    with pytest.raises(InvalidInputError):
        ingest(registry, SYSTEM_ACTOR, [visitor("P7300002"),
                                        visitor("P7300003", admission_class=None)])
    assert gc.isenabled()
