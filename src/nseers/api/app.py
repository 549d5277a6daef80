"""The application factory: a FastAPI app over one registry.

``create_app(registry, settings)`` builds the app and nothing happens at import time.
``app_from_environment()`` is the factory ``nseers serve`` hands to uvicorn
(``factory=True``), so that each worker process builds its own registry from the
environment. The OpenAPI 3.1 document is at ``/api/openapi.json``, the interactive docs at
``/api/docs``.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Final

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from nseers import __version__
from nseers.api.access import ApiState, access_table
from nseers.api.batching import MovementBatcher
from nseers.api.checkpoints import start_checkpoints
from nseers.api.docs_page import install_docs
from nseers.api.guards import BodyLimit, LoadShedder, ResponseHeaders
from nseers.api.problems import PROBLEM_MEDIA_TYPE, install_handlers
from nseers.api.routes import (
    auth,
    biometrics,
    carrier,
    corrections,
    documents,
    health,
    i68,
    identities,
    law,
    linkage_reviews,
    movements,
    offline,
    oversight,
    persons,
    refusals,
    registrants,
    retention,
    screening,
    traveller_days,
    travellers,
)
from nseers.api.schemas import EvaluationCase
from nseers.api.session_checks import SessionChecks
from nseers.bootstrap import lazy_biometric_vault, open_registry
from nseers.core.actors import Actor, Permission
from nseers.db.migrate import current_revision, head_revision
from nseers.db.uow import UnitOfWork
from nseers.services.biometrics import BiometricVault
from nseers.services.context import Registry
from nseers.serving.ratelimit import RateLimiter
from nseers.serving.settings import ServerSettings
from nseers.serving.tokens import TokenVerifier
from nseers.settings import Settings

logger = logging.getLogger("nseers.api")

DESCRIPTION: Final = """\
Port-of-entry inspection and NSEERS special registration over HTTP.

Sign in with `POST /api/v1/auth/token` and send the token as `Authorization: Bearer ...`.
Each endpoint needs one permission of your role. Say why you are asking in a `Purpose`
header; it is recorded with every read of personal data. Send an `Idempotency-Key` header
with a write to make retrying it safe. Errors are RFC 9457 problem details.
"""


#: Every router the app mounts, with its prefix.
ROUTERS: Final[tuple[tuple[str, APIRouter], ...]] = (
    ("/api", health.router),
    *(("/api/v1", module.router) for module in (
        law, persons, movements, registrants, i68, travellers, oversight, auth, documents,
        screening, offline, retention, carrier, traveller_days, refusals, corrections,
        biometrics, identities, linkage_reviews)),
)


def endpoint_access() -> dict[tuple[str, str], Permission | str | None]:
    """The access rule of every endpoint, by (method, path), read from the routes."""
    return access_table(ROUTERS)


def create_app(registry: Registry, settings: ServerSettings | None = None, *,
               owns_registry: bool = False,
               biometric_vault: Callable[[], BiometricVault] | None = None,
               freeze_heap: bool = False) -> FastAPI:
    """The API over ``registry``; with ``owns_registry`` its engine is closed at shutdown.

    With ``freeze_heap`` (a server process: :func:`app_from_environment`) what exists when
    the app starts is moved out of the garbage collector's sight (``gc.freeze``).

    ``biometric_vault`` gives the vault the biometrics endpoints use, on first use (default:
    the one the environment's settings name, :func:`nseers.bootstrap.lazy_biometric_vault`).
    """
    settings = settings or ServerSettings.from_mapping()
    vault = biometric_vault or lazy_biometric_vault(Settings.from_mapping())
    if registry.dialect == "sqlite":
        registry = SerializedRegistry(database=registry.database, rules=registry.rules,
                                      clock=registry.clock, audit_key=registry.audit_key,
                                      audit_checkpoints=registry.audit_checkpoints,
                                      sender=registry.sender)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if freeze_heap:
            # What the server built to start (the law, the app, the ORM's mappings) lives
            # until it stops: out of the collector's sight, a full collection no longer
            # walks it, which paused every request in flight for 100-250 ms.
            gc.collect()
            gc.freeze()
        checkpoints = start_checkpoints(registry, settings.audit_checkpoint_s)
        try:
            yield
        finally:
            if checkpoints is not None:
                checkpoints.cancel()
            if owns_registry:
                registry.database.dispose()

    app = FastAPI(title="nseers", version=__version__, description=DESCRIPTION,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.api = ApiState(
        registry=registry, settings=settings,
        self_service_limiter=RateLimiter(settings.self_service_per_minute),
        sign_in_limiter=RateLimiter(settings.sign_in_per_minute),
        movements=MovementBatcher(registry),
        tokens=TokenVerifier(settings.secret_key),
        carrier_limiter=RateLimiter(settings.carrier_passengers_per_minute),
        biometric_vault=vault, session_checks=SessionChecks(registry))
    app.state.schema_head = head_revision()
    install_handlers(app)
    # Issue 16, outermost last: the deadline and the write queue, then the body limit, then
    # the headers and request id every answer carries.
    app.add_middleware(LoadShedder, max_active=settings.max_active_writes,
                       max_waiting=settings.max_waiting_writes,
                       deadline_s=settings.request_deadline_s)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ResponseHeaders)
    for prefix, router in ROUTERS:
        app.include_router(router, prefix=prefix)
    install_docs(app, "/api/openapi.json", app.title)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _openapi_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


class SerializedRegistry(Registry):
    """A registry whose units of work run one at a time in this process (for SQLite).

    SQLite lets one transaction write at a time, and every unit of work writes (an audit
    entry at least). Threads that collide on SQLite's lock wait in its busy handler, which
    sleeps in growing steps (up to 100 ms); waiting on a lock in the process instead hands
    the database over the moment it is free.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        self._turn = threading.Lock()

    @contextmanager
    def work(self, actor: Actor, permission: Permission) -> Iterator[UnitOfWork]:
        with self._turn, super().work(actor, permission) as uow:
            yield uow


def _openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the evaluation contract's case and the problem media type."""
    document = get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    case = EvaluationCase.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in case.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas["EvaluationCase"] = case
    problem_ref = re.compile(r"#/components/schemas/\w*Problem")
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                body = content.get("application/json", {})
                # Problem, or a problem with extension members (BiometricHitProblem).
                if problem_ref.fullmatch(str(body.get("schema", {}).get("$ref", ""))):
                    response["content"] = {PROBLEM_MEDIA_TYPE: body}
    return document


def app_from_environment() -> FastAPI:
    """The app over the registry the environment names (uvicorn's factory).

    The schema is not migrated here: several workers would race to do it. ``nseers serve``
    migrates once before it starts them.
    """
    environment = Settings.from_mapping()
    registry = open_registry(environment, migrate=False)
    # The biometric key file is made on first start (the models load on first use).
    environment.resolved_biometric_key()
    revision, head = current_revision(registry.database), head_revision()
    if revision != head:
        logger.error("the database schema is at %s but this version expects %s: run "
                     "'nseers db upgrade'", revision, head)
    return create_app(registry, ServerSettings.from_mapping(), owns_registry=True,
                      biometric_vault=lazy_biometric_vault(environment), freeze_heap=True)
