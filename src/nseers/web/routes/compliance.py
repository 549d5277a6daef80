"""The compliance queue: reports due and overdue, call-in notices, interview outcomes.

The queue is :func:`nseers.services.queues.obligations_due` (filters by kind, status,
deadline and place, a page at a time, audited); the same filters export it as CSV. From a
row the officer issues a call-in notice
(:func:`nseers.services.registrants.issue_call_in_notice`: the channels and the notice
period are the law's on the day) or records the interview's outcome
(:func:`nseers.services.registrants.record_interview`: a failure to appear becomes a
violation to assess).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.queues import (
    QUEUE_KINDS,
    QUEUE_STATUSES,
    QueueQuery,
    export_obligations_due,
    obligations_due,
)
from nseers.services.registrants import (
    INTERVIEW_KINDS,
    INTERVIEW_OUTCOMES,
    CallInNoticeCommand,
    InterviewCommand,
    issue_call_in_notice,
    notice_offers,
    record_interview,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, web_router
from nseers.web.site import label, site_of

router = web_router()

LABELS: Final = {"as_of": "As of", "kind": "Kind", "status": "Status", "due_by": "Due by",
                 "place": "Place of registration", "fin": "FIN", "channel": "Channel",
                 "issued_on": "Issued on", "appear_by": "Appear by", "office": "Office",
                 "held_on": "Held on", "outcome": "Outcome", "notice_id": "Notice",
                 "notes": "Notes"}
MAPPER: Final = direct(LABELS)
CSV_COLUMNS: Final = ("fin", "surname", "given_names", "kind", "sequence", "status",
                      "opens_on", "deadline", "days_overdue", "place", "notice_id",
                      "person_id")
#: Every channel a notice has been allowed on; the service checks the day's law.
CHANNELS: Final = ("federal_register", "mail", "email", "in_person")


def _query(form: Form, today: date) -> QueueQuery:
    kind = form.choice("kind", QUEUE_KINDS)
    return QueueQuery(
        as_of=form.day("as_of") or today, kinds=(kind,) if kind else (),
        status=form.choice("status", QUEUE_STATUSES), due_by=form.day("due_by"),
        place=form.text("place", upper=True),
        page=max(1, form.integer("page", default=1) or 1), per_page=25)


def _filters(form: Form) -> str:
    return urlencode([(k, form.raw(k)) for k in ("as_of", "kind", "status", "due_by", "place")
                      if form.raw(k)])


@router.get("/compliance")
def queue(request: Request) -> Response:
    """The queue, filtered by the query string."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_COMPLIANCE)
    form = Form(dict(request.query_params))
    query = _query(form, site.today())
    form.values.setdefault("as_of", query.as_of.isoformat())
    answer: dict[str, Any] | None = None
    offers: dict[str, str | None] = {}
    if not form.has_errors:
        try:
            answer = obligations_due(site.registry, actor, query)
        except InvalidInputError as error:
            form.absorb_error(error, MAPPER)
        else:
            # A notice is offered only where the service would issue it on the queue's date.
            offers = notice_offers(site.registry, actor,
                                   [item["fin"] for item in answer["items"]
                                    if item["kind"] != "call_in_interview"], query.as_of)
    return site.render(request, "screens/compliance.html", {
        "form": form, "labels": LABELS, "answer": answer, "offers": offers,
        "filters": _filters(form),
        "kinds": [(k, label(k)) for k in QUEUE_KINDS],
        "statuses": [(s, label(s)) for s in QUEUE_STATUSES]},
        status=400 if form.has_errors else 200)


@router.get("/compliance.csv")
def export(request: Request) -> Response:
    """The whole filtered queue as CSV (audited as an export)."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_COMPLIANCE)
    form = Form(dict(request.query_params))
    query = _query(form, site.today())
    if form.has_errors:
        return site.problem_page(request, 400, "The filters are not valid",
                                 "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()))
    rows = export_obligations_due(site.registry, actor, query)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell(row.get(k)) for k in CSV_COLUMNS})
    filename = f"compliance-queue-{query.as_of.isoformat()}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# ------------------------------------------------------------------ call-in notices
def _notice_page(request: Request, form: Form, status: int = 200) -> Response:
    return site_of(request).render(request, "screens/notice.html", {
        "form": form, "labels": LABELS, "channels": [(c, label(c)) for c in CHANNELS]},
        status=status)


@router.get("/compliance/notice")
def notice_form(request: Request) -> Response:
    """A call-in notice for the registrant named in the query (``fin``)."""
    site = site_of(request)
    site.actor(request, Permission.MANAGE_COMPLIANCE)
    # No appear-by date is offered: left empty, the service derives it from the issue date
    # and the notice period of the law in force on that date.
    actor = site.actor(request, Permission.MANAGE_COMPLIANCE)
    form = Form({"fin": request.query_params.get("fin", ""), "channel": "mail",
                 "issued_on": request.query_params.get("issued_on", site.today().isoformat()),
                 "idempotency_key": new_key()})
    fin = form.text("fin")
    issued_on = form.day("issued_on")
    if fin and issued_on is not None:
        # Say before the officer fills the form in why the service would refuse it.
        bar = notice_offers(site.registry, actor, [fin], issued_on).get(
            fin.replace("-", "").strip())
        if bar is not None:
            form.general.append(f"No call-in notice can be issued on "
                                f"{issued_on.isoformat()}: {bar}.")
    return _notice_page(request, form)


@router.post("/compliance/notice")
def issue_notice(request: Request, form: Posted) -> Response:
    """Issue the notice; the law in force on the issue date decides channel and period."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_COMPLIANCE)
    fin = form.text("fin", required=True)
    channel = form.text("channel", required=True)
    issued_on = form.day("issued_on", required=True)
    appear_by = form.day("appear_by")
    office = form.raw("office").strip()
    if form.has_errors or fin is None or channel is None or issued_on is None:
        return _notice_page(request, form, 400)
    try:
        answer = issue_call_in_notice(site.registry, actor, CallInNoticeCommand(
            fin=fin, channel=channel, issued_on=issued_on, office=office,
            appear_by=appear_by, idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, MAPPER)
        return _notice_page(request, form, 400)
    except ConflictError as error:
        form.general.append(str(error))
        return _notice_page(request, form, 409)
    return site.render(request, "screens/compliance_done.html", {
        "heading": "Call-in notice issued", "answer": answer,
        "lines": [(f"Notice {answer['notice_id']} to FIN {answer['fin']}: appear by "
                   f"{answer['appear_by']} ({answer['notice_days']} days' notice required).")],
        "reasons": answer.get("reasons", [])})


# ----------------------------------------------------------------------- interviews
def _interview_page(request: Request, form: Form, status: int = 200) -> Response:
    return site_of(request).render(request, "screens/interview.html", {
        "form": form, "labels": LABELS,
        "kinds": [(k, label(k)) for k in sorted(INTERVIEW_KINDS)],
        "outcomes": [(o, label(o)) for o in sorted(INTERVIEW_OUTCOMES)]}, status=status)


@router.get("/compliance/interview")
def interview_form(request: Request) -> Response:
    """The outcome of a report or interview, for the registrant named in the query."""
    site = site_of(request)
    site.actor(request, Permission.MANAGE_COMPLIANCE)
    query = request.query_params
    form = Form({"fin": query.get("fin", ""), "kind": query.get("kind", ""),
                 "notice_id": query.get("notice_id", ""), "held_on": site.today().isoformat(),
                 "outcome": "completed", "idempotency_key": new_key()})
    return _interview_page(request, form)


@router.post("/compliance/interview")
def record_outcome(request: Request, form: Posted) -> Response:
    """Record the interview; a failure to appear is recorded as a violation to assess."""
    site = site_of(request)
    actor = site.actor(request, Permission.MANAGE_COMPLIANCE)
    fin = form.text("fin", required=True)
    kind = form.text("kind", required=True)
    held_on = form.day("held_on", required=True)
    place = form.text("place", required=True)
    outcome = form.text("outcome", required=True)
    notice_id = form.integer("notice_id")
    if form.has_errors or fin is None or kind is None or held_on is None or place is None \
            or outcome is None:
        return _interview_page(request, form, 400)
    try:
        answer = record_interview(site.registry, actor, InterviewCommand(
            fin=fin, kind=kind, held_on=held_on, place=place, outcome=outcome,
            notice_id=notice_id, notes=form.text("notes"),
            idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, MAPPER)
        return _interview_page(request, form, 400)
    except ConflictError as error:
        form.general.append(str(error))
        return _interview_page(request, form, 409)
    lines = [f"Interview {answer['interview_id']} recorded for FIN {answer['fin']}."]
    if answer.get("violation_id"):
        lines.append(f"Violation {answer['violation_id']} recorded: the registrant did not "
                     f"appear. Its willfulness must be assessed.")
    return site.render(request, "screens/compliance_done.html", {
        "heading": "Interview recorded", "answer": answer, "lines": lines, "reasons": []})
