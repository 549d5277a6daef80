"""What every page shares: the session, CSRF protection, role checks and rendering.

The session is a signed token (:mod:`nseers.serving.tokens`, audience ``web``: an API bearer
token is not a session cookie, nor the reverse) in an HttpOnly, SameSite=Strict cookie
(Secure when served over https). Every request checks it against the account (active, same
role, same session version: :mod:`nseers.services.sessions`) before anything else, so
signing out, a password or role change, deactivation and "revoke all sessions" end it at
once; only then is it re-issued, so it expires after
:attr:`~nseers.web.settings.WebSettings.idle_timeout` without activity and, however busy,
:attr:`~nseers.web.settings.WebSettings.absolute_timeout` after sign-in.

CSRF: every form carries an HMAC of the session's own random id (a hidden field, or the
``X-CSRF-Token`` header that htmx sends), which lives inside the signed session cookie, so
a planted cookie and its token are worth nothing once the victim signs in. Before sign-in
the id is a separate random cookie (the sign-in form, the traveller's look-up). Every
state-changing request must also come from this site's own origin: an ``Origin`` (or, for
older browsers, ``Referer``) header naming another site is refused.

Every web route is a :class:`WebRoute`: it checks the CSRF token before the handler runs,
turns "sign in first", a refused role and a missing record into pages (a redirect, a
friendly 403, a 404), and sets the cookies and security headers on the way out. Nothing
here applies to the API's routes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlsplit

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import ConflictError, ForbiddenError, NotFoundError
from nseers.core.labels import label as words_for
from nseers.services.accounts import SignedIn
from nseers.services.biometrics import BiometricVault
from nseers.services.context import Registry
from nseers.services.sessions import end_own_sessions, session_is_current
from nseers.serving.ratelimit import RateLimiter
from nseers.serving.tokens import (
    WEB_AUDIENCE,
    Claims,
    InvalidTokenError,
    issue_token,
    verify_token,
)
from nseers.settings import Settings
from nseers.web.settings import WebSettings
from nseers.web.uploads import UploadStore

SESSION_COOKIE: Final = "nseers_session"
SID_COOKIE: Final = "nseers_sid"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "X-CSRF-Token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
STATE_KEY: Final = "nseers_web"
TEMPLATES: Final = Path(__file__).parent / "templates"
STATIC_PREFIX: Final = "/static"
#: The Content-Security-Policy of every page: nothing but this server's own files.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'")

ROLE_LABELS: Final = {
    Role.PRIMARY_OFFICER: "Primary officer",
    Role.SECONDARY_OFFICER: "Secondary officer",
    Role.DEPARTURE_OFFICER: "Departure officer",
    Role.COMPLIANCE_OFFICER: "Compliance officer",
    Role.DISTRICT_DIRECTOR: "District director",
    Role.ANALYST: "Analyst",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
    Role.TRAVELLER: "Traveller",
    Role.CARRIER: "Carrier (system account)",
    Role.SYSTEM: "System",
}


class SignInRequired(Exception):  # noqa: N818 - a signal, not an error
    """The page needs a signed-in user; the visitor is sent to the sign-in page."""


@dataclass(frozen=True, slots=True)
class NavLink:
    """A screen in the navigation, shown to roles that have every permission it needs."""

    href: str
    label: str
    permissions: tuple[Permission, ...]
    anonymous: bool = False

    def shown_to(self, actor: Actor | None) -> bool:
        """Whether the link appears for ``actor`` (``None``: not signed in)."""
        if actor is None:
            return self.anonymous
        if not self.permissions:
            return actor.role is Role.TRAVELLER and self.anonymous
        return all(actor.may(p) for p in self.permissions)


NAVIGATION: Final = (
    NavLink("/inspect", "Primary inspection", (Permission.INSPECT_ARRIVAL,)),
    NavLink("/secondary", "Secondary inspection",
            (Permission.INSPECT_ARRIVAL, Permission.REGISTER)),
    NavLink("/secondary/referrals", "Referrals",
            (Permission.INSPECT_ARRIVAL, Permission.REGISTER)),
    NavLink("/departure", "Departure desk", (Permission.RECORD_DEPARTURE,)),
    NavLink("/compliance", "Compliance queue", (Permission.MANAGE_COMPLIANCE,)),
    # Compliance casework (issue 17).
    NavLink("/compliance/call-in", "Call-in registration",
            (Permission.REGISTER, Permission.MANAGE_COMPLIANCE)),
    NavLink("/compliance/waivers", "Waivers", (Permission.REQUEST_WAIVER,)),
    NavLink("/compliance/violations", "Violations", (Permission.ASSESS_VIOLATION,)),
    NavLink("/carrier", "Boarding check", (Permission.CARRIER_CHECK,)),
    NavLink("/i68/queue", "I-68 adjudication", (Permission.DECIDE_I68,)),
    NavLink("/i68/apply", "I-68 application", (Permission.FILE_I68,)),
    NavLink("/people", "People", (Permission.READ_PERSON,)),
    NavLink("/dashboard", "Dashboard", (Permission.READ_AGGREGATES,)),
    NavLink("/audit", "Audit log", (Permission.READ_AUDIT,)),
    NavLink("/admin/users", "Users", (Permission.ADMINISTER,)),
    NavLink("/admin/policy", "Law in force", (Permission.ADMINISTER,)),
    # Lookout screening (issue 14).
    NavLink("/screening/hits", "Lookout hits", (Permission.ADJUDICATE_HIT,)),
    NavLink("/watchlists", "Watchlists", (Permission.READ_WATCHLISTS,)),
    # Offline ports (issue 17).
    NavLink("/offline/conflicts", "Offline conflicts", (Permission.ADJUDICATE_HIT,)),
    # Retention and legal holds (issue 17).
    NavLink("/retention", "Retention", (Permission.RUN_RETENTION,)),
    NavLink("/legal-holds", "Legal holds", (Permission.PLACE_LEGAL_HOLD,)),
    # Identity merge and split (issue 13).
    NavLink("/identities/merges", "Identity merges", (Permission.MANAGE_IDENTITIES,)),
    # The entry-exit review queue (issue 12).
    NavLink("/entry-exit/reviews", "Link reviews", (Permission.REVIEW_LINKS,)),
    # Refusal of entry (issue 17).
    NavLink("/refusals/new", "Refuse entry", (Permission.RECORD_REFUSAL,)),
    NavLink("/traveller", "Check my I-94", (), anonymous=True),
    # The traveller's own days (issue 17).
    NavLink("/traveller/days", "My travel days", (), anonymous=True),
    NavLink("/traveller/stay", "Stay calculator", (), anonymous=True),
    # Correction and redress (issue 17).
    NavLink("/corrections", "Corrections", (Permission.DECIDE_CORRECTION,)),
    NavLink("/traveller/correction", "Correct my record", (), anonymous=True),
)


@dataclass(slots=True)
class Visitor:
    """Who is asking: the session id, the verified claims if signed in, what changed."""

    sid: str
    claims: Claims | None
    sid_is_new: bool = False
    expired: bool = False
    signed_out: bool = False

    @property
    def actor(self) -> Actor | None:
        """The signed-in actor, acting for the role's default purpose."""
        return None if self.claims is None else self.claims.actor()

    def may(self, permission: Permission) -> bool:
        """Whether the signed-in user's role grants ``permission``."""
        actor = self.actor
        return actor is not None and actor.may(permission)


@dataclass
class Site:
    """The registry, settings, templates and helpers every web route uses."""

    registry: Registry
    settings: Settings
    secret_key: bytes
    options: WebSettings = field(default_factory=WebSettings)
    #: Passengers asked about per carrier account, shared with the API (issue 17).
    carrier_limiter: RateLimiter | None = None
    #: The biometric vault (sealing key and matchers), built on first use and shared with
    #: the API (issue 13): the face models take seconds to load.
    biometric_vault: Callable[[], BiometricVault] | None = None
    templates: Environment = field(init=False)
    uploads: UploadStore = field(init=False)
    sign_in_limiter: RateLimiter = field(init=False)
    lookup_limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.templates.globals.update(static=static_url, role_label=role_label,
                                      label=label, NAVIGATION=NAVIGATION)
        self.templates.filters.update(label=label, yes_no=yes_no, day=long_day,
                                      moment=long_moment, percent=percent,
                                      plain=plain)
        self.uploads = UploadStore(
            self.settings.data_dir, self.options.max_upload_bytes,
            sealer=(lambda: self.vault().sealer) if self.biometric_vault is not None else None)
        self.sign_in_limiter = RateLimiter(self.options.sign_in_per_minute)
        self.lookup_limiter = RateLimiter(self.options.lookups_per_minute)

    def vault(self) -> BiometricVault:
        """The biometric vault the capture and verify pages enrol and compare with."""
        if self.biometric_vault is None:
            raise RuntimeError("the pages were installed without a biometric vault")
        return self.biometric_vault()

    # ------------------------------------------------------------------ time
    def now(self) -> datetime:
        """The registry's clock (tests move it)."""
        return self.registry.clock()

    def today(self) -> date:
        """Today by the registry's clock, in UTC."""
        return self.now().date()

    # --------------------------------------------------------------- sessions
    def visitor_of(self, request: Request) -> Visitor:
        """Read the cookies: the session id (made when missing) and the verified token."""
        sid = request.cookies.get(SID_COOKIE, "")
        fresh = len(sid) < 32
        if fresh:
            sid = secrets.token_urlsafe(32)
        token = request.cookies.get(SESSION_COOKIE)
        claims = None
        expired = False
        if token:
            try:
                claims = self._current(verify_token(token, self.secret_key, self.now(),
                                                    WEB_AUDIENCE))
            except InvalidTokenError:
                expired = True
        return Visitor(sid, claims, sid_is_new=fresh, expired=expired)

    def _current(self, claims: Claims) -> Claims:
        """``claims`` if the session still holds; :class:`InvalidTokenError` otherwise."""
        began = claims.signed_in_at
        if began is None or not claims.session_id or \
                self.now() - began >= self.options.absolute_timeout:
            raise InvalidTokenError("the session is past its absolute lifetime")
        if not session_is_current(self.registry, claims.username, claims.role,
                                  claims.session_version):
            raise InvalidTokenError("the session has ended")
        return claims

    def csrf_token(self, visitor: Visitor) -> str:
        """The token every form of this session carries: an HMAC of the session's own id
        (inside the signed cookie once signed in; the anonymous id cookie before)."""
        bound = (f"session:{visitor.claims.session_id}" if visitor.claims is not None
                 else f"anonymous:{visitor.sid}")
        return hmac.new(self.secret_key, b"csrf:" + bound.encode(),
                        hashlib.sha256).hexdigest()

    @staticmethod
    def same_origin(request: Request) -> bool:
        """Whether a state-changing request comes from this site (OWASP: verify the
        source origin). A browser sends ``Origin`` with every form post and fetch; where
        it sends neither header (some privacy settings), the CSRF token alone decides."""
        source = request.headers.get("Origin") or request.headers.get("Referer")
        if not source:
            return True
        if source == "null":
            return False
        parts = urlsplit(source)
        host = request.headers.get("Host") or request.url.netloc
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()

    async def csrf_ok(self, request: Request, visitor: Visitor) -> bool:
        """Whether a POST comes from this site and carries this session's token (header or
        hidden field)."""
        if not self.same_origin(request):
            return False
        if visitor.sid_is_new and visitor.claims is None:
            return False
        sent = request.headers.get(CSRF_HEADER)
        if not sent:
            form = await request.form(max_part_size=self.options.max_upload_bytes)
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else ""
        return hmac.compare_digest(sent, self.csrf_token(visitor))

    def sign_in(self, request: Request, signed: SignedIn) -> None:
        """Start a session for ``signed``, with a new session id (no fixation)."""
        now = self.now()
        claims = Claims(signed.username, signed.role, now, signed.session_version,
                        WEB_AUDIENCE, secrets.token_urlsafe(32), now)
        request.state.nseers_visitor = Visitor(secrets.token_urlsafe(32), claims,
                                               sid_is_new=True)

    def sign_out(self, request: Request) -> None:
        """End the session: every session of the account ends on the server (the API's
        tokens too), the cookie is deleted and the session id replaced."""
        actor = self.visitor(request).actor
        if actor is not None:
            end_own_sessions(self.registry, actor)
        request.state.nseers_visitor = Visitor(secrets.token_urlsafe(32), None,
                                               sid_is_new=True, signed_out=True)

    def finish(self, request: Request, response: Response) -> None:
        """Set the cookies (the re-issued token, a new session id) and security headers."""
        visitor: Visitor = request.state.nseers_visitor
        secure = request.url.scheme == "https"
        if visitor.claims is not None and not visitor.signed_out:
            claims = visitor.claims
            token = issue_token(claims.username, claims.role, self.secret_key, self.now(),
                                self.options.idle_timeout,
                                session_version=claims.session_version,
                                audience=WEB_AUDIENCE, session_id=claims.session_id,
                                signed_in_at=claims.signed_in_at)
            response.set_cookie(SESSION_COOKIE, token.value,
                                max_age=int(self.options.idle_timeout.total_seconds()),
                                path="/", secure=secure, httponly=True, samesite="strict")
        elif visitor.signed_out or visitor.expired:
            response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True,
                                   samesite="strict")
        if visitor.sid_is_new:
            response.set_cookie(SID_COOKIE, visitor.sid, path="/", secure=secure,
                                httponly=True, samesite="strict")
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        # Pages show personal data: no shared or back-button cache keeps a copy.
        headers.setdefault("Cache-Control", "no-store")

    # ------------------------------------------------------------------ access
    def actor(self, request: Request, *permissions: Permission) -> Actor:
        """The signed-in actor, who must hold every permission named; else a 403 page."""
        visitor: Visitor = request.state.nseers_visitor
        actor = visitor.actor
        if actor is None:
            raise SignInRequired
        for permission in permissions:
            actor.require(permission)
        return actor

    @staticmethod
    def visitor(request: Request) -> Visitor:
        """The visitor the route wrapper read for this request."""
        visitor: Visitor = request.state.nseers_visitor
        return visitor

    # --------------------------------------------------------------- rendering
    def render(self, request: Request, template: str, context: Mapping[str, Any] | None = None,
               *, status: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
        """A page (or, for an htmx request, whatever fragment ``template`` is)."""
        visitor = self.visitor(request)
        actor = visitor.actor
        base = {
            "request_path": request.url.path,
            "visitor": visitor,
            "actor": actor,
            "csrf_token": self.csrf_token(visitor),
            "csrf_field": CSRF_FIELD,
            "nav": [link for link in NAVIGATION if link.shown_to(actor)],
            "today": self.today(),
            "is_htmx": is_htmx(request),
            "may": (lambda p: actor is not None and actor.may(Permission(p))),
        }
        body = self.templates.get_template(template).render({**base, **(context or {})})
        return HTMLResponse(body, status_code=status, headers=dict(headers or {}))

    def problem_page(self, request: Request, status: int, title: str,
                     message: str) -> HTMLResponse:
        """A friendly page for a refusal: 403, 404, 409, 429."""
        return self.render(request, "error.html", {"status": status, "title": title,
                                                   "message": message}, status=status)


def site_of(request: Request) -> Site:
    """The site installed in the application serving ``request``."""
    site: Site = getattr(request.app.state, STATE_KEY)
    return site


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


def redirect(request: Request, location: str) -> Response:
    """A redirect that htmx follows as a whole page (``HX-Redirect``)."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class WebRoute(APIRoute):
    """A web page route: CSRF check, error pages, session cookie refresh."""

    def get_route_handler(self) -> Handler:
        """The handler wrapped in the web's checks (see the module's description)."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            site = site_of(request)
            # The session check reads the database: off the event loop.
            visitor = await run_in_threadpool(site.visitor_of, request)
            request.state.nseers_visitor = visitor
            try:
                if request.method not in SAFE_METHODS and \
                        not await site.csrf_ok(request, visitor):
                    response: Response = site.problem_page(
                        request, 403, "This form has expired",
                        "The page was open too long or was opened in another session. Go "
                        "back, reload the page and submit it again; nothing was recorded.")
                else:
                    response = await _answer(site, request, original)
                site.finish(request, response)
                return response
            finally:
                await request.close()

        return handler


async def _answer(site: Site, request: Request, original: Handler) -> Response:
    try:
        return await original(request)
    except SignInRequired:
        visitor = site.visitor(request)
        # Back to the page after signing in: for a form post, the page the form was on.
        target = request.url.path
        if request.method in SAFE_METHODS and request.url.query:
            target += "?" + request.url.query
        elif request.method not in SAFE_METHODS:
            target = urlsplit(request.headers.get("HX-Current-URL")
                              or request.headers.get("Referer") or target).path or target
        location = f"/signin?next={quote(target, safe='/')}"
        if visitor.expired:
            location += "&expired=1"
        return redirect(request, location)
    except ForbiddenError as error:
        return site.problem_page(
            request, 403, "Not available to your role",
            f"Your role ({role_label(error.role)}) may not "
            f"{error.permission.replace('_', ' ')}. Nothing was read or recorded. If you "
            f"need this screen, ask an administrator for an account in the right role.")
    except NotFoundError as error:
        return site.problem_page(request, 404, "Not found", f"There is {error}.")
    except ConflictError as error:
        return site.problem_page(request, 409, "Not recorded", str(error))


# --------------------------------------------------------------- template helpers
def static_url(path: str) -> str:
    """The URL of a file under ``static/``."""
    return f"{STATIC_PREFIX}/{path.lstrip('/')}"


def role_label(role: str | Role) -> str:
    """A role in words."""
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return str(role)


def label(code: object) -> str:
    """A machine code in words (:func:`nseers.core.labels.label`, the one vocabulary)."""
    return words_for(code)


def yes_no(value: object) -> str:
    """A boolean as Yes or No."""
    return "Yes" if value else "No"


def long_day(value: object) -> str:
    """An ISO date as ``24 November 2026`` (empty for none)."""
    if value in (None, ""):
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def long_moment(value: object) -> str:
    """An ISO date and time as ``24 November 2026, 14:05 UTC``."""
    if value in (None, ""):
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return f"{long_day(moment.date())}, {moment:%H:%M} UTC"


def plain(value: object) -> str:
    """A policy value in words: records as ``key: value``, lists with commas."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {plain(item)}" for key, item in value.items()
                         if item is not None) or "none"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(plain(item) for item in value) or "none"
    return str(value)


def percent(value: object, digits: int = 1) -> str:
    """A ratio as a percentage (``—`` when there is none)."""
    if value is None:
        return "—"
    return f"{float(str(value)) * 100:.{digits}f}%"

