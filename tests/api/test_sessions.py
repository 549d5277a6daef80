"""Sessions that end (issue 16): sign-out, a password change, deactivation, a role change and
"revoke all sessions" end a token at once; concurrent guesses cannot outrun the lock-out;
a TOTP code is good once; passwords follow NIST SP 800-63B."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyotp
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.conftest import PASSWORD, ROOT, Clock, add_user, bearer
from nseers.core.actors import Role
from nseers.services import accounts
from nseers.services.accounts import (
    MAX_FAILED_ATTEMPTS,
    AuthenticationError,
    SignIn,
    authenticate,
)
from nseers.services.context import Registry
from nseers.services.passwords import check_password
from nseers.services.sessions import set_active
from nseers.serving.tokens import WEB_AUDIENCE, issue_token, verify_token

NEW_PASSWORD = "an entirely different passphrase"  # noqa: S105 - test accounts only


def sign_in(client: TestClient, username: str, password: str = PASSWORD,
            totp: str | None = None) -> Any:
    body = {"username": username, "password": password} | ({"totp": totp} if totp else {})
    return client.post("/api/v1/auth/token", json=body)


def signed_in(client: TestClient, username: str) -> dict[str, str]:
    answer = sign_in(client, username)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def works(client: TestClient, headers: dict[str, str]) -> bool:
    status = client.get("/api/v1/persons", params={"name": "Nobody"},
                        headers=headers).status_code
    assert status in (200, 401)
    return status == 200


def test_signing_out_ends_the_token_at_once(client: TestClient, registry: Registry) -> None:
    add_user(registry, "p.officer", Role.PRIMARY_OFFICER)
    headers = signed_in(client, "p.officer")
    other_device = signed_in(client, "p.officer")
    assert works(client, headers)
    assert client.post("/api/v1/auth/signout", headers=headers).status_code == 204
    assert not works(client, headers)
    assert not works(client, other_device)
    assert works(client, signed_in(client, "p.officer"))


def test_a_password_change_ends_every_session(client: TestClient, registry: Registry) -> None:
    add_user(registry, "p.officer", Role.PRIMARY_OFFICER)
    headers = signed_in(client, "p.officer")
    changed = client.post("/api/v1/auth/password", headers=headers, json={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert not works(client, headers)


@pytest.mark.parametrize("change", ["deactivate", "role", "revoke"])
def test_an_administrator_ends_another_account_s_sessions(
        client: TestClient, registry: Registry, change: str) -> None:
    add_user(registry, "p.officer", Role.PRIMARY_OFFICER)
    headers = signed_in(client, "p.officer")
    admin = bearer(registry, Role.ADMINISTRATOR, username="admin")
    if change == "deactivate":
        answer = client.post("/api/v1/users/p.officer/deactivate", headers=admin)
    elif change == "role":
        answer = client.put("/api/v1/users/p.officer/role", headers=admin,
                            json={"role": "secondary_officer"})
    else:
        answer = client.post("/api/v1/users/p.officer/sessions/revoke", headers=admin)
    assert answer.status_code == 200, answer.text
    assert not works(client, headers)
    again = sign_in(client, "p.officer")
    assert again.status_code == (401 if change == "deactivate" else 200)
    if change == "role":
        assert again.json()["role"] == "secondary_officer"


def test_account_changes_need_an_administrator(client: TestClient, registry: Registry) -> None:
    add_user(registry, "p.officer", Role.PRIMARY_OFFICER)
    officer = bearer(registry, Role.PRIMARY_OFFICER, username="p.officer")
    assert client.post("/api/v1/users/p.officer/deactivate",
                       headers=officer).status_code == 403
    missing = client.post("/api/v1/users/nobody/deactivate",
                          headers=bearer(registry, Role.ADMINISTRATOR, username="admin"))
    assert missing.status_code == 404


def test_an_api_token_is_not_a_web_session_and_a_web_session_is_not_an_api_token(
        registry: Registry) -> None:
    from api.conftest import SECRET  # noqa: PLC0415 - only this test signs by hand
    api_token = bearer(registry, Role.PRIMARY_OFFICER)["Authorization"].split()[1]
    from nseers.serving.tokens import InvalidTokenError  # noqa: PLC0415
    with pytest.raises(InvalidTokenError):
        verify_token(api_token, SECRET, registry.clock(), WEB_AUDIENCE)
    web = issue_token("x", Role.PRIMARY_OFFICER, SECRET, registry.clock(),
                      __import__("datetime").timedelta(minutes=15), audience=WEB_AUDIENCE,
                      session_id="s", signed_in_at=registry.clock()).value
    with pytest.raises(InvalidTokenError):
        verify_token(web, SECRET, registry.clock())


class CountingHasher(PasswordHasher):
    """argon2id (cheap) that counts how many passwords it checked."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.checked = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        with self._lock:
            self.checked += 1
        return super().verify(hash, password)


def test_parallel_guesses_cannot_outrun_the_lock_out(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(registry, "s.officer", Role.SECONDARY_OFFICER)
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "HASHER", hasher)
    start = threading.Barrier(40)

    def guess(number: int) -> str:
        start.wait()
        try:
            authenticate(registry, SignIn("s.officer", f"wrong guess number {number}"))
        except AuthenticationError as error:
            return error.code
        return "signed in"

    with ThreadPoolExecutor(40) as pool:
        outcomes = list(pool.map(guess, range(40)))
    assert hasher.checked == MAX_FAILED_ATTEMPTS
    assert outcomes.count("invalid_credentials") == MAX_FAILED_ATTEMPTS
    assert outcomes.count("locked") == 40 - MAX_FAILED_ATTEMPTS
    with pytest.raises(AuthenticationError) as refused:
        authenticate(registry, SignIn("s.officer", PASSWORD))
    assert refused.value.code == "locked"


def test_the_password_change_is_under_the_same_lock_out(client: TestClient,
                                                        registry: Registry) -> None:
    add_user(registry, "c.officer", Role.COMPLIANCE_OFFICER)
    headers = bearer(registry, Role.COMPLIANCE_OFFICER, username="c.officer")
    for number in range(MAX_FAILED_ATTEMPTS):
        wrong = client.post("/api/v1/auth/password", headers=headers, json={
            "current_password": f"guess number {number}", "new_password": NEW_PASSWORD})
        assert wrong.json()["code"] == "invalid_credentials"
    right = client.post("/api/v1/auth/password", headers=headers, json={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert (right.status_code, right.json()["code"]) == (401, "locked")
    assert sign_in(client, "c.officer").json()["code"] == "locked"


def test_the_password_change_is_rate_limited_per_address(registry: Registry) -> None:
    from api.conftest import settings  # noqa: PLC0415
    from nseers.api.app import create_app  # noqa: PLC0415
    add_user(registry, "c.officer", Role.COMPLIANCE_OFFICER)
    with TestClient(create_app(registry, settings(sign_in_per_minute=2))) as client:
        headers = bearer(registry, Role.COMPLIANCE_OFFICER, username="c.officer")
        answers = [client.post("/api/v1/auth/password", headers=headers, json={
            "current_password": "a wrong guess", "new_password": NEW_PASSWORD}).status_code
            for _ in range(3)]
    assert answers == [401, 401, 429]


def enrol(client: TestClient, registry: Registry, username: str,
          **body: str) -> Any:
    return client.post("/api/v1/auth/totp", json=body,
                       headers=bearer(registry, Role.DISTRICT_DIRECTOR, username=username))


def test_a_totp_code_is_accepted_once(client: TestClient, registry: Registry,
                                      clock: Clock) -> None:
    add_user(registry, "director", Role.DISTRICT_DIRECTOR)
    secret = enrol(client, registry, "director", password=PASSWORD).json()["secret"]
    code = pyotp.TOTP(secret).at(clock.now)
    assert sign_in(client, "director", totp=code).status_code == 200
    replay = sign_in(client, "director", totp=code)
    assert (replay.status_code, replay.json()["code"]) == (401, "totp_invalid")
    clock.advance(seconds=30)
    assert sign_in(client, "director", totp=pyotp.TOTP(secret).at(clock.now)).status_code == 200


def test_re_enrolling_the_second_factor_needs_the_password_and_a_current_code(
        client: TestClient, registry: Registry, clock: Clock) -> None:
    add_user(registry, "director", Role.DISTRICT_DIRECTOR)
    assert enrol(client, registry, "director").status_code == 422
    assert enrol(client, registry, "director", password="not it at all"  # noqa: S106
                 ).status_code == 401
    secret = enrol(client, registry, "director", password=PASSWORD).json()["secret"]
    no_code = enrol(client, registry, "director", password=PASSWORD)
    assert (no_code.status_code, no_code.json()["code"]) == (401, "totp_required")
    code = pyotp.TOTP(secret).at(clock.now)
    assert enrol(client, registry, "director", password=PASSWORD,
                 totp=code).status_code == 200


def test_a_password_change_with_a_second_factor_needs_its_code(
        client: TestClient, registry: Registry, clock: Clock) -> None:
    add_user(registry, "director", Role.DISTRICT_DIRECTOR)
    secret = enrol(client, registry, "director", password=PASSWORD).json()["secret"]
    headers = bearer(registry, Role.DISTRICT_DIRECTOR, username="director")
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    refused = client.post("/api/v1/auth/password", headers=headers, json=body)
    assert (refused.status_code, refused.json()["code"]) == (401, "totp_required")
    changed = client.post("/api/v1/auth/password", headers=headers,
                          json=body | {"totp": pyotp.TOTP(secret).at(clock.now)})
    assert changed.status_code == 204


@pytest.mark.parametrize("password", [
    " " * 12, "\u200b" * 12, "\u200b\u200c\u200d\ufeff" * 4, "password1234", "Password-2024!",
    "qwertyuiop12", "s.officer.s.officer", "my name is s.officer", "abcabcabcabc",
    "nseers nseers 1"])
def test_blank_invisible_common_and_contextual_passwords_are_refused(password: str) -> None:
    problems = check_password(password, username="s.officer")
    assert [p.path for p in problems] == ["password"], password


@pytest.mark.parametrize("password", [PASSWORD, NEW_PASSWORD, "Ünïcødé pässwörd ok",
                                      "ﾊﾟｽﾜｰﾄﾞはここにあるから大丈夫です"])
def test_good_passwords_are_accepted(password: str) -> None:
    assert check_password(password, username="s.officer") == []


def test_the_password_is_normalised_before_it_is_counted_and_hashed(
        registry: Registry) -> None:
    composed = "caf\u00e9 au lait, s'il vous plaît"
    decomposed = "cafe\u0301 au lait, s'il vous plaît"
    add_user(registry, "barista", Role.ANALYST, composed)
    assert authenticate(registry, SignIn("barista", decomposed)).username == "barista"


def test_creating_an_account_refuses_its_own_username_as_password(
        client: TestClient, registry: Registry) -> None:
    answer = client.post("/api/v1/users", headers=bearer(registry, Role.ADMINISTRATOR,
                                                         username="admin"),
                         json={"username": "longusername", "role": "analyst",
                               "password": "LongUsername!!"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == "password"


def test_the_cli_deactivates_an_account_and_revokes_its_sessions(
        sqlite_registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = sqlite_registry
    from nseers.cli import accounts as cli_accounts  # noqa: PLC0415
    from nseers.cli.users import users_app  # noqa: PLC0415
    add_user(registry, "p.officer", Role.PRIMARY_OFFICER)
    monkeypatch.setattr(cli_accounts, "open_registry", lambda _settings: registry)
    runner = CliRunner()
    revoked = runner.invoke(users_app, ["revoke-sessions", "p.officer"])
    assert revoked.exit_code == 0, revoked.output
    assert "every session of p.officer has ended" in revoked.output
    deactivated = runner.invoke(users_app, ["deactivate", "p.officer"])
    assert deactivated.exit_code == 0, deactivated.output
    with pytest.raises(AuthenticationError):
        authenticate(registry, SignIn("p.officer", PASSWORD))
    missing = runner.invoke(users_app, ["deactivate", "nobody"])
    assert missing.exit_code == 1
    assert set_active(registry, ROOT, "p.officer", active=True)["active"] is True
