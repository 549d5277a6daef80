"""The API under test: an app over a registry on SQLite and on PostgreSQL, a test client,
users in every role, and a clock the tests can move.

The databases come from the registry tests' fixtures (a migrated SQLite copy per test; one
PostgreSQL database per run, emptied between tests). Passwords are hashed with cheap
argon2id parameters here, so that signing in many times stays fast; the parameters are
not what is under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine as DatabaseEngine

from integration.conftest import NOW, database, postgres_url, sqlite_template
from nseers.api.app import create_app
from nseers.core.actors import Actor, Role
from nseers.db.engine import create_database_engine
from nseers.registry.users import User
from nseers.rules.engine import Engine
from nseers.services import accounts
from nseers.services.accounts import NewUser, create_user
from nseers.services.context import Registry
from nseers.serving.settings import ServerSettings
from nseers.serving.tokens import issue_token

__all__ = ["database", "postgres_url", "sqlite_template"]

SECRET = b"a test secret that is long enough for HMAC-SHA256"
PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only
#: Every role a person can sign in as (the system acts only through batch jobs).
ROLES = tuple(role for role in Role if role is not Role.SYSTEM)
ROOT = Actor("root", Role.ADMINISTRATOR, "test setup")


@dataclass
class Clock:
    """The registry's clock, which a test may move forward."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER",
                        PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    accounts._dummy_hash.cache_clear()  # the hash depends on the hasher


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def registry(database: DatabaseEngine, engine: Engine, clock: Clock) -> Registry:
    return Registry(database=database, rules=engine, clock=clock)


@pytest.fixture
def sqlite_registry(sqlite_template: Path, tmp_path: Path, engine: Engine,
                    clock: Clock) -> Iterator[Registry]:
    path = tmp_path / "nseers.db"
    path.write_bytes(sqlite_template.read_bytes())
    database_engine = create_database_engine(f"sqlite:///{path}")
    try:
        yield Registry(database=database_engine, rules=engine, clock=clock)
    finally:
        database_engine.dispose()


def settings(**changes: int) -> ServerSettings:
    return ServerSettings(secret_key=SECRET, **changes)


@pytest.fixture
def app(registry: Registry) -> FastAPI:
    return create_app(registry, settings())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def add_user(registry: Registry, username: str, role: Role, password: str = PASSWORD) -> None:
    create_user(registry, ROOT, NewUser(username, role, password))


def account(registry: Registry, username: str, role: Role) -> int:
    """The session version of ``username``'s account, made (without an audit entry, so
    tests that count entries are not disturbed) or moved to ``role`` if need be: every
    request checks its token against the account."""
    with registry.sessions() as session:
        user = session.execute(select(User).where(User.username == username)
                               ).scalar_one_or_none()
        if user is None:
            user = User(username=username, role=role.value,
                        password_hash=accounts.HASHER.hash(PASSWORD), totp_secret=None,
                        failed_attempts=0, locked_until=None, active=True,
                        created_at=registry.clock(), session_version=0)
            session.add(user)
        elif user.role != role.value:
            user.role = role.value
        session.commit()
        return user.session_version


def token(registry: Registry, username: str, role: Role) -> str:
    """A token signed as the app signs them (no sign-in needed), for an account that
    exists in ``role``."""
    version = account(registry, username, role)
    return issue_token(username, role, SECRET, registry.clock(), timedelta(minutes=15),
                       session_version=version).value


def bearer(registry: Registry, role: Role, purpose: str | None = None,
           username: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token(registry, username or role.value, role)}"}
    if purpose is not None:
        headers["Purpose"] = purpose
    return headers
