"""Retention runs, erasure and legal holds on SQLite and PostgreSQL (issue 17, EES Art. 34).

The files: a registrant who left in 2003 (due under the entry/exit rule), a visitor who
never left after a stay that ended in 2015 (the overstay rule, with its notice first), a
person refused entry in 2020, a visitor under a legal hold, a recent traveller and a
student admitted for the duration of status (neither is due).
"""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from integration.helpers import (
    AUDITOR,
    DEPARTURE,
    DIRECTOR,
    SECONDARY,
    at,
    departure,
    iranian,
    visitor,
)
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from nseers.db.audit import AuditEntry
from nseers.db.base import Base
from nseers.registry.biometrics import BiometricRecord
from nseers.registry.people import Person
from nseers.registry.retention import AnonymousMovementCount, LegalHold, RetentionNotice
from nseers.services import erasure
from nseers.services.audit import verify_audit
from nseers.services.context import Registry
from nseers.services.erasure import (
    FileOutbox,
    anonymous_movements,
    erased_movements_by_month,
    retention_plan,
    run_retention,
)
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.legal_holds import PlaceHold, ReleaseHold, list_holds, place_hold, release_hold
from nseers.services.movements import DepartureRecord, inspect_arrival, record_departure

ADMIN = Actor("admin", Role.ADMINISTRATOR)
ANALYST = Actor("analyst", Role.ANALYST)


def _person(surname: str, given: str, born: date, country: str) -> PersonFacts:
    return PersonFacts(surname=surname, given_names=given, date_of_birth=born, sex="F",
                       citizenships=(country,))


def _leave(registry: Registry, person_id: int, day: str, port: str = "IAD") -> None:
    record_departure(registry, DEPARTURE, DepartureRecord(
        port_code=port, occurred_at=at(day, 18), person_id=person_id))


def _population(registry: Registry) -> dict[str, Any]:
    registrant = inspect_arrival(registry, SECONDARY, iranian("X1234567"))
    record_departure(registry, DEPARTURE, departure(registrant["fin"], "2003-11-01"))
    with registry.sessions() as session:
        session.add(BiometricRecord(
            ref="r" * 32, person_id=registrant["person_id"], modality="face",
            finger_position=None, model="dlib", quality=0.9, template_sealed=b"sealed-t",
            image_sealed=b"sealed-i", source="upload", captured_at=at("2003-06-15"),
            officer="s.officer", retain_until=date(2078, 6, 15)))
        session.commit()
    overstayer = inspect_arrival(registry, SECONDARY, visitor(
        "P1000001", occurred_at=at("2015-01-05"), admit_until=date(2015, 6, 30),
        person=_person("OVERSTAY", "Olga", date(1985, 3, 3), "DEU")))
    refused = inspect_arrival(registry, SECONDARY, visitor(
        "P1000002", occurred_at=at("2020-01-10"), decision="refuse", admission_class=None,
        admit_until=None, refusal_reason="212(a)(7)(A)(i)(I): no valid visa",
        person=_person("REFUSED", "Rita", date(1990, 4, 4), "ITA")))
    held = inspect_arrival(registry, SECONDARY, visitor(
        "P1000003", occurred_at=at("2011-02-01"), admit_until=date(2011, 8, 1),
        person=_person("HELD", "Hanna", date(1975, 5, 5), "FRA")))
    _leave(registry, held["person_id"], "2011-03-01")
    recent = inspect_arrival(registry, SECONDARY, visitor(
        "P1000004", occurred_at=at("2024-12-01"), admit_until=date(2025, 5, 31),
        person=_person("RECENT", "Rosa", date(1995, 6, 6), "ESP")))
    _leave(registry, recent["person_id"], "2025-01-01")
    student = inspect_arrival(registry, SECONDARY, visitor(
        "P1000005", occurred_at=at("2012-08-20"), admission_class="F1", admit_until=None,
        duration_of_status=True,
        documents=(DocumentFacts("passport", "P1000005", "FRA"),
                   DocumentFacts("visa", "87654321", "USA", "F1")),
        person=_person("STUDENT", "Sara", date(1994, 7, 7), "FRA")))
    hold = place_hold(registry, DIRECTOR, PlaceHold(
        held["person_id"], "pending litigation over the 2011 admission", "USDC-SDNY 24-cv-101"))
    return {"registrant": registrant, "overstayer": overstayer, "refused": refused,
            "held": held, "recent": recent, "student": student, "hold": hold}


def _statuses(plan: dict[str, Any]) -> dict[int, tuple[str, str]]:
    return {e["person_id"]: (e["status"], e["rule"])
            for group in plan["rules"] for e in group["entries"]}


def _rows_of(registry: Registry, person_id: int) -> dict[str, int]:
    """Rows in every table with a person column (foreign key or not) for ``person_id``."""
    found = {}
    with registry.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                points_at_persons = any(fk.column.table.name == "persons"
                                        for fk in column.foreign_keys)
                if (table.name == "persons" and column.name == "id") or points_at_persons \
                        or (column.name.endswith("person_id") and table.name != "audit_entries"):
                    number = session.execute(select(func.count()).select_from(table)
                                             .where(column == person_id)).scalar_one()
                    if number:
                        found[f"{table.name}.{column.name}"] = number
    return found


def _everything_but_the_audit(registry: Registry) -> str:
    with registry.sessions() as session:
        dump = []
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_entries":
                continue
            dump.extend(repr(tuple(row)) for row in session.execute(select(table)))
    return "\n".join(dump)


def test_nothing_is_due_before_the_overlay_takes_effect(registry: Registry) -> None:
    _population(registry)
    plan = retention_plan(registry, ADMIN, date(2025, 10, 11))
    assert plan["rules"] == []
    assert _statuses(retention_plan(registry, ADMIN, date(2025, 10, 12)))


def test_the_dry_run_lists_each_file_by_rule_and_shows_the_held_one_as_held(
        registry: Registry) -> None:
    people = _population(registry)
    plan = retention_plan(registry, ADMIN, date(2026, 1, 15))
    statuses = _statuses(plan)
    assert statuses == {
        people["registrant"]["person_id"]: ("due", "retention.ees_entry_exit"),
        people["overstayer"]["person_id"]: ("notice", "retention.ees_overstay"),
        people["refused"]["person_id"]: ("due", "retention.ees_refusal"),
        people["held"]["person_id"]: ("held", "retention.ees_entry_exit"),
    }
    entry = next(e for g in plan["rules"] for e in g["entries"]
                 if e["person_id"] == people["registrant"]["person_id"])
    # 3 years and 1 day after the exit of 2003-11-01, cited and explained.
    assert entry["due_on"] == "2006-11-02"
    assert entry["citation"] == "Regulation (EU) 2017/2226 Art. 34(1)-(2)"
    assert entry["values"] == {"years": 3, "days": 1, "notice_months": None, "notify": []}
    assert entry["effective"] == "2025-10-12"
    held = next(e for g in plan["rules"] for e in g["entries"] if e["status"] == "held")
    assert held["holds"] == ["USDC-SDNY 24-cv-101"]
    assert plan["counts"] == {"due": 2, "notice": 1, "notified": 0, "held": 1}
    # A dry run changes nothing.
    assert _rows_of(registry, people["registrant"]["person_id"])


def test_a_run_erases_every_trace_of_a_due_file_and_keeps_anonymous_counts(
        registry: Registry, tmp_path: Path) -> None:
    people = _population(registry)
    registrant = people["registrant"]["person_id"]
    before = _rows_of(registry, registrant)
    assert {"special_registrations.person_id", "biometric_records.person_id",
            "encounters.person_id", "i94_records.person_id"} <= set(before)
    with registry.sessions() as session:
        i94 = session.execute(text("SELECT number FROM i94_records WHERE person_id = :p"),
                              {"p": registrant}).scalar_one()
    answer = run_retention(registry, ADMIN, date(2026, 1, 15), apply=True,
                           sender=FileOutbox(tmp_path / "outbox"))
    assert sorted(answer["erased"]) == sorted([registrant, people["refused"]["person_id"]])
    assert answer["noticed"] == [people["overstayer"]["person_id"]]
    assert _rows_of(registry, registrant) == {}
    assert _rows_of(registry, people["refused"]["person_id"]) == {}
    text_left = _everything_but_the_audit(registry)
    for trace in ("AHMADI", "احمدی", "X1234567", "12345678", "1970-05-01", "1 Main St",
                  people["registrant"]["fin"], i94, "sealed-t", "REFUSED", "P1000002",
                  "no valid visa"):
        assert trace not in text_left
    # The held, the recent, the student and the overstayer (only noticed) are untouched.
    for name in ("held", "recent", "student", "overstayer"):
        assert "persons.id" in _rows_of(registry, people[name]["person_id"])
    assert "HELD" in text_left
    counts = {(c["month"], c["port"], c["kind"], c["admission_class"], c["nationality"]):
              c["count"] for c in anonymous_movements(registry, ANALYST)}
    assert counts == {("2003-06", "JFK", "arrival", "B2", "IRN"): 1,
                      ("2003-11", "JFK", "departure", "B2", "IRN"): 1,
                      ("2020-01", "IAD", "refusal", None, "ITA"): 1}
    # The audit trail still verifies, and says what went under which rule, not what it was.
    assert verify_audit(registry, AUDITOR).intact
    with registry.sessions() as session:
        erasures = session.execute(select(AuditEntry).where(
            AuditEntry.action == "retention.erase").order_by(AuditEntry.seq)).scalars().all()
    entry = next(e for e in erasures if e.person_id == registrant)
    assert entry.detail["rule"] == "retention.ees_entry_exit"
    assert entry.detail["erased"]["biometric_records"] == 1
    assert entry.detail["erased"]["persons"] == 1
    written = json.dumps([e.detail for e in erasures], ensure_ascii=False)
    for trace in ("AHMADI", "X1234567", "1970-05-01", "2003-11-01", i94):
        assert trace not in written
    # The notice went to the outbox, naming the person by id only.
    (notice_file,) = (tmp_path / "outbox").iterdir()
    notice = json.loads(notice_file.read_text(encoding="utf-8"))
    assert notice["person_id"] == people["overstayer"]["person_id"]
    assert notice["recipients"] == ["authority", "person"]
    assert notice["scheduled_erasure"] == "2026-04-15"
    assert "OVERSTAY" not in notice_file.read_text(encoding="utf-8")


def test_a_second_run_on_the_same_day_does_nothing_more(registry: Registry) -> None:
    _population(registry)
    run_retention(registry, ADMIN, date(2026, 1, 15), apply=True)
    with registry.sessions() as session:
        stats = sorted((r.month, r.kind, r.count) for r in
                       session.execute(select(AnonymousMovementCount)).scalars())
        notices = session.execute(select(func.count()).select_from(RetentionNotice)).scalar_one()
    again = run_retention(registry, ADMIN, date(2026, 1, 15), apply=True)
    assert again["erased"] == []
    assert again["noticed"] == []
    with registry.sessions() as session:
        assert sorted((r.month, r.kind, r.count) for r in session.execute(
            select(AnonymousMovementCount)).scalars()) == stats
        assert session.execute(select(func.count()).select_from(RetentionNotice)
                               ).scalar_one() == notices == 1
    assert verify_audit(registry, AUDITOR).intact


def test_an_overstayer_is_erased_only_the_notice_period_after_the_notice(
        registry: Registry) -> None:
    people = _population(registry)
    overstayer = people["overstayer"]["person_id"]
    run_retention(registry, ADMIN, date(2026, 1, 15), apply=True)
    waiting = run_retention(registry, ADMIN, date(2026, 4, 14), apply=True)
    assert _statuses(waiting)[overstayer] == ("notified", "retention.ees_overstay")
    assert overstayer not in waiting["erased"]
    done = run_retention(registry, ADMIN, date(2026, 4, 15), apply=True)
    assert done["erased"] == [overstayer]
    assert _rows_of(registry, overstayer) == {}


def test_a_hold_stops_erasure_until_it_is_released(registry: Registry) -> None:
    people = _population(registry)
    held = people["held"]["person_id"]
    run_retention(registry, ADMIN, date(2026, 1, 15), apply=True)
    assert "persons.id" in _rows_of(registry, held)
    assert [h["person_id"] for h in list_holds(registry, DIRECTOR)] == [held]
    release_hold(registry, DIRECTOR, ReleaseHold(people["hold"]["hold_id"], "case closed"))
    with pytest.raises(ConflictError, match="was released"):
        release_hold(registry, DIRECTOR, ReleaseHold(people["hold"]["hold_id"], "again"))
    assert list_holds(registry, DIRECTOR) == []
    answer = run_retention(registry, ADMIN, date(2026, 1, 16), apply=True)
    assert answer["erased"] == [held]
    with registry.sessions() as session:  # the released hold went with the file
        assert session.execute(select(func.count()).select_from(LegalHold)).scalar_one() == 0


def test_holds_check_their_input_and_are_placed_once_per_key(registry: Registry) -> None:
    people = _population(registry)
    person = people["recent"]["person_id"]
    with pytest.raises(InvalidInputError) as error:
        place_hold(registry, DIRECTOR, PlaceHold(person, " ", ""))
    assert [p.path for p in error.value.problems] == ["reason", "reference"]
    with pytest.raises(NotFoundError):
        place_hold(registry, DIRECTOR, PlaceHold(999_999, "why", "ref"))
    first = place_hold(registry, DIRECTOR, PlaceHold(person, "why", "ref", "key-1"))
    second = place_hold(registry, DIRECTOR, PlaceHold(person, "why", "ref", "key-1"))
    assert second["replayed"]
    assert second["hold_id"] == first["hold_id"]
    with registry.sessions() as session:
        assert session.execute(select(func.count()).select_from(LegalHold)
                               .where(LegalHold.person_id == person)).scalar_one() == 1


def test_only_the_permitted_roles_run_retention_and_place_holds(registry: Registry) -> None:
    people = _population(registry)
    with pytest.raises(ForbiddenError):
        retention_plan(registry, DIRECTOR, date(2026, 1, 15))
    with pytest.raises(ForbiddenError):
        run_retention(registry, SECONDARY, date(2026, 1, 15), apply=True)
    with pytest.raises(ForbiddenError):
        place_hold(registry, ADMIN, PlaceHold(people["recent"]["person_id"], "why", "ref"))
    with registry.sessions() as session:
        assert session.get(Person, people["registrant"]["person_id"]) is not None


def test_a_failed_erasure_leaves_the_file_whole(registry: Registry,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    people = _population(registry)
    registrant = people["registrant"]["person_id"]
    before = _rows_of(registry, registrant)

    def broken(*_: object) -> dict[str, int]:
        raise RuntimeError("disk full")
    monkeypatch.setattr(erasure, "erase_person", broken)
    with pytest.raises(RuntimeError):
        run_retention(registry, ADMIN, date(2026, 1, 15), apply=True)
    assert _rows_of(registry, registrant) == before
    with registry.sessions() as session:
        assert session.execute(select(func.count()).select_from(AnonymousMovementCount)
                               ).scalar_one() == 0



def test_the_dashboard_counts_of_whole_months_still_include_erased_movements(
        registry: Registry) -> None:
    _population(registry)
    run_retention(registry, ADMIN, date(2026, 1, 15), apply=True)
    whole = erased_movements_by_month(registry, ANALYST, date(2003, 6, 1), date(2003, 11, 30))
    assert whole == [
        {"port": "JFK", "day": "2003-06-01", "arrivals": 1, "departures": 0, "refusals": 0},
        {"port": "JFK", "day": "2003-11-01", "arrivals": 0, "departures": 1, "refusals": 0}]
    cut = erased_movements_by_month(registry, ANALYST, date(2003, 6, 2), date(2003, 11, 29))
    assert cut == []
    assert erased_movements_by_month(registry, ANALYST, date(2003, 1, 1), date(2003, 12, 31),
                                     "IAD") == []


def test_two_runs_at_once_erase_each_file_once_and_count_it_once(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    people = _population(registry)
    # Both runs have made their plan (every due file in it) before either erases.
    barrier = threading.Barrier(2, timeout=30)
    waited = threading.local()
    real_erase, real_notice = erasure._erase, erasure._give_notice

    def wait_once() -> None:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()

    def erase(*args: Any) -> bool:
        wait_once()
        return real_erase(*args)

    def notice(*args: Any) -> bool:
        wait_once()
        return real_notice(*args)
    monkeypatch.setattr(erasure, "_erase", erase)
    monkeypatch.setattr(erasure, "_give_notice", notice)
    answers: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            answers.append(run_retention(registry, ADMIN, date(2026, 1, 15), apply=True))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    erased = [person for answer in answers for person in answer["erased"]]
    assert sorted(erased) == sorted([people["registrant"]["person_id"],
                                     people["refused"]["person_id"]])
    assert [p for a in answers for p in a["noticed"]] == [people["overstayer"]["person_id"]]
    with registry.sessions() as session:
        assert session.execute(select(func.sum(AnonymousMovementCount.count))).scalar_one() == 3
    assert verify_audit(registry, AUDITOR).intact


def test_every_person_column_is_a_foreign_key_so_erasure_finds_its_rows() -> None:
    """Erasure finds a person's rows by the schema's foreign keys: a table that names a
    person without one would keep its rows after the file is erased. The audit trail is
    the one exception, by design (docs/retention.md)."""
    unlinked = [f"{table.name}.{column.name}" for table in Base.metadata.sorted_tables
                for column in table.columns
                if column.name.endswith("person_id") and table.name != "audit_entries"
                and not any(fk.column.table.name == "persons" for fk in column.foreign_keys)]
    assert unlinked == []


def _enrolled_long_ago(registry: Registry, surname: str, captured: date) -> int:
    """A person with one biometric record captured on ``captured`` (kept 75 years)."""
    with registry.sessions() as session, session.begin():
        person = Person(surname=surname, given_names="Old", created_at=at("2003-01-01"))
        session.add(person)
        session.flush()
        session.add(BiometricRecord(
            ref=f"{surname.lower():x<32}"[:32], person_id=person.id, modality="face",
            finger_position=None, model="test", quality=1.0, template_sealed=b"sealed",
            image_sealed=None, source="upload", captured_at=at(captured.isoformat()),
            officer="secondary", retain_until=date(captured.year + 75, captured.month, 1)))
        return person.id


def _biometric_records(registry: Registry, person_id: int) -> int:
    with registry.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(BiometricRecord).where(
            BiometricRecord.person_id == person_id)) or 0)


def test_biometric_records_past_their_retention_are_listed_then_purged_unless_held_or_seen(
        registry: Registry) -> None:
    as_of = date(2081, 1, 15)  # 75 years (biometrics.retention_years) after 2005
    old = _enrolled_long_ago(registry, "Elder", date(2003, 2, 1))
    held = _enrolled_long_ago(registry, "Holden", date(2003, 2, 1))
    place_hold(registry, DIRECTOR, PlaceHold(held, "litigation", "case 1"))
    recent = _enrolled_long_ago(registry, "Ahmadi", date(2003, 2, 1))
    seen = inspect_arrival(registry, SECONDARY, visitor("P9990001"))  # admitted 2010
    with registry.sessions() as session, session.begin():
        # The same person seen again in 2010: the record is kept 75 years from then.
        session.execute(BiometricRecord.__table__.update().where(
            BiometricRecord.person_id == recent).values(person_id=seen["person_id"]))
    dry = run_retention(registry, ADMIN, as_of)
    assert dry["biometrics"] == {"rule": "biometrics.retention_years", "years": 75, "due": 1}
    assert _biometric_records(registry, old) == 1
    done = run_retention(registry, ADMIN, as_of, apply=True)
    assert done["biometrics"]["purged"] == 1
    assert _biometric_records(registry, old) == 0
    assert _biometric_records(registry, held) == 1
    assert _biometric_records(registry, seen["person_id"]) == 1
    with registry.sessions() as session:
        purge = session.execute(select(AuditEntry).where(
            AuditEntry.action == "biometric.purge")).scalars().all()
    assert [entry.detail["purged"] for entry in purge] == [1]
