"""Finding a person, their timeline, the compliance report and the I-94 annotation.

Every page here reads a person's record through the services, so every view is in the
audit trail. Searches are posted, not put in the address, so names and document numbers
stay out of browser history and server logs. The compliance report and the annotation
print cleanly (a print stylesheet drops the navigation): the report is what an attorney
attaches to a filing.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from nseers.core.actors import Permission
from nseers.core.errors import InvalidInputError, NotFoundError
from nseers.services.people import search_persons
from nseers.services.registrants import fin_holder
from nseers.services.reports import compliance_report, timeline
from nseers.services.stays import person_stays
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, web_router
from nseers.web.site import site_of

router = web_router()

LABELS: Final = {"name": "Name", "date_of_birth": "Date of birth",
                 "document_number": "Document number", "fin": "FIN", "as_of": "As of"}


def _search_page(request: Request, form: Form, results: list[dict[str, Any]] | None,
                 status: int = 200) -> Response:
    return site_of(request).render(request, "screens/people.html", {
        "form": form, "labels": LABELS, "results": results}, status=status)


@router.get("/people")
def people(request: Request) -> Response:
    """The person search form."""
    site_of(request).actor(request, Permission.READ_PERSON)
    return _search_page(request, Form(), None)


@router.post("/people")
def search(request: Request, form: Posted) -> Response:
    """Persons matching every criterion given (audited, with the criteria)."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    born = form.day("date_of_birth")
    if form.has_errors:
        return _search_page(request, form, None, 400)
    try:
        results = search_persons(site.registry, actor, name=form.text("name"),
                                 date_of_birth=born,
                                 document_number=form.text("document_number"),
                                 fin=form.text("fin"))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _search_page(request, form, None, 400)
    return _search_page(request, form, results)


@router.get("/people/{person_id}")
def person_timeline(request: Request, person_id: int) -> Response:
    """Everything the registry holds about a person, oldest first."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    view = timeline(site.registry, actor, person_id)
    stays = person_stays(site.registry, actor, person_id, site.today())
    return site.render(request, "screens/timeline.html", {
        "person": view["person"], "events": view["events"],
        "registrations": [e for e in view["events"] if e["type"] == "registration"],
        "stays": stays["stays"], "stays_as_of": stays["as_of"], "own": False})


def _as_of(request: Request) -> tuple[date, Form]:
    site = site_of(request)
    form = Form(dict(request.query_params))
    as_of = form.day("as_of") or site.today()
    form.values.setdefault("as_of", as_of.isoformat())
    return as_of, form


@router.get("/people/{person_id}/report")
def report(request: Request, person_id: int) -> Response:
    """The compliance report as of a date (default today), ready to print."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    as_of, form = _as_of(request)
    if form.has_errors:
        as_of = site.today()
    answer = compliance_report(site.registry, actor, person_id, as_of)
    return site.render(request, "screens/report.html", {
        "report": answer, "form": form, "labels": LABELS, "generated_at": site.now()})


@router.get("/people/{person_id}/annotation/{fin}")
def annotation(request: Request, person_id: int, fin: str) -> Response:
    """The I-94 annotation of a registration: the FIN, the I-94 and the duties that follow."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    first = compliance_report(site.registry, actor, person_id, site.today())
    wanted = fin.replace("-", "").strip()
    registration = next((r for r in first["registrations"] if r["fin"] == wanted), None)
    if registration is None:
        # A FIN retired by an identity merge (or a person merged into another): the
        # annotation now lives under the identity that kept the FIN.
        holder = fin_holder(site.registry, actor, fin)
        if (holder["person_id"], holder["fin"]) == (person_id, wanted):
            raise NotFoundError("registration with FIN", fin)
        return RedirectResponse(
            f"/people/{holder['person_id']}/annotation/{holder['fin']}", status_code=307)
    registered_on = date.fromisoformat(registration["registered_on"])
    i94 = next((r for r in first["i94_records"] if r["admitted_on"] == registration[
        "registered_on"]), None)
    return site.render(request, "screens/annotation.html", {
        "person": first["person"], "registration": registration, "i94": i94,
        "registered_on": registered_on, "policy_version": first["policy_version"]})
