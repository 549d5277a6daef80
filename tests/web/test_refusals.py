"""Refusing entry in the browser (issue 17): from secondary inspection to the refusal form,
a combination the law rules out refused on its field, the refusal recorded once, and the
warning banner when the same passport arrives again."""

from __future__ import annotations

from datetime import UTC, date, datetime

from playwright.sync_api import Page, expect

from nseers.registry.refusals import Refusal
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.refusals import RefusalCommand, record_refusal
from web.conftest import LiveSite
from web.helpers import (
    SECONDARY,
    audit_actions,
    check_accessibility,
    choose,
    count,
    screenshot,
    sign_in,
)


def refer_rossi_at_primary(page: Page) -> None:
    """The refused traveller's facts typed at primary (not put in the address: no personal
    data in a URL), and a referral recorded."""
    page.goto("/inspect")
    page.get_by_label("Port of entry").select_option("JFK")
    page.get_by_label("Date and time of inspection (UTC)").fill("2026-11-24T10:00")
    page.locator("#f-surname").fill("ROSSI")
    page.locator("#f-given_names").fill("LUCA")
    page.get_by_label("Date of birth").fill("1975-01-01")
    page.get_by_label("Citizenships").fill("ITA")
    page.get_by_label("Document number").fill("YA1234567")
    page.get_by_label("Issuing state").fill("ITA")
    choose(page, "Refer to secondary inspection")
    page.get_by_role("button", name="Record the decision").click()


def test_a_secondary_officer_refuses_entry_and_the_next_arrival_is_warned(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "secondary")
    page.goto("/secondary")
    page.get_by_label("Port of entry").select_option("IAD")
    page.get_by_label("Date and time of inspection (UTC)").fill("2026-11-20T09:00")
    page.locator("#f-surname").fill("ROSSI")
    page.locator("#f-given_names").fill("LUCA")
    page.get_by_label("Date of birth").fill("1975-01-01")
    page.get_by_label("Citizenships").fill("ITA")
    page.get_by_label("Document number").fill("YA1234567")
    page.get_by_label("Issuing state").fill("ITA")
    page.get_by_role("button", name="Refuse entry: record the grounds").click()

    # The facts came along (posted: no token or passport number in the address); the
    # law's coded lists are on the form.
    assert "csrf" not in page.url
    assert "YA1234567" not in page.url
    expect(page.get_by_role("heading", name="Refuse entry", exact=True)).to_be_visible()
    expect(page.locator("#f-surname")).to_have_value("ROSSI")
    expect(page.get_by_label("Document number")).to_have_value("YA1234567")
    expect(page.locator("#prior-refusals")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "refusal")

    # Expedited removal on a criminal ground: the law rules it out, on the grounds field.
    choose(page, "Criminal and related groundsINA 212(a)(2) (8 U.S.C. 1182(a)(2))")
    page.locator('label[for="f-procedure-expedited_removal"]').click()
    page.locator('label[for="f-disposition-returned"]').click()
    page.get_by_role("button", name="Record the refusal").click()
    expect(page.locator("#error-summary")).to_contain_text("expedited removal rests only on")
    expect(page.locator("#f-grounds-error")).to_contain_text("notice_to_appear")
    assert count(site.registry, Refusal) == 0
    expect(page.locator("#f-surname")).to_have_value("ROSSI")

    # The same ground in removal proceedings, the traveller detained.
    page.locator('label[for="f-procedure-notice_to_appear"]').click()
    page.locator('label[for="f-disposition-detained"]').click()
    page.get_by_label("Officer's narrative").fill("Conviction record confirmed.")
    posted = page.evaluate(
        "() => Object.fromEntries(new FormData(document.querySelector('#refusal-form')))")
    page.get_by_role("button", name="Record the refusal").click()
    expect(page.get_by_role("heading", name="Refusal recorded")).to_be_visible()
    expect(page.locator("#refusal-grounds")).to_contain_text("INA 212(a)(2)")
    expect(page.get_by_role("region")).to_contain_text("Notice to Appear")
    assert count(site.registry, Refusal) == 1
    # Submitting the same form again (a double click, a retry) records nothing more.
    again = page.request.post("/refusals/new", form=posted)
    assert again.status == 200
    assert "the refusal was recorded once" in again.text()
    assert count(site.registry, Refusal) == 1
    assert "refusal.record" in audit_actions(site.registry, "secondary")

    # The same passport at primary inspection a few days later: the warning banner.
    sign_in(page, "primary")
    refer_rossi_at_primary(page)
    banner = page.locator("#prior-refusals")
    expect(banner).to_contain_text("Refused entry before: 1 earlier refusal")
    expect(banner).to_contain_text("IAD")
    expect(banner).to_contain_text("Criminal and related grounds")
    check_accessibility(page)
    assert "refusal.prior_shown" in audit_actions(site.registry, "primary")


def test_the_refusal_shows_in_the_timeline_the_dashboard_and_the_travellers_own_history(
        page: Page, site: LiveSite) -> None:
    refused = record_refusal(site.registry, SECONDARY, RefusalCommand(
        port_code="BOS", occurred_at=datetime(2026, 9, 1, 15, 0, tzinfo=UTC),
        person=PersonFacts(surname="DUBOIS", given_names="MARC",
                           date_of_birth=date(1988, 3, 3), citizenships=("FRA",)),
        documents=(DocumentFacts("passport", "FR0099887", "FRA"),),
        grounds=("fraud_or_misrepresentation",), procedure="expedited_removal",
        disposition="credible_fear_referral", narrative="Altered visa foil."))
    page.goto("/traveller")
    page.get_by_label("Surname").fill("DUBOIS")
    page.get_by_label("Given names").fill("MARC")
    page.get_by_label("Date of birth").fill("1988-03-03")
    page.get_by_label("Passport number").fill("FR0099887")
    page.get_by_role("button", name="Get my I-94").click()
    mine = page.locator("#traveller-refusals")
    expect(mine).to_contain_text("BOS")
    expect(mine).to_contain_text("INA 212(a)(6)(C)(i)")
    expect(page.locator("main")).not_to_contain_text("s.officer")
    expect(page.locator("main")).not_to_contain_text("Altered visa foil")
    check_accessibility(page)

    sign_in(page, "primary")
    # A primary officer reads refusals but may not record one: that is secondary's decision.
    forbidden = page.goto("/refusals/new")
    assert forbidden is not None
    assert forbidden.status == 403
    page.goto(f"/people/{refused['person_id']}")
    event = page.locator('[data-event="refusal"]')
    expect(event).to_contain_text("Refused entry at BOS")
    event.get_by_role("link", name="the refusal").click()
    expect(page.locator("#refusal-grounds")).to_contain_text("Fraud or willful")
    expect(page.get_by_role("region")).to_contain_text("credible fear interview")

    sign_in(page, "analyst")
    page.goto("/dashboard?from=2026-01-01&to=2026-12-31")
    expect(page.locator("#refusals-table")).to_contain_text("Fraud or misrepresentation")
    check_accessibility(page)
