"""Load a synthetic population into the registry through the service layer.

Arrivals and departures of travellers with nothing else on record go in batches (one
transaction each, the way a port's feed arrives); a registrant's events go one by one, in
order, because a call-in registration, an interview or a change notice needs the FIN of
the registration before it. Every command carries an idempotency key derived from the seed
and the traveller, so loading the same population twice records nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from nseers.core.actors import Actor, Role
from nseers.core.errors import NseersError
from nseers.demo.population import SyntheticEvent, SyntheticPerson, SyntheticTraveller
from nseers.demo.refusals import PickedTraveller, picks, record_demo_refusals
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import (
    ArrivalInspection,
    DepartureRecord,
    Movement,
    SwornAnswers,
    ingest,
)
from nseers.services.registrants import (
    CallInNoticeCommand,
    CallInRegistrationCommand,
    ChangeCommand,
    InterviewCommand,
    issue_call_in_notice,
    record_change,
    record_interview,
    register_call_in,
)

LOADER = Actor("demo-loader", Role.SYSTEM, "synthetic demonstration data")
MOVEMENTS = frozenset({"arrival", "departure"})
#: How long before a call-in interview the demo's notice was mailed.
NOTICE_LEAD = timedelta(days=14)


@dataclass
class LoadReport:
    """What a load did: travellers and commands recorded, and what was refused and why."""

    travellers: int = 0
    recorded: int = 0
    refused: int = 0
    #: A registrant's later events (interviews, changes of address) for a traveller the
    #: law did not register on arrival: with no FIN they cannot be recorded, by kind.
    skipped_kinds: Counter[str] = field(default_factory=Counter)
    refusals: list[str] = field(default_factory=list)
    #: Refusals of entry recorded for the demonstration (issue 17).
    refused_entry: int = 0

    @property
    def skipped(self) -> int:
        """How many events were not recorded because the traveller holds no FIN."""
        return sum(self.skipped_kinds.values())

    def skipped_summary(self) -> str:
        """The skipped events in words, with why (empty when none were)."""
        if not self.skipped:
            return ""
        kinds = ", ".join(f"{count} {kind.replace('_', ' ')}"
                          for kind, count in sorted(self.skipped_kinds.items()))
        return (f"{self.skipped} skipped ({kinds}): a registrant's events for travellers "
                f"the law did not register on arrival, who hold no FIN")

    def refuse(self, what: str, error: NseersError) -> None:
        self.refused += 1
        if len(self.refusals) < 20:
            self.refusals.append(f"{what}: {error}")


def load(registry: Registry, travellers: Iterable[SyntheticTraveller], *, seed: int,
         batch_size: int = 500, use_keys: bool = True,
         progress: Callable[[int], None] | None = None) -> LoadReport:
    """Record every traveller's events; ``progress`` is called with travellers done."""
    report = LoadReport()
    batch: list[tuple[str, Movement]] = []
    pending = 0
    refused: list[PickedTraveller] = []
    for traveller in travellers:
        report.travellers += 1
        picked = picks(traveller, report.travellers - 1)
        if picked is not None:
            refused.append(picked)
        pending += 1
        if all(event.kind in MOVEMENTS for event in traveller.events):
            batch.extend(movements(traveller, seed, use_keys))
            if len(batch) >= batch_size:
                _ingest(registry, batch, report)
                batch = []
                if progress:
                    progress(pending)
                pending = 0
        else:
            _one_by_one(registry, traveller, seed, report)
    if batch:
        _ingest(registry, batch, report)
    if progress and pending:
        progress(pending)
    report.refused_entry, problems = record_demo_refusals(registry, LOADER, refused, seed)
    for problem in problems[:20 - len(report.refusals)]:
        report.refusals.append(problem)
    return report


def _ingest(registry: Registry, batch: list[tuple[str, Movement]], report: LoadReport) -> None:
    try:
        ingest(registry, LOADER, [command for _, command in batch])
        report.recorded += len(batch)
    except NseersError:
        # One bad command refuses its batch; record the rest one by one and say which.
        for label, command in batch:
            try:
                ingest(registry, LOADER, [command])
                report.recorded += 1
            except NseersError as error:
                report.refuse(label, error)


def _one_by_one(registry: Registry, traveller: SyntheticTraveller, seed: int,
                report: LoadReport) -> None:
    fin: str | None = None
    person_id: int | None = None
    last_arrival: SyntheticEvent | None = None
    for index, event in enumerate(traveller.events):
        label = f"{traveller.person.key} event {index} ({event.kind})"
        key = f"demo-{seed}-{traveller.person.key}-{index}"
        try:
            if event.kind == "arrival":
                answer = ingest(registry, LOADER, [_arrival(traveller.person, event, key)])[0]
                fin = answer["fin"] or fin
                person_id = answer["person_id"]
                last_arrival = event
            elif event.kind == "departure":
                ingest(registry, LOADER, [_departure(traveller.person, event, key)])
            elif event.kind == "call_in_registration":
                answer = register_call_in(registry, LOADER, _call_in(
                    traveller.person, event, last_arrival, person_id, key))
                fin, person_id = answer["fin"], answer["person_id"]
            elif fin is None:
                report.skipped_kinds[event.kind] += 1
                continue
            elif event.kind == "interview":
                kind = event.interview_kind or "thirty_day_report"
                held_on = event.at.date()
                notice_id = None
                if kind == "call_in_interview":
                    notice_id = issue_call_in_notice(registry, LOADER, CallInNoticeCommand(
                        fin=fin, channel="mail", issued_on=held_on - NOTICE_LEAD,
                        office="district office", idempotency_key=f"{key}-notice"))["notice_id"]
                record_interview(registry, LOADER, InterviewCommand(
                    fin=fin, kind=kind, held_on=held_on, notice_id=notice_id,
                    place=event.port_code or "district office", idempotency_key=key))
            else:
                on = event.at.date()
                record_change(registry, LOADER, ChangeCommand(
                    fin=fin, kind="address", new_value=event.new_address or "unknown",
                    changed_on=on - timedelta(days=3), filed_on=on, idempotency_key=key))
            report.recorded += 1
        except NseersError as error:
            report.refuse(label, error)


def movements(traveller: SyntheticTraveller, seed: int,
              use_keys: bool) -> list[tuple[str, Movement]]:
    """The traveller's arrivals and departures as service commands (other events left out)."""
    out: list[tuple[str, Movement]] = []
    for index, event in enumerate(traveller.events):
        if event.kind not in MOVEMENTS:
            continue
        key = f"demo-{seed}-{traveller.person.key}-{index}" if use_keys else None
        label = f"{traveller.person.key} event {index} ({event.kind})"
        command: Movement = (_arrival(traveller.person, event, key) if event.kind == "arrival"
                             else _departure(traveller.person, event, key))
        out.append((label, command))
    return out


def _person(person: SyntheticPerson, person_id: int | None = None) -> PersonFacts:
    if person_id is not None:
        return PersonFacts(person_id=person_id)
    return PersonFacts(
        surname=person.surname, given_names=person.given_names,
        date_of_birth=person.date_of_birth, sex=person.sex, citizenships=person.citizenships,
        surname_original=person.surname_original,
        given_names_original=person.given_names_original, script=person.script)


def _documents(person: SyntheticPerson) -> tuple[DocumentFacts, ...]:
    return tuple(DocumentFacts(kind=d.kind, number=d.number, issuer=d.issuer,
                               admission_class=d.admission_class, expires_on=d.expires_on)
                 for d in person.documents)


def _answers(event: SyntheticEvent) -> SwornAnswers:
    return SwornAnswers(us_address=event.us_address or "address on file",
                        purpose=event.purpose or "visit",
                        employer_or_school=event.employer_or_school)


def _arrival(person: SyntheticPerson, event: SyntheticEvent, key: str | None
             ) -> ArrivalInspection:
    return ArrivalInspection(
        port_code=event.port_code or "JFK", occurred_at=event.at.replace(tzinfo=UTC),
        person=_person(person), documents=_documents(person), mode=event.mode,
        admission_class=event.admission_class, admit_until=event.admit_until,
        duration_of_status=event.duration_of_status, answers=_answers(event),
        photograph_ref=f"demo://photographs/{person.key}",
        fingerprints_ref=f"demo://fingerprints/{person.key}", idempotency_key=key)


def _departure(person: SyntheticPerson, event: SyntheticEvent, key: str | None
               ) -> DepartureRecord:
    passport = next(d for d in _documents(person) if d.kind == "passport")
    return DepartureRecord(
        port_code=event.port_code or "JFK", occurred_at=event.at.replace(tzinfo=UTC),
        documents=(passport,), mode=event.mode, reported_at_port=event.departure_report_port,
        reported_on=event.departure_report_on, idempotency_key=key)


def _call_in(person: SyntheticPerson, event: SyntheticEvent,
             last_arrival: SyntheticEvent | None, person_id: int | None,
             key: str) -> CallInRegistrationCommand:
    facts: Any = _person(person, person_id)
    return CallInRegistrationCommand(
        person=facts, registered_on=event.at.date(), place="district office",
        answers=_answers(event),
        admission_class=last_arrival.admission_class if last_arrival else event.admission_class,
        last_admitted_on=last_arrival.at.date() if last_arrival else None,
        documents=() if person_id is not None else _documents(person),
        photograph_ref=f"demo://photographs/{person.key}",
        fingerprints_ref=f"demo://fingerprints/{person.key}", idempotency_key=key)
