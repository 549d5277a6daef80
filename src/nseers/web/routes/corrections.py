"""Correction and redress pages (issue 17): file a request, the director's queue, one
request with its acknowledgement and decision, the letter, and the traveller's own form.

Every page calls :mod:`nseers.services.corrections` (and the letter,
:mod:`nseers.services.correction_letters`) as the signed-in user, or, in the traveller
portal, as the anonymous traveller who proves who they are with their passport details,
as for the I-94 lookup. Filing forms carry an idempotency key, so a double submission
records one request.
"""

from __future__ import annotations

import re
from typing import Any, Final

from fastapi import Request, Response
from fastapi.responses import PlainTextResponse

from nseers.core.actors import Actor, Permission, Role
from nseers.core.errors import ConflictError, InvalidInputError, NotFoundError
from nseers.services.correction_letters import (
    correction_letter,
    letter_text,
    own_correction_letter,
)
from nseers.services.correction_values import FIELD_LABELS, EvidenceIn
from nseers.services.corrections import (
    STATUSES,
    CorrectionDecisionCommand,
    CorrectionItemIn,
    CorrectionRequestCommand,
    IdentityProof,
    ItemDecision,
    acknowledge_correction,
    correction_evidence,
    correction_queue,
    decide_correction,
    file_correction,
    file_own_correction,
    show_correction,
)
from nseers.web.forms import Form
from nseers.web.routes.common import (
    Posted,
    client_of,
    new_key,
    read_uploads,
    web_router,
)
from nseers.web.site import redirect, site_of

router = web_router()

#: Item rows on a filing form.
ITEM_ROWS: Final = 3
#: What a traveller may ask to correct without naming a record (their own person, the
#: passport they proved themselves with, their most recent I-94).
TRAVELLER_FIELDS: Final = tuple(f for f in FIELD_LABELS if not f.startswith("encounter."))
LABELS: Final = {"person_id": "Person", "requester_name": "Requester's name",
                 "representative_name": "Representative", "representative_reference":
                 "Representative's reference (Form G-28)", "contact": "Address for the letter",
                 "reason": "Reason", "evidence": "Evidence", "received_on": "Received on",
                 "reasons": "Reasons", "surname": "Surname", "given_names": "Given names",
                 "date_of_birth": "Date of birth", "document_number": "Passport number",
                 "items": "Fields to correct",
                 **{f"item{n}_{part}": f"Field {n + 1}: {caption}" for n in range(ITEM_ROWS)
                    for part, caption in (("field", "what to correct"),
                                          ("record_id", "record number"),
                                          ("value", "correct value"))}}
ANONYMOUS: Final = Actor("anonymous", Role.TRAVELLER, "traveller self-service")
_ITEM_PATH: Final = re.compile(r"^items\[(\d+)\]\.?(\w*)")


def _filing_mapper(path: str) -> str | None:
    match = _ITEM_PATH.match(path)
    if match:
        part = {"requested_value": "value", "field": "field",
                "record_id": "record_id"}.get(match.group(2), "value")
        return f"item{match.group(1)}_{part}" if int(match.group(1)) < ITEM_ROWS else None
    if path.startswith("evidence"):
        return "evidence"
    return path if path in LABELS else None


def _items(form: Form) -> tuple[CorrectionItemIn, ...]:
    """The item rows that were filled in, in order (numbered from 0 as the service sees
    them, so its problems land on the right row)."""
    items = []
    for n in range(ITEM_ROWS):
        field = form.raw(f"item{n}_field").strip()
        value = form.raw(f"item{n}_value").strip()
        if not field and not value:
            continue
        record = form.integer(f"item{n}_record_id")
        items.append(CorrectionItemIn(field, value, record))
    return tuple(items)


def _command(form: Form, person_id: int | None) -> CorrectionRequestCommand:
    return CorrectionRequestCommand(
        items=_items(form), reason=form.raw("reason").strip(),
        requester_name=form.raw("requester_name").strip(), person_id=person_id,
        representative_name=form.text("representative_name"),
        representative_reference=form.text("representative_reference"),
        contact=form.text("contact"),
        evidence=tuple(EvidenceIn(upload.filename or f"evidence-{i + 1}", data)
                       for i, (upload, data) in enumerate(zip(
                           form.files.get("evidence", []), read_uploads(form, "evidence"),
                           strict=True))),
        received_on=form.day("received_on"), idempotency_key=form.text("idempotency_key"))


def _form_page(request: Request, form: Form, *, status: int = 200) -> Response:
    return site_of(request).render(request, "screens/correction_new.html", {
        "form": form, "labels": LABELS, "rows": range(ITEM_ROWS),
        "fields": list(FIELD_LABELS.items())}, status=status)


@router.get("/corrections/new")
def new_request(request: Request) -> Response:
    """The filing form, for the person named in the query (from the person's page)."""
    site = site_of(request)
    site.actor(request, Permission.REQUEST_CORRECTION, Permission.READ_PERSON)
    return _form_page(request, Form({"person_id": request.query_params.get("person_id", ""),
                                     "received_on": site.today().isoformat(),
                                     "idempotency_key": new_key()}))


@router.post("/corrections/new")
def file_request(request: Request, form: Posted) -> Response:
    """File the request; then the request's own page."""
    site = site_of(request)
    actor = site.actor(request, Permission.REQUEST_CORRECTION, Permission.READ_PERSON)
    person_id = form.integer("person_id")
    if person_id is None and "person_id" not in form.errors:
        form.add("person_id", "required")
    if form.has_errors or person_id is None:
        return _form_page(request, form, status=400)
    command = _command(form, person_id)
    try:
        answer = file_correction(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, _filing_mapper)
        return _form_page(request, form, status=400)
    except NotFoundError as error:
        form.add("person_id", str(error))
        return _form_page(request, form, status=400)
    return redirect(request, f"/corrections/{answer['request_id']}?filed=1")


@router.get("/corrections")
def queue(request: Request) -> Response:
    """Open requests (or by status), overdue first."""
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_CORRECTION)
    wanted = request.query_params.get("status", "open")
    if wanted not in (*STATUSES, "open", "all"):
        wanted = "open"
    answer = correction_queue(site.registry, actor, wanted)
    return site.render(request, "screens/corrections_queue.html", {
        "answer": answer, "statuses": ("open", *STATUSES, "all"), "labels": FIELD_LABELS})


def _request_page(request: Request, request_id: int, *, form: Form | None = None,
                  status: int = 200, message: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    answer = show_correction(site.registry, actor, request_id)
    if request.query_params.get("filed") and not message:
        message = f"Request {answer['reference']} recorded."
    return site.render(request, "screens/correction.html", {
        "answer": answer, "form": form or Form(), "labels": LABELS, "message": message,
        "field_labels": FIELD_LABELS, "key": new_key(),
        "may_decide": actor.may(Permission.DECIDE_CORRECTION)}, status=status)


@router.get("/corrections/{request_id}")
def show(request: Request, request_id: int) -> Response:
    """One request: who asked, what, the evidence, the deadlines, the decision."""
    return _request_page(request, request_id)


@router.post("/corrections/{request_id}/acknowledge")
def acknowledge(request: Request, request_id: int, form: Posted) -> Response:
    """Acknowledge the receipt (today)."""
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_CORRECTION)
    try:
        acknowledge_correction(site.registry, actor, request_id,
                               idempotency_key=form.text("idempotency_key"))
    except ConflictError as error:
        return _request_page(request, request_id, message=str(error), status=409)
    return _request_page(request, request_id, message="Receipt acknowledged.")


@router.post("/corrections/{request_id}/decision")
def decide(request: Request, request_id: int, form: Posted) -> Response:
    """Accept or refuse each item, with reasons."""
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_CORRECTION)
    item_ids = [int(v) for v in form.many("item_id") if v.isdigit()]
    decisions = []
    for item_id in item_ids:
        verdict = form.choice(f"verdict_{item_id}", ("accept", "refuse"), required=True)
        decisions.append(ItemDecision(item_id, verdict == "accept",
                                      form.text(f"value_{item_id}"),
                                      form.raw(f"note_{item_id}").strip()))
    if not form.raw("reasons").strip():
        form.add("reasons", "required")
    if form.has_errors:
        return _request_page(request, request_id, form=form, status=400)

    def mapper(path: str) -> str | None:
        match = _ITEM_PATH.match(path)
        if match and int(match.group(1)) < len(item_ids):
            return f"value_{item_ids[int(match.group(1))]}"
        return path if path in LABELS else None
    try:
        decide_correction(site.registry, actor, CorrectionDecisionCommand(
            request_id, tuple(decisions), form.raw("reasons").strip(),
            idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, mapper)
        return _request_page(request, request_id, form=form, status=400)
    return redirect(request, f"/corrections/{request_id}/letter")


@router.get("/corrections/{request_id}/letter")
def letter(request: Request, request_id: int) -> Response:
    """The letter to the requester, as a page to print."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    answer = correction_letter(site.registry, actor, request_id)
    return site.render(request, "screens/correction_letter.html", {"letter": answer,
                                                                    "for_traveller": False})


@router.get("/corrections/{request_id}/letter.txt")
def letter_plain(request: Request, request_id: int) -> Response:
    """The same letter as plain text."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    return PlainTextResponse(letter_text(correction_letter(site.registry, actor,
                                                           request_id)))


@router.get("/corrections/{request_id}/evidence/{evidence_id}")
def evidence(request: Request, request_id: int, evidence_id: int) -> Response:
    """An attached file, as received."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    _, media_type, data = correction_evidence(site.registry, actor, request_id, evidence_id)
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="evidence-{evidence_id}"'})


# ------------------------------------------------------------------ the traveller
def _own_page(request: Request, form: Form, answer: dict[str, Any] | None = None, *,
              status: int = 200, not_found: bool = False) -> Response:
    form.values.pop("csrf_token", None)
    return site_of(request).render(request, "screens/correction_own.html", {
        "form": form, "labels": LABELS, "answer": answer, "not_found": not_found,
        "rows": range(ITEM_ROWS),
        "fields": [(f, FIELD_LABELS[f]) for f in TRAVELLER_FIELDS]}, status=status)


@router.get("/traveller/correction")
def own_form(request: Request) -> Response:
    """The traveller's request form."""
    return _own_page(request, Form({"idempotency_key": new_key()}))


@router.post("/traveller/correction")
def file_own(request: Request, form: Posted) -> Response:
    """File the traveller's request about their own record."""
    site = site_of(request)
    client = client_of(request)
    if site.lookup_limiter.take(client):
        form.general.append("Too many requests from this address; wait a minute and try "
                            "again.")
        return _own_page(request, form, status=429)
    surname = form.text("surname", required=True)
    born = form.day("date_of_birth", required=True)
    number = form.text("document_number", required=True)
    if form.has_errors or surname is None or born is None or number is None:
        return _own_page(request, form, status=400)
    proof = IdentityProof(surname, form.raw("given_names").strip(), born, number)
    command = _command(form, None)
    try:
        answer = file_own_correction(
            site.registry, ANONYMOUS, proof, command, client=client)
    except InvalidInputError as error:
        form.absorb_error(error, _filing_mapper)
        return _own_page(request, form, status=400)
    except NotFoundError:
        return _own_page(request, form, status=404, not_found=True)
    return _own_page(request, Form(), answer)


_STATUS_LABELS: Final = {**LABELS, "reference": "Reference"}


def _status_page(request: Request, form: Form, *, status: int = 200,
                 not_found: bool = False) -> Response:
    form.values.pop("csrf_token", None)
    return site_of(request).render(request, "screens/correction_status.html", {
        "form": form, "labels": _STATUS_LABELS, "not_found": not_found}, status=status)


@router.get("/traveller/correction/status")
def own_status_form(request: Request) -> Response:
    """The form to follow a request made earlier."""
    return _status_page(request, Form())


@router.post("/traveller/correction/status")
def own_status(request: Request, form: Posted) -> Response:
    """The letter of the traveller's own request (acknowledgement or decision)."""
    site = site_of(request)
    client = client_of(request)
    if site.lookup_limiter.take(client):
        form.general.append("Too many look-ups from this address; wait a minute and try "
                            "again.")
        return _status_page(request, form, status=429)
    case = form.text("reference", required=True)
    surname = form.text("surname", required=True)
    born = form.day("date_of_birth", required=True)
    number = form.text("document_number", required=True)
    if form.has_errors or case is None or surname is None or born is None or number is None:
        return _status_page(request, form, status=400)
    try:
        answer = own_correction_letter(site.registry, ANONYMOUS, IdentityProof(
            surname, form.raw("given_names").strip(), born, number), case, client=client)
    except InvalidInputError as error:
        form.absorb_error(error, lambda path: path if path in _STATUS_LABELS else None)
        return _status_page(request, form, status=400)
    except NotFoundError:
        return _status_page(request, form, status=404, not_found=True)
    return site.render(request, "screens/correction_letter.html", {
        "letter": answer, "for_traveller": True})
