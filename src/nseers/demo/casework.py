"""Demonstration data for issue 17's casework and carrier pages, loaded through the services.

After the synthetic population (:mod:`nseers.demo.loader`): a few pending waiver requests
and violations to assess (missed 30-day reports) for the district director's and the
compliance officer's pages, and four travellers whose passports a carrier account can ask
about, one per answer a carrier can get. Every command carries a fixed idempotency key, and
every date is fixed, so loading twice records nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Final

from sqlalchemy import select

from nseers.core.errors import NseersError
from nseers.demo.loader import LOADER
from nseers.registry.registrations import Obligation, SpecialRegistration
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, DepartureRecord, ingest
from nseers.services.registrants import (
    InterviewCommand,
    WaiverRequestCommand,
    record_interview,
    request_waiver,
)

WAIVERS: Final = 3
VIOLATIONS: Final = 3
GROUNDS: Final = (
    "In hospital during the whole reporting window; discharge letter attached.",
    "Stranded abroad by a cancelled sailing; carrier's notice attached.",
    "Caring for a seriously ill child; physician's letter attached.",
)


@dataclass(frozen=True, slots=True)
class DemoPassenger:
    """A traveller a carrier can ask about, and the answer the demo expects."""

    surname: str
    given_names: str
    date_of_birth: date
    number: str
    admitted_on: date
    admit_until: date
    departed_on: date | None
    expires_on: date | None
    expected: str


#: One traveller per answer (the dates are fixed, so the answers hold for years).
PASSENGERS: Final = (
    DemoPassenger("DUPONT", "CLAIRE", date(1985, 4, 12), "DEMOFR001", date(2025, 3, 1),
                  date(2025, 8, 31), date(2025, 8, 20), date(2034, 1, 1), "ok_to_board"),
    DemoPassenger("LEROY", "MARC", date(1979, 9, 30), "DEMOFR002", date(2025, 6, 1),
                  date(2025, 11, 30), None, date(2033, 1, 1), "not_ok_to_board"),
    DemoPassenger("BERNARD", "LUC", date(1990, 1, 5), "DEMOFR003", date(2024, 1, 10),
                  date(2024, 7, 9), date(2025, 3, 1), date(2032, 1, 1), "not_ok_to_board"),
    DemoPassenger("MOREAU", "ANNE", date(1972, 7, 7), "DEMOFR004", date(2025, 2, 1),
                  date(2025, 7, 31), date(2025, 7, 1), date(2026, 6, 30), "not_ok_to_board"),
)


@dataclass
class CaseworkReport:
    """What was recorded, and what could not be (with why)."""

    waivers: int = 0
    violations: int = 0
    passengers: int = 0
    refusals: list[str] = field(default_factory=list)


def load_casework(registry: Registry, seed: int) -> CaseworkReport:
    """Pending waivers, violations to assess and the carrier check's travellers."""
    report = CaseworkReport()
    with registry.sessions() as session:
        registrations = session.execute(
            select(SpecialRegistration.fin, SpecialRegistration.registered_on,
                   Obligation.kind, Obligation.sequence)
            .join(Obligation, Obligation.registration_id == SpecialRegistration.id)
            .where(SpecialRegistration.route == "port_of_entry",
                   Obligation.kind == "thirty_day_report")
            .order_by(SpecialRegistration.id)).tuples().all()
    # A FIN names a person, not a registration (one FIN per person, issue 15): a registrant
    # registered again on a later arrival has two rows under one FIN. The services act on
    # the FIN's latest registration, so each FIN is taken once, with that one's dates.
    latest: dict[str, tuple[str, date, str, int]] = {}
    for fin, registered_on, kind, sequence in registrations:
        assert fin is not None  # noqa: S101 - a port-of-entry registration has a FIN
        if fin not in latest or latest[fin][1] <= registered_on:
            latest[fin] = (fin, registered_on, kind, sequence)
    chosen = list(latest.values())[:WAIVERS + VIOLATIONS]
    for index, (fin, registered_on, kind, sequence) in enumerate(chosen):
        key = f"demo-{seed}-casework-{fin}"
        try:
            if index < WAIVERS:
                request_waiver(registry, LOADER, WaiverRequestCommand(
                    fin=fin, obligation_kind=kind, obligation_sequence=sequence,
                    grounds=GROUNDS[index % len(GROUNDS)],
                    requested_on=registered_on + timedelta(days=20), idempotency_key=key))
                report.waivers += 1
            else:
                record_interview(registry, LOADER, InterviewCommand(
                    fin=fin, kind="thirty_day_report",
                    held_on=registered_on + timedelta(days=40), place="district office",
                    outcome="failed_to_appear", idempotency_key=key))
                report.violations += 1
        except NseersError as error:
            report.refusals.append(f"FIN {fin}: {error}")
    for passenger in PASSENGERS:
        try:
            _travel(registry, passenger, seed)
            report.passengers += 1
        except NseersError as error:
            report.refusals.append(f"passport {passenger.number}: {error}")
    return report


def _travel(registry: Registry, passenger: DemoPassenger, seed: int) -> None:
    passport = DocumentFacts("passport", passenger.number, "FRA",
                             expires_on=passenger.expires_on)
    answer = ingest(registry, LOADER, [ArrivalInspection(
        port_code="JFK", occurred_at=datetime.combine(passenger.admitted_on,
                                                      datetime.min.time(), UTC)
        + timedelta(hours=15),
        person=PersonFacts(surname=passenger.surname, given_names=passenger.given_names,
                           date_of_birth=passenger.date_of_birth, sex="X",
                           citizenships=("FRA",)),
        documents=(passport,), admission_class="B2", admit_until=passenger.admit_until,
        idempotency_key=f"demo-{seed}-carrier-{passenger.number}-arrival")])[0]
    if passenger.departed_on is not None:
        ingest(registry, LOADER, [DepartureRecord(
            port_code="JFK", occurred_at=datetime.combine(passenger.departed_on,
                                                          datetime.min.time(), UTC)
            + timedelta(hours=20),
            person_id=answer["person_id"],
            idempotency_key=f"demo-{seed}-carrier-{passenger.number}-departure")])


def passenger_lines() -> list[str]:
    """How to try the carrier check on the demonstration's travellers."""
    lines = [("Carrier check (sign in as carrier.aal; POST /api/v1/carrier/check with an "
             "intended_travel_date from today on):")]
    lines += [f"  passport FRA {p.number}, nationality FRA, {p.surname}, born "
              f"{p.date_of_birth.isoformat()}: {p.expected}" for p in PASSENGERS]
    lines.append("  any other passport: no_record")
    return lines
