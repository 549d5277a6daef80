"""Aggregates for analysts: counts by port, day, basis and route; never a name or a number.

An analyst may read these and nothing else. Each answer is a table of counts computed by
the repository (in the database, :mod:`nseers.registry.repositories`); no row names a
person or a document. Reading them is audited like any other access.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.services.repositories import RecordStore

#: The longest period one request may cover, to keep an answer's size bounded.
MAX_PERIOD: Final = timedelta(days=366)
#: The longest period a monthly table may cover (a row per port and month is small).
MAX_MONTHLY_YEARS: Final = 60
KIND_COLUMNS: Final = {"arrival": "arrivals", "departure": "departures", "refusal": "refusals"}


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidInputError([FieldProblem("to", "precedes from")])
    if end - start > MAX_PERIOD:
        raise InvalidInputError([FieldProblem("to", f"the period may cover at most "
                                                    f"{MAX_PERIOD.days + 1} days")])


def _check_years(start: date, end: date) -> None:
    if end < start:
        raise InvalidInputError([FieldProblem("to", "precedes from")])
    if end.year - start.year >= MAX_MONTHLY_YEARS:
        raise InvalidInputError([FieldProblem("to", f"the period may cover at most "
                                                    f"{MAX_MONTHLY_YEARS} years")])


def movements_by_port_and_month(registry: RecordStore, actor: Actor, start: date, end: date,
                                port: str | None = None) -> list[dict[str, Any]]:
    """Arrivals, departures and refusals per port and calendar month (``YYYY-MM``), for
    periods of any length up to :data:`MAX_MONTHLY_YEARS` years, ``start`` to ``end``
    inclusive (a month at either end counts only its days inside the period)."""
    _check_years(start, end)
    with registry.records_work(actor, Permission.READ_AGGREGATES) as uow:
        counted = uow.records.movements_by_month(
            start, end, port_code=port.strip().upper() if port else None)
        table: dict[tuple[str, str], dict[str, Any]] = {}
        for port_code, y, m, kind, count in counted:
            period = f"{y:04d}-{m:02d}"
            row = table.setdefault((port_code, period), {
                "port": port_code, "month": period,
                **dict.fromkeys(KIND_COLUMNS.values(), 0)})
            if kind in KIND_COLUMNS:
                row[KIND_COLUMNS[kind]] += count
        rows = [table[key] for key in sorted(table)]
        uow.audit("statistics.read", "encounters", None,
                  report="movements_by_port_and_month", start=start, end=end, port=port)
        uow.commit()
        return rows


def movements_by_port_and_day(registry: RecordStore, actor: Actor, start: date, end: date,
                              port: str | None = None) -> list[dict[str, Any]]:
    """Arrivals, departures and refusals per port and day, ``start`` to ``end`` inclusive."""
    _check_period(start, end)
    with registry.records_work(actor, Permission.READ_AGGREGATES) as uow:
        counted = uow.records.movements_by_day(
            start, end, port_code=port.strip().upper() if port else None)
        table: dict[tuple[str, date], dict[str, Any]] = {}
        for port_code, day, kind, count in counted:
            row = table.setdefault((port_code, day), {
                "port": port_code, "day": day.isoformat(),
                **dict.fromkeys(KIND_COLUMNS.values(), 0)})
            if kind in KIND_COLUMNS:
                row[KIND_COLUMNS[kind]] += count
        rows = [table[key] for key in sorted(table)]
        uow.audit("statistics.read", "encounters", None, report="movements_by_port_and_day",
                  start=start, end=end, port=port)
        uow.commit()
        return rows


def registrations_by_basis(registry: RecordStore, actor: Actor, start: date,
                           end: date) -> list[dict[str, Any]]:
    """Special registrations per basis and route, registered ``start`` to ``end`` (a
    handful of rows whatever the period, so any period up to the monthly limit)."""
    _check_years(start, end)
    with registry.records_work(actor, Permission.READ_AGGREGATES) as uow:
        rows = [{"basis": basis, "route": route, "registrations": count}
                for basis, route, count in uow.records.registrations_by_basis(start, end)]
        uow.audit("statistics.read", "special_registrations", None,
                  report="registrations_by_basis", start=start, end=end)
        uow.commit()
        return rows


def refusals_by_ground_and_port(registry: RecordStore, actor: Actor, start: date,
                                end: date) -> list[dict[str, Any]]:
    """Refusals of entry per coded ground and port (issue 17), ``start`` to ``end``.

    A refusal on two grounds counts once under each: the table answers "how often was
    each ground charged", and ``refusals`` in the movement counts answers "how many". The
    answer has a row per ground and port whatever the period, so any period may be asked.
    """
    if end < start:
        raise InvalidInputError([FieldProblem("to", "precedes from")])
    with registry.records_work(actor, Permission.READ_AGGREGATES) as uow:
        rows = [{"ground": ground, "port": port, "refusals": count}
                for ground, port, count in uow.records.refusals_by_ground(start, end)]
        uow.audit("statistics.read", "refusals", None, report="refusals_by_ground_and_port",
                  start=start, end=end)
        uow.commit()
        return rows
