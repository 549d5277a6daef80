"""The start page, signing in and signing out.

Sign-in goes through the API's accounts (:func:`nseers.services.accounts.authenticate`:
argon2id, optional TOTP, lock-out, every attempt audited). A client address may try
:attr:`~nseers.web.settings.WebSettings.sign_in_per_minute` times a minute.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.services.accounts import AuthenticationError, SignIn, authenticate
from nseers.web.forms import Form
from nseers.web.routes.common import Posted, client_of, web_router
from nseers.web.site import local_path, redirect, site_of

router = web_router()

DESCRIPTIONS: Final = {
    "/inspect": "Read the MRZ, see the determinations as you type, admit, refer or refuse.",
    "/secondary": "Photograph, fingerprints and the sworn interview; the new FIN on the I-94.",
    "/departure": "Find a registrant by FIN or document and record the in-person report.",
    "/compliance": "Reports due and overdue, call-in notices and interview outcomes.",
    "/i68/queue": "Adjudicate I-68 applications; revoke boat landing permits.",
    "/i68/apply": "A family's application for a Canadian border boat landing permit.",
    "/people": "Find a person; their timeline and the printable compliance report.",
    "/dashboard": "Arrivals, departures, registrations and rates over time, without names.",
    "/audit": "Every access to the registry, hash-chained; verify the chain.",
    "/admin/users": "Create accounts and see who may sign in.",
    "/admin/policy": "The law in force on any date, with its citations.",
    "/traveller": "Your most recent I-94 and the days remaining.",
    "/traveller/days": "Every I-94, your trips and the days left, with a code by e-mail.",
    "/traveller/stay": "Admit-until, duration of status and the EES 90/180 count.",
}
LABELS: Final = {"username": "Username", "password": "Password", "totp": "Code"}


@router.get("/")
def home(request: Request) -> Response:
    """The start page: the screens the signed-in role may use."""
    return site_of(request).render(request, "home.html", {"descriptions": DESCRIPTIONS})


def _sign_in_page(request: Request, form: Form, *, status: int = 200,
                  ask_totp: bool = False) -> Response:
    site = site_of(request)
    form.values.pop("password", None)
    next_path = local_path(form.values.get("next") or request.query_params.get("next"))
    return site.render(request, "signin.html", {
        "form": form, "labels": LABELS, "next": next_path, "ask_totp": ask_totp,
        "expired": request.query_params.get("expired") == "1",
        "signed_out": request.query_params.get("signed_out") == "1",
        "idle_minutes": int(site.options.idle_timeout.total_seconds() // 60),
    }, status=status)


@router.get("/signin")
def sign_in_form(request: Request) -> Response:
    """The sign-in form."""
    return _sign_in_page(request, Form())


@router.post("/signin")
def sign_in(request: Request, form: Posted) -> Response:
    """Check the credentials; on success start a session and go where the user was going."""
    site = site_of(request)
    client = client_of(request)
    wait = site.sign_in_limiter.take(client)
    if wait:
        form.general.append("Too many sign-in attempts from this address; wait a minute "
                            "and try again.")
        return _sign_in_page(request, form, status=429)
    username = form.text("username", required=True)
    password = form.raw("password")
    if not password:
        form.add("password", "required")
    if form.has_errors or username is None:
        return _sign_in_page(request, form, status=400)
    try:
        signed = authenticate(site.registry, SignIn(username, password, form.text("totp"),
                                                     client))
    except AuthenticationError as error:
        ask_totp = error.code in ("totp_required", "totp_invalid")
        if error.code == "totp_required":
            form.add("totp", "enter the six-digit code")
        else:
            form.general.append(str(error))
        return _sign_in_page(request, form, status=400, ask_totp=ask_totp)
    site.sign_in(request, signed)
    return redirect(request, local_path(form.values.get("next")))


@router.post("/signout")
def sign_out(request: Request) -> Response:
    """End the session."""
    site_of(request).sign_out(request)
    return redirect(request, "/signin?signed_out=1")
