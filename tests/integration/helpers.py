"""Commands the registry tests build again and again, with sensible defaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select

from nseers.core.actors import Actor, Role
from nseers.db.audit import AuditEntry
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, DepartureRecord, SwornAnswers

EASTERN = timezone(timedelta(hours=-5))
SECONDARY = Actor("s.officer", Role.SECONDARY_OFFICER)
PRIMARY = Actor("p.officer", Role.PRIMARY_OFFICER)
DEPARTURE = Actor("d.officer", Role.DEPARTURE_OFFICER)
COMPLIANCE = Actor("c.officer", Role.COMPLIANCE_OFFICER)
DIRECTOR = Actor("director", Role.DISTRICT_DIRECTOR)
ANALYST = Actor("analyst", Role.ANALYST)
AUDITOR = Actor("auditor", Role.AUDITOR)


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=EASTERN)


def iranian(number: str = "X1234567", **changes: Any) -> ArrivalInspection:
    """A man of a designated country admitted at JFK in 2003: a port-of-entry registrant."""
    command = ArrivalInspection(
        port_code="JFK", occurred_at=at("2003-06-15"),
        person=PersonFacts(surname="AHMADI", given_names="REZA", surname_original="احمدی",
                           given_names_original="رضا", script="Arab",
                           date_of_birth=date(1970, 5, 1), sex="M", citizenships=("IRN",)),
        documents=(DocumentFacts("passport", number, "IRN"),
                   DocumentFacts("visa", "12345678", "USA", "B2")),
        admission_class="B2", admit_until=date(2003, 12, 14),
        answers=SwornAnswers("1 Main St, New York, NY", "tourism"),
        photograph_ref=f"biometrics:test:photograph:{number}",
        fingerprints_ref=f"biometrics:test:fingerprints:{number}")
    return replace(command, **changes)


def visitor(number: str = "P7654321", **changes: Any) -> ArrivalInspection:
    """A French visitor: no registration, an I-94."""
    command = ArrivalInspection(
        port_code="IAD", occurred_at=at("2010-04-01"),
        person=PersonFacts(surname="MÜLLER", given_names="Anne", date_of_birth=date(1980, 2, 2),
                           sex="F", citizenships=("FRA",)),
        documents=(DocumentFacts("passport", number, "FRA"),),
        admission_class="B2", admit_until=date(2010, 10, 1))
    return replace(command, **changes)


def departure(fin: str | None, day: str, port: str = "JFK", reported: bool = True,
              **changes: Any) -> DepartureRecord:
    command = DepartureRecord(port_code=port, occurred_at=at(day, 18), fin=fin,
                              reported_at_port=port if reported else None,
                              reported_on=date.fromisoformat(day) if reported else None)
    return replace(command, **changes)


def count(registry: Registry, model: Any) -> int:
    with registry.sessions() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def audit_actions(registry: Registry) -> list[str]:
    with registry.sessions() as session:
        return list(session.execute(select(AuditEntry.action).order_by(AuditEntry.seq))
                    .scalars())
