"""Counts for analysts, computed by the database: codes, days and numbers, never a name."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, extract, func, select

from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.refusals import Refusal, RefusalGround
from nseers.registry.registrations import SpecialRegistration, Violation
from nseers.registry.repositories.base import Queries


class CountQueries(Queries):
    """The aggregates of the statistics tables and the dashboard."""

    # ------------------------------------------------ aggregates: counts, never a name
    def movements_by_day(self, start: date, end: date, *, port_code: str | None
                         ) -> list[tuple[str, date, str, int]]:
        """(port, day, kind, encounters) for each port, day and kind, ``start`` to
        ``end`` inclusive, counted by the database."""
        e = Encounter.__table__.c
        query = (select(e.port_code, e.occurred_on, e.kind, func.count())
                 .where(e.occurred_on >= start, e.occurred_on <= end)
                 .group_by(e.port_code, e.occurred_on, e.kind))
        if port_code:
            query = query.where(e.port_code == port_code)
        return [(port, day, kind, int(count))
                for port, day, kind, count in self._session.execute(query)]

    def movements_by_month(self, start: date, end: date, *, port_code: str | None
                           ) -> list[tuple[str, int, int, str, int]]:
        """(port, year, month, kind, encounters), ``start`` to ``end`` inclusive."""
        e = Encounter.__table__.c
        year, month = extract("year", e.occurred_on), extract("month", e.occurred_on)
        query = (select(e.port_code, year, month, e.kind, func.count())
                 .where(e.occurred_on >= start, e.occurred_on <= end)
                 .group_by(e.port_code, year, month, e.kind))
        if port_code:
            query = query.where(e.port_code == port_code)
        return [(port, int(y), int(m), kind, int(count))
                for port, y, m, kind, count in self._session.execute(query)]

    def registrations_by_basis(self, start: date, end: date) -> list[tuple[str, str, int]]:
        """(basis, route, registrations) made ``start`` to ``end``, by basis and route."""
        r = SpecialRegistration.__table__.c
        query = (select(r.basis, r.route, func.count())
                 .where(r.registered_on >= start, r.registered_on <= end)
                 .group_by(r.basis, r.route).order_by(r.basis, r.route))
        return [(basis, route, int(count))
                for basis, route, count in self._session.execute(query)]

    def refusals_by_ground(self, start: date, end: date) -> list[tuple[str, str, int]]:
        """(ground, port, refusals) of the coded refusals ``start`` to ``end``; a refusal
        on two grounds counts under each."""
        g, f = RefusalGround.__table__, Refusal.__table__
        query = (select(g.c.ground, f.c.port_code, func.count())
                 .join(f, f.c.id == g.c.refusal_id)
                 .where(f.c.occurred_on >= start, f.c.occurred_on <= end)
                 .group_by(g.c.ground, f.c.port_code).order_by(g.c.ground, f.c.port_code))
        return [(ground, port, int(count))
                for ground, port, count in self._session.execute(query)]

    def registration_days(self, start: date, end: date) -> list[date]:
        """The day of each special registration made ``start`` to ``end``."""
        r = SpecialRegistration.__table__.c
        return list(self._session.execute(select(r.registered_on).where(
            r.registered_on >= start, r.registered_on <= end)).scalars())

    def registrant_departures(self, start: date, end: date) -> list[tuple[date, bool]]:
        """(day, whether a departure-report violation was recorded against it) for each
        departure ``start`` to ``end`` of a person registered on or before that day."""
        e = Encounter.__table__.c
        r, v = SpecialRegistration.__table__.c, Violation.__table__.c
        registered = exists().where(r.person_id == e.person_id,
                                    r.registered_on <= e.occurred_on)
        violated = exists().where(and_(v.encounter_id == e.id,
                                       v.kind == "departure_report"))
        query = select(e.occurred_on, violated.label("violated")).where(
            e.kind == "departure", e.occurred_on >= start, e.occurred_on <= end, registered)
        return [(day, bool(was)) for day, was in self._session.execute(query)]

    def expected_departures(self, start: date, end: date
                            ) -> list[tuple[date, date | None]]:
        """(admit-until, surrendered-on) of each I-94 whose admit-until date falls
        ``start`` to ``end`` (those admitted for the duration of status have none)."""
        t = I94Record.__table__.c
        query = select(t.admit_until, t.surrendered_on).where(
            t.admit_until.is_not(None), t.admit_until >= start, t.admit_until <= end)
        return [(until, surrendered) for until, surrendered in self._session.execute(query)]
