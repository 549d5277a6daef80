"""Identity merges in Chromium (issue 13): an analyst asks, a second analyst approves."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from nseers.core.actors import Actor, Role
from nseers.registry.encounters import Encounter
from nseers.registry.people import Person, TravelDocument
from nseers.services.identities import (
    MergeDecision,
    MergeRequest,
    approve_merge,
    request_merge,
)
from web.conftest import LiveSite
from web.helpers import (
    admit_visitor,
    audit_actions,
    check_accessibility,
    http_session,
    register_iranian,
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


def test_the_analyst_splits_a_merged_record_by_ticking_what_belongs_to_the_other_person(
        page: Page, site: LiveSite) -> None:
    keep = admit_visitor(site.registry, "M7100001", surname="MARTIN", given_names="Anne",
                         born=date(1980, 1, 1), day="2012-05-01", admit_until=date(2012, 8, 1))
    fold = admit_visitor(site.registry, "M7100002", surname="MARTIN", given_names="Anne",
                         born=date(1980, 1, 1), day="2013-05-01", admit_until=date(2013, 8, 1))
    asked = request_merge(site.registry, Actor("a.colleague", Role.ANALYST), MergeRequest(
        keep, fold, "same name and date of birth", "one woman"))
    approve_merge(site.registry, Actor("a.reviewer", Role.ANALYST),
                  MergeDecision(asked["request_id"], "agreed"))
    sign_in(page, "analyst")
    page.goto(f"{site.url}/identities/merges")
    page.get_by_label("Registry number of the person found to be two people").fill(str(keep))
    page.get_by_role("button", name="Open the split form").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Split person {keep}")
    encounters = page.get_by_role("group", name="Encounters to move")
    # On the label, as a person ticks a USWDS checkbox (the input is drawn off-screen).
    encounters.locator("label", has_text="2013-05-01").click()
    page.get_by_role("group", name="Documents to move").locator(
        "label", has_text="M7100002").click()
    page.get_by_label("Surname").fill("MARTINEZ")
    page.get_by_role("button", name="Split the record").click()
    expect(page.locator("#error-summary")).to_contain_text("nothing was recorded")
    expect(page.locator("#f-reason-error")).to_be_visible()
    expect(encounters.get_by_label("2013-05-01", exact=False)).to_be_checked()
    check_accessibility(page)
    page.get_by_label("Reason").fill("a sister using the same name")
    page.get_by_role("button", name="Split the record").click()
    expect(page.get_by_role("status")).to_contain_text(f"created from person {keep}")
    screenshot(page, "identity-split")
    with site.registry.sessions() as session:
        moved = session.execute(select(Encounter.person_id).join(
            TravelDocument, Encounter.document_id == TravelDocument.id).where(
            TravelDocument.number == "M7100002")).scalar_one()
        assert moved not in (keep, fold)
        assert session.get_one(Person, moved).surname == "MARTINEZ"
    assert "identity.split" in audit_actions(site.registry, "analyst")


@pytest.mark.parametrize("username", ["secondary", "director", "auditor"])
def test_the_split_form_opens_only_for_analysts(site: LiveSite, username: str) -> None:
    with http_session(site.url, username) as client:
        assert client.get("/identities/1/split").status_code == 403


def test_an_annotation_link_with_a_fin_a_merge_retired_opens_the_kept_fins_annotation(
        site: LiveSite) -> None:
    # Two registrations of one man, each with its FIN; the merge keeps the earlier FIN.
    kept_fin, keep = register_iranian(site.registry, "T7200001", day="2003-06-15")
    retired_fin, fold = register_iranian(site.registry, "T7200002", day="2003-09-15",
                                         surname="AHMADY")
    asked = request_merge(site.registry, Actor("a.colleague", Role.ANALYST), MergeRequest(
        keep, fold, "same fingerprints", "one man, two passports"))
    approve_merge(site.registry, Actor("a.reviewer", Role.ANALYST),
                  MergeDecision(asked["request_id"], "agreed"))
    with http_session(site.url, "secondary") as client:
        printed = client.get(f"/people/{fold}/annotation/{retired_fin}")
        assert printed.status_code == 307
        assert printed.headers["location"] == f"/people/{keep}/annotation/{kept_fin}"
        shown = client.get(printed.headers["location"])
        assert shown.status_code == 200
        assert kept_fin in shown.text
        # Under the survivor's own id the retired FIN also finds it.
        assert client.get(f"/people/{keep}/annotation/{retired_fin}").headers[
            "location"] == f"/people/{keep}/annotation/{kept_fin}"
        assert client.get(f"/people/{keep}/annotation/999999999").status_code == 404
    assert "registration.fin_read" in audit_actions(site.registry, "secondary")
