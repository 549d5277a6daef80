"""The departure desk: find the registrant, see whether this port today complies, record."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from nseers.registry.encounters import Encounter
from nseers.registry.registrations import Violation
from web.conftest import LiveSite
from web.helpers import audit_actions, check_accessibility, register_iranian, screenshot, sign_in


def find(page: Page, fin: str, port: str, when: str) -> None:
    page.goto("/departure")
    page.get_by_label("FIN").fill(fin)
    page.get_by_label("Port of departure").select_option(port)
    page.get_by_label("Date and time of departure (UTC)").fill(when)
    page.get_by_role("button", name="Find and check").click()


def test_the_desk_shows_compliance_for_the_port_and_day_before_recording_the_departure(
        page: Page, site: LiveSite) -> None:
    fin, person_id = register_iranian(site.registry, "D1000001")
    sign_in(page, "departure")
    find(page, fin, "JFK", "2003-09-01T18:00")
    panel = page.locator("#departure-check")
    expect(panel.locator("[data-compliance]")).to_have_attribute("data-compliance", "compliant")
    expect(panel).to_contain_text("Compliant: this port, this day")
    expect(panel).to_contain_text(f"FIN {fin}")
    # Another port, not among those loaded for that day (the list is partial): the answer
    # changes at once, before anything is written.
    page.get_by_label("Port of departure").select_option("IAD")
    expect(panel.locator("[data-compliance]")).to_have_attribute("data-compliance",
                                                                 "undetermined")
    page.get_by_label("Port of departure").select_option("JFK")
    expect(panel.locator("[data-compliance]")).to_have_attribute("data-compliance", "compliant")
    with site.registry.sessions() as session:
        assert session.execute(select(Encounter).where(
            Encounter.person_id == person_id, Encounter.kind == "departure")).first() is None
    check_accessibility(page)
    screenshot(page, "departure-desk")
    page.get_by_role("button", name="Record the departure").click()
    expect(page.get_by_role("heading", name="Departure registration: Compliant")).to_be_visible()
    expect(page.get_by_text("I-94 surrendered")).to_be_visible()
    check_accessibility(page)
    with site.registry.sessions() as session:
        departure = session.execute(select(Encounter).where(
            Encounter.person_id == person_id, Encounter.kind == "departure")).scalar_one()
    assert (departure.port_code, departure.officer) == ("JFK", "departure")
    actions = audit_actions(site.registry, "departure")
    assert "person.timeline" in actions
    assert "departure.record" in actions


def test_a_departure_through_a_port_the_partial_list_cannot_decide_records_no_violation(
        page: Page, site: LiveSite) -> None:
    # Washington Dulles is not among the ports loaded for 2003 (the 68 FR 8047 list is
    # loaded only from A to L): undetermined, never a violation (issue 15).
    fin, person_id = register_iranian(site.registry, "D1000002", surname="KARIMI")
    sign_in(page, "departure")
    find(page, fin, "IAD", "2003-10-01T18:00")
    expect(page.locator("[data-compliance]")).to_have_attribute("data-compliance",
                                                                "undetermined")
    expect(page.get_by_text("not a violation").first).to_be_visible()
    page.get_by_role("button", name="Record the departure").click()
    expect(page.get_by_role("heading", name="Departure registration: Undetermined")
           ).to_be_visible()
    expect(page.get_by_text("Violation recorded")).to_have_count(0)
    with site.registry.sessions() as session:
        assert session.execute(select(Violation).where(
            Violation.person_id == person_id)).first() is None


def test_an_unknown_fin_is_reported_on_its_field(page: Page) -> None:
    sign_in(page, "departure")
    find(page, "99999999999", "JFK", "2003-09-01T18:00")
    expect(page.locator("#f-fin-error")).to_contain_text("nobody in the registry has it")
    expect(page.get_by_label("FIN")).to_have_value("99999999999")
