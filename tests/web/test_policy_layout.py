"""The law-in-force page keeps every value inside its column (issue 15: long country lists
and class lists ran over the next columns)."""

from __future__ import annotations

from playwright.sync_api import Page

from web.helpers import sign_in

OVERFLOWING = """Array.from(document.querySelectorAll('#parameters td, #parameters th'))
  .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
  .map(cell => cell.innerText.slice(0, 60))"""


def test_no_cell_of_the_parameters_table_runs_over_its_column(page: Page) -> None:
    sign_in(page, "admin")
    page.goto("/admin/policy")
    page.locator("#parameters").wait_for()
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
