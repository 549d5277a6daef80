"""The interactive API documentation (Swagger UI), served from the package, never a CDN.

FastAPI's default page loads Swagger UI from jsDelivr and starts it with an inline script:
offline (a port's isolated network) it is blank, and under the console's
Content-Security-Policy (``script-src 'self'``) the inline script would be refused anyway.
Here the assets come from the ``fastapi-offline`` package, which ships Swagger UI 5's
release files (version 5 reads OpenAPI 3.1, the version FastAPI writes; the
``swagger-ui-bundle`` package's 4.15 cannot), and only its files are used. The start-up
script is a file of its own, and the page carries its own policy: this server's files
only, with inline styles allowed because Swagger UI's components set ``style``
attributes. The online validator badge is turned off (it would call validator.swagger.io).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Final

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_PATH: Final = "/api/docs"
ASSETS_PATH: Final = "/api/docs-assets"
#: Swagger UI's files as the package ships them.
ASSETS: Final = Path(fastapi_offline.__file__).parent / "static"
DOCS_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")

_START: Final = """\
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.openapi,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null
  });
});
"""


def install_docs(app: FastAPI, openapi_url: str, title: str) -> None:
    """Serve the documentation page at :data:`DOCS_PATH` and its assets below it."""
    page = (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)} API</title><link rel=\"icon\" href=\"data:,\">"
        f"<link rel=\"stylesheet\" href=\"{ASSETS_PATH}/swagger-ui.css\"></head>"
        f"<body data-openapi=\"{escape(openapi_url)}\"><div id=\"swagger-ui\"></div>"
        f"<script src=\"{ASSETS_PATH}/swagger-ui-bundle.js\"></script>"
        f"<script src=\"{ASSETS_PATH}/start.js\"></script></body></html>\n")

    @app.get(DOCS_PATH, include_in_schema=False)
    def documentation() -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_POLICY})

    @app.get(f"{ASSETS_PATH}/start.js", include_in_schema=False)
    def start() -> Response:
        return Response(_START, media_type="text/javascript")

    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="api-docs-assets")
