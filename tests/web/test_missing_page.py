"""A missing page is a page (issue 15): the browser gets the console's 404, the API's
clients still get problem details."""

from __future__ import annotations

import urllib.request
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Page

from web.conftest import LiveSite


def test_a_browser_asking_for_a_missing_page_gets_the_console_s_page(page: Page) -> None:
    answer = page.goto("/no-such-screen")
    assert answer is not None
    assert answer.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert "There is no page at /no-such-screen" in page.locator("main").inner_text()
    assert page.locator("a", has_text="Back to your start page").is_visible()


@pytest.mark.parametrize(("path", "accept"), [("/api/v1/no-such-thing", "text/html"),
                                              ("/no-such-screen", "application/json")])
def test_the_api_and_clients_that_want_no_html_still_get_problem_details(
        site: LiveSite, path: str, accept: str) -> None:
    request = urllib.request.Request(site.url + path,  # noqa: S310 - the test server
                                     headers={"Accept": accept})
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - the test's own server
    with refused.value as answer:
        assert answer.code == 404
        assert answer.headers["content-type"] == "application/problem+json"
