"""The whole site: the API and the web pages composed into one application.

The API (:mod:`nseers.api`) and the pages (:mod:`nseers.web`) are sibling adapters that do
not import each other (issue 15, fault 4; the layers contract in ``pyproject.toml``). This is
the one place above both that puts them together: the API's application
(:func:`nseers.api.app.create_app`) with the pages installed over the same registry, so that
the pages and the API share one database handle, one signing secret, one limiter of carrier
checks (a carrier account's passengers are counted once, whether asked about over the API
or on the page: issue 17) and, on SQLite, one write turn. :func:`site_from_environment` is
the factory ``nseers serve`` hands to uvicorn. Nothing is built at import time.
"""

from __future__ import annotations

from fastapi import FastAPI

from nseers.api.access import ApiState
from nseers.api.app import app_from_environment, create_app
from nseers.bootstrap import lazy_biometric_vault
from nseers.services.context import Registry
from nseers.serving.settings import ServerSettings
from nseers.settings import Settings
from nseers.web.app import install_web
from nseers.web.settings import WebSettings


def _install_pages(app: FastAPI, settings: Settings,
                   web_settings: WebSettings | None = None) -> FastAPI:
    """Install the pages over what the API's ``app`` serves: its registry (on SQLite, the
    one that takes the write turn), its settings, its carrier limiter and its biometric
    vault (one set of face models in memory, one sealing key)."""
    state: ApiState = app.state.api
    install_web(app, state.registry, settings, server_settings=state.settings,
                web_settings=web_settings, carrier_limiter=state.carrier_limiter,
                biometric_vault=state.biometric_vault)
    return app


def create_site(registry: Registry, settings: Settings, *,
                server_settings: ServerSettings | None = None,
                web_settings: WebSettings | None = None,
                owns_registry: bool = False) -> FastAPI:
    """The API and the pages over ``registry``: one application, one secret."""
    app = create_app(registry, server_settings or ServerSettings.from_mapping(),
                     owns_registry=owns_registry,
                     biometric_vault=lazy_biometric_vault(settings))
    return _install_pages(app, settings, web_settings)


def site_from_environment() -> FastAPI:
    """The API and the pages over the registry the environment names (uvicorn's factory,
    like :func:`nseers.api.app.app_from_environment`, which it extends)."""
    return _install_pages(app_from_environment(), Settings.from_mapping())
