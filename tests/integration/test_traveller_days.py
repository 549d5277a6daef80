"""The traveller's own days on SQLite and PostgreSQL: a one-time code sent to the contact
on record (hashed, short-lived, single-use, attempt-limited, never telling who exists),
every I-94 with its days and departure evidence, and reminders sent once."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine as DatabaseEngine

from integration.conftest import NOW
from integration.helpers import PRIMARY, at, audit_actions, count, visitor
from integration.smtp_server import smtp_server
from nseers.core.actors import SYSTEM_ACTOR, Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from nseers.db.audit import AuditEntry
from nseers.demo.traveller_days import load_traveller_days
from nseers.registry.i94 import I94Record
from nseers.registry.people import Person
from nseers.registry.traveller_days import OneTimeCode, ReminderSent, TravellerContact
from nseers.rules.engine import Engine
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.i68 import I68ApplicationCommand, I68MemberFacts, file_i68
from nseers.services.mail import FileOutbox, SmtpSender
from nseers.services.movements import DepartureRecord, inspect_arrival, record_departure
from nseers.services.traveller_days import (
    CODE_SENT,
    CodeAnswer,
    CodeRequest,
    my_days,
    request_code,
    send_reminders,
    verify_code,
)

TRAVELLER = Actor("anonymous", Role.TRAVELLER)
EMAIL = "anne.muller@example.org"
DETAILS = CodeRequest("Muller", "ANNE", date(1980, 2, 2), "p7654321", client="203.0.113.9")


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def registry(database: DatabaseEngine, engine: Engine, clock: Clock,
             tmp_path: Path) -> Registry:
    return Registry(database=database, rules=engine, clock=clock,
                    sender=FileOutbox(tmp_path / "outbox"))


def outbox(registry: Registry) -> list[Path]:
    assert isinstance(registry.sender, FileOutbox)
    return sorted(registry.sender.directory.glob("*.eml"))


def code_in(path: Path) -> str:
    text = message_from_bytes(path.read_bytes()).get_payload()
    assert isinstance(text, str)
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None
    return found.group(1)


def two_trips(registry: Registry) -> dict[str, Any]:
    """A spring trip closed by a departure, and an arrival this month still open."""
    first = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2026-03-01"), admit_until=date(2026, 8, 31), contact_email=EMAIL))
    left = record_departure(registry, Actor("d", Role.DEPARTURE_OFFICER), DepartureRecord(
        "JFK", at("2026-04-10", 18), documents=(DocumentFacts("passport", "P7654321", "FRA"),)))
    second = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2026-11-01"), admit_until=date(2027, 1, 31)))
    return {"first": first, "departure": left, "second": second}


def test_a_traveller_gets_a_code_by_email_and_sees_every_i94_and_their_days(
        registry: Registry) -> None:
    trips = two_trips(registry)
    sent = request_code(registry, TRAVELLER, DETAILS)
    assert sent["message"] == CODE_SENT
    assert sent["expires_in_minutes"] == 10
    [mail] = outbox(registry)
    assert message_from_bytes(mail.read_bytes())["To"] == EMAIL
    days = verify_code(registry, TRAVELLER, CodeAnswer(sent["challenge"], code_in(mail)))
    assert days["as_of"] == "2026-11-24"
    latest, earlier = days["i94s"]
    assert latest["number"] == trips["second"]["i94_number"] == days["latest_i94"]["number"]
    assert latest["open"]
    assert latest["closed_by"] is None
    assert (latest["standing"]["standing"], latest["standing"]["days_remaining"]) == (
        "within", 68)
    assert latest["standing"]["reasons"][0]["rule"] == "stay.admit_until"
    # The spring I-94 is closed by the departure record that surrendered it.
    assert not earlier["open"]
    assert earlier["standing"] is None
    assert earlier["closed_by"]["record"] == trips["departure"]["encounter_id"]
    assert earlier["closed_by"]["date"] == "2026-04-10"
    assert [i["number"] for i in days["open_admissions"]] == [latest["number"]]
    assert [(t["kind"], t["date"]) for t in days["travel_history"]] == [
        ("arrival", "2026-11-01"), ("departure", "2026-04-10"), ("arrival", "2026-03-01")]
    assert days["stays"] == [{"entered_on": "2026-03-01", "left_on": "2026-04-10"},
                             {"entered_on": "2026-11-01", "left_on": None}]
    # EES overlay: the window 2026-05-29..2026-11-24 holds only this month's 24 days.
    assert days["ees_overlay"]["days_used"] == 24
    assert len(days["ees_overlay"]["days"]) == 180


def test_nothing_matched_no_contact_or_another_address_all_answer_the_same_and_send_nothing(
        registry: Registry) -> None:
    inspect_arrival(registry, PRIMARY, visitor(occurred_at=at("2026-11-01"),
                                               admit_until=date(2027, 1, 31)))
    answers = [request_code(registry, TRAVELLER, DETAILS),  # no contact on record
               request_code(registry, TRAVELLER, CodeRequest(
                   "Nobody", "", date(1980, 2, 2), "P7654321"))]
    inspect_arrival(registry, PRIMARY, visitor(occurred_at=at("2026-11-02"),
                                               admit_until=date(2027, 1, 31),
                                               contact_email=EMAIL))
    answers.append(request_code(registry, TRAVELLER, CodeRequest(
        "Muller", "Anne", date(1980, 2, 2), "P7654321", email="someone@else.example")))
    assert {(a["message"], a["expires_in_minutes"]) for a in answers} == {(CODE_SENT, 10)}
    assert len({a["challenge"] for a in answers}) == 3
    assert outbox(registry) == []
    assert count(registry, OneTimeCode) == 0
    with registry.sessions() as session:
        outcomes = [e.detail["outcome"] for e in session.execute(select(AuditEntry).where(
            AuditEntry.action == "self_service.code_requested").order_by(AuditEntry.seq)
        ).scalars()]
    assert outcomes == ["no_contact", "no_match", "contact_mismatch"]
    # The right address typed (in any case) does get a code.
    request_code(registry, TRAVELLER, CodeRequest("Muller", "Anne", date(1980, 2, 2),
                                                  "P7654321", email=EMAIL.upper()))
    assert len(outbox(registry)) == 1


def test_the_code_is_stored_only_as_a_salted_hash(registry: Registry) -> None:
    two_trips(registry)
    request_code(registry, TRAVELLER, DETAILS)
    code = code_in(outbox(registry)[0])
    with registry.sessions() as session:
        row = session.execute(select(OneTimeCode)).scalar_one()
        stored = [str(getattr(row, c.key)) for c in OneTimeCode.__table__.columns]
    assert not any(code in value for value in stored)
    assert len(row.code_hash) == 64
    assert len(row.salt) == 32


def test_a_code_works_once(registry: Registry) -> None:
    two_trips(registry)
    sent = request_code(registry, TRAVELLER, DETAILS)
    answer = CodeAnswer(sent["challenge"], code_in(outbox(registry)[0]))
    verify_code(registry, TRAVELLER, answer)
    with pytest.raises(InvalidInputError) as refused:
        verify_code(registry, TRAVELLER, answer)
    assert refused.value.problems[0].path == "code"


def test_a_code_expires_after_its_lifetime(registry: Registry, clock: Clock) -> None:
    two_trips(registry)
    sent = request_code(registry, TRAVELLER, DETAILS)
    clock.now += timedelta(minutes=10)
    with pytest.raises(InvalidInputError):
        verify_code(registry, TRAVELLER, CodeAnswer(sent["challenge"],
                                                    code_in(outbox(registry)[0])))


def test_five_wrong_answers_end_the_code_even_for_the_right_one_after(
        registry: Registry) -> None:
    two_trips(registry)
    sent = request_code(registry, TRAVELLER, DETAILS)
    code = code_in(outbox(registry)[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(InvalidInputError):
            verify_code(registry, TRAVELLER, CodeAnswer(sent["challenge"], wrong))
    with registry.sessions() as session:
        assert session.execute(select(OneTimeCode.attempts)).scalar_one() == 5
    with pytest.raises(InvalidInputError):
        verify_code(registry, TRAVELLER, CodeAnswer(sent["challenge"], code))
    refusals = [a for a in audit_actions(registry) if a == "self_service.code_refused"]
    assert len(refusals) == 6
    assert "self_service.days_viewed" not in audit_actions(registry)


def test_an_unknown_challenge_gets_the_same_refusal_as_a_wrong_code(
        registry: Registry) -> None:
    two_trips(registry)
    sent = request_code(registry, TRAVELLER, DETAILS)
    wrong = f"{(int(code_in(outbox(registry)[0])) + 1) % 1_000_000:06d}"
    errors = []
    for challenge in ("made-up", sent["challenge"]):
        with pytest.raises(InvalidInputError) as refused:
            verify_code(registry, TRAVELLER, CodeAnswer(challenge, wrong))
        errors.append(str(refused.value))
    assert errors[0] == errors[1]


def test_a_malformed_contact_email_refuses_the_inspection_and_records_nothing(
        registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as refused:
        inspect_arrival(registry, PRIMARY, visitor(contact_email="not an address"))
    assert refused.value.problems[0].path == "contact_email"
    assert count(registry, Person) == 0
    assert count(registry, TravellerContact) == 0


def test_a_later_inspection_replaces_the_contact_and_says_so_in_the_audit(
        registry: Registry) -> None:
    inspect_arrival(registry, PRIMARY, visitor(contact_email=EMAIL))
    inspect_arrival(registry, PRIMARY, visitor(occurred_at=at("2011-01-01"),
                                               admit_until=date(2011, 6, 1),
                                               contact_email="New@Example.org"))
    with registry.sessions() as session:
        contact = session.execute(select(TravellerContact)).scalar_one()
    assert (contact.email, contact.captured_on_form, contact.captured_by) == (
        "new@example.org", "inspection", "p.officer")
    assert audit_actions(registry).count("person.contact_recorded") == 2


def test_reminders_are_sent_once_at_each_point_and_a_missed_point_is_superseded(
        registry: Registry) -> None:
    two_trips(registry)  # admitted until 2027-01-31
    assert send_reminders(registry, SYSTEM_ACTOR, date(2026, 12, 31))["sent"] == []
    first = send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 1))
    assert [(s["days_before"], s["admit_until"]) for s in first["sent"]] == [
        (30, "2027-01-31")]
    assert send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 1))["sent"] == []
    assert send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 5))["sent"] == []
    # The job did not run for the 7-day point; on the 1-day point one message goes out.
    last = send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 30))
    assert [s["days_before"] for s in last["sent"]] == [1]
    assert last["superseded"] == 1
    assert len(outbox(registry)) == 2
    with registry.sessions() as session:
        rows = sorted((r.days_before, r.outcome) for r in session.execute(
            select(ReminderSent)).scalars())
    assert rows == [(1, "sent"), (7, "superseded"), (30, "sent")]
    assert audit_actions(registry).count("traveller.reminder_sent") == 2
    assert send_reminders(registry, SYSTEM_ACTOR, date(2027, 2, 1))["sent"] == []


def test_a_reminder_whose_delivery_fails_is_not_recorded_and_goes_out_on_the_next_run(
        registry: Registry, tmp_path: Path) -> None:
    two_trips(registry)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the outbox should be")
    working = registry.sender
    registry.sender = FileOutbox(blocked)
    with pytest.raises(OSError, match="not-a-directory"):
        send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 1))
    assert count(registry, ReminderSent) == 0
    assert "traveller.reminder_sent" not in audit_actions(registry)
    registry.sender = working
    assert len(send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 1))["sent"]) == 1


def test_reminders_and_codes_go_through_a_real_smtp_server(registry: Registry) -> None:
    two_trips(registry)
    with smtp_server() as mailbox:
        registry.sender = SmtpSender("127.0.0.1", mailbox.port, "portal@nseers.example")
        send_reminders(registry, SYSTEM_ACTOR, date(2027, 1, 1))
        request_code(registry, TRAVELLER, DETAILS)
    assert [m.recipients for m in mailbox.messages] == [[EMAIL], [EMAIL]]
    assert "2027-01-31" in str(mailbox.messages[0].message["Subject"])


def test_a_departed_traveller_gets_no_reminder(registry: Registry) -> None:
    inspect_arrival(registry, PRIMARY, visitor(occurred_at=at("2026-11-01"),
                                               admit_until=date(2026, 12, 20),
                                               contact_email=EMAIL))
    record_departure(registry, Actor("d", Role.DEPARTURE_OFFICER), DepartureRecord(
        "JFK", at("2026-11-20", 18), documents=(DocumentFacts("passport", "P7654321", "FRA"),)))
    assert send_reminders(registry, SYSTEM_ACTOR, date(2026, 12, 19))["sent"] == []


def test_the_demo_traveller_has_a_closed_and_an_open_i94_and_loads_once(
        registry: Registry, clock: Clock) -> None:
    demo = load_traveller_days(registry)
    clock.now += timedelta(days=3)
    load_traveller_days(registry)  # another day: refused as reused keys, nothing added
    assert count(registry, I94Record) == 2
    sent = request_code(registry, TRAVELLER, CodeRequest(
        demo.surname, demo.given_names, demo.date_of_birth, demo.document_number))
    [mail] = outbox(registry)
    days = verify_code(registry, TRAVELLER, CodeAnswer(sent["challenge"], code_in(mail)))
    assert [i["open"] for i in days["i94s"]] == [True, False]
    assert days["open_admissions"][0]["standing"]["days_remaining"] == 21
    assert len(send_reminders(registry, SYSTEM_ACTOR, clock.now.date())["sent"]) == 1


def test_a_traveller_account_linked_once_with_a_code_then_needs_no_code(
        registry: Registry) -> None:
    two_trips(registry)
    account = Actor("anne", Role.TRAVELLER)
    with pytest.raises(NotFoundError):
        my_days(registry, account)
    sent = request_code(registry, account, DETAILS)
    verify_code(registry, account, CodeAnswer(sent["challenge"], code_in(outbox(registry)[0])),
                link_account=True)
    days = my_days(registry, account)
    assert len(days["i94s"]) == 2
    assert my_days(registry, account) == days
    with pytest.raises(NotFoundError):
        my_days(registry, Actor("someone-else", Role.TRAVELLER))
    with registry.sessions() as session:
        vias = [e.detail["via"] for e in session.execute(select(AuditEntry).where(
            AuditEntry.action == "self_service.days_viewed").order_by(AuditEntry.seq)
        ).scalars()]
    assert vias == ["account", "code", "account", "account", "account"]
    assert "self_service.account_linked" in audit_actions(registry)


def test_only_a_traveller_account_may_be_linked_or_find_its_own_days(
        registry: Registry) -> None:
    with pytest.raises(NotFoundError):
        my_days(registry, PRIMARY)
    with pytest.raises(ForbiddenError):
        verify_code(registry, SYSTEM_ACTOR, CodeAnswer("x", "123456"), link_account=True)


def test_an_officer_filing_an_i68_keeps_the_principal_contact_and_a_traveller_cannot(
        registry: Registry) -> None:
    def family(number: str, email: str) -> I68ApplicationCommand:
        principal = I68MemberFacts(
            PersonFacts(surname="TREMBLAY", given_names="LUC", date_of_birth=date(1970, 1, 1),
                        citizenships=("CAN",)),
            "principal", documents=(DocumentFacts("passport", number, "CAN"),))
        return I68ApplicationCommand("BLAINE", date(2026, 5, 1), (principal,),
                                     contact_email=email)

    file_i68(registry, PRIMARY, family("CA1", "luc@example.ca"))
    file_i68(registry, TRAVELLER, family("CA2", "someone@example.org"))
    with registry.sessions() as session:
        contacts = [(c.email, c.captured_on_form) for c in session.execute(
            select(TravellerContact)).scalars()]
    assert contacts == [("luc@example.ca", "i68")]


def test_while_three_codes_are_open_a_fourth_request_sends_nothing(registry: Registry) -> None:
    two_trips(registry)
    answers = [request_code(registry, TRAVELLER, DETAILS) for _ in range(4)]
    assert len({a["message"] for a in answers}) == 1
    assert len(outbox(registry)) == 3
    assert count(registry, OneTimeCode) == 3
    with registry.sessions() as session:
        last = session.execute(select(AuditEntry).where(
            AuditEntry.action == "self_service.code_requested").order_by(
            AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert last.detail["outcome"] == "throttled"


def test_a_code_that_cannot_be_delivered_is_not_stored_and_the_answer_is_the_same(
        registry: Registry, tmp_path: Path) -> None:
    two_trips(registry)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the outbox should be")
    registry.sender = FileOutbox(blocked)
    answer = request_code(registry, TRAVELLER, DETAILS)
    assert answer["message"] == CODE_SENT
    assert count(registry, OneTimeCode) == 0
    with registry.sessions() as session:
        outcome = session.execute(select(AuditEntry.detail).where(
            AuditEntry.action == "self_service.code_requested")).scalar_one()["outcome"]
    assert outcome == "send_failed"


def test_two_requests_racing_with_the_right_code_do_not_both_see_the_days(
        registry: Registry) -> None:
    two_trips(registry)
    sent = request_code(registry, TRAVELLER, DETAILS)
    answer = CodeAnswer(sent["challenge"], code_in(outbox(registry)[0]))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            verify_code(registry, TRAVELLER, answer)
            outcomes.append("shown")
        except (InvalidInputError, ConflictError):
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "shown"]
    assert audit_actions(registry).count("self_service.days_viewed") == 1
