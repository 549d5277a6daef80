"""Identity merges (issue 13): the analyst's queue of pending merges, both records side by
side, with approve and reject, and the form to request one.

A merge asked here moves nothing; a second analyst approves it on this page (the
requester's own approval is refused by :func:`nseers.services.identities.approve_merge`
and the refusal shown). Splits are made through the API (``POST
/api/v1/identities/{person_id}/split``), which names encounter and document ids.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from nseers.services.identities import (
    MergeDecision,
    MergeRequest,
    approve_merge,
    pending_merges,
    reject_merge,
    request_merge,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, web_router
from nseers.web.site import site_of

router = web_router()

LABELS: Final = {"survivor_id": "Person to keep", "absorbed_id": "Person to fold into it",
                 "evidence": "Evidence", "reason": "Reason"}


def _page(request: Request, form: Form, *, status: int = 200, done: str = "",
          refused: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_IDENTITIES)
    return site.render(request, "screens/identity_merges.html", {
        "form": form, "labels": LABELS, "merges": pending_merges(site.registry, actor),
        "done": done, "refused": refused, "decision_key": new_key(),
        "me": actor.username}, status=status)


@router.get("/identities/merges")
def merges(request: Request) -> Response:
    """The pending merges, and the form to request one."""
    return _page(request, Form({"idempotency_key": new_key()}))


@router.post("/identities/merges")
def ask(request: Request, form: Posted) -> Response:
    """Request a merge of two records, with the evidence."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_IDENTITIES)
    survivor, absorbed = form.integer("survivor_id"), form.integer("absorbed_id")
    for name, value in (("survivor_id", survivor), ("absorbed_id", absorbed)):
        if value is None and not form.raw(name).strip():
            form.add(name, "Enter the person's registry number.")
    if form.has_errors or survivor is None or absorbed is None:
        return _page(request, form, status=400)
    try:
        answer = request_merge(site.registry, actor, MergeRequest(
            survivor, absorbed, form.raw("evidence"), form.raw("reason"),
            idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _page(request, form, status=400)
    except NotFoundError as error:
        form.add("survivor_id", f"{str(error).capitalize()} in the registry.")
        return _page(request, form, status=404)
    except ConflictError as error:
        form.add("absorbed_id", str(error))
        return _page(request, form, status=409)
    return _page(request, Form({"idempotency_key": new_key()}),
                 done=f"Merge request {answer['request_id']} recorded: person {absorbed} "
                      f"into person {survivor}. A second analyst must approve it.")


@router.post("/identities/merges/{request_id}/{decision}")
def decide(request: Request, request_id: int, decision: str, form: Posted) -> Response:
    """Approve or reject a pending merge."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_IDENTITIES)
    fresh = Form({"idempotency_key": new_key()})
    command = MergeDecision(request_id, form.raw("reason"),
                            idempotency_key=form.text("idempotency_key"))
    try:
        if decision == "approval":
            answer = approve_merge(site.registry, actor, command)
        elif decision == "rejection":
            answer = reject_merge(site.registry, actor, command)
        else:
            return _page(request, fresh, status=404, refused=f"No decision {decision!r}.")
    except InvalidInputError:
        return _page(request, fresh, status=400,
                     refused=f"Give the reason for rejecting merge request {request_id}.")
    except ForbiddenError as error:
        return _page(request, fresh, status=403, refused=str(error).capitalize() + ".")
    except (NotFoundError, ConflictError) as error:
        return _page(request, fresh, status=409, refused=str(error).capitalize() + ".")
    if answer["status"] == "approved":
        moved = sum(len(ids) for ids in answer["moved"]["rows"].values())
        done = (f"Merge request {request_id} approved: person {answer['absorbed_id']} is now "
                f"person {answer['survivor_id']} ({moved} records moved).")
    else:
        done = f"Merge request {request_id} rejected."
    return _page(request, fresh, done=done)
