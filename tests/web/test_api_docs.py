"""The interactive API documentation works offline (issue 15): Swagger UI comes from the
package, not a CDN, and starts under a policy that allows only this server's files."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Route

from web.conftest import LiveSite


def test_the_api_documentation_renders_with_no_request_leaving_the_server(
        page: Page, site: LiveSite) -> None:
    own = urlsplit(site.url).netloc
    elsewhere: list[str] = []

    def only_here(route: Route) -> None:
        target = urlsplit(route.request.url)
        if target.scheme in ("http", "https") and target.netloc != own:
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_here)
    page.goto("/api/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert title.inner_text().startswith("nseers")
    page.locator(".opblock-summary-path", has_text="/api/v1/auth/token").first.wait_for()
    assert elsewhere == []
