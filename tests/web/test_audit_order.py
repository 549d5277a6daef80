"""The audit log opens on the newest entries, pages back to older ones, and can be read
oldest first (issue 15: it opened oldest first with no way to the newest)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from nseers.core.actors import Actor, Role
from nseers.services.audit import audit_log
from web.conftest import LiveSite
from web.helpers import check_accessibility, sign_in

READER = Actor("reader", Role.AUDITOR, "test setup")


def _seqs(page: Page) -> list[int]:
    return [int(text) for text in page.locator("#audit-entries tbody th").all_inner_texts()]


def test_the_log_opens_newest_first_and_pages_back(page: Page, site: LiveSite) -> None:
    for _ in range(105):  # each read is itself an entry
        audit_log(site.registry, READER, limit=1)
    sign_in(page, "auditor")
    page.goto("/audit")
    expect(page.locator("#audit-order")).to_have_text("Newest first.")
    first_page = _seqs(page)
    assert len(first_page) == 100
    assert first_page == sorted(first_page, reverse=True)
    # The newest entry is the sign-in's or the log's own read, written just now.
    newest = audit_log(site.registry, READER, newest_first=True, limit=2)[1]["seq"]
    assert first_page[0] == newest
    check_accessibility(page)
    page.get_by_role("link", name="Older 100 entries").click()
    older = _seqs(page)
    assert older
    assert max(older) == first_page[-1] - 1
    page.get_by_role("link", name="Oldest entries").click()
    expect(page.locator("#audit-order")).to_have_text("Oldest first.")
    oldest = _seqs(page)
    assert oldest[0] == 1
    assert oldest == sorted(oldest)
    page.get_by_role("link", name="Newest entries").click()
    assert _seqs(page)[0] > first_page[0]
