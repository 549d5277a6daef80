"""A person's timeline and printable compliance report, and the traveller's own I-94."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from web.conftest import LiveSite
from web.helpers import (
    admit_visitor,
    audit_actions,
    audit_details,
    check_accessibility,
    register_iranian,
    screenshot,
    sign_in,
)


def test_an_officer_finds_a_registrant_in_any_script_and_reads_the_timeline_and_report(
        page: Page, site: LiveSite) -> None:
    fin, person_id = register_iranian(site.registry, "P1000001")
    sign_in(page, "compliance")
    page.goto("/people")
    page.get_by_label("Name").fill("رضا احمدی")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Timeline of REZA AHMADI").click()
    expect(page.get_by_role("heading", name="REZA AHMADI")).to_be_visible()
    expect(page.locator('[data-event="registration"]')).to_contain_text(f"FIN {fin}")
    check_accessibility(page)
    screenshot(page, "timeline")
    page.get_by_role("link", name="Compliance report").click()
    page.get_by_label("As of").fill("2003-08-01")
    page.get_by_role("button", name="Show as of this date").click()
    report = page.locator(".nseers-printable")
    expect(report).to_contain_text("as of 1 August 2003")
    expect(report.get_by_role("table", name=f"Obligations of registration {fin}")
           ).to_contain_text("Missed")
    check_accessibility(page)
    screenshot(page, "compliance-report")
    page.emulate_media(media="print")
    expect(page.locator(".usa-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(report).to_be_visible()
    actions = audit_actions(site.registry, "compliance")
    for action in ("person.search", "person.timeline", "compliance.report"):
        assert action in actions
    assert any(person_id in detail["returned"]
               for detail in audit_details(site.registry, "person.search"))


def test_a_traveller_without_an_account_sees_the_days_remaining_on_the_latest_i94(
        page: Page, site: LiveSite) -> None:
    admit_visitor(site.registry, "T7654321", surname="MÜLLER", given_names="Anne",
                  born=date(1980, 2, 2), day="2026-10-01", admit_until=date(2026, 12, 31))
    page.goto("/traveller")
    page.get_by_label("Surname").fill("Muller")
    page.get_by_label("Given names").fill("anne")
    page.get_by_label("Date of birth").fill("1980-02-02")
    page.get_by_label("Passport number").fill("T7654320")
    page.get_by_role("button", name="Get my I-94").click()
    expect(page.get_by_role("heading", name="No record matches these details")).to_be_visible()
    expect(page.get_by_label("Surname")).to_have_value("Muller")
    page.get_by_label("Passport number").fill("T7654321")
    page.get_by_role("button", name="Get my I-94").click()
    standing = page.locator("[data-standing]")
    expect(standing).to_have_attribute("data-standing", "admitted")
    expect(standing).to_contain_text("37 days remaining")
    expect(page.get_by_role("table", name="Your arrivals and departures, newest first")
           ).to_contain_text("IAD")
    check_accessibility(page)
    screenshot(page, "traveller-i94")
    outcomes = [d["outcome"] for d in audit_details(site.registry,
                                                    "self_service.i94_lookup")]
    assert outcomes == ["no_match", "found"]


def test_a_traveller_past_the_admit_until_date_is_told_how_long_they_have_overstayed(
        page: Page, site: LiveSite) -> None:
    admit_visitor(site.registry, "T1111111", surname="DUPONT", given_names="Claire",
                  born=date(1990, 7, 14), day="2026-01-10", admit_until=date(2026, 7, 9))
    page.goto("/traveller")
    page.get_by_label("Surname").fill("DUPONT")
    page.get_by_label("Given names").fill("CLAIRE")
    page.get_by_label("Date of birth").fill("1990-07-14")
    page.get_by_label("Passport number").fill("T1111111")
    page.get_by_role("button", name="Get my I-94").click()
    standing = page.locator("[data-standing]")
    expect(standing).to_have_attribute("data-standing", "overstayed")
    expect(standing).to_contain_text("138 days past your admit-until date")
