"""A person's stays on the officer's timeline and on the traveller's I-94 page (issue 12):
each admission's expected departure date, days remaining or over, and the departure that
closed it with its evidence, in Chromium."""

from __future__ import annotations

from datetime import date, datetime

from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.services.movements import DepartureRecord, record_departure
from web.conftest import LiveSite
from web.helpers import admit_visitor, audit_actions, check_accessibility, sign_in

DEPARTURE_OFFICER = Actor("d.officer", Role.DEPARTURE_OFFICER)


def _late_then_in_stay(site: LiveSite, number: str, surname: str) -> int:
    """Admitted in March 2026 and left five days late; admitted again on 1 October 2026
    until 31 December (the site's today is 24 November 2026)."""
    person_id = admit_visitor(site.registry, number, surname=surname,
                              given_names="Claire", born=date(1985, 4, 4), day="2026-03-01",
                              admit_until=date(2026, 8, 31))
    record_departure(site.registry, DEPARTURE_OFFICER, DepartureRecord(
        port_code="IAD", occurred_at=datetime.fromisoformat("2026-09-05T18:00:00+00:00"),
        person_id=person_id))
    admit_visitor(site.registry, number, surname=surname, given_names="Claire",
                  born=date(1985, 4, 4), day="2026-10-01", admit_until=date(2026, 12, 31))
    return person_id


def test_the_timeline_shows_each_stay_with_the_departure_evidence(
        page: Page, site: LiveSite) -> None:
    person_id = _late_then_in_stay(site, "S1200001", "LEFEVRE")
    sign_in(page, "compliance")

    page.goto(f"/people/{person_id}")

    table = page.get_by_role("table", name="Admissions, newest first, with the expected "
                                           "departure date and the departure")
    late = table.locator('[data-stay="departed_late"]')
    expect(late).to_contain_text("31 August 2026")
    expect(late).to_contain_text("Departed late (out-of-country overstay): 5 days over")
    expect(late).to_contain_text("recorded by d.officer; source: officer; confidence: "
                                 "certain")
    expect(late).to_contain_text("counted in the FY 2026 report")
    current = table.locator('[data-stay="in_stay"]')
    expect(current).to_contain_text("In the stay: 37 days remaining")
    expect(current).to_contain_text("No departure recorded")
    check_accessibility(page)
    assert "person.stays_read" in audit_actions(site.registry, "compliance")


def test_the_traveller_sees_their_own_stays_without_the_officers_names(
        page: Page, site: LiveSite) -> None:
    _late_then_in_stay(site, "S1200002", "GIRARD")
    page.goto("/traveller")
    page.get_by_label("Surname").fill("Girard")
    page.get_by_label("Given names").fill("Claire")
    page.get_by_label("Date of birth").fill("1985-04-04")
    page.get_by_label("Passport number").fill("S1200002")
    page.get_by_role("button", name="Get my I-94").click()

    table = page.get_by_role("table", name="Your admissions, newest first, with the "
                                           "expected departure date and the departure")
    expect(table.locator('[data-stay="departed_late"]')).to_contain_text(
        "5 days over")
    expect(table.locator('[data-stay="departed_late"]')).to_contain_text(
        "5 September 2026 at IAD")
    expect(table.locator('[data-stay="in_stay"]')).to_contain_text("37 days remaining")
    assert "d.officer" not in table.inner_text()
    check_accessibility(page)
