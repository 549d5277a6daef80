"""The web screens, one module each; :data:`ROUTERS` is what ``install_web`` includes."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter

from nseers.web.routes import (
    admin,
    audit,
    compliance,
    corrections,
    dashboard,
    departure,
    i68,
    inspection,
    people,
    screening,
    session,
    traveller,
)

ROUTERS: Final[tuple[APIRouter, ...]] = (
    session.router, inspection.router, departure.router, compliance.router, i68.router,
    people.router, traveller.router, dashboard.router, audit.router, admin.router,
    screening.router, corrections.router,
)
