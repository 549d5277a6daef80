"""The analyst dashboard: movements by port and day, registrations by basis, and the
compliance and overstay rates over the years, as charts with their tables. No names.

The numbers come from :mod:`nseers.services.statistics` (movements, registrations; a period
of at most a year) and :mod:`nseers.services.dashboard` (rates by year); every read is
audited like any other.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import InvalidInputError
from nseers.services.dashboard import yearly_rates
from nseers.services.erasure import erased_movements_by_month
from nseers.services.statistics import (
    MAX_PERIOD,
    movements_by_port_and_day,
    movements_by_port_and_month,
    refusals_by_ground_and_port,
    registrations_by_basis,
)
from nseers.web.charts import bar_chart, line_chart
from nseers.web.forms import Form, direct
from nseers.web.routes.common import web_router
from nseers.web.site import label, site_of

router = web_router()

LABELS: Final = {"from": "From", "to": "To", "port": "Port", "first_year": "First year",
                 "last_year": "Last year"}
#: Periods longer than this are charted by month rather than by day.
DAILY_UP_TO: Final = 62
FIRST_YEAR: Final = 2002
TOP_PORTS: Final = 12


def _by_period(rows: list[dict[str, Any]], daily: bool) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"arrivals": 0, "departures": 0,
                                                             "refusals": 0})
    for row in rows:
        key = row["month"] if "month" in row else row["day"] if daily else row["day"][:7]
        for column in ("arrivals", "departures", "refusals"):
            totals[key][column] += row[column]
    return [{"period": key, **totals[key]} for key in sorted(totals)]


def _by_port(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"arrivals": 0, "departures": 0})
    for row in rows:
        totals[row["port"]]["arrivals"] += row["arrivals"]
        totals[row["port"]]["departures"] += row["departures"]
    ranked = sorted(totals.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return [{"port": port, **counts} for port, counts in ranked[:TOP_PORTS]]


def _refusals_by_ground(rows: list[dict[str, Any]]
                        ) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Refusals per ground over every port (issue 17), for the chart."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row["ground"]] += row["refusals"]
    grounds = sorted(totals, key=lambda ground: (-totals[ground], ground))
    return [label(g) for g in grounds], [("Refusals", [float(totals[g]) for g in grounds])]


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    """The charts for the period and the span of years asked (default: the last year)."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_AGGREGATES)
    today = site.today()
    form = Form(dict(request.query_params))
    end = form.day("to") or today
    start = form.day("from") or end - timedelta(days=364)
    port = form.text("port", upper=True)
    last_year = form.integer("last_year", default=today.year) or today.year
    first_year = form.integer("first_year", default=FIRST_YEAR) or FIRST_YEAR
    form.values.update({"from": start.isoformat(), "to": end.isoformat(),
                        "first_year": str(first_year), "last_year": str(last_year)})
    context: dict[str, Any] = {"form": form, "labels": LABELS}
    mapper = direct(LABELS, {"to": "to", "last_year": "last_year"})
    try:
        # A year or less by day (the charts group the days); longer periods by month.
        movements = (movements_by_port_and_day if end - start <= MAX_PERIOD
                     else movements_by_port_and_month)(site.registry, actor, start, end, port)
        registrations = registrations_by_basis(site.registry, actor, start, end)
    except InvalidInputError as error:
        form.absorb_error(error, mapper)
        movements, registrations = [], []
    # Refusals by ground and port (issue 17): any period; a reversed one is named above.
    refusals = refusals_by_ground_and_port(site.registry, actor, start, end) \
        if end >= start else []
    try:
        rates = yearly_rates(site.registry, actor, first_year, last_year, today)
    except InvalidInputError as error:
        form.absorb_error(error, mapper)
        rates = []
    daily = (end - start).days < DAILY_UP_TO
    erased: list[dict[str, Any]] = []
    if not daily and not form.has_errors:
        # Files erased under the retention rules leave anonymous monthly counts (issue 17).
        erased = erased_movements_by_month(site.registry, actor, start, end, port)
        movements = movements + erased
    periods = _by_period(movements, daily)
    ports = _by_port(movements)
    context.update({
        "daily": daily, "periods": periods, "ports": ports, "registrations": registrations,
        "rates": rates, "start": start, "end": end, "refusals": refusals,
        "refusal_chart": bar_chart(*_refusals_by_ground(refusals)),
        "movement_chart": bar_chart([p["period"] for p in periods], [
            ("Arrivals", [p["arrivals"] for p in periods]),
            ("Departures", [p["departures"] for p in periods])]),
        "port_chart": bar_chart([p["port"] for p in ports], [
            ("Arrivals", [p["arrivals"] for p in ports]),
            ("Departures", [p["departures"] for p in ports])]),
        "registration_chart": bar_chart(
            [f"{label(r['basis'])}, {label(r['route']).lower()}" for r in registrations],
            [("Registrations", [r["registrations"] for r in registrations])]),
        "rate_chart": line_chart([str(r["year"]) for r in rates], [
            ("Departure-report compliance", [r["compliance_rate"] for r in rates]),
            ("Overstay rate", [r["overstay_rate"] for r in rates])]),
        "totals": {"arrivals": sum(p["arrivals"] for p in periods),
                   "departures": sum(p["departures"] for p in periods),
                   "refusals": sum(p["refusals"] for p in periods),
                   "registrations": sum(r["registrations"] for r in registrations)},
        "year_span": (date(first_year, 1, 1), date(last_year, 12, 31)),
        "erased_total": sum(r["arrivals"] + r["departures"] + r["refusals"] for r in erased),
    })
    return site.render(request, "screens/dashboard.html", context,
                       status=400 if form.has_errors else 200)
