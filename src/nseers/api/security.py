"""Signed bearer tokens: issue one at sign-in, verify it on every request.

A token is a JWT signed with HMAC-SHA256 (RFC 7519, RFC 7518), carrying the username, the
role and its lifetime (15 minutes by default). Nothing is stored server-side: a token is
good until it expires, so a deactivated account keeps access for at most one lifetime.
The web pages put the same token in a session cookie and verify it with the same function.
Times come from the caller's clock (the registry's), so tests can move time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import jwt

from nseers.core.actors import Actor, Role

ALGORITHM: Final = "HS256"
ISSUER: Final = "nseers"


class InvalidTokenError(Exception):
    """A token that is malformed, wrongly signed, expired or names an unknown role."""


@dataclass(frozen=True, slots=True)
class Token:
    """A signed token and when it expires."""

    value: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Claims:
    """What a verified token says."""

    username: str
    role: Role
    expires_at: datetime

    def actor(self, purpose: str = "") -> Actor:
        """The actor the token's holder acts as, for ``purpose`` (default: the role's)."""
        return Actor(self.username, self.role, purpose)


def issue_token(username: str, role: Role, secret: bytes, now: datetime,
                lifetime: timedelta) -> Token:
    """A token for ``username`` in ``role``, valid from ``now`` for ``lifetime``."""
    expires = now + lifetime
    payload = {"sub": username, "role": role.value, "iss": ISSUER,
               "iat": int(now.timestamp()), "exp": int(expires.timestamp())}
    return Token(jwt.encode(payload, secret, algorithm=ALGORITHM),
                 datetime.fromtimestamp(int(expires.timestamp()), UTC))


def verify_token(token: str, secret: bytes, now: datetime) -> Claims:
    """The claims of a genuine, unexpired token; :class:`InvalidTokenError` otherwise."""
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                             options={"require": ["sub", "role", "exp", "iat", "iss"],
                                      "verify_exp": False, "verify_iat": False})
    except jwt.PyJWTError as error:
        raise InvalidTokenError(str(error)) from None
    expires = payload["exp"]
    if not isinstance(expires, int) or expires <= now.timestamp():
        raise InvalidTokenError("the token has expired")
    try:
        role = Role(payload["role"])
    except ValueError:
        raise InvalidTokenError("the token names an unknown role") from None
    subject = payload["sub"]
    if not isinstance(subject, str) or not subject or role is Role.SYSTEM:
        raise InvalidTokenError("the token names no user")
    return Claims(subject, role, datetime.fromtimestamp(expires, UTC))


class TokenVerifier:
    """:func:`verify_token` with a memory of the tokens it has verified.

    A client sends the same token with every request for its 15 minutes; checking the
    signature once is enough (PyJWT's checks cost about 0.1 ms a call). Expiry is checked
    on every use. The memory keeps at most ``size`` tokens, the least recently used going
    first.
    """

    def __init__(self, secret: bytes, size: int = 4096) -> None:
        self._secret = secret
        self._size = size
        self._known: OrderedDict[str, Claims] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, token: str, now: datetime) -> Claims:
        """The claims of a genuine, unexpired token; :class:`InvalidTokenError` otherwise."""
        with self._lock:
            claims = self._known.get(token)
            if claims is not None:
                self._known.move_to_end(token)
        if claims is None:
            claims = verify_token(token, self._secret, now)
            with self._lock:
                self._known[token] = claims
                while len(self._known) > self._size:
                    self._known.popitem(last=False)
        if claims.expires_at <= now:
            raise InvalidTokenError("the token has expired")
        return claims
