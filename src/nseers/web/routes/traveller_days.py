"""The traveller portal's own-days pages (issue 17): a code, then every I-94 and the days.

``/traveller/days`` asks for the passport details (and, optionally, the e-mail address
given at inspection); :func:`~nseers.services.traveller_days.request_code` sends a code to
the address on record and answers the same whether or not anything matched. The second
step takes the code and shows every I-94, the days remaining or over for each open one,
the departure that closed each closed one, the travel history and the EES overlay.
``/traveller/stay`` is the stay calculator, which reads no personal data. Both steps are
limited per client address like the I-94 look-up.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, InvalidInputError, NotFoundError
from nseers.services.traveller_days import (
    CodeAnswer,
    CodeRequest,
    StayPeriod,
    StayQuestion,
    calculate_stay,
    my_days,
    request_code,
    verify_code,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, client_of, web_router
from nseers.web.site import site_of

router = web_router()

LABELS: Final = {"surname": "Surname", "given_names": "Given names",
                 "date_of_birth": "Date of birth", "document_number": "Passport number",
                 "email": "E-mail address", "code": "Code", "challenge": "Code"}
STAY_LABELS: Final = {"as_of": "Count on", "admit_until": "Admit until",
                      "duration_of_status": "Duration of status",
                      "admission_class": "Class of admission", "program_end": "Program end",
                      "stays": "Stays"}
ANONYMOUS: Final = Actor("anonymous", Role.TRAVELLER, "traveller self-service")


def _account(request: Request) -> Actor | None:
    """The signed-in traveller account, if the visitor is signed in as one."""
    actor = site_of(request).visitor(request).actor
    return actor if actor is not None and actor.role is Role.TRAVELLER else None


def _actor(request: Request) -> Actor:
    return _account(request) or ANONYMOUS


def _page(request: Request, form: Form, *, step: str, status: int = 200,
          answer: dict[str, Any] | None = None, challenge: str | None = None,
          lifetime: int | None = None) -> Response:
    form.values.pop("csrf_token", None)
    return site_of(request).render(request, "screens/traveller_days.html", {
        "form": form, "labels": LABELS, "step": step, "answer": answer,
        "challenge": challenge, "lifetime": lifetime,
        "signed_in": _account(request) is not None}, status=status)


def _limited(request: Request, form: Form) -> bool:
    if site_of(request).lookup_limiter.take(client_of(request)):
        form.general.append("Too many tries from this address; wait a minute and try "
                            "again.")
        return True
    return False


@router.get("/traveller/days")
def days_form(request: Request) -> Response:
    """A signed-in traveller whose account is linked sees their days at once; anyone
    else starts with the passport details."""
    account = _account(request)
    if account is not None:
        try:
            answer = my_days(site_of(request).registry, account, client_of(request))
        except NotFoundError:
            return _page(request, Form(), step="details")
        return _page(request, Form(), step="days", answer=answer)
    return _page(request, Form(), step="details")


@router.post("/traveller/days/code")
def days_code(request: Request, form: Posted) -> Response:
    """Send the code (if anything matches) and ask for it."""
    if _limited(request, form):
        return _page(request, form, step="details", status=429)
    surname = form.text("surname", required=True)
    given = form.raw("given_names").strip()
    born = form.day("date_of_birth", required=True)
    number = form.text("document_number", required=True)
    email = form.raw("email").strip() or None
    if form.has_errors or surname is None or born is None or number is None:
        return _page(request, form, step="details", status=400)
    try:
        sent = request_code(site_of(request).registry, _actor(request),
                            CodeRequest(surname, given, born, number, email,
                                        client_of(request)))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _page(request, form, step="details", status=400)
    except ConflictError as error:
        form.general.append(str(error))
        return _page(request, form, step="details", status=409)
    return _page(request, Form(), step="code", challenge=sent["challenge"],
                 lifetime=sent["expires_in_minutes"])


@router.post("/traveller/days")
def days_view(request: Request, form: Posted) -> Response:
    """Step two: the code, then every I-94 and the days."""
    challenge = form.raw("challenge").strip()
    if _limited(request, form):
        return _page(request, form, step="code", status=429, challenge=challenge)
    code = form.text("code", required=True)
    if form.has_errors or code is None or not challenge:
        if not challenge:
            form.add("code", "ask for a new code")
        return _page(request, form, step="code", status=400, challenge=challenge)
    try:
        answer = verify_code(site_of(request).registry, _actor(request),
                             CodeAnswer(challenge, code, client_of(request)),
                             link_account=_account(request) is not None)
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _page(request, form, step="code", status=400, challenge=challenge)
    return _page(request, Form(), step="days", answer=answer)


def _stay_page(request: Request, form: Form, answer: dict[str, Any] | None = None,
               status: int = 200) -> Response:
    form.values.pop("csrf_token", None)
    return site_of(request).render(request, "screens/traveller_stay.html", {
        "form": form, "labels": STAY_LABELS, "answer": answer}, status=status)


@router.get("/traveller/stay")
def stay_form(request: Request) -> Response:
    """The stay calculator's form, counting on today."""
    return _stay_page(request, Form({"as_of": site_of(request).today().isoformat()}))


@router.post("/traveller/stay")
def stay(request: Request, form: Posted) -> Response:
    """The calculator's answer, with the EES overlay's count day by day."""
    as_of = form.day("as_of", required=True)
    admit_until = form.day("admit_until")
    program_end = form.day("program_end")
    stays = _stays(form)
    if form.has_errors or as_of is None:
        return _stay_page(request, form, status=400)
    try:
        answer = calculate_stay(site_of(request).registry.rules, StayQuestion(
            as_of, admit_until, form.flag("duration_of_status"),
            form.text("admission_class", upper=True), program_end, stays))
    except InvalidInputError as error:
        form.absorb_error(error, lambda path: "stays" if path.startswith("stays") else
                          path if path in STAY_LABELS else None)
        return _stay_page(request, form, status=400)
    return _stay_page(request, form, answer)


def _stays(form: Form) -> tuple[StayPeriod, ...]:
    """One stay a line: ``ENTERED to LEFT``, or ``ENTERED`` alone while still in."""
    stays = []
    for number, line in enumerate(form.raw("stays").splitlines(), start=1):
        parts = line.replace(" to ", " ").replace(":", " ").split()
        if not parts:
            continue
        try:
            days = [date.fromisoformat(part) for part in parts]
        except ValueError:
            form.add("stays", f"line {number}: write YYYY-MM-DD to YYYY-MM-DD")
            continue
        if len(days) > 2:
            form.add("stays", f"line {number}: one entry day and at most one exit day")
            continue
        stays.append(StayPeriod(days[0], days[1] if len(days) == 2 else None))
    return tuple(stays)
