"""The entry-exit review queue in Chromium (issue 12): an analyst compares the two records
and accepts or rejects the link."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.services.linkage_reviews import QueueItem, QueuePublication, publish_queue
from web.conftest import LiveSite
from web.helpers import (
    audit_actions,
    audit_details,
    check_accessibility,
    choose,
    http_session,
    screenshot,
    sign_in,
)

ARRIVAL = {"record_id": "A000007688", "surname": "OLIINYK", "given_names": "VASYL",
           "date_of_birth": "1968-09-15", "sex": "M", "citizenship": "UKR",
           "document_number": "UKR05273402", "document_issuer": "UKR",
           "arrival_date": "2024-03-16", "port": "JFK", "mode": "air",
           "admission_class": "B2", "admit_until": "2024-09-14", "program_end_date": None}
DEPARTURE = {"record_id": "D000003917", "surname": "OLIINYK", "given_names": "VASYL",
             "date_of_birth": "1967-05-09", "sex": "M", "citizenship": "UKR",
             "document_number": "UKR91523929", "document_issuer": "UKR",
             "departure_date": "2024-08-16", "port": "JFK", "mode": "air",
             "source": "carrier_manifest"}


def test_the_analyst_compares_the_two_records_and_rejects_the_link_with_a_reason(
        page: Page, site: LiveSite) -> None:
    publish_queue(site.registry, Actor("a.runner", Role.ANALYST), QueuePublication(
        "FY2024 as of 2024-12-31", (QueueItem(
            "A000007688", "D000003917", 0.828161,
            {"name": "Exact match on name_key", "date_of_birth": "same year",
             "doc": "All other comparisons"}, ARRIVAL, DEPARTURE),)))
    sign_in(page, "analyst")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    navigation.get_by_role("link", name="Link reviews").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("1 pending link")
    page.get_by_role("link", name="Least probable first").click()
    page.get_by_role("link", name="Review item").first.click()

    records = page.get_by_role("table", name="The two records side by side")
    expect(records).to_contain_text("1968-09-15")
    expect(records).to_contain_text("1967-05-09")
    expect(records).to_contain_text("UKR91523929")
    expect(page.get_by_text("0.828")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("same year")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#error-summary")).to_contain_text("nothing was recorded")
    expect(page.locator("#f-reason-error")).to_be_visible()
    expect(page.locator("#f-decision-error")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "entry-exit-review")

    choose(page, "Reject the link: not the same person")
    page.get_by_label("Reason for the decision").fill("born a year apart, another passport")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("is rejected")
    expect(page.get_by_role("heading", level=2)).to_contain_text("0 pending links")
    check_accessibility(page)
    assert "entry_exit.review.decide" in audit_actions(site.registry, "analyst")
    assert "entry_exit.review.read" in audit_actions(site.registry, "analyst")
    decided = audit_details(site.registry, "entry_exit.review.decide")[-1]
    assert (decided["before"], decided["after"]["decision"]) == (None, "reject")

    # A change of mind is a new decision, said as such; the audit keeps the first.
    page.goto(f"{site.url}/entry-exit/reviews/{decided['review_id']}")
    expect(page.get_by_role("status")).to_contain_text("This link was rejected by analyst")
    expect(page.get_by_role("heading", name="Change the decision")).to_be_visible()
    choose(page, "Accept the link: the same person")
    page.get_by_label("Reason for the decision").fill("the passport was renewed in 2023")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("is accepted")
    changed = audit_details(site.registry, "entry_exit.review.decide")[-1]
    assert (changed["before"]["decision"], changed["after"]["decision"]) == ("reject",
                                                                             "accept")


@pytest.mark.parametrize("username", ["primary", "secondary", "departure", "compliance",
                                      "director", "analyst", "auditor", "admin"])
def test_the_review_queue_opens_only_for_analysts(site: LiveSite, username: str) -> None:
    with http_session(site.url, username) as client:
        expected = 200 if username == "analyst" else 403
        assert client.get("/entry-exit/reviews").status_code == expected
        home = client.get("/").text
        assert ('href="/entry-exit/reviews"' in home) == (username == "analyst")
