"""Retention (issue 17, EES Art. 34 overlay): the administrator's dry run, and the
district director's legal holds.

The dry run (:func:`nseers.services.erasure.retention_plan`) names files by registry id
only; erasure itself is the scheduled ``nseers retention run --apply``, never a button
here. Holds are placed and released through :mod:`nseers.services.legal_holds` (audited,
one per idempotency key), and a held file shows as held in the dry run.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, InvalidInputError, NotFoundError
from nseers.services.erasure import retention_plan
from nseers.services.legal_holds import PlaceHold, ReleaseHold, list_holds, place_hold, release_hold
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, web_router
from nseers.web.site import site_of

router = web_router()

LABELS: Final = {"as_of": "As of", "person_id": "Person", "reason": "Reason",
                 "reference": "Reference"}
STATUS_LABELS: Final = {"due": "Due for erasure", "notice": "Notice to give",
                        "notified": "Notified, waiting", "held": "Held"}


@router.get("/retention")
def dry_run(request: Request) -> Response:
    """What a retention run would do on a date (default today), by rule."""
    site = site_of(request)
    actor = site.actor(request, Permission.RUN_RETENTION)
    form = Form(dict(request.query_params))
    as_of = form.day("as_of") or site.today()
    form.values.setdefault("as_of", as_of.isoformat())
    plan = None if form.has_errors else retention_plan(site.registry, actor, as_of)
    return site.render(request, "screens/retention.html", {
        "form": form, "labels": LABELS, "plan": plan, "statuses": STATUS_LABELS},
        status=400 if form.has_errors else 200)


def _holds_page(request: Request, form: Form, *, status: int = 200, done: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.PLACE_LEGAL_HOLD)
    return site.render(request, "screens/legal_holds.html", {
        "form": form, "labels": LABELS, "holds": list_holds(site.registry, actor),
        "done": done, "release_key": new_key()}, status=status)


@router.get("/legal-holds")
def holds(request: Request) -> Response:
    """The active holds, and the form to place one."""
    form = Form({"idempotency_key": new_key()})
    person = request.query_params.get("person_id", "")
    if person.isdigit():
        form.values["person_id"] = person
    return _holds_page(request, form)


@router.post("/legal-holds")
def place(request: Request, form: Posted) -> Response:
    """Place a hold on a person's file."""
    site = site_of(request)
    actor = site.actor(request, Permission.PLACE_LEGAL_HOLD)
    person_id = form.integer("person_id")
    if person_id is None and not form.raw("person_id").strip():
        form.add("person_id", "Enter the person's registry number.")
    if form.has_errors or person_id is None:
        return _holds_page(request, form, status=400)
    try:
        answer = place_hold(site.registry, actor, PlaceHold(
            person_id, form.raw("reason"), form.raw("reference"),
            idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _holds_page(request, form, status=400)
    except NotFoundError:
        form.add("person_id", f"No person {person_id} in the registry.")
        return _holds_page(request, form, status=404)
    return _holds_page(request, Form({"idempotency_key": new_key()}),
                       done=f"Legal hold {answer['hold_id']} placed on person {person_id}: "
                            f"the file will not be erased while it stands.")


@router.post("/legal-holds/{hold_id}/release")
def release(request: Request, hold_id: int, form: Posted) -> Response:
    """Release a hold, with a reason."""
    site = site_of(request)
    actor = site.actor(request, Permission.PLACE_LEGAL_HOLD)
    fresh = Form({"idempotency_key": new_key()})
    try:
        release_hold(site.registry, actor, ReleaseHold(
            hold_id, form.raw("reason"), idempotency_key=form.text("idempotency_key")))
    except InvalidInputError:
        fresh.add("reason", f"Give the reason for releasing hold {hold_id}.")
        return _holds_page(request, fresh, status=400)
    except (NotFoundError, ConflictError) as error:
        fresh.add("reason", str(error))
        return _holds_page(request, fresh, status=409)
    return _holds_page(request, fresh, done=f"Legal hold {hold_id} released.")
