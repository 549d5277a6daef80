"""Correction and redress in Chromium (issue 17): an officer files a request with evidence,
the director finds it in the queue (overdue first), decides it and prints the letter, and
the traveller's own I-94 then shows the corrected date; a traveller files for themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.registry.corrections import CorrectionEvidence
from nseers.services.corrections import CorrectionItemIn, CorrectionRequestCommand, file_correction
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, inspect_arrival
from web.conftest import LiveSite
from web.helpers import (
    SECONDARY,
    audit_actions,
    check_accessibility,
    choose,
    count,
    http_session,
    sign_in,
)

COMPLIANCE = Actor("compliance", Role.COMPLIANCE_OFFICER)


def admit(site: LiveSite, number: str, surname: str) -> int:
    """A French visitor admitted in 2026 until 1 December 2026."""
    answer = inspect_arrival(site.registry, SECONDARY, ArrivalInspection(
        port_code="IAD", occurred_at=datetime(2026, 6, 3, 14, tzinfo=UTC),
        person=PersonFacts(surname=surname, given_names="Anne", date_of_birth=date(1980, 2, 2),
                           sex="F", citizenships=("FRA",)),
        documents=(DocumentFacts("passport", number, "FRA"),),
        admission_class="B2", admit_until=date(2026, 12, 1)))
    return int(answer["person_id"])


def test_an_officer_files_a_request_with_evidence_from_the_persons_page(
        page: Page, site: LiveSite, tmp_path: Path) -> None:
    person_id = admit(site, "W1000001", "WEBER")
    stamp = tmp_path / "stamp.pdf"
    stamp.write_bytes(b"%PDF-1.4\n%%EOF\n")
    sign_in(page, "compliance")
    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name="Request a correction").click()
    expect(page.get_by_label("Person number")).to_have_value(str(person_id))
    page.get_by_label("Requester's name").fill("Anne Weber")
    page.get_by_label("Field 1").select_option("i94.admit_until")
    page.get_by_label("Correct value").first.fill("not a date")
    page.get_by_label("Why the record is wrong").fill("The stamp says March 2027.")
    page.get_by_label("Evidence").set_input_files(str(stamp))
    page.get_by_role("button", name="File the request").click()
    expect(page.locator("#error-summary")).to_contain_text("not a date")
    check_accessibility(page)
    page.get_by_label("Correct value").first.fill("2027-03-01")
    page.get_by_label("Evidence").set_input_files(str(stamp))
    page.get_by_role("button", name="File the request").click()
    expect(page.get_by_role("status")).to_contain_text("recorded")
    expect(page.locator("[data-status]")).to_have_text("Received")
    expect(page.get_by_role("link", name="stamp.pdf")).to_be_visible()
    check_accessibility(page)
    assert count(site.registry, CorrectionEvidence) == 1
    assert "correction.filed" in audit_actions(site.registry, "compliance")


def test_the_director_decides_an_overdue_request_first_and_prints_the_letter(
        page: Page, site: LiveSite) -> None:
    person_id = admit(site, "W2000002", "KELLER")
    recent = file_correction(site.registry, COMPLIANCE, CorrectionRequestCommand(
        (CorrectionItemIn("person.sex", "F"),), "Wrong sex.", "Anne Keller",
        person_id=person_id))
    late = file_correction(site.registry, COMPLIANCE, CorrectionRequestCommand(
        (CorrectionItemIn("i94.admit_until", "2027-02-15"),), "The stamp says February.",
        "Anne Keller", person_id=person_id, representative_name="J. Counsel",
        received_on=date(2026, 10, 1)))
    sign_in(page, "director")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Corrections").click()
    rows = page.locator("table.nseers-corrections tbody tr")
    expect(rows.first).to_have_attribute("data-request", str(late["request_id"]))
    expect(rows.first).to_contain_text("Overdue: acknowledgement, decision")
    expect(page.locator(f'tr[data-request="{recent["request_id"]}"]')).not_to_contain_text(
        "Overdue")
    check_accessibility(page)
    rows.first.get_by_role("link").click()
    page.get_by_role("button", name="Acknowledge receipt").click()
    expect(page.get_by_role("status")).to_contain_text("Receipt acknowledged")
    choose(page, "Accept")
    page.get_by_label("Reasons for the decision").fill("The stamp is legible.")
    check_accessibility(page)
    page.get_by_role("button", name="Record the decision").click()
    letter = page.locator("article.nseers-letter")
    expect(letter).to_have_attribute("data-kind", "decision")
    expect(letter).to_contain_text("J. Counsel")
    expect(letter.get_by_role("table")).to_contain_text("2026-12-01")
    expect(letter.get_by_role("table")).to_contain_text("2027-02-15")
    check_accessibility(page)
    page.get_by_role("link", name="Plain text to print or mail").click()
    expect(page.locator("body")).to_contain_text("corrected from 2026-12-01 to 2027-02-15")

    # The traveller's own view of the I-94 follows the corrected record.
    page.goto("/traveller")
    page.get_by_label("Surname").fill("KELLER")
    page.get_by_label("Given names").fill("Anne")
    page.get_by_label("Date of birth").fill("1980-02-02")
    page.get_by_label("Passport number").fill("W2000002")
    page.get_by_role("button", name="Get my I-94").click()
    expect(page.locator("[data-standing]")).to_contain_text("83 days remaining")


def test_a_traveller_asks_for_their_own_record_to_be_corrected(
        page: Page, site: LiveSite) -> None:
    admit(site, "W3000003", "LANG")
    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Correct my record").click()
    page.get_by_label("Surname").fill("LANG")
    page.get_by_label("Given names").fill("Anne")
    page.get_by_label("Date of birth").fill("1980-02-03")
    page.get_by_label("Passport number").fill("W3000003")
    page.get_by_label("Your name").fill("Anne Lang")
    page.get_by_label("Field 1").select_option("person.given_names")
    page.get_by_label("Correct value").first.fill("Anna")
    page.get_by_label("Why the record is wrong").fill("My name is Anna, as in my passport.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("No record matches")
    page.get_by_label("Date of birth").fill("1980-02-02")
    page.get_by_role("button", name="Send the request").click()
    received = page.locator("[data-reference]")
    expect(received).to_contain_text("received")
    expect(received).to_contain_text("decide it by")
    check_accessibility(page)
    case = received.get_attribute("data-reference")
    assert case is not None
    received.get_by_role("link", name="Follow my request").click()
    page.get_by_label("Reference").fill(case)
    page.get_by_label("Surname").fill("LANG")
    page.get_by_label("Given names").fill("Anne")
    page.get_by_label("Date of birth").fill("1980-02-02")
    page.get_by_label("Passport number").fill("W3000003")
    page.get_by_role("button", name="Show my request").click()
    letter = page.locator("article.nseers-letter")
    expect(letter).to_have_attribute("data-kind", "acknowledgement")
    expect(letter).to_contain_text("from Anne to Anna")
    expect(page.get_by_role("link", name="Plain text to print or mail")).to_have_count(0)
    check_accessibility(page)
    assert "correction.identity_not_proven" in audit_actions(site.registry, "anonymous")


OFFICERS = {"primary", "secondary", "departure", "compliance", "director"}
CORRECTION_SCREENS = {
    "/corrections": {"director"},
    "/corrections/new": {"compliance", "director"},
    "/traveller/correction": {*OFFICERS, "analyst", "auditor", "admin", "traveller"},
    "/traveller/correction/status": {*OFFICERS, "analyst", "auditor", "admin", "traveller"},
}


@pytest.mark.parametrize("username", ["primary", "secondary", "departure", "compliance",
                                      "director", "analyst", "auditor", "admin",
                                      "traveller"])
def test_each_correction_screen_opens_only_for_the_roles_that_may_use_it(
        site: LiveSite, username: str) -> None:
    with http_session(site.url, username) as client:
        for path, allowed in CORRECTION_SCREENS.items():
            answer = client.get(path)
            expected = 200 if username in allowed else 403
            assert answer.status_code == expected, (path, username)
        missing = client.get("/corrections/999999")
        assert missing.status_code == (404 if username in OFFICERS else 403), username
        home = client.get("/").text
        assert ('href="/corrections"' in home) == (username == "director")


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_for_the_queue(
        site: LiveSite) -> None:
    with httpx.Client(base_url=site.url, follow_redirects=False) as client:
        answer = client.get("/corrections")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/signin?next=/corrections")
        assert client.get("/traveller/correction").status_code == 200
