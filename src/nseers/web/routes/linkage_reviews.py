"""The entry-exit review queue for analysts (issue 12): links the model is unsure of.

``/entry-exit/reviews`` lists the pending items, oldest or least probable first, a page at
a time; ``/entry-exit/reviews/{id}`` shows one with the arrival's and the departure's input
rows side by side, the probability and the comparison levels that fired, and takes the
decision: accept or reject, with a reason. A decided item can be changed only on purpose
(the form then says it replaces the decision, which the audit keeps), as
``POST /api/v1/entry-exit/reviews/{id}/decision`` with ``supersede`` does.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.linkage_reviews import (
    ORDERS,
    ReviewDecision,
    decide_review,
    review_queue,
    show_review,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, web_router
from nseers.web.site import site_of

router = web_router()

LABELS: Final = {"decision": "Decision", "reason": "Reason for the decision"}
#: The comparisons of the linkage model, in words.
COMPARISONS: Final = {"name": "Name", "date_of_birth": "Date of birth",
                      "cit": "Citizenship", "sex": "Sex", "doc": "Document number"}
#: The input rows' columns in the order the analyst compares them; the event's own
#: columns (arrival date, departure source...) after the identity.
_SHARED: Final = ("surname", "given_names", "date_of_birth", "sex", "citizenship",
                  "document_number", "document_issuer")
_EVENT: Final = (("arrival_date", "departure_date", "Date"), ("port", "port", "Port"),
                 ("mode", "mode", "Mode"))
_ARRIVAL_ONLY: Final = ("admission_class", "admit_until", "program_end_date")


def _side_by_side(item: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(what, arrival's value, departure's value, whether they differ) per line."""
    arrival, departure = item["arrival"], item["departure"]
    lines = []
    for column in _SHARED:
        a, d = arrival.get(column) or "", departure.get(column) or ""
        lines.append((column.replace("_", " ").capitalize(), a, d, a != d))
    for a_column, d_column, what in _EVENT:
        lines.append((what, arrival.get(a_column) or "", departure.get(d_column) or "",
                      False))
    lines.extend((c.replace("_", " ").capitalize(), arrival.get(c) or "", "", False)
                 for c in _ARRIVAL_ONLY)
    lines.append(("Source", "", departure.get("source") or "", False))
    return lines


@router.get("/entry-exit/reviews")
def queue(request: Request, order: str = "oldest", page: int = 1) -> Response:
    """The pending items, a page at a time."""
    return _queue_page(request, order=order, page=page)


def _queue_page(request: Request, *, order: str = "oldest", page: int = 1,
                done: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.REVIEW_LINKS)
    order = order if order in ORDERS else "oldest"
    answer = review_queue(site.registry, actor, order=order, page=max(1, page))
    return site.render(request, "screens/linkage_reviews.html", {
        "answer": answer, "orders": ORDERS, "done": done})


def _item_page(request: Request, review_id: int, form: Form, *,
               status: int = 200) -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.REVIEW_LINKS)
    item = show_review(site.registry, actor, review_id)  # a missing one is the 404 page
    return site.render(request, "screens/linkage_review.html", {
        "item": item, "lines": _side_by_side(item), "comparisons": COMPARISONS,
        "form": form, "labels": LABELS}, status=status)


@router.get("/entry-exit/reviews/{review_id}")
def item(request: Request, review_id: int) -> Response:
    """One item, both records side by side, and the decision form."""
    return _item_page(request, review_id, Form({"idempotency_key": new_key()}))


@router.post("/entry-exit/reviews/{review_id}")
def decide(request: Request, review_id: int, form: Posted) -> Response:
    """Accept or reject the link, with a reason."""
    site = site_of(request)
    actor = site.actor(request, Permission.REVIEW_LINKS)
    try:
        answer = decide_review(site.registry, actor, ReviewDecision(
            review_id, form.raw("decision").strip(), form.raw("reason"),
            supersede=form.flag("supersede"), idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _item_page(request, review_id, form, status=400)
    except ConflictError as error:
        form.general.append(str(error).capitalize() + ".")
        return _item_page(request, review_id, form, status=409)
    done = (f"Review item {review_id}: the link of arrival {answer['arrival_record_id']} "
            f"and departure {answer['departure_record_id']} is {answer['status']}; "
            f"later runs of the report apply it.")
    return _queue_page(request, done=done)
