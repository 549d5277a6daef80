"""The traveller portal's own-days pages in Chromium: a code by e-mail (read from the file
outbox, the real delivery path of the development setup), every I-94 with its days and
departure evidence, and the stay calculator with its day-by-day count."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email import message_from_bytes

from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import (
    ArrivalInspection,
    DepartureRecord,
    inspect_arrival,
    record_departure,
)
from web.conftest import LiveSite
from web.helpers import PRIMARY, audit_details, check_accessibility, screenshot, sign_in

EMAIL = "claire.martin@example.org"
PASSPORT = DocumentFacts("passport", "M5550001", "FRA")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def two_trips(site: LiveSite) -> None:
    person = PersonFacts(surname="MARTIN", given_names="Claire", date_of_birth=date(1975, 5, 5),
                         sex="F", citizenships=("FRA",))
    inspect_arrival(site.registry, PRIMARY, ArrivalInspection(
        port_code="IAD", occurred_at=at("2026-06-01"), person=person,
        documents=(PASSPORT, DocumentFacts("visa", None, "USA", "B2")), admission_class="B2",
        admit_until=date(2026, 11, 30), contact_email=EMAIL))
    record_departure(site.registry, Actor("d", Role.DEPARTURE_OFFICER), DepartureRecord(
        "JFK", at("2026-07-15", 18), documents=(PASSPORT,)))
    inspect_arrival(site.registry, PRIMARY, ArrivalInspection(
        port_code="IAD", occurred_at=at("2026-11-10"), person=person,
        documents=(PASSPORT, DocumentFacts("visa", None, "USA", "B2")), admission_class="B2",
        admit_until=date(2026, 12, 31)))


def the_code(site: LiveSite) -> str:
    mails = [message_from_bytes(p.read_bytes())
             for p in sorted((site.data_dir / "outbox").glob("*.eml"))]
    [mail] = [m for m in mails if m["To"] == EMAIL]
    for path in (site.data_dir / "outbox").glob("*.eml"):
        path.unlink()  # each code read once: the next test's code is the only one
    found = re.search(r"\b\d{6}\b", str(mail.get_payload()))
    assert found is not None
    return found.group(0)


def ask_for_a_code(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="My travel days").first.click()
    page.get_by_label("Surname").fill("Martin")
    page.get_by_label("Given names").fill("claire")
    page.get_by_label("Date of birth").fill("1975-05-05")
    page.get_by_label("Passport number").fill("m5550001")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()


def test_a_traveller_with_a_code_sees_every_i94_the_days_left_and_the_departure_evidence(
        page: Page, site: LiveSite) -> None:
    two_trips(site)
    ask_for_a_code(page)
    check_accessibility(page)
    page.get_by_label("Code").fill("12345x")
    page.get_by_role("button", name="Show my days").click()
    expect(page.locator(".usa-error-message")).to_contain_text("digits")
    page.get_by_label("Code").fill(the_code(site))
    page.get_by_role("button", name="Show my days").click()
    open_box = page.get_by_role("region", name=re.compile(r"I-94 \d+"))
    expect(open_box).to_contain_text("37 days remaining")
    expect(open_box).to_contain_text("8 CFR 214.1(a)(3)(i)")
    table = page.get_by_role("table", name=re.compile("Your I-94 records"))
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("departure record")
    expect(table).to_contain_text("at JFK")
    expect(page.get_by_role("table", name="Your arrivals and departures, newest first")
           .locator("tbody tr")).to_have_count(3)
    overlay = page.locator("[data-days-used]")
    # 45 days of the June trip and 15 of this one, in the window from 2026-05-29.
    expect(overlay).to_have_attribute("data-days-used", "60")
    screenshot(page, "traveller-days")
    page.get_by_text("Every day of the window, counted or not").click()
    expect(overlay.locator("tbody tr")).to_have_count(180)
    check_accessibility(page)
    assert [d["outcome"] for d in audit_details(site.registry, "self_service.code_requested")
            ][-1] == "sent"
    assert audit_details(site.registry, "self_service.days_viewed")


def test_the_stay_calculator_counts_a_student_grace_period_and_the_90_180_window(
        page: Page) -> None:
    page.goto("/traveller/stay")
    expect(page.get_by_label("Count on")).to_have_value("2026-11-24")
    page.get_by_label("Count on").fill("2026-03-01")
    page.get_by_text("Admitted for the duration of status (D/S)").click()
    page.get_by_label("Class of admission").fill("f-1")
    page.get_by_label("Program end").fill("2026-02-01")
    page.get_by_label("Stays").fill("2025-11-01 to 2025-12-15\n2026-02-20")
    page.get_by_role("button", name="Count my days").click()
    expect(page.locator("[data-standing]")).to_contain_text("32 days remaining")
    expect(page.locator("[data-standing]")).to_contain_text("2026-04-02")
    overlay = page.locator("[data-days-used]")
    expect(overlay).to_have_attribute("data-days-used", "55")
    expect(overlay).to_contain_text("your last day would be 2026-04-05")
    check_accessibility(page)
    screenshot(page, "stay-calculator")
    page.get_by_label("Stays").fill("2026-02-20 to 2026-02-01")
    page.get_by_role("button", name="Count my days").click()
    expect(page.locator("#f-stays-error")).to_contain_text("before the day of entry")


def test_a_signed_in_traveller_links_the_account_with_a_code_and_then_needs_none(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "traveller")
    ask_for_a_code(page)
    page.get_by_label("Code").fill(the_code(site))
    page.get_by_role("button", name="Show my days").click()
    expect(page.get_by_text("Your account is linked to this record.")).to_be_visible()
    page.goto("/traveller/days")
    expect(page.get_by_role("heading", name="Open admissions")).to_be_visible()
    expect(page.get_by_label("Passport number")).to_have_count(0)
    check_accessibility(page)
    assert [d["via"] for d in audit_details(site.registry, "self_service.days_viewed")
            ][-2:] == ["code", "account"]
