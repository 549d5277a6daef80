"""Health: does the service answer, can it reach its database, which schema revision."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from nseers.api.access import PUBLIC, api_state
from nseers.api.problems import logger
from nseers.api.schemas import Health
from nseers.services.context import Registry

router = APIRouter(tags=["service"])


def _probe(registry: Registry) -> str | None:
    with registry.database.connect() as connection:
        connection.execute(text("SELECT 1"))
        return MigrationContext.configure(connection).get_current_revision()


@router.get("/health", response_model=Health, dependencies=[Depends(PUBLIC)],
            responses={503: {"model": Health, "description": "The database is unreachable "
                                                             "or does not answer in time"}})
async def health(request: Request) -> Any:
    """200 when the database answers ``SELECT 1`` within the health deadline (1 s by
    default), 503 (with ``Retry-After``) when it fails or hangs; with the schema revision
    the database is at and the one this version expects. The probe runs in a thread, so a
    hanging database never holds up the event loop."""
    state = api_state(request)
    expected = request.app.state.schema_head
    try:
        revision = await asyncio.wait_for(asyncio.to_thread(_probe, state.registry),
                                          state.settings.health_timeout_s)
    except (SQLAlchemyError, TimeoutError) as error:
        logger.error("health check: database unreachable: %s", type(error).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable",
                             "schema_revision": None, "expected_revision": expected},
                            status_code=503, headers={"Retry-After": "1"})
    return {"status": "ok", "database": "ok", "schema_revision": revision,
            "expected_revision": expected}
