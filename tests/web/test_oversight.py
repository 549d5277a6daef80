"""The analyst's dashboard (no names), the auditor's log and chain check, and the
administrator's accounts and law in force."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from nseers.cli.web import DEMO_PASSWORD
from web.conftest import LiveSite
from web.helpers import (
    admit_visitor,
    audit_actions,
    check_accessibility,
    register_iranian,
    screenshot,
    sign_in,
)


def test_the_dashboard_charts_movements_registrations_and_rates_without_a_name(
        page: Page, site: LiveSite) -> None:
    register_iranian(site.registry, "A1000001", surname="ZAREI")
    register_iranian(site.registry, "A1000002", surname="NOURI", port="IAD", day="2003-08-20")
    admit_visitor(site.registry, "A2000001", surname="LEBLANC", given_names="Lea",
                  born=date(1985, 1, 1), day="2003-07-01", admit_until=date(2003, 12, 31))
    sign_in(page, "analyst")
    page.goto("/dashboard?from=2003-01-01&to=2003-12-31&first_year=2002&last_year=2006")
    expect(page.get_by_role("heading", name="Arrivals and departures by month")).to_be_visible()
    for name in ("movements", "ports", "registrations", "rates"):
        chart = page.locator(f'svg[aria-labelledby="{name}-title {name}-desc"]')
        expect(chart).to_have_attribute("role", "img")
    expect(page.locator("#movements-title")).to_contain_text("Arrivals and departures")
    expect(page.locator("svg rect[height]").first).to_be_attached()
    expect(page.get_by_role("table", name="Registrations by basis and route")).to_contain_text(
        "Designated nationality")
    expect(page.get_by_role("table", name="Arrivals and departures by port")).to_contain_text(
        "JFK")
    rates = page.get_by_role("table", name="Rates by year")
    expect(rates.get_by_role("row", name="2003")).to_contain_text("100.0%")
    text = page.locator("main").inner_text()
    for secret in ("ZAREI", "NOURI", "LEBLANC", "A1000001"):
        assert secret not in text
    check_accessibility(page)
    assert "statistics.read" in audit_actions(site.registry, "analyst")


def test_an_auditor_reads_the_trail_and_verifies_the_chain(page: Page, site: LiveSite) -> None:
    register_iranian(site.registry, "A3000001", surname="AUDITED")
    sign_in(page, "auditor")
    page.goto("/audit")
    entries = page.locator("#audit-entries")
    expect(entries.locator('tr[data-action="arrival.inspect"]').first).to_be_visible()
    page.get_by_label("Action").fill("auth.sign_in")
    page.get_by_role("button", name="Filter").click()
    expect(entries.locator('tr[data-action="arrival.inspect"]')).to_have_count(0)
    expect(entries.locator('tr[data-action="auth.sign_in"]').first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "audit-log")
    page.get_by_role("link", name="Verify the chain").click()
    expect(page.get_by_role("status")).to_contain_text("The chain is intact")
    check_accessibility(page)
    assert "audit.read" in audit_actions(site.registry, "auditor")


def test_an_administrator_creates_an_account_that_can_then_sign_in(page: Page) -> None:
    sign_in(page, "admin")
    page.goto("/admin/users")
    page.get_by_label("Username").fill("new.officer")
    page.get_by_label("Role").select_option("departure_officer")
    page.get_by_label("Initial password").fill("short")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#f-password-error")).to_contain_text("at least 12 characters")
    expect(page.get_by_label("Username")).to_have_value("new.officer")
    expect(page.get_by_label("Role")).to_have_value("departure_officer")
    page.get_by_label("Initial password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("status")).to_contain_text("new.officer can now sign in")
    expect(page.locator("#users")).to_contain_text("new.officer")
    check_accessibility(page)
    screenshot(page, "users")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "new.officer")
    expect(page.get_by_role("link", name="Departure desk").first).to_be_visible()


def test_an_administrator_reads_the_law_in_force_on_any_date(page: Page) -> None:
    sign_in(page, "admin")
    page.goto("/admin/policy")
    page.get_by_label("Law in force on").fill("2003-06-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="The law in force on 1 June 2003")).to_be_visible()
    in_force = page.locator('[data-parameter="special_registration.thirty_day_report_in_force"]')
    expect(in_force).to_contain_text("yes")
    expect(page.get_by_text("Group 1")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "law-in-force")
    page.get_by_label("Law in force on").fill("2020-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="The law in force on 1 January 2020")
           ).to_be_visible()
    # The 30-day report was suspended on 2 December 2003, by a new dated value.
    expect(in_force).to_contain_text("no")
    expect(in_force).to_contain_text("68 FR 67578")
