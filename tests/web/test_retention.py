"""The administrator's retention dry run and the district director's legal holds, in
Chromium (issue 17, EES Art. 34 overlay)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.registry.people import Person
from nseers.services.erasure import run_retention
from nseers.services.movements import DepartureRecord, record_departure
from web.conftest import LiveSite
from web.helpers import admit_visitor, audit_actions, check_accessibility, screenshot, sign_in


def _old_trip(site: LiveSite, number: str, surname: str) -> int:
    """A visitor who came in 2011 and left the same year: long past 3 years and a day."""
    person = admit_visitor(site.registry, number, surname=surname, given_names="Eva",
                           born=date(1980, 1, 1), day="2011-05-01",
                           admit_until=date(2011, 10, 31))
    record_departure(site.registry, Actor("d", Role.DEPARTURE_OFFICER), DepartureRecord(
        port_code="IAD", occurred_at=datetime(2011, 6, 1, 20, tzinfo=UTC), person_id=person))
    return person


def test_the_administrator_sees_the_dry_run_by_rule_without_names(
        page: Page, site: LiveSite) -> None:
    person = _old_trip(site, "R9000001", "ERASABLE")
    sign_in(page, "admin")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    navigation.get_by_role("link", name="Retention").click()
    page.get_by_label("As of").fill("2026-01-15")
    page.get_by_role("button", name="Show the dry run").click()
    table = page.locator("#rule-retention-ees_entry_exit")
    row = table.locator(f'tr:has(th:text-is("{person}"))')
    expect(row).to_contain_text("Due for erasure")
    expect(row).to_contain_text("2014-06-02")
    expect(page.locator("main")).to_contain_text("Regulation (EU) 2017/2226 Art. 34(1)-(2)")
    assert "ERASABLE" not in page.locator("main").inner_text()
    check_accessibility(page)
    screenshot(page, "retention-dry-run")
    page.get_by_label("As of").fill("2026-02-30")
    page.get_by_role("button", name="Show the dry run").click()
    expect(page.locator("#f-as_of-error")).to_be_visible()
    with site.registry.sessions() as session:  # a dry run erases nothing
        assert session.get(Person, person) is not None
    assert "retention.review" in audit_actions(site.registry, "admin")


def test_the_director_places_and_releases_a_hold_and_the_dry_run_shows_it_held(
        page: Page, site: LiveSite) -> None:
    person = _old_trip(site, "R9000002", "KEPTFILE")
    sign_in(page, "director")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    expect(navigation.get_by_role("link", name="Retention")).to_have_count(0)
    navigation.get_by_role("link", name="Legal holds").click()
    page.get_by_label("Person", exact=False).first.fill(str(person))
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator("#f-reason-error")).to_be_visible()
    expect(page.locator("#f-reference-error")).to_be_visible()
    page.get_by_label("Reference").fill("USDC-DDC 26-cv-55")
    page.locator("textarea[name=reason]").fill("records sought in pending litigation")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_role("status")).to_contain_text(f"placed on person {person}")
    hold = page.get_by_role("region", name="Hold").filter(has_text="KEPTFILE")
    expect(hold).to_contain_text("USDC-DDC 26-cv-55")
    check_accessibility(page)
    screenshot(page, "legal-holds")
    assert "legal_hold.place" in audit_actions(site.registry, "director")

    browser = page.context.browser
    assert browser is not None
    admin = browser.new_context(base_url=site.url)
    admin_page = admin.new_page()
    sign_in(admin_page, "admin")
    admin_page.goto("/retention?as_of=2026-01-15")
    row = admin_page.locator("#rule-retention-ees_entry_exit").locator(
        f'tr:has(th:text-is("{person}"))')
    expect(row).to_contain_text("Held")
    expect(row).to_contain_text("USDC-DDC 26-cv-55")
    admin.close()

    hold.get_by_label("Reason for releasing").fill("litigation concluded")
    hold.get_by_role("button", name="Release").click()
    expect(page.get_by_role("status")).to_contain_text("released")
    expect(page.get_by_role("region", name="Hold").filter(has_text="KEPTFILE")).to_have_count(0)


def test_the_dashboard_still_counts_the_movements_of_an_erased_file(
        page: Page, site: LiveSite) -> None:
    person = _old_trip(site, "R9000003", "GONEFILE")
    answer = run_retention(site.registry, Actor("admin", Role.ADMINISTRATOR), date(2026, 1, 15),
                           apply=True)
    assert person in answer["erased"]
    sign_in(page, "analyst")
    page.goto("/dashboard?from=2011-01-01&to=2011-12-31&first_year=2011&last_year=2011")
    expect(page.locator("#erased-movements")).to_contain_text("movements of files erased")
    table = page.locator("details table").first
    # The numbers sit in a closed <details>; the rows are there all the same.
    expect(table.locator('tr:has(th:text-is("2011-05"))')).to_have_count(1)
    expect(table.locator('tr:has(th:text-is("2011-06"))')).to_have_count(1)
    assert "GONEFILE" not in page.locator("main").inner_text()
