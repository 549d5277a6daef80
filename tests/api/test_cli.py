"""``nseers users create`` and ``nseers serve``, and the factory serve hands to uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.conftest import PASSWORD
from nseers.api.app import app_from_environment
from nseers.bootstrap import open_registry
from nseers.cli import users
from nseers.core.actors import Role
from nseers.db.migrate import current_revision, head_revision
from nseers.services.accounts import SignIn, authenticate
from nseers.settings import Settings

# As src/nseers/cli/commands.py registers them.
nseers = typer.Typer()
nseers.add_typer(users.users_app, name="users")
nseers.command("serve")(users.serve_command)


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str | None]:
    return {"NSEERS_DATA_DIR": str(tmp_path), "NSEERS_DATABASE_URL": None,
            "NSEERS_SECRET_KEY": None, "NSEERS_USER": "operator"}


def test_users_create_reads_the_password_from_standard_input(
        environment: dict[str, str | None], tmp_path: Path) -> None:
    result = CliRunner().invoke(nseers, ["users", "create", "Officer1", "--role",
                                         "secondary_officer", "--password-stdin"],
                                input=f"{PASSWORD}\n", env=environment)
    assert result.exit_code == 0, result.output
    assert "created user officer1 in role secondary_officer" in result.output
    registry = open_registry(Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path)}))
    try:
        signed_in = authenticate(registry, SignIn("officer1", PASSWORD))
    finally:
        registry.database.dispose()
    assert signed_in.role is Role.SECONDARY_OFFICER


def test_users_create_asks_for_the_password_twice(environment: dict[str, str | None]) -> None:
    result = CliRunner().invoke(nseers, ["users", "create", "admin", "--role",
                                         "administrator"],
                                input=f"{PASSWORD}\n{PASSWORD}\n", env=environment)
    assert result.exit_code == 0, result.output


def test_users_create_refuses_a_short_password_and_a_taken_name(
        environment: dict[str, str | None]) -> None:
    runner = CliRunner()
    args = ["users", "create", "admin", "--role", "administrator", "--password-stdin"]
    short = runner.invoke(nseers, args, input="short\n", env=environment)
    assert short.exit_code == 2
    assert "password: at least 12 characters" in short.output
    assert runner.invoke(nseers, args, input=f"{PASSWORD}\n", env=environment).exit_code == 0
    taken = runner.invoke(nseers, args, input=f"{PASSWORD}\n", env=environment)
    assert taken.exit_code == 1
    assert "taken" in taken.output


def test_serve_migrates_once_and_hands_uvicorn_the_factory(
        environment: dict[str, str | None], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: dict[str, Any] = {}

    def run(app: str, **options: Any) -> None:
        started.update(options, app=app, secret=users.os.environ.get("NSEERS_SECRET_KEY"))

    monkeypatch.setattr(users.uvicorn, "run", run)
    result = CliRunner().invoke(nseers, ["serve", "--port", "8123", "--workers", "2"],
                                env=environment)
    assert result.exit_code == 0, result.output
    assert started["app"] == "nseers.app:site_from_environment"
    assert (started["factory"], started["workers"], started["port"]) == (True, 2, 8123)
    assert len(started["secret"]) >= 32
    registry = open_registry(Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path)}),
                             migrate=False)
    try:
        assert current_revision(registry.database) == head_revision()
    finally:
        registry.database.dispose()


def test_the_factory_builds_the_app_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_registry(Settings.from_mapping({"NSEERS_DATA_DIR": str(tmp_path)})).database.dispose()
    monkeypatch.setenv("NSEERS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NSEERS_DATABASE_URL", raising=False)
    monkeypatch.setenv("NSEERS_SECRET_KEY", "s" * 40)
    with TestClient(app_from_environment()) as client:
        health = client.get("/api/health").json()
    assert health == {"status": "ok", "database": "ok", "schema_revision": head_revision(),
                      "expected_revision": head_revision()}
