"""Field lengths (issue 15): a 5,000-character name is an input error named on its field,
nothing is recorded, and the page keeps its width."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.registry.encounters import Encounter
from web.conftest import LiveSite
from web.helpers import choose, count, sign_in


def test_a_name_longer_than_the_standard_allows_is_refused_on_its_field(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    page.goto("/inspect")
    page.get_by_label("Port of entry").select_option("IAD")
    page.get_by_label("Date and time of inspection (UTC)").fill("2010-04-01T10:00")
    page.locator("#f-surname").fill("M" * 5000)
    page.locator("#f-given_names").fill("ANNE")
    page.get_by_label("Date of birth").fill("1980-02-02")
    page.get_by_label("Citizenships").fill("FRA")
    page.get_by_label("Document number").fill("P" + "7" * 60)
    page.get_by_label("Issuing state").fill("FRA")
    choose(page, "Refuse admission")
    page.locator("#f-refusal_reason").fill("test")
    before = count(site.registry, Encounter)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#error-summary")).to_contain_text("nothing was recorded")
    expect(page.locator("#f-surname-error")).to_contain_text(
        "at most 200 characters (this is 5000)")
    expect(page.locator("#f-doc_number-error")).to_contain_text("at most 40 characters")
    assert count(site.registry, Encounter) == before
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
