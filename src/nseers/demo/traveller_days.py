"""A demonstration traveller for the portal's own-days pages (issue 17).

The synthetic population's trips are years old, so none of them has days left. This adds
one visitor whose dates are counted from the day the demo is loaded: a trip earlier this
year closed by a departure, and an arrival three weeks ago admitted for 45 days, with an
e-mail address on record. So ``/traveller/days`` has two I-94s to show (one closed by its
departure record, one open with its days remaining), the EES overlay has days to count,
and ``nseers reminders send`` has a 30-day reminder due. The codes and reminders go to
the file outbox of the data directory, where the person trying the demo reads them.

Each command carries a fixed idempotency key: the first load records the traveller, and a
later load (on another day, so with other dates) is refused as a reused key and records
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from nseers.core.errors import ConflictError
from nseers.demo.loader import LOADER
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, DepartureRecord, Movement, ingest


@dataclass(frozen=True, slots=True)
class DemoTraveller:
    """What the demo prints so that a visitor can try the pages."""

    surname: str
    given_names: str
    date_of_birth: date
    document_number: str
    email: str


TRAVELLER: Final = DemoTraveller("DEMO", "Avery", date(1985, 4, 12), "D1234567",
                                 "avery.demo@example.org")


def load_traveller_days(registry: Registry) -> DemoTraveller:
    """Record the demonstration traveller's two trips (once; see the module docstring)."""
    today = registry.clock().astimezone(UTC).date()
    person = PersonFacts(surname=TRAVELLER.surname, given_names=TRAVELLER.given_names,
                         date_of_birth=TRAVELLER.date_of_birth, sex="X",
                         citizenships=("GBR",))
    passport = DocumentFacts("passport", TRAVELLER.document_number, "GBR",
                             expires_on=today + timedelta(days=3000))
    commands: list[Movement] = [
        ArrivalInspection(port_code="JFK", occurred_at=_at(today - timedelta(days=120)),
                          person=person, documents=(passport,), admission_class="WT",
                          admit_until=today - timedelta(days=30), mode="air",
                          contact_email=TRAVELLER.email,
                          idempotency_key="demo-traveller-days-1"),
        DepartureRecord(port_code="JFK", occurred_at=_at(today - timedelta(days=95), 18),
                        documents=(passport,), mode="air",
                        idempotency_key="demo-traveller-days-2"),
        ArrivalInspection(port_code="IAD", occurred_at=_at(today - timedelta(days=21)),
                          person=person, documents=(passport,), admission_class="B2",
                          admit_until=today + timedelta(days=24), mode="air",
                          contact_email=TRAVELLER.email,
                          idempotency_key="demo-traveller-days-3"),
    ]
    for command in commands:
        try:
            ingest(registry, LOADER, [command])
        except ConflictError:
            break  # loaded on an earlier day: the traveller is already there
    return TRAVELLER


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
