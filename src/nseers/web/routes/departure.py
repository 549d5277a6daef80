"""The departure desk: find the registrant, see at once whether this departure complies,
then record it with the in-person report.

The registrant is found by FIN or by a document number (:func:`search_persons`, audited)
and their record read with :func:`nseers.services.reports.timeline`. Before anything is
written, the departure is evaluated by the rules engine for this port and this day (is it
a port designated for departure control on that date? is the report made in person the
same day?), so the officer sees the answer, with its citations, while the registrant is
at the desk. Recording goes through :func:`nseers.services.movements.record_departure`,
which judges the departure again, surrenders the I-94 and records any violation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.cases import Registered, departure_case
from nseers.services.law import evaluate_case
from nseers.services.movements import DepartureRecord, record_departure
from nseers.services.people import search_persons
from nseers.services.reports import timeline
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, port_choices, web_router
from nseers.web.site import Site, is_htmx, site_of

router = web_router()

LABELS: Final = {"fin": "FIN", "document_number": "Document number",
                 "port_code": "Port of departure", "occurred_at": "Date and time of departure",
                 "reported": "In-person report", "person_id": "Person"}
MAPPER: Final = direct(LABELS, {"reported_at_port": "port_code", "reported_on": "occurred_at"})


def _defaults(site: Site) -> dict[str, str]:
    now = site.now().replace(second=0, microsecond=0, tzinfo=None)
    return {"occurred_at": now.isoformat(timespec="minutes"), "reported": "yes",
            "idempotency_key": new_key()}


def _page(request: Request, form: Form, found: dict[str, Any] | None = None, *,
          candidates: list[dict[str, Any]] | None = None, status: int = 200) -> Response:
    site = site_of(request)
    return site.render(request, "screens/departure.html", {
        "form": form, "labels": LABELS, "ports": port_choices(request), "found": found,
        "candidates": candidates}, status=status)


@router.get("/departure")
def departure_desk(request: Request) -> Response:
    """An empty departure desk."""
    site = site_of(request)
    site.actor(request, Permission.RECORD_DEPARTURE)
    return _page(request, Form(_defaults(site)))


def registrant_view(site: Site, actor: Actor, person_id: int) -> dict[str, Any]:
    """The person, their latest registration and their latest admission (audited read)."""
    record = timeline(site.registry, actor, person_id)
    events = record["events"]
    registrations = [e for e in events if e["type"] == "registration"]
    arrivals = [e for e in events if e["type"] == "encounter" and e["kind"] == "arrival"
                and e["outcome"] == "admitted"]
    last_movement = next((e for e in reversed(events) if e["type"] == "encounter"
                          and e["kind"] in ("arrival", "departure")), None)
    return {"person": record["person"],
            "registration": registrations[-1] if registrations else None,
            "arrival": arrivals[-1] if arrivals else None,
            "is_in_country": last_movement is not None and last_movement["kind"] == "arrival"
            and last_movement["outcome"] == "admitted"}


def check(site: Site, found: dict[str, Any], port_code: str | None,
          occurred_at: datetime | None, reported: bool) -> dict[str, Any] | None:
    """The departure-registration determination for this port and day (no write)."""
    if port_code is None or occurred_at is None:
        return None
    person, registration, arrival = found["person"], found["registration"], found["arrival"]
    day = occurred_at.date().isoformat()
    case = departure_case(
        day, port_code, citizenships=person["citizenships"],
        date_of_birth=person["date_of_birth"], sex=person["sex"],
        admission_class=arrival["admission_class"] if arrival else None,
        registration=None if registration is None else Registered(
            registration["basis"], registration["on"], registration["fin"]),
        reported_at_port=port_code if reported else None, reported_on=day)
    try:
        result = evaluate_case(site.registry, case)
    except InvalidInputError as error:
        return {"problems": [str(p) for p in error.problems]}
    determination = result.determinations["departure_registration"].to_dict()
    return {"determination": determination, "port": result.port.to_dict(),
            "as_of": result.date.isoformat(), "policy_version": result.policy_version}


def _found(site: Site, actor: Actor, form: Form) -> tuple[dict[str, Any] | None,
                                                        list[dict[str, Any]] | None]:
    person_id = form.integer("person_id")
    if person_id is None:
        fin, number = form.text("fin"), form.text("document_number", upper=True)
        if not fin and not number:
            form.add("fin", "give the FIN or a document number")
            return None, None
        try:
            people = search_persons(site.registry, actor, fin=fin, document_number=number)
        except InvalidInputError as error:
            form.absorb_error(error, MAPPER)
            return None, None
        if not people:
            form.add("fin" if fin else "document_number", "nobody in the registry has it")
            return None, None
        if len(people) > 1:
            return None, people
        person_id = people[0]["id"]
    form.values["person_id"] = str(person_id)
    found = registrant_view(site, actor, person_id)
    occurred = form.moment("occurred_at")
    found["check"] = check(site, found, form.text("port_code", upper=True), occurred,
                           form.flag("reported"))
    return found, None


@router.post("/departure/find")
def find(request: Request, form: Posted) -> Response:
    """Find the departing person and evaluate their departure at this port today."""
    site = site_of(request)
    actor = site.actor(request, Permission.RECORD_DEPARTURE)
    form.values["idempotency_key"] = form.values.get("idempotency_key") or new_key()
    found, candidates = _found(site, actor, form)
    return _page(request, form, found, candidates=candidates,
                 status=400 if form.has_errors else 200)


@router.post("/departure/check")
def live_check(request: Request, form: Posted) -> Response:
    """The compliance panel again, for another port or time (an htmx fragment; audited
    read of the person, no write)."""
    site = site_of(request)
    actor = site.actor(request, Permission.RECORD_DEPARTURE)
    if form.integer("person_id") is None:
        return Response(status_code=204)
    found, _ = _found(site, actor, form)
    template = "partials/departure_check.html" if is_htmx(request) else "screens/departure.html"
    return site.render(request, template, {"form": form, "labels": LABELS, "found": found,
                                           "ports": port_choices(request),
                                           "candidates": None})


@router.post("/departure")
def record(request: Request, form: Posted) -> Response:
    """Record the departure and, when made, the in-person report."""
    site = site_of(request)
    actor = site.actor(request, Permission.RECORD_DEPARTURE)
    person_id = form.integer("person_id")
    port = form.text("port_code", required=True, upper=True)
    occurred = form.moment("occurred_at", required=True)
    reported = form.flag("reported")
    if person_id is None:
        form.add("fin", "find the departing person first")
    if form.has_errors or person_id is None or port is None or occurred is None:
        found = None
        if person_id is not None:
            found, _ = _found(site, actor, form)
        return _page(request, form, found, status=400)
    command = DepartureRecord(
        port_code=port, occurred_at=occurred, person_id=person_id,
        reported_at_port=port if reported else None,
        reported_on=occurred.date() if reported else None,
        idempotency_key=form.text("idempotency_key"))
    try:
        answer = record_departure(site.registry, actor, command)
    except (InvalidInputError, ConflictError) as error:
        if isinstance(error, InvalidInputError):
            form.absorb_error(error, MAPPER)
        else:
            form.general.append(str(error))
        found, _ = _found(site, actor, form)
        return _page(request, form, found, status=409 if isinstance(error, ConflictError)
                     else 400)
    return site.render(request, "screens/departure_done.html", {"answer": answer})
