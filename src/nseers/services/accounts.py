"""Local accounts: create users, sign in (password and optional TOTP), lock-out, passwords.

Passwords are kept as argon2id hashes (``argon2-cffi``). A second factor is optional: a
user who enrols a TOTP secret (RFC 6238, ``pyotp``) must give the current code at every
sign-in. Every sign-in attempt, successful or not, leaves an audit entry with its outcome.

The hash is computed outside any database transaction: verifying an argon2id hash takes
tens of milliseconds on purpose, and on SQLite every transaction holds the write lock. So
that concurrent guesses cannot outrun the lock-out, an attempt first *takes a turn*: one
conditional ``UPDATE`` counts it and, at the limit, sets the lock, in the same statement
(the row lock serialises it on PostgreSQL, the write lock on SQLite). An attempt that gets
no turn is refused without its password being checked, so at most
:data:`MAX_FAILED_ATTEMPTS` guesses are ever evaluated per lock period.

A TOTP code is accepted once: the step it belongs to is stored, and a code of that step or
an earlier one is refused (RFC 6238, section 5.2). Changing the password or re-enrolling
the second factor needs the current password and, once enrolled, a current code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Annotated, Any, Final

import pyotp
from annotated_types import MaxLen, MinLen
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, or_, select, update

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NseersError
from nseers.core.fields import Client, IdempotencyKey, Secret
from nseers.db.uow import UnitOfWork, conflicts_translated
from nseers.registry.users import User
from nseers.services.context import Registry
from nseers.services.idempotency import once
from nseers.services.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_password,
    normalise_password,
)

# The lock-out policy is the system's own security policy, not law: after this many
# failed attempts in a row (wrong password or wrong code) the account is locked for
# LOCKOUT_PERIOD, which makes guessing a password or a six-digit code impractical while a
# locked-out officer waits a quarter of an hour at most.
MAX_FAILED_ATTEMPTS: Final = 5
LOCKOUT_PERIOD: Final = timedelta(minutes=15)
__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH", "check_password"]
USERNAME_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9._@-]{1,119}")
Username = Annotated[str, MinLen(1), MaxLen(120)]
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
    """An account an administrator creates; its password follows the same policy as a
    changed one (at least 12 characters, not blank or invisible, not the username, not a
    common password)."""

    username: Username
    role: Role
    password: Annotated[str, Secret(), MinLen(MIN_PASSWORD_LENGTH), MaxLen(MAX_PASSWORD_LENGTH)]
    idempotency_key: IdempotencyKey = None


@dataclass(frozen=True, slots=True)
class SignIn:
    """A sign-in attempt: username, password, and the authenticator code where the account
    has one; ``client`` (an address) is recorded in the audit trail."""

    username: Username
    password: Annotated[str, Secret(), MinLen(1), MaxLen(MAX_PASSWORD_LENGTH)]
    totp: Annotated[str, MaxLen(10)] | None = None
    client: Client = None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who signed in, and in which role."""

    user_id: int
    username: str
    role: Role
    #: The account's session version: tokens for this sign-in carry it.
    session_version: int = 0


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
    session_version: int = 0


def normalise_username(username: str) -> str:
    """Usernames are compared without case and surrounding spaces."""
    return username.strip().lower()


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
    problems += check_password(command.password, username=username)
    if problems:
        raise InvalidInputError(problems)
    password_hash = HASHER.hash(normalise_password(command.password))
    request = {"username": username, "role": command.role.value}

    def work(uow: UnitOfWork) -> dict[str, Any]:
        taken = uow.session.execute(select(User.id).where(User.username == username)).first()
        if taken is not None:
            raise ConflictError("username_taken", f"the username {username!r} is taken")
        user = User(username=username, role=command.role.value, password_hash=password_hash,
                    totp_secret=None, failed_attempts=0, locked_until=None, active=True,
                    created_at=uow.now)
        uow.session.add(user)
        uow.session.flush()
        uow.audit("user.create", user, None, username=username, role=command.role.value)
        return user_view(user)
    return once(registry, actor, Permission.ADMINISTER, operation="user_create",
                key=command.idempotency_key, request=request, work=work)


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
    """Check a password against its hash: normalised (NFKC) as it is hashed now, and as
    typed for a hash made before passwords were normalised."""
    try:
        normalised = normalise_password(password)
        if HASHER.verify(password_hash, normalised):
            return True
    except (VerificationError, InvalidHashError):
        if normalised == password:
            return False
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
                        user.totp_secret, user.locked_until, user.active, user.session_version)


def _take_turn(registry: Registry, account_id: int, now: datetime) -> int | None:
    """Count an attempt before it is checked: the attempt's number in the current run of
    failures, or ``None`` when the account is locked. One statement, so concurrent
    attempts each get a distinct number and none gets past the limit."""
    lapsed = and_(User.locked_until.is_not(None), User.locked_until <= now)
    count = case((lapsed, 1), else_=User.failed_attempts + 1)
    with registry.database.begin() as connection:
        row = connection.execute(
            update(User).where(User.id == account_id,
                               or_(User.locked_until.is_(None), User.locked_until <= now))
            .values(failed_attempts=count,
                    locked_until=case((count >= MAX_FAILED_ATTEMPTS, now + LOCKOUT_PERIOD),
                                      else_=None))
            .returning(User.failed_attempts)).first()
    return None if row is None else int(row[0])


def _locked(registry: Registry, actor: Actor, account: _Account, client: str | None
            ) -> AuthenticationError:
    current = _load(registry, account.username)
    until = (current.locked_until if current is not None and current.locked_until
             else registry.clock() + LOCKOUT_PERIOD)
    wait = max(1, int((until - registry.clock()).total_seconds()) + 1)
    _audit_attempt(registry, actor, account.id, "locked", client)
    return AuthenticationError("locked", f"too many failed attempts: the account is locked "
                                         f"until {until.isoformat()}", wait)


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is, within one step of ``now``, else ``None``."""
    totp = pyotp.TOTP(secret)
    code = code.strip()
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _accept_totp(registry: Registry, account_id: int, step: int) -> bool:
    """Record ``step`` as used; ``False`` if it (or a later one) was used already."""
    with registry.database.begin() as connection:
        changed = connection.execute(
            update(User).where(User.id == account_id,
                               or_(User.totp_last_step.is_(None), User.totp_last_step < step))
            .values(totp_last_step=step)).rowcount
    return changed == 1


def _second_factor(registry: Registry, account: _Account, code: str | None,
                   now: datetime) -> str | None:
    """The refusal (an outcome code) of a missing, wrong or replayed code, else ``None``."""
    if account.totp_secret is None:
        return None
    if not code:
        return "totp_required"
    step = totp_step(account.totp_secret, code, now)
    if step is None:
        return "bad_totp"
    if not _accept_totp(registry, account.id, step):
        return "totp_replayed"
    return None


_TOTP_REFUSALS: Final = {
    "totp_required": AuthenticationError("totp_required", "this account needs the code from "
                                                          "its authenticator app (totp)"),
    "bad_totp": AuthenticationError("totp_invalid", "invalid username, password or code"),
    "totp_replayed": AuthenticationError("totp_invalid", "this code was used already; wait "
                                                         "for the next one"),
}


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
    attempt = _take_turn(registry, account.id, now)
    if attempt is None:
        raise _locked(registry, actor, account, command.client)
    if not _verify(account.password_hash, command.password):
        _fail(registry, actor, account, attempt, "bad_password", command.client)
        raise refused
    if not account.active:
        _audit_attempt(registry, actor, account.id, "inactive", command.client)
        raise refused
    outcome = _second_factor(registry, account, command.totp, now)
    if outcome == "totp_required":
        # Not a guess: the password was right and the form now asks for the code.
        _succeed_quietly(registry, account.id)
        _audit_attempt(registry, actor, account.id, outcome, command.client)
        raise _TOTP_REFUSALS[outcome]
    if outcome is not None:
        _fail(registry, actor, account, attempt, outcome, command.client)
        raise _TOTP_REFUSALS[outcome]
    rehash = HASHER.check_needs_rehash(account.password_hash)
    new_hash = HASHER.hash(normalise_password(command.password)) if rehash else None
    with _recording(registry, actor) as uow:
        values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None}
        if new_hash is not None:
            values["password_hash"] = new_hash
        uow.session.execute(update(User).where(User.id == account.id).values(**values))
        uow.audit("auth.sign_in", f"users:{account.id}", None, outcome="success",
                  client=command.client)
        uow.commit()
    return SignedIn(account.id, account.username, account.role, account.session_version)


def _succeed_quietly(registry: Registry, account_id: int) -> None:
    with registry.database.begin() as connection:
        connection.execute(update(User).where(User.id == account_id)
                           .values(failed_attempts=0, locked_until=None))


def _audit_attempt(registry: Registry, actor: Actor, user_id: int | None, outcome: str,
                   client: str | None) -> None:
    with _recording(registry, actor) as uow:
        uow.audit("auth.sign_in", f"users:{user_id}" if user_id else "users", None,
                  outcome=outcome, client=client)
        uow.commit()


def _fail(registry: Registry, actor: Actor, account: _Account, attempt: int, outcome: str,
          client: str | None) -> None:
    """Audit a failed attempt (already counted by :func:`_take_turn`), and the lock if this
    was the attempt that reached the limit."""
    with _recording(registry, actor) as uow:
        uow.audit("auth.sign_in", f"users:{account.id}", None, outcome=outcome, client=client,
                  failed_attempts=attempt)
        if attempt >= MAX_FAILED_ATTEMPTS:
            uow.audit("auth.lock", f"users:{account.id}", None,
                      until=uow.now + LOCKOUT_PERIOD, after_failures=attempt)
        uow.commit()


def _own_account(uow: UnitOfWork) -> User:
    user = uow.session.execute(select(User).where(User.username == uow.actor.username)
                               ).scalar_one_or_none()
    if user is None or not user.active:
        raise AuthenticationError("invalid_credentials", "the account no longer exists or is "
                                                         "inactive")
    return user


def _reauthenticate(registry: Registry, actor: Actor, password: str, code: str | None,
                    outcome_prefix: str) -> _Account:
    """Prove again, for a sensitive change, that the signed-in user holds the password and
    (once enrolled) the authenticator: under the same lock-out as a sign-in."""
    account = _load(registry, actor.username)
    if account is None or not account.active:
        raise AuthenticationError("invalid_credentials", "the account no longer exists or is "
                                                         "inactive")
    attempt = _take_turn(registry, account.id, registry.clock())
    if attempt is None:
        raise _locked(registry, actor, account, None)
    if not _verify(account.password_hash, password):
        _fail(registry, actor, account, attempt, f"{outcome_prefix}_bad_password", None)
        raise AuthenticationError("invalid_credentials", "the current password is wrong")
    outcome = _second_factor(registry, account, code, registry.clock())
    if outcome is not None:
        _fail(registry, actor, account, attempt, f"{outcome_prefix}_{outcome}", None)
        raise _TOTP_REFUSALS[outcome]
    _succeed_quietly(registry, account.id)
    return account


def enrol_totp(registry: Registry, actor: Actor, password: str,
               code: str | None = None) -> dict[str, str]:
    """Give the signed-in user a new TOTP secret; from now on sign-in needs its code.

    Needs the current password and, when a second factor is already enrolled, its current
    code: a stolen session alone must not be able to replace the authenticator. Returns the
    secret and the ``otpauth://`` URI an authenticator app reads (as a QR code).
    """
    _reauthenticate(registry, actor, password, code, "totp_enrol")
    secret = pyotp.random_base32()
    with _recording(registry, actor) as uow:
        user = _own_account(uow)
        user.totp_secret = secret
        user.totp_last_step = None
        uow.audit("auth.totp_enrol", user, None)
        uow.commit()
        uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    return {"secret": secret, "uri": uri}


def change_password(registry: Registry, actor: Actor, current: str, new: str,
                    code: str | None = None) -> None:
    """Change the signed-in user's password, given the current one and (with TOTP
    enrolled) a current code; audited. A wrong password or code counts towards the
    lock-out like a failed sign-in. Every session of the account ends (sign in again)."""
    problems = check_password(new, "new_password", username=actor.username)
    if problems:
        raise InvalidInputError(problems)
    _reauthenticate(registry, actor, current, code, "password_change")
    new_hash = HASHER.hash(normalise_password(new))
    with _recording(registry, actor) as uow:
        user = _own_account(uow)
        user.password_hash = new_hash
        user.session_version += 1
        uow.audit("auth.password_change", user, None)
        uow.commit()
