"""Property-based tests of the whole API against its own OpenAPI document (schemathesis):
for generated requests to every operation, signed in as a secondary officer, no answer is
a server error and every answer conforms to the status codes, media types and schemas
the document declares."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.conftest import Clock, bearer
from api.conftest import settings as api_settings
from nseers.api.app import create_app, endpoint_access
from nseers.biometrics.sealing import new_key
from nseers.core.actors import Role
from nseers.db.engine import create_database_engine
from nseers.rules.engine import Engine
from nseers.services.biometrics import BiometricVault
from nseers.services.context import Registry

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def fuzzed_registry(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory,
                    engine: Engine) -> Iterator[Registry]:
    """One registry for the whole module: what one operation's examples write, the next
    operation's examples may find."""
    path = tmp_path_factory.mktemp("fuzz") / "nseers.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = create_database_engine(f"sqlite:///{path}")
    try:
        yield Registry(database=database, rules=engine, clock=Clock())
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def fuzzed_app(fuzzed_registry: Registry) -> FastAPI:
    # The biometrics endpoints seal under a test key, not one from the environment.
    vault = cache(lambda: BiometricVault.with_key(new_key()))
    return create_app(fuzzed_registry, api_settings(self_service_per_minute=10_000,
                                                    sign_in_per_minute=10_000),
                      biometric_vault=vault)


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)


OPERATIONS = sorted(endpoint_access())


@pytest.mark.parametrize(("method", "path"), OPERATIONS,
                         ids=[f"{method} {path}" for method, path in OPERATIONS])
def test_every_answer_conforms_to_the_openapi_document(
        api_schema: Any, fuzzed_registry: Registry, method: str, path: str) -> None:
    operation = api_schema[path][method]
    headers = bearer(fuzzed_registry, Role.SECONDARY_OFFICER)

    @given(case=operation.as_strategy())
    @settings(max_examples=10, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


def test_the_document_is_openapi_3_1_with_problem_details_for_errors(
        fuzzed_app: FastAPI) -> None:
    document = fuzzed_app.openapi()
    assert document["openapi"].startswith("3.1")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and path != "/api/health":
                    assert list(response["content"]) == ["application/problem+json"], (
                        method, path, status)


def test_the_interactive_documentation_is_served(fuzzed_app: FastAPI) -> None:
    with TestClient(fuzzed_app) as client:
        page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/openapi.json" in page.text
