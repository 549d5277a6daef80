"""Local accounts: create users, sign in (password and optional TOTP), lock-out, passwords.

Passwords are kept as argon2id hashes (``argon2-cffi``). A second factor is optional: a
user who enrols a TOTP secret (RFC 6238, ``pyotp``) must give the current code at every
sign-in. Every sign-in attempt, successful or not, leaves an audit entry with its outcome.

The hash is computed outside any database transaction: verifying an argon2id hash takes
tens of milliseconds on purpose, and on SQLite every transaction holds the write lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NseersError
from nseers.db.uow import UnitOfWork, conflicts_translated
from nseers.registry.users import User
from nseers.services.context import Registry

# The lock-out policy is the system's own security policy, not law: after this many
# failed attempts in a row (wrong password or wrong code) the account is locked for
# LOCKOUT_PERIOD, which makes guessing a password or a six-digit code impractical while a
# locked-out officer waits a quarter of an hour at most.
MAX_FAILED_ATTEMPTS: Final = 5
LOCKOUT_PERIOD: Final = timedelta(minutes=15)
# Passwords: a length floor rather than composition rules (NIST SP 800-63B, 5.1.1.2), and a
# ceiling that keeps a single sign-in from hashing megabytes.
MIN_PASSWORD_LENGTH: Final = 12
MAX_PASSWORD_LENGTH: Final = 1024
USERNAME_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9._@-]{1,119}")
TOTP_ISSUER: Final = "nseers"
#: Roles no account may have: the system acts only through batch jobs.
UNASSIGNABLE_ROLES: Final = frozenset({Role.SYSTEM})

#: The argon2id parameters (argon2-cffi's defaults: RFC 9106's second recommendation).
#: Tests replace it with a cheaper hasher.
HASHER = PasswordHasher()
SIGN_IN_PURPOSE: Final = "sign-in"


class AuthenticationError(NseersError):
    """A sign-in refused. ``code`` says why: ``invalid_credentials``, ``locked``,
    ``totp_required`` or ``totp_invalid``; ``retry_after`` (seconds) comes with ``locked``."""

    def __init__(self, code: str, message: str, retry_after: int | None = None) -> None:
        self.code = code
        self.retry_after = retry_after
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class NewUser:
    """An account an administrator creates."""

    username: str
    role: Role
    password: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SignIn:
    """A sign-in attempt; ``client`` (an address) is recorded in the audit trail."""

    username: str
    password: str
    totp: str | None = None
    client: str | None = None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who signed in, and in which role."""

    user_id: int
    username: str
    role: Role


@dataclass(frozen=True, slots=True)
class _Account:
    """What a sign-in reads about a user, outside the transaction that records it."""

    id: int
    username: str
    role: Role
    password_hash: str
    totp_secret: str | None
    locked_until: datetime | None
    active: bool


def normalise_username(username: str) -> str:
    """Usernames are compared without case and surrounding spaces."""
    return username.strip().lower()


def check_password(password: str, path: str = "password") -> list[FieldProblem]:
    """Problems with a new password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldProblem(path, f"at least {MIN_PASSWORD_LENGTH} characters")]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [FieldProblem(path, f"at most {MAX_PASSWORD_LENGTH} characters")]
    return []


@contextmanager
def _recording(registry: Registry, actor: Actor) -> Iterator[UnitOfWork]:
    """A unit of work with no permission check: sign-in happens before there is a role."""
    with UnitOfWork(registry.sessions, actor, registry.clock) as uow, \
            conflicts_translated(uow.session):
        yield uow


def user_view(user: User) -> dict[str, Any]:
    """An account as administrators see it (never the hash or the TOTP secret)."""
    return {"id": user.id, "username": user.username, "role": user.role,
            "active": user.active, "totp_enrolled": user.totp_secret is not None,
            "locked_until": user.locked_until.isoformat() if user.locked_until else None,
            "created_at": user.created_at.isoformat()}


def create_user(registry: Registry, actor: Actor, command: NewUser) -> dict[str, Any]:
    """Create an account (administrators). The idempotency key covers the username and
    role, never the password, so no password-derived value is stored outside the hash."""
    actor.require(Permission.ADMINISTER)
    username = normalise_username(command.username)
    problems = []
    if not USERNAME_PATTERN.fullmatch(username):
        problems.append(FieldProblem("username", "2 to 120 characters: letters, digits and "
                                                 "._@- (starting with a letter or digit)"))
    if command.role in UNASSIGNABLE_ROLES:
        problems.append(FieldProblem("role", f"no account may act as {command.role.value}"))
    problems += check_password(command.password)
    if problems:
        raise InvalidInputError(problems)
    password_hash = HASHER.hash(command.password)
    request = {"username": username, "role": command.role.value}
    with registry.work(actor, Permission.ADMINISTER) as uow:
        stored = uow.replay("user_create", command.idempotency_key, request)
        if stored is not None:
            return stored | {"replayed": True}
        taken = uow.session.execute(select(User.id).where(User.username == username)).first()
        if taken is not None:
            raise ConflictError("username_taken", f"the username {username!r} is taken")
        user = User(username=username, role=command.role.value, password_hash=password_hash,
                    totp_secret=None, failed_attempts=0, locked_until=None, active=True,
                    created_at=uow.now)
        uow.session.add(user)
        uow.session.flush()
        answer = user_view(user)
        uow.audit("user.create", user, None, username=username, role=command.role.value)
        uow.remember("user_create", command.idempotency_key, request, answer)
        uow.commit()
        return answer


def list_users(registry: Registry, actor: Actor) -> list[dict[str, Any]]:
    """Every account, by username (administrators; audited)."""
    with registry.work(actor, Permission.ADMINISTER) as uow:
        users = uow.session.execute(select(User).order_by(User.username)).scalars().all()
        out = [user_view(u) for u in users]
        uow.audit("user.list", "users", None, returned=len(out))
        uow.commit()
        return out


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the username is unknown, so that an unknown user
    takes as long to refuse as a wrong password."""
    return HASHER.hash("no such user: the time taken must not tell")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _load(registry: Registry, username: str) -> _Account | None:
    with registry.sessions() as session:
        user = session.execute(select(User).where(User.username == username)
                               ).scalar_one_or_none()
        if user is None:
            return None
        return _Account(user.id, user.username, Role(user.role), user.password_hash,
                        user.totp_secret, user.locked_until, user.active)


def authenticate(registry: Registry, command: SignIn) -> SignedIn:
    """Check a sign-in; audit it whatever the outcome; lock the account after
    :data:`MAX_FAILED_ATTEMPTS` failures in a row for :data:`LOCKOUT_PERIOD`."""
    username = normalise_username(command.username)[:120]
    account = _load(registry, username)
    now = registry.clock()
    refused = AuthenticationError("invalid_credentials", "invalid username, password or code")
    if account is None:
        _verify(_dummy_hash(), command.password)
        _audit_attempt(registry, Actor(username or "-", Role.TRAVELLER, SIGN_IN_PURPOSE),
                       None, "unknown_user", command.client)
        raise refused
    actor = Actor(account.username, account.role, SIGN_IN_PURPOSE)
    if account.locked_until is not None and account.locked_until > now:
        wait = int((account.locked_until - now).total_seconds()) + 1
        _audit_attempt(registry, actor, account.id, "locked", command.client)
        raise AuthenticationError("locked", f"too many failed attempts: the account is locked "
                                            f"until {account.locked_until.isoformat()}", wait)
    if not _verify(account.password_hash, command.password):
        _fail(registry, actor, account, "bad_password", command.client)
        raise refused
    if not account.active:
        _audit_attempt(registry, actor, account.id, "inactive", command.client)
        raise refused
    if account.totp_secret is not None:
        if not command.totp:
            _audit_attempt(registry, actor, account.id, "totp_required", command.client)
            raise AuthenticationError("totp_required", "this account needs the code from its "
                                                       "authenticator app (totp)")
        if not pyotp.TOTP(account.totp_secret).verify(command.totp.strip(), for_time=now,
                                                      valid_window=1):
            _fail(registry, actor, account, "bad_totp", command.client)
            raise AuthenticationError("totp_invalid", "invalid username, password or code")
    rehash = HASHER.check_needs_rehash(account.password_hash)
    new_hash = HASHER.hash(command.password) if rehash else None
    with _recording(registry, actor) as uow:
        values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
        if new_hash is not None:
            values["password_hash"] = new_hash
        uow.session.execute(update(User).where(User.id == account.id).values(**values))
        uow.audit("auth.sign_in", f"users:{account.id}", None, outcome="success",
                  client=command.client)
        uow.commit()
    return SignedIn(account.id, account.username, account.role)


def _audit_attempt(registry: Registry, actor: Actor, user_id: int | None, outcome: str,
                   client: str | None) -> None:
    with _recording(registry, actor) as uow:
        uow.audit("auth.sign_in", f"users:{user_id}" if user_id else "users", None,
                  outcome=outcome, client=client)
        uow.commit()


def _fail(registry: Registry, actor: Actor, account: _Account, outcome: str,
          client: str | None) -> None:
    """Count a failure (atomically, so concurrent guesses all count) and lock if due."""
    with _recording(registry, actor) as uow:
        failures = uow.session.execute(
            update(User).where(User.id == account.id)
            .values(failed_attempts=User.failed_attempts + 1)
            .returning(User.failed_attempts)).scalar_one()
        uow.audit("auth.sign_in", f"users:{account.id}", None, outcome=outcome, client=client,
                  failed_attempts=failures)
        if failures >= MAX_FAILED_ATTEMPTS:
            until = uow.now + LOCKOUT_PERIOD
            uow.session.execute(update(User).where(User.id == account.id)
                                .values(failed_attempts=0, locked_until=until))
            uow.audit("auth.lock", f"users:{account.id}", None, until=until,
                      after_failures=failures)
        uow.commit()


def _own_account(uow: UnitOfWork) -> User:
    user = uow.session.execute(select(User).where(User.username == uow.actor.username)
                               ).scalar_one_or_none()
    if user is None or not user.active:
        raise AuthenticationError("invalid_credentials", "the account no longer exists or is "
                                                         "inactive")
    return user


def enrol_totp(registry: Registry, actor: Actor) -> dict[str, str]:
    """Give the signed-in user a new TOTP secret; from now on sign-in needs its code.

    Returns the secret and the ``otpauth://`` URI an authenticator app reads (as a QR code).
    """
    secret = pyotp.random_base32()
    with _recording(registry, actor) as uow:
        user = _own_account(uow)
        user.totp_secret = secret
        uow.audit("auth.totp_enrol", user, None)
        uow.commit()
        uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    return {"secret": secret, "uri": uri}


def change_password(registry: Registry, actor: Actor, current: str, new: str) -> None:
    """Change the signed-in user's password, given the current one (audited). A wrong
    current password counts towards the lock-out like a failed sign-in."""
    problems = check_password(new, "new_password")
    if problems:
        raise InvalidInputError(problems)
    account = _load(registry, actor.username)
    if account is None:
        raise AuthenticationError("invalid_credentials", "the account no longer exists")
    if not _verify(account.password_hash, current):
        _fail(registry, actor, account, "bad_password_on_change", None)
        raise AuthenticationError("invalid_credentials", "the current password is wrong")
    new_hash = HASHER.hash(new)
    with _recording(registry, actor) as uow:
        user = _own_account(uow)
        user.password_hash = new_hash
        uow.audit("auth.password_change", user, None)
        uow.commit()
