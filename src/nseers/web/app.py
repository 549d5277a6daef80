"""The web pages in a FastAPI application: the routes under ``/`` and ``/static``.

:func:`install_web` adds the pages to an application built elsewhere: a test's, or the
whole site that :mod:`nseers.app` composes from the API's application and the pages. The
pages know nothing of the API (issue 15): what they share with it (the signing secret, the
carrier limiter) is handed in. Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from nseers.services.biometrics import BiometricVault
from nseers.services.context import Registry
from nseers.serving.ratelimit import RateLimiter
from nseers.serving.settings import ServerSettings
from nseers.settings import Settings
from nseers.web.missing import install_missing_page
from nseers.web.routes import ROUTERS
from nseers.web.settings import WebSettings
from nseers.web.site import STATE_KEY, STATIC_PREFIX, TEMPLATES, Site

STATIC_DIRECTORY = TEMPLATES.parent / "static"


def install_web(app: FastAPI, registry: Registry, settings: Settings, *,
                server_settings: ServerSettings | None = None,
                web_settings: WebSettings | None = None,
                carrier_limiter: RateLimiter | None = None,
                biometric_vault: Callable[[], BiometricVault] | None = None) -> None:
    """Add the officer console and the traveller portal to ``app``.

    ``server_settings`` gives the token-signing secret (default: read from the environment,
    as the API does), so that one secret signs the API's bearer tokens and the pages'
    session cookies. ``carrier_limiter`` is the one that counts a carrier account's
    passengers (default: a limiter of the pages' own). ``biometric_vault`` gives the vault
    the capture and verify pages use, on first use: the API's, which :mod:`nseers.app`
    hands in (the pages may not import ``bootstrap``; without one those pages fail).
    Uploads are kept under
    ``settings.data_dir``.
    """
    server_settings = server_settings or ServerSettings.from_mapping()
    limiter = carrier_limiter or RateLimiter(server_settings.carrier_passengers_per_minute)
    site = Site(registry, settings, server_settings.secret_key, web_settings or WebSettings(),
                carrier_limiter=limiter,
                biometric_vault=biometric_vault)
    setattr(app.state, STATE_KEY, site)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIRECTORY), name="static")
    install_missing_page(app)
