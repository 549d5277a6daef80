"""Lookout screening pages: the secondary officer's hit queue with adjudication, and the
watchlist version history (issue 14). Both call :mod:`nseers.services.screening`."""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import InvalidInputError, NotFoundError
from nseers.services.screening import DECISIONS, adjudicate, list_hits, list_versions
from nseers.web.forms import Form
from nseers.web.routes.common import Posted, web_router
from nseers.web.site import site_of

router = web_router()

DECISION_LABELS: Final = {"true_match": "True match", "false_match": "False match",
                          "needs_review": "Needs review"}


def _hits_page(request: Request, *, done: str = "", status: int = 200) -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.ADJUDICATE_HIT)
    return site.render(request, "screens/screening_hits.html", {
        "hits": list_hits(site.registry, actor), "done": done,
        "decisions": list(DECISION_LABELS.items())}, status=status)


@router.get("/screening/hits")
def hits(request: Request) -> Response:
    """The open hits, each with its explanation and the adjudication form."""
    return _hits_page(request)


@router.post("/screening/hits/{hit_id}")
def decide(request: Request, hit_id: int, form: Posted) -> Response:
    """Record the secondary officer's decision on one hit."""
    site = site_of(request)
    actor = site.actor(request, Permission.ADJUDICATE_HIT)
    decision = form.choice("decision", DECISIONS, required=True)
    if decision is None:
        return _hits_page(request, done="Choose a decision.", status=400)
    try:
        answer = adjudicate(site.registry, actor, hit_id, decision, form.text("note") or "")
    except (InvalidInputError, NotFoundError) as error:
        return _hits_page(request, done=str(error), status=400)
    return _hits_page(request, done=f"Hit {answer['id']} recorded as "
                                    f"{DECISION_LABELS[decision].lower()}.")


@router.get("/watchlists")
def versions(request: Request) -> Response:
    """Every version of every watchlist, newest first, with its delta."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_WATCHLISTS)
    return site.render(request, "screens/watchlists.html", {
        "versions": list_versions(site.registry, actor), "form": Form({})})
