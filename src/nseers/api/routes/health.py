"""Health: does the service answer, can it reach its database, which schema revision."""

from __future__ import annotations

from typing import Any

from alembic.runtime.migration import MigrationContext
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from nseers.api.access import PUBLIC, registry_of
from nseers.api.problems import logger
from nseers.api.schemas import Health

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, dependencies=[Depends(PUBLIC)],
            responses={503: {"model": Health, "description": "The database is unreachable"}})
def health(request: Request) -> Any:
    """200 when the database answers ``SELECT 1``, 503 when it does not; with the schema
    revision the database is at and the one this version expects."""
    registry = registry_of(request)
    expected = request.app.state.schema_head
    try:
        with registry.database.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        logger.error("health check: database unreachable: %s", type(error).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable",
                             "schema_revision": None, "expected_revision": expected},
                            status_code=503)
    return {"status": "ok", "database": "ok", "schema_revision": revision,
            "expected_revision": expected}
