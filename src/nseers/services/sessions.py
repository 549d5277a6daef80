"""Sessions that end: a per-account session version, checked on every request.

A signed token (an API bearer token or the web session cookie) proves only that this server
issued it. Each carries the account's ``session_version`` at the time; every request reads
the account back and refuses the token unless the account still exists, is active, still
has the token's role and still has the token's version. Raising the version therefore ends
every session of the account at once, on the API and the web alike: signing out (which
signs the user out everywhere), changing the password, deactivating the account, changing
its role, and an administrator's "revoke all sessions". Each raise is audited.

The read is one primary-key lookup of a small table; it is the price of a session that can
be ended, paid on every request (OWASP ASVS 3.3.1, 3.3.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import FieldProblem, InvalidInputError, NotFoundError
from nseers.db.uow import UnitOfWork
from nseers.registry.users import User
from nseers.services.context import Registry

_STATE = select(User.active, User.role, User.session_version)


@dataclass(frozen=True, slots=True)
class SessionState:
    """What a request's check reads about the account."""

    active: bool
    role: str
    version: int


def session_state(registry: Registry, username: str) -> SessionState | None:
    """The account's state, or ``None`` when there is no such account.

    One statement, so read in autocommit: no transaction to begin and roll back around it
    (two round trips on PostgreSQL) and, on SQLite, no write lock, which made every
    request's session check wait for the batch being written.
    """
    with registry.database.connect().execution_options(
            isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_STATE.where(User.username == username)).first()
    return None if row is None else SessionState(bool(row.active), row.role,
                                                 row.session_version)


def session_is_current(registry: Registry, username: str, role: Role, version: int) -> bool:
    """Whether a token for ``username`` in ``role`` issued under ``version`` still holds."""
    return holds(session_state(registry, username), role, version)


def holds(state: SessionState | None, role: Role, version: int) -> bool:
    """Whether a token in ``role`` issued under ``version`` holds for an account in
    ``state`` (``None``: the account does not exist)."""
    return (state is not None and state.active and state.role == role.value
            and state.version == version)


def current_version(registry: Registry, username: str) -> int:
    """The version a new token for ``username`` is issued under."""
    state = session_state(registry, username)
    return 0 if state is None else state.version


def _bump(uow: Any, user_id: int) -> None:
    uow.session.execute(update(User).where(User.id == user_id)
                        .values(session_version=User.session_version + 1))


def end_own_sessions(registry: Registry, actor: Actor, reason: str = "sign_out") -> None:
    """Sign out: every session of the actor's account ends (audited)."""
    # Any signed-in user may end their own sessions: no permission beyond being signed in.
    with UnitOfWork(registry.sessions, actor, registry.clock) as uow:
        user = uow.session.execute(select(User).where(User.username == actor.username)
                                   ).scalar_one_or_none()
        if user is None:
            return
        _bump(uow, user.id)
        uow.audit("auth.sessions_end", user, None, reason=reason)
        uow.commit()


def _account(uow: Any, username: str) -> User:
    user: User | None = uow.session.execute(
        select(User).where(User.username == username.strip().lower())).scalar_one_or_none()
    if user is None:
        raise NotFoundError("account", repr(username))
    return user


def revoke_sessions(registry: Registry, actor: Actor, username: str) -> dict[str, Any]:
    """End every session of ``username`` now (administrators; audited)."""
    with registry.work(actor, Permission.ADMINISTER) as uow:
        user = _account(uow, username)
        _bump(uow, user.id)
        uow.audit("user.revoke_sessions", user, None, username=user.username)
        uow.commit()
        return {"username": user.username, "sessions_revoked": True}


def set_active(registry: Registry, actor: Actor, username: str, *,
               active: bool) -> dict[str, Any]:
    """Deactivate (or reactivate) an account; deactivating ends its sessions at once."""
    with registry.work(actor, Permission.ADMINISTER) as uow:
        user = _account(uow, username)
        if not active and user.username == actor.username:
            raise InvalidInputError([FieldProblem("username",
                                                  "administrators cannot deactivate themselves")])
        uow.session.execute(update(User).where(User.id == user.id).values(
            active=active, session_version=User.session_version + 1))
        uow.audit("user.deactivate" if not active else "user.activate", user, None,
                  username=user.username)
        uow.commit()
        return {"username": user.username, "active": active}


def set_role(registry: Registry, actor: Actor, username: str, role: Role) -> dict[str, Any]:
    """Move an account to another role; its sessions (in the old role) end at once."""
    if role is Role.SYSTEM:
        raise InvalidInputError([FieldProblem("role", "no account may act as system")])
    with registry.work(actor, Permission.ADMINISTER) as uow:
        user = _account(uow, username)
        before = user.role
        uow.session.execute(update(User).where(User.id == user.id).values(
            role=role.value, session_version=User.session_version + 1))
        uow.audit("user.role_change", user, None, username=user.username, before=before,
                  after=role.value)
        uow.commit()
        return {"username": user.username, "role": role.value}
