"""The whole site is composed in one place above the API and the pages (issue 15, fault 4).

The pages no longer reach into the API's application for its limiter or its secret:
:mod:`nseers.app` hands them over. What the site must keep: one registry (on SQLite, the
one that takes the write turn), one signing secret, one limiter of carrier checks, one
biometric vault (issue 13)."""

from __future__ import annotations

from pathlib import Path

from api.conftest import settings
from nseers.app import create_site
from nseers.services.context import Registry
from nseers.settings import Settings
from nseers.web.site import STATE_KEY, Site


def test_the_pages_and_the_api_share_the_registry_the_secret_the_limiter_and_the_vault(
        sqlite_registry: Registry, tmp_path: Path) -> None:
    app = create_site(sqlite_registry, Settings(tmp_path, "sqlite://"),
                      server_settings=settings(carrier_passengers_per_minute=7))
    api, site = app.state.api, getattr(app.state, STATE_KEY)
    assert isinstance(site, Site)
    assert site.registry is api.registry
    assert site.secret_key == api.settings.secret_key
    assert site.carrier_limiter is api.carrier_limiter
    assert site.carrier_limiter is not None
    assert site.carrier_limiter.capacity == 7
    # One vault, built on first use by either (the face models are loaded once).
    assert site.biometric_vault is not None
    assert site.biometric_vault is api.biometric_vault
