"""A missing page is a page: a browser asking for an address the site does not have gets
the console's own 404 page, not the API's problem document.

The API's answers are unchanged: under ``/api/`` (and for any client that does not ask for
HTML, such as ``curl`` or a script) a 404 is still RFC 9457 problem details. Only a request
that accepts ``text/html`` for a path outside ``/api/`` and the static files gets the page,
rendered for the visitor as they are (signed in or not) with the site's headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from nseers.web.site import STATIC_PREFIX, site_of

ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]
_NOT_PAGES: Final = ("/api/", f"{STATIC_PREFIX}/")


def wants_page(request: Request) -> bool:
    """Whether ``request`` is a browser's, for a page address."""
    return (not request.url.path.startswith(_NOT_PAGES)
            and "text/html" in request.headers.get("accept", ""))


def install_missing_page(app: FastAPI) -> None:
    """Answer a browser's 404 outside the API with the console's page."""
    previous: ErrorHandler | None = app.exception_handlers.get(HTTPException)  # type: ignore[assignment]

    async def answer(request: Request, error: Exception) -> Response:
        if isinstance(error, HTTPException) and error.status_code == 404 \
                and wants_page(request):
            site = site_of(request)
            request.state.nseers_visitor = await run_in_threadpool(site.visitor_of, request)
            response: Response = site.problem_page(
                request, 404, "Page not found",
                f"There is no page at {request.url.path}. Check the address, or go back "
                "to your start page.")
            site.finish(request, response)
            return response
        if previous is None:  # pragma: no cover - the API always installs its handler
            raise error
        return await previous(request, error)

    app.add_exception_handler(HTTPException, answer)
