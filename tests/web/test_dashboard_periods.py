"""The dashboard charts periods of several years by month (issue 15: it refused ranges
over 367 days)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from web.conftest import LiveSite
from web.helpers import admit_visitor, check_accessibility, register_iranian, sign_in


def test_five_years_are_charted_by_month(page: Page, site: LiveSite) -> None:
    register_iranian(site.registry, "A5000001", surname="KARIMI", day="2003-03-10")
    admit_visitor(site.registry, "A5000002", surname="DUPONT", given_names="Luc",
                  born=date(1975, 3, 3), day="2006-11-20", admit_until=date(2007, 2, 1))
    sign_in(page, "analyst")
    answer = page.goto("/dashboard?from=2002-01-01&to=2006-12-31")
    assert answer is not None
    assert answer.status == 200
    expect(page.locator(".usa-error-message")).to_have_count(0)
    expect(page.get_by_role("heading", name="Arrivals and departures by month")).to_be_visible()
    page.get_by_text("The numbers by month").click()
    table = page.get_by_role("table", name="Arrivals, departures and refusals by month")
    expect(table.get_by_role("row", name="2003-03")).to_contain_text("1")
    expect(table.get_by_role("row", name="2006-11")).to_contain_text("1")
    check_accessibility(page)
