"""The lookout pages: a secondary officer sees a hit with its explanation and adjudicates
it; the watchlist version history (issue 14)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.services.screening import load_watchlist
from web.conftest import LiveSite
from web.helpers import audit_actions, check_accessibility, register_iranian, sign_in

LIST = ("id,name,aliases,date_of_birth,nationality,list,reason\n"
        "w1,Reza Ahmadi,رضا احمدی,1970-05-01,ir,lookout,test entry\n")


def test_a_secondary_officer_adjudicates_a_hit_shown_with_its_reasons(
        page: Page, site: LiveSite) -> None:
    load_watchlist(site.registry, Actor("admin", Role.ADMINISTRATOR), LIST.encode(),
                   "lookout", "lookout.csv")
    register_iranian(site.registry, "B1000001")
    sign_in(page, "secondary")
    page.goto("/screening/hits")
    hit = page.locator("section[id^=hit-]").first
    expect(hit.get_by_role("heading")).to_contain_text("listed w1")
    expect(hit.get_by_role("table")).to_contain_text("exact")
    check_accessibility(page)
    field = hit.get_by_label("False match", exact=True)
    hit.locator(f'label[for="{field.get_attribute("id")}"]').click()
    expect(field).to_be_checked()
    hit.get_by_label("Note").fill("another man of the same name")
    hit.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("false match")
    expect(page.locator("#no-hits")).to_be_visible()
    assert "screening.adjudicated" in audit_actions(site.registry, "secondary")


def test_the_watchlist_history_shows_each_version_and_its_delta(
        page: Page, site: LiveSite) -> None:
    admin = Actor("admin", Role.ADMINISTRATOR)
    load_watchlist(site.registry, admin, LIST.encode(), "lookout", "lookout.csv")
    load_watchlist(site.registry, admin, (LIST + "w2,Ivan Petrov,,1961,ru,lookout,\n").encode(),
                   "lookout", "lookout-2.csv")
    sign_in(page, "admin")
    page.goto("/watchlists")
    newest = page.locator("#versions tbody tr").first
    expect(newest).to_contain_text("lookout-2.csv")
    expect(newest.locator("td").nth(5)).to_have_text("1")  # added: Ivan Petrov
    check_accessibility(page)
