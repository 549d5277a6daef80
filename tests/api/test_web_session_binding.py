"""The web session against a stolen or planted cookie (issue 16): an API token is not a
session, a session ends on the server, the CSRF token is bound to the session, and a form
posted from another site is refused. Driven over HTTP (no browser needed)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import PASSWORD, SECRET, add_user, bearer, settings
from nseers.app import create_site
from nseers.core.actors import Role
from nseers.services.context import Registry
from nseers.settings import Settings
from nseers.web.settings import WebSettings
from nseers.web.site import SESSION_COOKIE, SID_COOKIE


@pytest.fixture
def web(sqlite_registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    app = create_site(sqlite_registry, Settings(tmp_path, "sqlite://"),
                      server_settings=settings(), web_settings=WebSettings())
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page)
    assert found is not None
    return found.group(1)


def sign_in(web: TestClient, username: str) -> None:
    form = web.get("/signin")
    answer = web.post("/signin", data={"username": username, "password": PASSWORD,
                                       "csrf_token": csrf_of(form.text)},
                      follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_an_api_token_in_the_session_cookie_is_not_a_session(
        web: TestClient, sqlite_registry: Registry) -> None:
    token = bearer(sqlite_registry, Role.PRIMARY_OFFICER, username="p.officer")
    web.cookies.set(SESSION_COOKIE, token["Authorization"].split()[1])
    answer = web.get("/inspect", follow_redirects=False)
    assert answer.status_code == 303
    assert "/signin" in answer.headers["location"]
    assert SESSION_COOKIE not in answer.cookies or not answer.cookies[SESSION_COOKIE]


def test_a_copied_session_cookie_dies_when_the_account_is_deactivated(
        web: TestClient, sqlite_registry: Registry) -> None:
    add_user(sqlite_registry, "p.officer", Role.PRIMARY_OFFICER)
    sign_in(web, "p.officer")
    stolen = web.cookies[SESSION_COOKIE]
    assert web.get("/inspect", follow_redirects=False).status_code == 200
    admin = bearer(sqlite_registry, Role.ADMINISTRATOR, username="admin")
    assert web.post("/api/v1/users/p.officer/deactivate", headers=admin).status_code == 200
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, stolen)
    assert web.get("/inspect", follow_redirects=False).status_code == 303


def test_signing_out_on_the_web_ends_the_copied_cookie_too(
        web: TestClient, sqlite_registry: Registry) -> None:
    add_user(sqlite_registry, "p.officer", Role.PRIMARY_OFFICER)
    sign_in(web, "p.officer")
    stolen = web.cookies[SESSION_COOKIE]
    page = web.get("/inspect")
    assert web.post("/signout", data={"csrf_token": csrf_of(page.text)},
                    follow_redirects=False).status_code == 303
    web.cookies.clear()
    web.cookies.set(SESSION_COOKIE, stolen)
    assert web.get("/inspect", follow_redirects=False).status_code == 303


def test_a_planted_session_id_and_its_token_are_refused_once_signed_in(
        web: TestClient, sqlite_registry: Registry) -> None:
    add_user(sqlite_registry, "p.officer", Role.PRIMARY_OFFICER)
    sign_in(web, "p.officer")
    planted = "p" * 43
    web.cookies.set(SID_COOKIE, planted)
    # What the old scheme accepted: an HMAC of the sid cookie the attacker chose.
    forged = hmac.new(SECRET, b"csrf:" + planted.encode(), hashlib.sha256).hexdigest()
    answer = web.post("/signout", data={"csrf_token": forged}, follow_redirects=False)
    assert answer.status_code == 403
    assert web.get("/inspect", follow_redirects=False).status_code == 200


def test_a_form_posted_from_another_site_is_refused(
        web: TestClient, sqlite_registry: Registry) -> None:
    add_user(sqlite_registry, "p.officer", Role.PRIMARY_OFFICER)
    sign_in(web, "p.officer")
    token = csrf_of(web.get("/inspect").text)
    for header in ({"Origin": "https://evil.example"},
                   {"Referer": "https://evil.example/page"}, {"Origin": "null"}):
        answer = web.post("/signout", data={"csrf_token": token}, headers=header,
                          follow_redirects=False)
        assert answer.status_code == 403, header
    same = web.post("/signout", data={"csrf_token": token},
                    headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert same.status_code == 303
