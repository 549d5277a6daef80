"""The carrier's boarding check page in Chromium: one passenger, a manifest upload, the
answer and nothing more, the audit trail, and the page refused to every other role."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.demo.casework import PASSENGERS, load_casework
from web.conftest import LiveSite
from web.helpers import audit_details, check_accessibility, sign_in


def test_a_carrier_checks_one_passenger_and_then_a_manifest(page: Page, site: LiveSite) -> None:
    load_casework(site.registry, 5)
    sign_in(page, "carrier.aal")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Boarding check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boarding check")
    overstayer = PASSENGERS[1]
    page.get_by_label("Document number").fill(overstayer.number)
    page.get_by_label("Issuing country").fill("FRA")
    page.get_by_label("Nationality").fill("FR")
    page.get_by_label("Surname").fill(overstayer.surname)
    page.get_by_label("Date of birth").fill(overstayer.date_of_birth.isoformat())
    page.get_by_role("button", name="Check the passenger").click()
    expect(page.locator("#f-nationality-error")).to_contain_text("3-letter")
    check_accessibility(page)
    page.get_by_label("Nationality").fill("FRA")
    page.get_by_role("button", name="Check the passenger").click()
    answer = page.locator("#carrier-answer")
    expect(answer).to_contain_text("Not ok to board")
    expect(answer).to_contain_text("contact_border_authority")
    expect(page.locator("main")).not_to_contain_text("overstay")
    check_accessibility(page)

    today = site.clock().date().isoformat()
    lines = [("document_number,issuing_country,nationality,surname,date_of_birth,"
             "intended_travel_date")]
    lines += [f"{p.number},FRA,FRA,{p.surname},{p.date_of_birth.isoformat()},{today}"
              for p in PASSENGERS]
    lines.append(f"X1,FRA,FRA,NOBODY,not-a-date,{today}")
    page.get_by_label("Manifest", exact=True).set_input_files(files=[{
        "name": "manifest.csv", "mimeType": "text/csv",
        "buffer": ("\n".join(lines) + "\n").encode()}])
    page.get_by_role("button", name="Check the manifest").click()
    table = page.locator("#manifest-answers")
    for index, passenger in enumerate(PASSENGERS):
        expect(table.locator(f'tr[data-row="{index}"]')).to_contain_text(
            passenger.expected.replace("_", " ").capitalize())
    expect(table.locator(f'tr[data-row="{len(PASSENGERS)}"]')).to_contain_text(
        "date_of_birth: not a date")
    check_accessibility(page)
    checks = audit_details(site.registry, "carrier.check")
    assert len(checks) == 1 + len(PASSENGERS)
    assert all(overstayer.number not in str(detail) for detail in checks)


def test_the_boarding_check_is_for_carrier_accounts_only(page: Page, site: LiveSite) -> None:
    assert site.url
    sign_in(page, "compliance")
    answer = page.goto("/carrier")
    assert answer is not None
    assert answer.status == 403
