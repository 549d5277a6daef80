"""Signing in and out, the idle time-out, the cookie's flags, CSRF, and what each role sees."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from nseers.registry.encounters import Encounter
from web.conftest import LiveSite
from web.helpers import audit_actions, check_accessibility, count, http_session, screenshot, sign_in

#: Each screen, and the demonstration accounts whose role may use it.
SCREENS = {
    "/inspect": {"primary", "secondary"},
    "/secondary": {"secondary"},
    "/departure": {"departure"},
    "/compliance": {"compliance"},
    "/i68/apply": {"primary", "secondary", "director", "traveller"},
    "/i68/queue": {"director"},
    "/people": {"primary", "secondary", "departure", "compliance", "director"},
    "/dashboard": {"primary", "secondary", "departure", "compliance", "director", "analyst"},
    "/audit": {"auditor"},
    "/admin/users": {"admin"},
    "/admin/policy": {"admin"},
}
ACCOUNTS = ("primary", "secondary", "departure", "compliance", "director", "analyst",
            "auditor", "admin", "traveller")


def test_an_officer_signs_in_and_the_start_page_lists_only_the_screens_of_the_role(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "departure")
    navigation = page.get_by_role("navigation", name="Primary navigation")
    expect(navigation.get_by_role("link", name="Departure desk")).to_be_visible()
    expect(navigation.get_by_role("link", name="Primary inspection")).to_have_count(0)
    expect(navigation.get_by_role("link", name="Audit log")).to_have_count(0)
    assert "auth.sign_in" in audit_actions(site.registry, "departure")
    check_accessibility(page)
    screenshot(page, "start")


def test_the_sign_in_page_is_accessible_and_a_wrong_password_keeps_the_username(
        page: Page) -> None:
    page.goto("/signin")
    check_accessibility(page)
    screenshot(page, "sign-in")
    page.get_by_label("Username").fill("primary")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_contain_text("invalid username, password or code")
    expect(page.get_by_label("Username")).to_have_value("primary")
    expect(page.get_by_label("Password")).to_have_value("")
    check_accessibility(page)


def test_the_session_cookie_is_http_only_same_site_strict_and_ends_when_idle(
        page: Page, context: BrowserContext) -> None:
    sign_in(page, "primary")
    session = next(c for c in context.cookies() if c["name"] == "nseers_session")
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert session["expires"] > 0


def test_a_session_ends_after_fifteen_minutes_without_activity(page: Page,
                                                               site: LiveSite) -> None:
    sign_in(page, "primary")
    site.clock.advance(timedelta(minutes=16))
    page.goto("/inspect")
    expect(page).to_have_url(f"{site.url}/signin?next=/inspect&expired=1")
    expect(page.get_by_role("status").or_(page.locator(".usa-alert"))).to_contain_text(
        "without activity")
    sign_in(page, "primary")


def test_activity_keeps_a_session_alive_past_the_idle_time_out(page: Page,
                                                               site: LiveSite) -> None:
    sign_in(page, "primary")
    for _ in range(3):
        site.clock.advance(timedelta(minutes=10))
        page.goto("/people")
        expect(page.get_by_role("heading", name="Find a person")).to_be_visible()


def test_signing_out_ends_the_session(page: Page, site: LiveSite) -> None:
    sign_in(page, "analyst")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_url(f"{site.url}/signin?next=/dashboard")


def test_a_form_posted_without_the_csrf_token_is_refused_and_records_nothing(
        page: Page, site: LiveSite) -> None:
    sign_in(page, "primary")
    before = count(site.registry, Encounter)
    answer = page.request.post("/inspect", form={
        "port_code": "JFK", "occurred_at": "2026-11-24T10:00", "surname": "FORGED",
        "decision": "refer", "doc_kind": "passport"})
    assert answer.status == 403
    assert "This form has expired" in answer.text()
    forged = page.request.post("/inspect", form={"csrf_token": "0" * 64, "surname": "X"})
    assert forged.status == 403
    assert count(site.registry, Encounter) == before


@pytest.mark.parametrize("username", ACCOUNTS)
def test_each_screen_opens_for_the_roles_that_may_use_it_and_refuses_the_others(
        site: LiveSite, username: str) -> None:
    with http_session(site.url, username) as client:
        for path, allowed in SCREENS.items():
            answer = client.get(path)
            if username in allowed:
                assert answer.status_code == 200, (path, username)
            else:
                assert answer.status_code == 403, (path, username)
                assert "Not available to your role" in answer.text
        home = client.get("/").text
        for path, allowed in SCREENS.items():
            assert (f'href="{path}"' in home) == (username in allowed), (path, username)


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_first(site: LiveSite) -> None:
    with httpx.Client(base_url=site.url) as client:
        for path in SCREENS:
            answer = client.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/signin?next={path}"
        assert client.get("/traveller").status_code == 200


def test_pages_forbid_framing_and_scripts_from_elsewhere(site: LiveSite) -> None:
    with httpx.Client(base_url=site.url) as client:
        headers = client.get("/signin").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
