"""The compliance queue: due and overdue reports, CSV export, interviews, call-in notices."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.registry.registrations import CallInNotice, Interview
from web.conftest import LiveSite
from web.helpers import (
    audit_actions,
    check_accessibility,
    choose,
    count,
    register_iranian,
    sign_in,
)


def test_the_queue_lists_a_report_due_then_overdue_and_an_interview_clears_it(
        page: Page, site: LiveSite) -> None:
    fin, _ = register_iranian(site.registry, "C1000001")
    sign_in(page, "compliance")
    page.goto("/compliance?as_of=2003-07-20")
    row = page.locator(f'#queue tr[data-fin="{fin}"]')
    expect(row).to_contain_text("30-day report")
    expect(row).to_contain_text("Due")
    page.get_by_label("As of").fill("2003-07-30")
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Filter").click()
    expect(row).to_contain_text("Overdue, 5 days")
    # Before 2003-12-02 there were no interviews on notice (68 FR 67578): the queue says so
    # instead of offering a notice the service would refuse (issue 15).
    expect(row.get_by_role("link", name="Issue call-in notice")).to_have_count(0)
    expect(row).to_contain_text("No call-in notice: no interview on notice was provided for")
    check_accessibility(page)

    export = page.request.get("/compliance.csv?as_of=2003-07-30&status=overdue")
    assert export.ok
    assert "attachment" in export.headers["content-disposition"]
    lines = export.text().splitlines()
    assert lines[0].startswith("fin,surname,given_names,kind")
    assert any(line.startswith(f"{fin},AHMADI,REZA,thirty_day_report") and "overdue" in line
               for line in lines)

    row.get_by_role("link", name="Record interview").click()
    expect(page.get_by_label("FIN")).to_have_value(fin)
    expect(page.get_by_label("Kind")).to_have_value("thirty_day_report")
    page.get_by_label("Held on").fill("2003-07-20")
    page.get_by_label("Place").fill("JFK")
    choose(page, "Completed")
    check_accessibility(page)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("heading", name="Interview recorded")).to_be_visible()
    assert count(site.registry, Interview) == 1

    page.goto("/compliance?as_of=2003-07-30")
    expect(page.locator(f'#queue tr[data-fin="{fin}"]')).to_have_count(0)
    actions = audit_actions(site.registry, "compliance")
    for action in ("compliance.queue_read", "compliance.queue_export", "interview.record"):
        assert action in actions


def test_a_call_in_notice_is_issued_with_the_notice_the_law_requires_and_joins_the_queue(
        page: Page, site: LiveSite) -> None:
    fin, _ = register_iranian(site.registry, "C1000002", surname="RAHIMI")
    sign_in(page, "compliance")
    page.goto(f"/compliance/notice?fin={fin}")
    page.get_by_label("Issued on").fill("2004-03-01")
    page.get_by_label("Appear by").fill("2004-03-03")
    page.get_by_label("Office where the registrant appears").fill("New York district office")
    page.get_by_role("button", name="Issue the notice").click()
    expect(page.locator("#f-appear_by-error")).to_contain_text("the law requires at least 10")
    expect(page.get_by_label("Office where the registrant appears")).to_have_value(
        "New York district office")
    assert count(site.registry, CallInNotice) == 0
    check_accessibility(page)
    page.get_by_label("Appear by").fill("2004-03-20")
    page.get_by_role("button", name="Issue the notice").click()
    expect(page.get_by_role("heading", name="Call-in notice issued")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("appear by 2004-03-20")
    page.goto("/compliance?as_of=2004-03-05&kind=call_in_interview")
    row = page.locator(f'#queue tr[data-fin="{fin}"]')
    expect(row).to_contain_text("Call-in interview")
    expect(row).to_contain_text("Due")
    assert "call_in_notice.issue" in audit_actions(site.registry, "compliance")


def test_a_call_in_notice_left_without_an_appear_by_date_gets_the_law_s_period_from_its_issue_date(
        page: Page, site: LiveSite) -> None:
    fin, _ = register_iranian(site.registry, "C1000003", surname="NOURI")
    sign_in(page, "compliance")
    page.goto(f"/compliance/notice?fin={fin}&issued_on=2003-07-01")
    expect(page.locator(".usa-alert--error")).to_contain_text(
        "No call-in notice can be issued on 2003-07-01: no interview on notice")
    page.goto(f"/compliance/notice?fin={fin}")
    expect(page.get_by_label("Appear by")).to_have_value("")
    page.get_by_label("Issued on").fill("2004-01-15")
    page.get_by_label("Office where the registrant appears").fill("New York district office")
    page.get_by_role("button", name="Issue the notice").click()
    expect(page.get_by_role("heading", name="Call-in notice issued")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("appear by 2004-01-25")
