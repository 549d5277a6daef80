"""The web screens, one module each; :data:`ROUTERS` is what ``install_web`` includes."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter

from nseers.web.routes import (
    admin,
    audit,
    biometrics,
    carrier,
    casework,
    compliance,
    corrections,
    dashboard,
    departure,
    i68,
    identities,
    inspection,
    linkage_reviews,
    offline,
    people,
    refusals,
    retention,
    screening,
    session,
    traveller,
    traveller_days,
)

ROUTERS: Final[tuple[APIRouter, ...]] = (
    session.router, inspection.router, departure.router, compliance.router, i68.router,
    people.router, traveller.router, dashboard.router, audit.router, admin.router,
    screening.router, offline.router, retention.router, casework.router, carrier.router,
    traveller_days.router, refusals.router, corrections.router, identities.router,
    biometrics.router, linkage_reviews.router,
)
