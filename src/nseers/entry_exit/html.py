"""The report as one self-contained HTML page: DHS's tables and inline SVG charts.

Charts: the total and suspected in-country overstay rates of the countries with the most
expected departures; out-of-country against in-country overstays; and the trend of the
total rate across the fiscal years given (one year when only this report is given).
Every value is escaped; the page loads nothing from anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from nseers.entry_exit.definitions import REPORT_COLUMNS, Definitions

TITLES = {"all": "All nonimmigrant classes (in scope)", "vwp": "Visa Waiver Program countries",
          "non_vwp": "Non-VWP countries (business and pleasure)",
          "students": "Students and exchange visitors (F, M, J)",
          "other": "Other in-scope classes", "canada_mexico": "Canada and Mexico",
          "land": "Land admissions (reported separately)"}
TOP = 20


def _bars(rows: list[dict[str, Any]], keys: Sequence[tuple[str, str]], title: str) -> str:
    width, bar = 640, 14
    peak = max([sum(r[k] for k, _ in keys) for r in rows] + [1e-9])
    height = 30 + bar * 1.5 * len(rows)
    parts = [(f'<svg role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height:.0f}"><title>{escape(title)}</title>')]
    for index, row in enumerate(rows):
        y = 20 + index * bar * 1.5
        x = 60.0
        parts.append(f'<text x="0" y="{y + bar - 3:.0f}" font-size="11">'
                     f'{escape(str(row["label"]))}</text>')
        for key, colour in keys:
            w = (width - 140) * row[key] / peak
            parts.append(f'<rect x="{x:.1f}" y="{y:.0f}" width="{w:.1f}" height="{bar}" '
                         f'fill="{colour}"><title>{escape(key)}: {row[key]}</title></rect>')
            x += w
        total = sum(row[k] for k, _ in keys)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 3:.0f}" font-size="11">'
                     f'{round(total, 2)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(name: str, table: dict[str, Any]) -> str:
    head = "".join(f"<th scope='col'>{escape(c.replace('_', ' '))}</th>"
                   for c in ("country_of_citizenship", *REPORT_COLUMNS))
    body = "".join(
        "<tr>" + f"<th scope='row'>{escape(r['country_of_citizenship'])}</th>"
        + "".join(f"<td>{r[c]}</td>" for c in REPORT_COLUMNS) + "</tr>"
        for r in table["rows"])
    total = "".join(f"<td>{table['total'][c]}</td>" for c in REPORT_COLUMNS)
    return (f"<h2>{escape(TITLES.get(name, name))}</h2><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}<tr><th scope='row'>TOTAL</th>{total}</tr></tbody></table>")


def render_html(report: dict[str, Any], defs: Definitions,
                history: Sequence[dict[str, Any]] = ()) -> str:
    """The page; ``history`` adds earlier fiscal years' reports to the trend chart."""
    top = sorted(report["by_country"], key=lambda r: (-r["expected_departures"],
                                                      r["country_of_citizenship"]))[:TOP]
    rates = [{"label": r["country_of_citizenship"],
              "in-country rate": r["suspected_in_country_overstay_rate"],
              "out-of-country rate": round(r["total_overstay_rate"]
                                           - r["suspected_in_country_overstay_rate"], 2)}
             for r in top]
    counts = [{"label": r["country_of_citizenship"],
               "suspected in-country": r["suspected_in_country_overstays"],
               "out-of-country": r["out_of_country_overstays"]} for r in top]
    years = sorted([*history, report], key=lambda r: r["fiscal_year"])
    trend = [{"label": f"FY{r['fiscal_year']}",
              "total rate": r["grand_total"]["total_overstay_rate"]} for r in years]
    charts = (
        _bars(rates, (("in-country rate", "#1a4480"), ("out-of-country rate", "#e5a000")),
              "Overstay rate by country (percent), the 20 largest")
        + _bars(counts, (("suspected in-country", "#1a4480"), ("out-of-country", "#e5a000")),
                "In-country against out-of-country overstays")
        + _bars(trend, (("total rate", "#1a4480"),), "Total overstay rate by fiscal year"))
    tables = "".join(_table(name, table) for name, table in report["tables"].items())
    sources = "".join(f"<li>{escape(k)}: {escape(v)}</li>"
                      for k, v in sorted(defs.citations.items()))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Entry/Exit Overstay Report FY{report['fiscal_year']}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 6px;text-align:right}</style></head><body>"
        f"<h1>Entry/Exit Overstay Report, fiscal year {report['fiscal_year']}</h1>"
        f"<p>As of {escape(report['as_of'])}; expected departure dates from "
        f"{defs.fy_start} to {defs.fy_end}; policy version {escape(defs.policy_version)}."
        f"</p><section aria-label='charts'>{charts}</section>{tables}"
        f"<h2>Sources</h2><ul>{sources}</ul></body></html>\n")
