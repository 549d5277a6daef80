"""The permission matrix: every endpoint, called by every role and by no one.

The expectations are generated from the roles' permissions (``ROLE_PERMISSIONS``) and each
endpoint's access rule as the app declares it (``endpoint_access``), so neither can change
without this test noticing: a role without the endpoint's permission gets 403, a request
without a token gets 401, and a permitted role gets past the door (whatever the answer to
its deliberately empty request: 200, 404, 422...). No answer is ever a 5xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import ROLES, add_user, bearer, settings
from nseers.api.access import SIGNED_IN, AnyPermission
from nseers.api.app import create_app, endpoint_access
from nseers.core.actors import ROLE_PERMISSIONS, Permission, Role
from nseers.services.context import Registry

ENDPOINTS = sorted(endpoint_access().items())
ANONYMOUS_RULES = {"public", Permission.SELF_SERVICE}
DOCS = Path(__file__).parents[2] / "docs" / "api.md"


@pytest.fixture
def matrix_client(sqlite_registry: Registry) -> Iterator[TestClient]:
    """A client over a registry holding a user of every role (named after the role)."""
    for role in ROLES:
        add_user(sqlite_registry, role.value, role)
    app = create_app(sqlite_registry, settings(self_service_per_minute=10_000,
                                               sign_in_per_minute=10_000))
    with TestClient(app) as client:
        yield client


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    if method == "POST":
        return client.post(_url(path), json={}, headers=headers).status_code
    return client.request(method, _url(path), headers=headers).status_code


def expected_denial(rule: Permission | str | None, role: Role | None) -> int | None:
    """401 or 403 where the request must be refused at the door, else None."""
    if rule in ANONYMOUS_RULES:
        return None
    if role is None:
        return 401
    if rule == SIGNED_IN:
        return None
    if isinstance(rule, AnyPermission):
        return None if set(rule.permissions) & ROLE_PERMISSIONS[role] else 403
    assert isinstance(rule, Permission)
    return None if rule in ROLE_PERMISSIONS[role] else 403


def test_every_endpoint_declares_exactly_one_access_rule() -> None:
    undeclared = [endpoint for endpoint, rule in ENDPOINTS if rule is None]
    assert undeclared == []


@pytest.mark.parametrize("role", [*ROLES, None], ids=lambda r: r.value if r else "no_token")
def test_each_role_gets_exactly_the_endpoints_its_permissions_allow(
        matrix_client: TestClient, sqlite_registry: Registry, role: Role | None) -> None:
    answers = {}
    for (method, path), rule in ENDPOINTS:
        # A fresh token each time: signing out (one of the endpoints) ends the last one.
        headers = {} if role is None else bearer(sqlite_registry, role)
        answers[(method, path)] = (_call(matrix_client, method, path, headers),
                                   expected_denial(rule, role))
    wrong = {endpoint: got for endpoint, (got, denial) in answers.items()
             if got >= 500 or (denial is not None and got != denial)
             or (denial is None and got in (401, 403))}
    assert wrong == {}


def test_the_api_documentation_lists_every_endpoint_with_its_permission() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [f"{method} {path} ({rule})" for (method, path), rule in ENDPOINTS
               if f"`{method} {path}`" not in text or str(rule) not in text]
    assert missing == []
