"""Who may call what: the signed-in actor of a request, and each endpoint's access rule.

Every endpoint declares exactly one access rule as a dependency: :class:`Authorized` with
the :class:`~nseers.core.actors.Permission` it needs (or none: any signed-in user),
:class:`Anonymous` for the traveller's self-service (the actor is the anonymous
traveller), or :data:`PUBLIC` for what reads no personal data (health, the law, the
evaluation contract). :func:`access_table` reads the rules back from the routes, so the
permission-matrix test and the documentation are generated from the code that enforces
them. The permissions themselves are :data:`nseers.core.actors.ROLE_PERMISSIONS`.

The actor's purpose is the ``Purpose`` header, or the role's default purpose.

A genuine signature is not enough: every request also checks the token against its
account (active, same role, same session version: :mod:`nseers.services.sessions`), in a
worker thread, so that a database that hangs holds up a thread and not the event loop;
concurrent checks of one account share a read (:mod:`nseers.api.session_checks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Final

from fastapi import APIRouter, Depends, Header, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from nseers.api.batching import MovementBatcher
from nseers.api.problems import RateLimited, Unauthenticated
from nseers.api.session_checks import SessionChecks
from nseers.core.actors import Actor, Permission, Role
from nseers.services.context import Registry
from nseers.services.sessions import holds, session_is_current
from nseers.serving.ratelimit import RateLimiter
from nseers.serving.settings import ServerSettings
from nseers.serving.tokens import InvalidTokenError, TokenVerifier

if TYPE_CHECKING:
    from nseers.services.biometrics import BiometricVault

ANONYMOUS_USER: Final = "anonymous"
SIGNED_IN: Final = "signed_in"

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token.")
PurposeHeader = Annotated[str | None, Header(
    alias="Purpose", min_length=1, max_length=200,
    description="Why you are asking; recorded in the audit trail with every read of "
                "personal data (default: your role's purpose).")]


@dataclass
class ApiState:
    """What the endpoints share: the registry, the settings and the rate limiters."""

    registry: Registry
    settings: ServerSettings
    self_service_limiter: RateLimiter
    sign_in_limiter: RateLimiter
    movements: MovementBatcher
    tokens: TokenVerifier
    #: Passengers asked about per carrier account (issue 17; None: no limit).
    carrier_limiter: RateLimiter | None = None
    #: The biometric vault (issue 13), made on first use: the face models load then.
    biometric_vault: Callable[[], BiometricVault] | None = None
    #: Concurrent session checks of one account share a read (None: a read per request).
    session_checks: SessionChecks | None = None


def api_state(request: Request) -> ApiState:
    """The application's shared state."""
    state: ApiState = request.app.state.api
    return state


def registry_of(request: Request) -> Registry:
    """The registry the application serves."""
    return api_state(request).registry


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy, as the server's proxy headers say)."""
    return request.client.host if request.client else "unknown"


class Access:
    """Base of the access rules; ``rule`` is what :func:`access_table` reports."""

    rule: Permission | str


class Authorized(Access):
    """A signed-in user whose role grants ``permission`` (any signed-in user if ``None``)."""

    def __init__(self, permission: Permission | None = None) -> None:
        self.permission = permission
        self.rule = permission if permission is not None else SIGNED_IN

    async def __call__(
        self, request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        purpose: PurposeHeader = None,
    ) -> Actor:
        if credentials is None:
            raise Unauthenticated("sign in (POST /api/v1/auth/token) and send the token as "
                                  "'Authorization: Bearer <token>'")
        state = api_state(request)
        try:
            claims = state.tokens.verify(credentials.credentials, state.registry.clock())
        except InvalidTokenError:
            raise Unauthenticated("the token is invalid or has expired; sign in again",
                                  invalid_token=True) from None
        if state.session_checks is not None:
            current = holds(await state.session_checks.state(claims.username), claims.role,
                            claims.session_version)
        else:
            current = await run_in_threadpool(session_is_current, state.registry,
                                              claims.username, claims.role,
                                              claims.session_version)
        if not current:
            raise Unauthenticated("this session has ended (signed out, password or role "
                                  "changed, account deactivated or sessions revoked); sign "
                                  "in again", invalid_token=True)
        actor = claims.actor(purpose or "")
        if self.permission is not None:
            actor.require(self.permission)
        return actor


class AnyPermission(str):
    """The rule of an endpoint open to several permissions: ``"read_person or file_i68"``.

    A string, so the access table and the documentation read it like any other rule, that
    keeps the permissions it stands for (the permission-matrix test reads them)."""

    __slots__ = ()

    def __new__(cls, permissions: tuple[Permission, ...]) -> AnyPermission:
        return super().__new__(cls, " or ".join(p.value for p in permissions))

    @property
    def permissions(self) -> tuple[Permission, ...]:
        """The permissions, any one of which opens the endpoint."""
        return tuple(Permission(p) for p in self.split(" or "))


class AnyOf(Authorized):
    """A signed-in user whose role grants at least one of ``permissions``; what each may
    then see is the service's to decide (issue 17: an I-68 applicant's account reads only
    what it filed, an officer who may read persons reads any)."""

    def __init__(self, *permissions: Permission) -> None:
        super().__init__(None)
        self.permissions = permissions
        self.rule = AnyPermission(permissions)

    async def __call__(
        self, request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        purpose: PurposeHeader = None,
    ) -> Actor:
        actor = await super().__call__(request, credentials, purpose)
        if not any(actor.may(permission) for permission in self.permissions):
            actor.require(self.permissions[0])
        return actor


class Anonymous(Access):
    """The anonymous traveller of the self-service pages, rate-limited per address."""

    rule = Permission.SELF_SERVICE

    async def __call__(self, request: Request, purpose: PurposeHeader = None) -> Actor:
        state = api_state(request)
        wait = state.self_service_limiter.take(client_address(request))
        if wait:
            raise RateLimited(RateLimiter.retry_after(wait))
        actor = Actor(ANONYMOUS_USER, Role.TRAVELLER, purpose or "")
        actor.require(Permission.SELF_SERVICE)
        return actor


class Public(Access):
    """No sign-in: the endpoint reads no personal data."""

    rule = "public"

    async def __call__(self) -> None:
        return None


class SignInLimit:
    """Sign-in attempts per client address (the lock-out protects each account)."""

    async def __call__(self, request: Request) -> None:
        wait = api_state(request).sign_in_limiter.take(client_address(request))
        if wait:
            raise RateLimited(RateLimiter.retry_after(wait))


PUBLIC: Final = Public()
ANONYMOUS: Final = Anonymous()
SIGN_IN_LIMIT: Final = SignInLimit()
_authorized: dict[Permission | None, Authorized] = {}


def requires(permission: Permission | None) -> Authorized:
    """The (shared) access rule for ``permission``."""
    if permission not in _authorized:
        _authorized[permission] = Authorized(permission)
    return _authorized[permission]


def access_table(routers: Iterable[tuple[str, APIRouter]]
                 ) -> dict[tuple[str, str], Permission | str | None]:
    """Each route's access rule, by (method, path): a permission, ``signed_in``,
    ``public``, or ``None`` where a route declares none or several (a bug the tests
    catch). ``routers`` are the routers the app mounts, each with its mount prefix."""
    table: dict[tuple[str, str], Permission | str | None] = {}
    for prefix, router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            rules: set[Permission | str] = set()
            for dependency in _dependencies(route.dependant):
                if isinstance(dependency.call, Access):
                    rules.add(dependency.call.rule)
            rule = rules.pop() if len(rules) == 1 else None
            for method in route.methods or ():
                table[(method, prefix + route.path)] = rule
    return table


def _dependencies(dependant: Dependant) -> list[Dependant]:
    found: list[Dependant] = []
    for child in dependant.dependencies:
        found.append(child)
        found.extend(_dependencies(child))
    return found
