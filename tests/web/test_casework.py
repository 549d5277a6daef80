"""Compliance casework in the browser (issue 17): call-in registration, waivers requested
and decided, and violations assessed for willfulness, each gated by role and audited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from nseers.registry.registrations import SpecialRegistration, Violation, WaiverRequest
from web.conftest import LiveSite
from web.helpers import (
    audit_actions,
    check_accessibility,
    choose,
    count,
    face_png,
    finger_png,
    register_iranian,
    sign_in,
)


def _nav(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name=name, exact=True)


def _fill_call_in(page: Page, registered_on: str) -> None:
    page.get_by_label("Surname").fill("KHAN")
    page.get_by_label("Given names").fill("IMRAN")
    page.get_by_label("Date of birth").fill("1975-03-03")
    page.get_by_label("Sex").select_option("M")
    page.get_by_label("Citizenships").fill("PAK")
    page.get_by_label("Passport number").fill("PK7777777")
    page.get_by_label("Passport issuer").fill("PAK")
    page.get_by_label("Registered on").fill(registered_on)
    page.get_by_label("Place of registration").fill("New York district office")
    page.get_by_label("Class of admission").fill("F1")
    page.get_by_label("Last admitted on").fill("2002-08-20")
    page.get_by_label("Address in the United States").fill("5 Elm St, Queens, NY")
    page.get_by_label("Purpose of stay").fill("student")


def test_a_late_call_in_registration_is_recorded_and_its_violation_assessed(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "compliance")
    _nav(page, "Call-in registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call-in registration")
    page.get_by_label("Surname").fill("KHAN")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#error-summary")).to_contain_text("nothing was recorded")
    expect(page.locator("#f-passport_number-error")).to_contain_text("required")
    expect(page.get_by_label("Surname")).to_have_value("KHAN")
    check_accessibility(page)
    assert count(site.registry, SpecialRegistration) == 0

    _fill_call_in(page, "2003-06-02")
    # No FIN without the photograph and the prints (8 CFR 264.1(f)(4); issue 15).
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#f-photograph-error")).to_contain_text("8 CFR 264.1(f)")
    expect(page.locator("#f-fingerprints-error")).to_contain_text("capture it first")
    assert count(site.registry, SpecialRegistration) == 0
    page.set_input_files("#f-photograph", files=[
        {"name": "face.png", "mimeType": "image/png", "buffer": face_png()}])
    page.set_input_files("#f-fingerprints", files=[
        {"name": "prints.png", "mimeType": "image/png", "buffer": finger_png()}])
    check_accessibility(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Call-in registration recorded")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("call-in Group 3")
    expect(page.get_by_role("status")).to_contain_text("Late")
    expect(page.get_by_role("status")).to_contain_text("willfulness must be assessed")
    assert count(site.registry, SpecialRegistration) == 1

    _nav(page, "Violations").click()
    section = page.locator("section[data-violation]").filter(has_text="KHAN")
    expect(section).to_contain_text("Call-in registration")
    section.get_by_role("button", name="Record the assessment").click()
    expect(page.locator("#error-summary")).to_contain_text("nothing was recorded")
    check_accessibility(page)
    section = page.locator("section[data-violation]").filter(has_text="KHAN")
    choose(page, "Not willful")
    section.get_by_label("Assessment of").fill("Registered as soon as he learnt of the "
                                                "notice; letter from the school on file.")
    section.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_role("status").first).to_contain_text("assessed not willful")
    expect(page.get_by_role("status").first).to_contain_text("does not count")
    assert count(site.registry, Violation, Violation.willfulness == "not_willful") == 1
    page.goto("/compliance/violations?willfulness=not_willful")
    expect(page.locator("section[data-violation]").filter(has_text="KHAN")).to_contain_text(
        "letter from the school")
    actions = audit_actions(site.registry, "compliance")
    for action in ("registration.create", "violation.record", "violation.queue_read",
                   "violation.assess"):
        assert action in actions


def test_a_waiver_is_requested_by_compliance_and_decided_by_the_district_director(
        page: Page, site: LiveSite) -> None:
    fin, _ = register_iranian(site.registry, "W1000001", surname="TEHRANI")
    sign_in(page, "compliance")
    page.goto("/compliance?as_of=2003-07-20")
    page.locator(f'#queue tr[data-fin="{fin}"]').get_by_role(
        "link", name="Request waiver").click()
    expect(page.get_by_label("FIN")).to_have_value(fin)
    expect(page.get_by_label("Obligation")).to_have_value("thirty_day_report")
    page.get_by_role("button", name="Request the waiver").click()
    expect(page.locator("#f-grounds-error")).to_contain_text("required")
    expect(page.get_by_label("FIN")).to_have_value(fin)
    check_accessibility(page)
    page.get_by_label("Grounds").fill("In hospital from 2003-07-01 to 2003-07-30.")
    page.get_by_role("button", name="Request the waiver").click()
    expect(page.get_by_role("status")).to_contain_text("pending the district director")
    section = page.locator("section[data-waiver]").filter(has_text="TEHRANI")
    expect(section).to_contain_text("Pending the district director's decision")
    expect(section.get_by_role("button", name="Record the decision")).to_have_count(0)
    assert count(site.registry, WaiverRequest) == 1

    page.context.clear_cookies()
    sign_in(page, "director")
    expect(_nav(page, "Violations")).to_have_count(0)
    _nav(page, "Waivers").click()
    section = page.locator("section[data-waiver]").filter(has_text="TEHRANI")
    choose(page, "Grant the waiver")
    section.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#error-summary")).to_contain_text("Reasons")
    check_accessibility(page)
    section = page.locator("section[data-waiver]").filter(has_text="TEHRANI")
    section.get_by_label("Reasons for the decision").fill("Hospital records confirm it.")
    section.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("granted")
    assert count(site.registry, WaiverRequest, WaiverRequest.status == "granted") == 1
    page.goto("/compliance/waivers?status=granted")
    expect(page.locator("section[data-waiver]").filter(has_text="TEHRANI")).to_contain_text(
        "Hospital records confirm it.")
    assert "waiver.decide" in audit_actions(site.registry, "director")


@pytest.mark.usefixtures("site")
def test_the_casework_pages_are_refused_to_roles_without_the_permission(page: Page) -> None:
    sign_in(page, "primary")
    expect(_nav(page, "Waivers")).to_have_count(0)
    for path in ("/compliance/call-in", "/compliance/waivers", "/compliance/violations"):
        answer = page.goto(path)
        assert answer is not None
        assert answer.status == 403
