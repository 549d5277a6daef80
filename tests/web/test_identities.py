"""Identity merges in Chromium (issue 13): an analyst asks, a second analyst approves."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.registry.people import Person
from nseers.services.identities import MergeRequest, request_merge
from web.conftest import LiveSite
from web.helpers import (
    admit_visitor,
    audit_actions,
    check_accessibility,
    http_session,
    screenshot,
    sign_in,
)


def test_the_analyst_asks_sees_both_records_cannot_approve_alone_and_approves_another(
        page: Page, site: LiveSite) -> None:
    keep = admit_visitor(site.registry, "M7000001", surname="DUPONT", given_names="Claire",
                         born=date(1985, 3, 3), day="2012-05-01", admit_until=date(2012, 8, 1))
    fold = admit_visitor(site.registry, "M7000002", surname="DUPOND", given_names="Claire",
                         born=date(1985, 3, 3), day="2013-05-01", admit_until=date(2013, 8, 1))
    sign_in(page, "analyst")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    navigation.get_by_role("link", name="Identity merges").click()
    page.get_by_label("Person to keep").fill(str(keep))
    page.get_by_role("button", name="Request the merge").click()
    expect(page.locator("#f-absorbed_id-error")).to_be_visible()
    page.get_by_label("Person to keep").fill(str(keep))
    page.get_by_label("Person to fold into it").fill(str(fold))
    page.locator("textarea[name=evidence]").fill("face distance 0.29 at enrolment")
    page.locator("textarea[name=reason]").fill("one woman, two spellings")
    page.get_by_role("button", name="Request the merge").click()
    expect(page.get_by_role("status")).to_contain_text("A second analyst must approve it")
    pending = page.get_by_role("region", name="Merge request")
    expect(pending).to_contain_text("DUPONT, Claire")
    expect(pending).to_contain_text("DUPOND, Claire")
    expect(pending).to_contain_text("M7000002")
    expect(pending).to_contain_text("1985-03-03")
    check_accessibility(page)
    screenshot(page, "identity-merges")

    pending.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_contain_text("a second user must review it")
    with site.registry.sessions() as session:
        assert session.get_one(Person, fold).merged_into is None

    # A merge another analyst asked for is this analyst's to approve.
    other = admit_visitor(site.registry, "M7000003", surname="DUPONTE", given_names="Claire",
                          born=date(1985, 3, 3), day="2014-05-01", admit_until=date(2014, 8, 1))
    asked = request_merge(site.registry, Actor("a.colleague", Role.ANALYST), MergeRequest(
        keep, other, "same fingerprints", "third spelling"))
    page.reload()
    theirs = page.get_by_role("region", name=f"Merge request {asked['request_id']}")
    theirs.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text(f"person {other} is now person {keep}")
    with site.registry.sessions() as session:
        assert session.get_one(Person, other).merged_into == keep
    assert "identity.merge" in audit_actions(site.registry, "analyst")


@pytest.mark.parametrize("username", ["primary", "secondary", "departure", "compliance",
                                      "director", "analyst", "auditor", "admin"])
def test_the_merge_queue_opens_only_for_analysts(site: LiveSite, username: str) -> None:
    with http_session(site.url, username) as client:
        expected = 200 if username == "analyst" else 403
        assert client.get("/identities/merges").status_code == expected
        home = client.get("/").text
        assert ('href="/identities/merges"' in home) == (username == "analyst")
