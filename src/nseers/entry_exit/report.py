"""DHS's Entry/Exit Overstay Report layout, built from per-country counts.

An engine hands over ``(scope, citizenship, class_group, expected, out_of_country,
in_country)`` counts; this module lays them out the same way whatever engine counted
them: one row per country of citizenship and a total, for each table of
:data:`~nseers.entry_exit.definitions.TABLES`, plus a ``land`` table when land
admissions are present (DHS reports land separately).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from nseers.entry_exit.definitions import REPORT_COLUMNS, TABLES, Definitions, rate

Count = tuple[str, str, str, int, int, int]


@dataclass(frozen=True, slots=True)
class Decision:
    """An analyst's decision on a probabilistic link in the review queue, kept for re-runs."""

    arrival_record_id: str
    departure_record_id: str
    decision: Literal["accept", "reject"]
    analyst: str = ""
    reason: str = ""


def _row(expected: int, out_of_country: int, in_country: int) -> dict[str, Any]:
    total = out_of_country + in_country
    return {"expected_departures": expected, "out_of_country_overstays": out_of_country,
            "suspected_in_country_overstays": in_country, "total_overstays": total,
            "total_overstay_rate": rate(total, expected),
            "suspected_in_country_overstay_rate": rate(in_country, expected)}


def _table(counts: Iterable[Count]) -> dict[str, Any]:
    by_country: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _, cit, _, expected, ooc, inc in counts:
        sums = by_country[cit]
        sums[0] += expected
        sums[1] += ooc
        sums[2] += inc
    rows = [{"country_of_citizenship": cit, **_row(*sums)}
            for cit, sums in sorted(by_country.items())]
    totals = [sum(r[c] for r in rows) for c in REPORT_COLUMNS[:3]]
    return {"rows": rows, "total": _row(*totals)}


def _in_table(name: str, defs: Definitions, cit: str, group: str) -> bool:
    separate = cit in defs.separately_reported
    if name == "all":
        return True
    if name == "canada_mexico":
        return separate
    if separate:
        return False
    if name == "vwp":
        return group == "business_pleasure" and cit in defs.vwp_countries
    if name == "non_vwp":
        return group == "business_pleasure" and cit not in defs.vwp_countries
    if name == "students":
        return group == "student"
    return group == "other"


def build_report(defs: Definitions, counts: Sequence[Count]) -> dict[str, Any]:
    """The report as JSON: fiscal year, as-of date, grand total, by country, tables."""
    in_scope = [c for c in counts if c[0] == "in_scope"]
    land = [c for c in counts if c[0] == "land"]
    tables = {name: _table(c for c in in_scope if _in_table(name, defs, c[1], c[2]))
              for name in TABLES}
    if land:
        tables["land"] = _table(land)
    everything = tables["all"]
    return {"fiscal_year": defs.fiscal_year, "as_of": defs.as_of.isoformat(),
            "grand_total": everything["total"], "by_country": everything["rows"],
            "tables": tables}


def to_csv(report: dict[str, Any]) -> str:
    """Every table's rows and its total, one line each, with the table's name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "country_of_citizenship", *REPORT_COLUMNS])
    for name, table in report["tables"].items():
        for row in table["rows"]:
            writer.writerow([name, row["country_of_citizenship"],
                             *(row[c] for c in REPORT_COLUMNS)])
        writer.writerow([name, "TOTAL", *(table["total"][c] for c in REPORT_COLUMNS)])
    return out.getvalue()


def links_csv(links: Iterable[tuple[str, str, str, float]]) -> str:
    """``arrival_record_id,departure_record_id,method,probability`` in a stable order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["arrival_record_id", "departure_record_id", "method", "probability"])
    for arrival, departure, method, probability in links:
        writer.writerow([arrival, departure, method, f"{probability:.6f}"])
    return out.getvalue()
