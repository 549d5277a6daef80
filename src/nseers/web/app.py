"""The web pages in a FastAPI application: the routes under ``/`` and ``/static``.

:func:`install_web` adds the pages to an application built elsewhere (a test's, or the
API's). :func:`create_site` is the whole site: the API's application
(:func:`nseers.api.app.create_app`) with the pages installed over the same registry, so
that the pages and the API share one database handle, one signing secret and, on SQLite,
one write turn. :func:`site_from_environment` is the factory ``nseers serve`` can hand to
uvicorn. Nothing is built at import time.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from nseers.api.app import app_from_environment, create_app
from nseers.api.ratelimit import RateLimiter
from nseers.api.settings import ApiSettings
from nseers.services.context import Registry
from nseers.settings import Settings
from nseers.web.missing import install_missing_page
from nseers.web.routes import ROUTERS
from nseers.web.settings import WebSettings
from nseers.web.site import STATE_KEY, STATIC_PREFIX, TEMPLATES, Site

STATIC_DIRECTORY = TEMPLATES.parent / "static"


def install_web(app: FastAPI, registry: Registry, settings: Settings, *,
                api_settings: ApiSettings | None = None,
                web_settings: WebSettings | None = None) -> None:
    """Add the officer console and the traveller portal to ``app``.

    ``api_settings`` gives the token-signing secret; pass the API's own, so that one secret
    signs both the API's bearer tokens and the pages' session cookies (default: read from
    the environment, as the API does). Uploads are kept under ``settings.data_dir``.
    """
    api_settings = api_settings or ApiSettings.from_mapping()
    site = Site(registry, settings, api_settings.secret_key, web_settings or WebSettings(),
                carrier_limiter=_carrier_limiter(app, api_settings))
    setattr(app.state, STATE_KEY, site)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIRECTORY), name="static")
    install_missing_page(app)


def _carrier_limiter(app: FastAPI, api_settings: ApiSettings) -> RateLimiter:
    """The API's limiter of carrier checks, so that an account's passengers are counted
    once whether asked about over the API or on the page (issue 17)."""
    limiter = getattr(getattr(app.state, "api", None), "carrier_limiter", None)
    if isinstance(limiter, RateLimiter):
        return limiter
    return RateLimiter(api_settings.carrier_passengers_per_minute)


def _api_registry(app: FastAPI, fallback: Registry) -> Registry:
    """The registry the API's app serves (on SQLite it wraps the one it was given)."""
    state = getattr(app.state, "api", None)
    registry = getattr(state, "registry", None)
    return registry if isinstance(registry, Registry) else fallback


def create_site(registry: Registry, settings: Settings, *,
                api_settings: ApiSettings | None = None,
                web_settings: WebSettings | None = None,
                owns_registry: bool = False) -> FastAPI:
    """The API and the pages over ``registry``: one application, one secret."""
    api_settings = api_settings or ApiSettings.from_mapping()
    app = create_app(registry, api_settings, owns_registry=owns_registry)
    install_web(app, _api_registry(app, registry), settings, api_settings=api_settings,
                web_settings=web_settings)
    return app


def site_from_environment() -> FastAPI:
    """The API and the pages over the registry the environment names (uvicorn's factory,
    like :func:`nseers.api.app.app_from_environment`, which it extends)."""
    app = app_from_environment()
    state = app.state.api
    install_web(app, state.registry, Settings.from_mapping(), api_settings=state.settings)
    return app
