"""Identity merges (issue 13): the analyst's queue of pending merges, both records side by
side, with approve and reject, and the form to request one.

A merge asked here moves nothing; a second analyst approves it on this page (the
requester's own approval is refused by :func:`nseers.services.identities.approve_merge`
and the refusal shown). A split, one record found to be two people, is made on
``/identities/{person_id}/split``: the analyst ticks the encounters and documents that are
the other person's, gives that person's facts and the reason
(:func:`nseers.services.identities.split`), as ``POST /api/v1/identities/{person_id}/split``
does.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from nseers.services.facts import PersonFacts
from nseers.services.identities import (
    MergeDecision,
    MergeRequest,
    Split,
    approve_merge,
    pending_merges,
    reject_merge,
    request_merge,
    split,
    split_record,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, web_router
from nseers.web.site import redirect, site_of

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


SPLIT_LABELS: Final = {"encounter_ids": "Encounters to move",
                       "document_ids": "Documents to move", "surname": "Surname",
                       "given_names": "Given names", "date_of_birth": "Date of birth",
                       "sex": "Sex", "citizenships": "Citizenships", "reason": "Reason"}


def _split_page(request: Request, person_id: int, form: Form, *, status: int = 200,
                done: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_IDENTITIES)
    # A missing record, or one merged away, is the site's 404 or 409 page.
    record = split_record(site.registry, actor, person_id)
    return site.render(request, "screens/identity_split.html", {
        "form": form, "labels": SPLIT_LABELS, "record": record, "done": done},
        status=status)


@router.get("/identities/split")
def split_choose(request: Request, person_id: str = "") -> Response:
    """The merge page's "split a record" box: to that record's split form."""
    site = site_of(request)
    site.actor(request, Permission.MANAGE_IDENTITIES)
    if not person_id.strip().isdigit():
        return _page(request, Form({"idempotency_key": new_key()}), status=400,
                     refused="Enter the registry number of the person to split.")
    return redirect(request, f"/identities/{int(person_id)}/split")


@router.get("/identities/{person_id}/split")
def split_form(request: Request, person_id: int) -> Response:
    """The record to split: tick what belongs to the other person."""
    return _split_page(request, person_id, Form({"idempotency_key": new_key()}))


def _ids(form: Form, name: str) -> tuple[int, ...]:
    ids = []
    for value in form.many(name):
        if value.isdigit():
            ids.append(int(value))
        else:
            form.add(name, f"not a record number: {value!r}")
    return tuple(ids)


@router.post("/identities/{person_id}/split")
def split_post(request: Request, person_id: int, form: Posted) -> Response:
    """Move the ticked encounters and documents to a new person."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_IDENTITIES)
    encounters, documents = _ids(form, "encounter_ids"), _ids(form, "document_ids")
    born = form.day("date_of_birth")
    sex = form.choice("sex", ("M", "F", "X"))
    if form.has_errors:
        return _split_page(request, person_id, form, status=400)
    facts = PersonFacts(surname=form.raw("surname").strip(),
                        given_names=form.raw("given_names").strip(), date_of_birth=born,
                        sex=sex, citizenships=form.codes("citizenships"))
    try:
        answer = split(site.registry, actor, Split(
            person_id, facts, form.raw("reason"), encounter_ids=encounters,
            document_ids=documents, idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, direct(SPLIT_LABELS, {"person": "surname"}))
        return _split_page(request, person_id, form, status=400)
    except (NotFoundError, ConflictError) as error:
        form.general.append(str(error).capitalize() + ".")
        return _split_page(request, person_id, form, status=409)
    moved = sum(len(ids) for ids in answer["moved"].values())
    fin = answer["fin"]
    held = fin.get("kept") if fin.get("issued") is None else fin["issued"]
    return _split_page(request, person_id, Form({"idempotency_key": new_key()}),
                       done=f"Person {answer['new_person_id']} created from person "
                            f"{person_id}: {moved} records moved"
                            + (f"; FIN {held}" if held else "") + ".")
