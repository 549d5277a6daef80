"""Signed bearer tokens: issue one at sign-in, verify it on every request.

A token is a JWT signed with HMAC-SHA256 (RFC 7519, RFC 7518), carrying the username, the
role, its lifetime (15 minutes by default), its audience (``api`` for bearer tokens,
``web`` for the pages' session cookie: neither is accepted as the other) and the account's
session version. A signature proves only that the server issued the token; every request
also compares the role and the session version with the account's own
(:mod:`nseers.services.sessions`), so sign-out, a password or role change, deactivation and
"revoke all sessions" end a token at once. A web session also carries its own random id
(``sid``, the CSRF token's binding) and the time of sign-in (``auth_time``), past which
no renewal extends it. Times come from the caller's clock (the registry's), so tests can
move time.
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
API_AUDIENCE: Final = "api"
WEB_AUDIENCE: Final = "web"


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
    session_version: int = 0
    audience: str = API_AUDIENCE
    #: A web session's own id and sign-in time (empty / ``None`` for API tokens).
    session_id: str = ""
    signed_in_at: datetime | None = None

    def actor(self, purpose: str = "") -> Actor:
        """The actor the token's holder acts as, for ``purpose`` (default: the role's)."""
        return Actor(self.username, self.role, purpose)


def issue_token(username: str, role: Role, secret: bytes, now: datetime,
                lifetime: timedelta, *, session_version: int = 0,
                audience: str = API_AUDIENCE, session_id: str = "",
                signed_in_at: datetime | None = None) -> Token:
    """A token for ``username`` in ``role``, valid from ``now`` for ``lifetime``."""
    expires = now + lifetime
    payload: dict[str, object] = {
        "sub": username, "role": role.value, "iss": ISSUER, "aud": audience,
        "sv": session_version, "iat": int(now.timestamp()), "exp": int(expires.timestamp())}
    if session_id:
        payload["sid"] = session_id
    if signed_in_at is not None:
        payload["auth_time"] = int(signed_in_at.timestamp())
    return Token(jwt.encode(payload, secret, algorithm=ALGORITHM),
                 datetime.fromtimestamp(int(expires.timestamp()), UTC))


def verify_token(token: str, secret: bytes, now: datetime,
                 audience: str = API_AUDIENCE) -> Claims:
    """The claims of a genuine, unexpired token for ``audience``; :class:`InvalidTokenError`
    otherwise (the account's own state is checked by the caller)."""
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                             audience=audience,
                             options={"require": ["sub", "role", "exp", "iat", "iss", "aud",
                                                  "sv"],
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
    version, sid, auth_time = payload["sv"], payload.get("sid", ""), payload.get("auth_time")
    if not isinstance(version, int) or not isinstance(sid, str) or \
            not isinstance(auth_time, int | None):
        raise InvalidTokenError("the token's session is malformed")
    return Claims(subject, role, datetime.fromtimestamp(expires, UTC), version, audience, sid,
                  None if auth_time is None else datetime.fromtimestamp(auth_time, UTC))


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
