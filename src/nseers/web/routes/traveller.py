"""The traveller portal: the most recent I-94, the travel history, the days remaining.

Like the CBP I-94 website, it needs no account: the traveller types the name, date of
birth and passport number printed in their passport, and
:func:`nseers.services.self_service.lookup_i94` answers only when the three match exactly
one person (every lookup is audited, found or not). A client address may look up
:attr:`~nseers.web.settings.WebSettings.lookups_per_minute` times a minute.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.core.actors import Actor, Role
from nseers.core.errors import InvalidInputError, NotFoundError
from nseers.services.self_service import I94Lookup, lookup_i94
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, client_of, web_router
from nseers.web.site import site_of

router = web_router()

LABELS: Final = {"surname": "Surname", "given_names": "Given names",
                 "date_of_birth": "Date of birth", "document_number": "Passport number"}
#: Who an anonymous lookup is attributed to in the audit trail (with the client address).
ANONYMOUS: Final = Actor("anonymous", Role.TRAVELLER, "traveller self-service")


def _page(request: Request, form: Form, answer: dict[str, object] | None = None, *,
          status: int = 200, not_found: bool = False) -> Response:
    form.values.pop("csrf_token", None)
    return site_of(request).render(request, "screens/traveller.html", {
        "form": form, "labels": LABELS, "answer": answer, "not_found": not_found},
        status=status)


@router.get("/traveller")
def lookup_form(request: Request) -> Response:
    """The lookup form."""
    return _page(request, Form())


@router.post("/traveller")
def lookup(request: Request, form: Posted) -> Response:
    """The traveller's most recent I-94 and standing, for the details typed."""
    site = site_of(request)
    client = client_of(request)
    if site.lookup_limiter.take(client):
        form.general.append("Too many look-ups from this address; wait a minute and try "
                            "again.")
        return _page(request, form, status=429)
    surname = form.text("surname", required=True)
    given = form.raw("given_names").strip()
    born = form.day("date_of_birth", required=True)
    number = form.text("document_number", required=True)
    if form.has_errors or surname is None or born is None or number is None:
        return _page(request, form, status=400)
    visitor = site.visitor(request)
    actor = visitor.actor if visitor.actor and visitor.actor.role is Role.TRAVELLER \
        else ANONYMOUS
    try:
        answer = lookup_i94(site.registry, actor, I94Lookup(surname, given, born, number,
                                                            client))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _page(request, form, status=400)
    except NotFoundError:
        return _page(request, form, status=404, not_found=True)
    return _page(request, form, answer)
