"""Codes on screen come from one vocabulary (issue 15): no "Designated nationality
(Designated nationality)", no "I94"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from web.conftest import LiveSite
from web.helpers import register_iranian, sign_in


def test_the_compliance_report_names_the_basis_once_and_the_duties_in_words(
        page: Page, site: LiveSite) -> None:
    _, person_id = register_iranian(site.registry, "A7000001", surname="LABELLED")
    sign_in(page, "compliance")
    page.goto(f"/people/{person_id}/report?as_of=2003-08-01")
    main = page.locator("main")
    expect(main).to_contain_text("Designated nationality, port of entry at JFK")
    text = main.inner_text()
    assert "Designated nationality (Designated nationality)" not in text
    assert "30-day report" in text
    assert "Thirty day report" not in text
