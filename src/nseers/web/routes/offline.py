"""Offline ports (issue 17): the secondary officer's review of conflicts found in forwarded
workstation journals, and each workstation's last time back online. Calls
:mod:`nseers.services.offline`."""

from __future__ import annotations

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, InvalidInputError, NotFoundError
from nseers.services.offline import list_conflicts, resolve_conflict, workstations
from nseers.web.routes.common import Posted, web_router
from nseers.web.site import site_of

router = web_router()

KIND_LABELS = {"arrival_without_departure": "Two arrivals, no departure between",
               "out_of_order": "Older than an arrival already recorded (held)",
               "not_recordable": "Refused by the registry (held)"}


def _page(request: Request, *, done: str = "", status: int = 200) -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.ADJUDICATE_HIT)
    return site.render(request, "screens/offline_conflicts.html", {
        "conflicts": list_conflicts(site.registry, actor),
        "workstations": workstations(site.registry, actor), "kinds": KIND_LABELS,
        "done": done}, status=status)


@router.get("/offline/conflicts")
def conflicts(request: Request) -> Response:
    """The open conflicts, each with what was found and a resolution form."""
    return _page(request)


@router.post("/offline/conflicts/{conflict_id}")
def resolve(request: Request, conflict_id: int, form: Posted) -> Response:
    """Close one conflict with the officer's finding."""
    site = site_of(request)
    actor = site.actor(request, Permission.ADJUDICATE_HIT)
    try:
        resolve_conflict(site.registry, actor, conflict_id, form.text("resolution") or "")
    except (InvalidInputError, NotFoundError, ConflictError) as error:
        return _page(request, done=str(error), status=400)
    return _page(request, done=f"Conflict {conflict_id} resolved.")
