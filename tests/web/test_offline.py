"""The console's review of offline conflicts (issue 17): a secondary officer sees the same
traveller processed at two ports while both were offline, and each workstation's last
time back online, and resolves a conflict with a finding."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.demo.offline import load_offline_journals
from web.conftest import LiveSite
from web.helpers import audit_actions, check_accessibility, sign_in


def test_a_secondary_officer_reviews_and_resolves_an_offline_conflict(
        page: Page, site: LiveSite) -> None:
    load_offline_journals(site.registry)
    sign_in(page, "secondary")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Offline conflicts").click()
    expect(page.get_by_role("heading", name="Offline conflicts", exact=True)).to_be_visible()
    stations = page.locator("#workstations tbody tr")
    expect(stations).to_have_count(2)
    expect(stations.nth(0)).to_contain_text("IAD-WS-DEMO")
    expect(stations.nth(1)).to_contain_text("SFO-WS-DEMO")
    expect(stations.nth(1).locator("td").nth(1)).to_have_text("1")  # one held
    conflicts = page.locator("section[id^=conflict-]")
    expect(conflicts).to_have_count(2)
    expect(conflicts.nth(0).get_by_role("heading")).to_contain_text(
        "Two arrivals, no departure between")
    expect(conflicts.nth(0).get_by_role("table")).to_contain_text("IAD-WS-DEMO")
    expect(conflicts.nth(1)).to_contain_text("held, not recorded")
    expect(conflicts.nth(1).locator(".held-arrival")).to_contain_text(
        "Claire MARTIN, passport FRA OFF0000002")
    check_accessibility(page)
    first = conflicts.nth(0)
    first.get_by_label("Finding on conflict").fill("Same traveller; the Dulles entry was "
                                                   "keyed from the wrong passport.")
    first.get_by_role("button", name="Resolve conflict").click()
    expect(page.get_by_role("status")).to_contain_text("resolved")
    expect(page.locator("section[id^=conflict-]")).to_have_count(1)
    assert "offline.conflict_resolved" in audit_actions(site.registry, "secondary")


def test_the_review_is_not_offered_to_a_primary_officer(page: Page) -> None:
    sign_in(page, "primary")
    expect(page.get_by_role("link", name="Offline conflicts")).to_have_count(0)
    response = page.goto("/offline/conflicts")
    assert response is not None
    assert response.status == 403
