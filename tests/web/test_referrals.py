"""A primary officer hands a traveller to secondary (issue 15): the referral queue, the
secondary inspection opened from a server-side reference (no name or passport number in
any address), and no decision preselected."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.registry.registrations import SpecialRegistration
from web.conftest import LiveSite
from web.helpers import check_accessibility, choose, count, face_png, finger_png, sign_in

NUMBER = "R7000001"


def fill_registrant(page: Page) -> None:
    page.get_by_label("Port of entry").select_option("JFK")
    page.get_by_label("Date and time of inspection (UTC)").fill("2003-06-15T10:00")
    page.locator("#f-surname").fill("REFERRED")
    page.locator("#f-given_names").fill("REZA")
    page.get_by_label("Date of birth").fill("1970-05-01")
    page.get_by_label("Sex").select_option("M")
    page.get_by_label("Citizenships").fill("IRN")
    page.get_by_label("Document number").fill(NUMBER)
    page.get_by_label("Issuing state").fill("IRN")
    page.get_by_label("Class of admission").fill("B2")
    page.get_by_label("Admit until").fill("2003-12-14")


def test_a_referral_goes_to_the_secondary_queue_by_reference_and_is_taken_from_there(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    page.goto("/inspect")
    expect(page.get_by_role("radio", name="Admit")).not_to_be_checked()
    fill_registrant(page)
    choose(page, "Refer to secondary inspection")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#referral-handoff")).to_contain_text(
        "in the secondary inspection queue at JFK")
    hrefs = page.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not [h for h in hrefs if NUMBER in h or "REFERRED" in h]
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "secondary")
    page.goto("/secondary/referrals")
    row = page.locator("#referrals tbody tr", has_text="REFERRED, REZA")
    expect(row).to_contain_text("JFK")
    check_accessibility(page)
    row.get_by_role("link").click()
    assert "referral=" in page.url
    assert NUMBER not in page.url
    assert "REFERRED" not in page.url
    expect(page.locator("#f-surname")).to_have_value("REFERRED")
    expect(page.get_by_label("Document number")).to_have_value(NUMBER)
    expect(page.get_by_label("Citizenships")).to_have_value("IRN")
    expect(page.get_by_role("radio", name="Admit")).not_to_be_checked()
    page.set_input_files("#f-photograph", files=[
        {"name": "face.png", "mimeType": "image/png", "buffer": face_png()}])
    page.set_input_files("#f-fingerprints", files=[
        {"name": "prints.png", "mimeType": "image/png", "buffer": finger_png()}])
    page.get_by_label("Date and time of inspection (UTC)").fill("2003-06-15T11:00")
    page.get_by_label("Address in the United States").fill("1 Main St, New York, NY")
    page.get_by_label("Purpose of the visit").fill("tourism")
    before = count(site.registry, SpecialRegistration)
    choose(page, "Admit")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("[data-fin]").first).to_be_visible()
    assert count(site.registry, SpecialRegistration) == before + 1
    page.goto("/secondary/referrals")
    expect(page.locator("#referrals tbody tr", has_text="REFERRED, REZA")).to_have_count(0)
