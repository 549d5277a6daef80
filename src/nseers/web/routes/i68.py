"""Form I-68 online: a family's application, and the district director's adjudication.

The application names the family's members (the first is the principal applicant), the
evidence (uploaded and kept by content under the data directory) and the port; the fee in
force on the filing date and each member's place in the family definition
(:func:`nseers.services.i68.fee_preview`, by the rules the filing applies) are shown as
the form is filled in (an htmx fragment, no write).
Filing goes through :func:`nseers.services.i68.file_i68`. The adjudication queue lists
applications by status (:func:`nseers.services.queues.i68_applications`); the district
director approves (a permit with the law's validity and conditions), denies with reasons,
or revokes a permit.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.i68 import (
    RELATIONSHIP_ORDER,
    RELATIONSHIPS,
    I68ApplicationCommand,
    I68DecisionCommand,
    I68MemberFacts,
    RevocationCommand,
    decide_i68,
    file_i68,
    filing_ports,
    i68_problems,
    revoke_permit,
)
from nseers.services.i68 import fee_preview as preview_fee
from nseers.services.queues import APPLICATION_STATUSES, i68_applications
from nseers.web.forms import Form
from nseers.web.routes.common import (
    SEXES,
    Posted,
    new_key,
    read_uploads,
    web_router,
)
from nseers.web.site import Site, label, site_of
from nseers.web.uploads import EVIDENCE, UploadRefusedError

router = web_router()

MAX_MEMBERS: Final = 12
MEMBER_FIELDS: Final = ("surname", "given_names", "date_of_birth", "sex", "citizenships",
                        "relationship", "married", "same_address", "doc_number", "doc_issuer",
                        "canadian_permanent_resident")
LABELS: Final = {"port_code": "Port", "filed_on": "Filed on", "evidence": "Evidence",
                 "members": "Members", "reasons": "Reasons", "decided_on": "Decided on",
                 "reason": "Reason", "revoked_on": "Revoked on",
                 "contact_email": "Principal's contact e-mail"}


def _member_labels(count: int) -> dict[str, str]:
    labels = dict(LABELS)
    for index in range(count):
        who = "Principal applicant" if index == 0 else f"Member {index + 1}"
        for name in MEMBER_FIELDS:
            labels[f"m{index}_{name}"] = f"{who}: {label(name)}"
    return labels


def member_count(form: Form) -> int:
    """How many member rows the form has (at least the principal)."""
    count = form.integer("member_count", default=1) or 1
    return max(1, min(count, MAX_MEMBERS))


def _mapper(path: str) -> str | None:
    if path.startswith("members["):
        index_text, _, rest = path[len("members["):].partition("]")
        rest = rest.lstrip(".")
        field = rest.rsplit(".", 1)[-1] if rest else "relationship"
        if "documents" in rest:
            field = "doc_issuer" if field == "issuer" else "doc_number"
        elif field in ("citizenships",) or field.startswith("citizenships"):
            field = "citizenships"
        return f"m{index_text}_{field if field in MEMBER_FIELDS else 'surname'}"
    return {"members": "m0_surname", "evidence": "evidence", "port_code": "port_code",
            "filed_on": "filed_on", "contact_email": "contact_email"}.get(path)


def read_members(form: Form) -> list[I68MemberFacts]:
    """The members as the service takes them (problems go on the form)."""
    members = []
    for index in range(member_count(form)):
        prefix = f"m{index}_"
        number = form.text(prefix + "doc_number", upper=True)
        issuer = form.text(prefix + "doc_issuer", upper=True)
        documents = (DocumentFacts("passport", number, issuer),) if number else ()
        members.append(I68MemberFacts(
            person=PersonFacts(
                surname=form.raw(prefix + "surname").strip(),
                given_names=form.raw(prefix + "given_names").strip(),
                date_of_birth=form.day(prefix + "date_of_birth"),
                sex=form.choice(prefix + "sex", ("M", "F", "X")),
                citizenships=form.codes(prefix + "citizenships")),
            relationship=form.raw(prefix + "relationship") or
            ("principal" if index == 0 else ""),
            married=form.flag(prefix + "married"),
            same_address=form.flag(prefix + "same_address"), documents=documents,
            canadian_permanent_resident=form.flag(prefix + "canadian_permanent_resident")))
    return members


def fee_preview(site: Site, form: Form) -> dict[str, Any]:
    """The fee in force on the filing date and each member's eligibility (no write)."""
    members = read_members(Form(form.values, form.lists))
    preview = preview_fee(site.registry, members, form.day("filed_on") or site.today())
    return {"filed_on": preview.filed_on.isoformat(), "fee_usd": preview.fee_usd,
            "per_person_usd": preview.per_person_usd, "cap_usd": preview.cap_usd,
            "members": [{"index": index, "name": f"{m.person.given_names} {m.person.surname}"
                         .strip() or f"Member {index + 1}",
                         "check": preview.checks.get(index)} for index, m in enumerate(members)]}


def _apply_page(request: Request, form: Form, *, status: int = 200) -> Response:
    site = site_of(request)
    count = member_count(form)
    form.values["member_count"] = str(count)
    return site.render(request, "screens/i68_apply.html", {
        "form": form, "labels": _member_labels(count), "count": count,
        "ports": filing_ports(site.registry, form.day("filed_on") or site.today()),
        "sexes": SEXES,
        "relationships": [(r, label(r)) for r in RELATIONSHIP_ORDER if r in RELATIONSHIPS],
        "preview": fee_preview(site, form),
        "evidence_refs": form.many("evidence_ref"), "max_members": MAX_MEMBERS},
        status=status)


@router.get("/i68/apply")
def apply_form(request: Request) -> Response:
    """A new application, for the principal applicant to begin with."""
    site = site_of(request)
    site.actor(request, Permission.FILE_I68)
    form = Form({"filed_on": site.today().isoformat(), "member_count": "1",
                 "m0_relationship": "principal", "m0_same_address": "yes",
                 "idempotency_key": new_key()})
    return _apply_page(request, form)


@router.post("/i68/fee")
def live_fee(request: Request, form: Posted) -> Response:
    """The fee and the members' eligibility for what is typed (an htmx fragment)."""
    site = site_of(request)
    site.actor(request, Permission.FILE_I68)
    return site.render(request, "partials/i68_fee.html", {"preview": fee_preview(site, form)})


def _keep_evidence(site: Site, form: Form) -> list[str]:
    references = [r for r in form.many("evidence_ref")
                  if site.uploads.is_reference(r, EVIDENCE) and site.uploads.locate(r)]
    for data in read_uploads(form, "evidence"):
        try:
            stored = site.uploads.keep(EVIDENCE, data)
        except UploadRefusedError as error:
            form.add("evidence", str(error))
            continue
        if stored.reference not in references:
            references.append(stored.reference)
    form.lists["evidence_ref"] = references
    return references


@router.post("/i68/apply")
def file_application(request: Request, form: Posted) -> Response:
    """Add a member, or file the application."""
    site = site_of(request)
    actor = site.actor(request, Permission.FILE_I68)
    evidence = _keep_evidence(site, form)
    action = form.raw("action")
    count = member_count(form)
    if action == "add_member":
        if count < MAX_MEMBERS:
            form.values["member_count"] = str(count + 1)
            form.values[f"m{count}_same_address"] = "yes"
        return _apply_page(request, form)
    if action == "remove_member":
        form.values["member_count"] = str(max(1, count - 1))
        return _apply_page(request, form)
    port = form.text("port_code", required=True, upper=True)
    filed_on = form.day("filed_on", required=True)
    members = read_members(form)
    if form.has_errors or port is None or filed_on is None:
        # Every problem at once: the service's checks too, on what the form could read.
        form.absorb(i68_problems(site.registry, I68ApplicationCommand(
            port_code=port or "", filed_on=filed_on or site.today(),
            members=tuple(members))), _mapper)
        return _apply_page(request, form, status=400)
    try:
        command = I68ApplicationCommand(
            port_code=port, filed_on=filed_on, members=tuple(members),
            evidence=tuple(evidence), idempotency_key=form.text("idempotency_key"),
            contact_email=form.text("contact_email"))
        answer = file_i68(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, _mapper)
        return _apply_page(request, form, status=400)
    except ConflictError as error:
        form.general.append(str(error))
        return _apply_page(request, form, status=409)
    return site.render(request, "screens/i68_filed.html", {"answer": answer,
                                                            "evidence": evidence})


# ------------------------------------------------------------------- adjudication
def _queue_page(request: Request, *, form: Form | None = None, status: int = 200,
                message: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_I68)
    wanted = request.query_params.get("status", "pending")
    if wanted not in APPLICATION_STATUSES:
        wanted = "pending"
    page = request.query_params.get("page", "1")
    answer = i68_applications(site.registry, actor, status=wanted,
                              page=int(page) if page.isdigit() and int(page) > 0 else 1)
    return site.render(request, "screens/i68_queue.html", {
        "answer": answer, "statuses": APPLICATION_STATUSES, "form": form or Form(),
        "labels": LABELS, "message": message, "decision_key": new_key()}, status=status)


@router.get("/i68/queue")
def adjudication_queue(request: Request) -> Response:
    """Applications by status, oldest filing first."""
    return _queue_page(request)


@router.post("/i68/{application_id}/decision")
def decide(request: Request, application_id: int, form: Posted) -> Response:
    """Approve (a permit is issued) or deny with reasons."""
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_I68)
    verdict = form.choice("verdict", ("approve", "deny"), required=True)
    decided_on = form.day("decided_on") or site.today()
    if form.has_errors:
        return _queue_page(request, form=form, status=400)
    try:
        answer = decide_i68(site.registry, actor, I68DecisionCommand(
            application_id=application_id, approve=verdict == "approve",
            decided_on=decided_on, reasons=form.raw("reasons").strip(),
            idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb(error.problems, lambda path: path if path in LABELS else None)
        form.values["application_id"] = str(application_id)
        return _queue_page(request, form=form, status=400)
    permit = answer.get("permit")
    message = (f"Application {application_id} approved: permit {permit['number']}, valid "
               f"until {permit['expires_on']}." if permit else
               f"Application {application_id} denied.")
    return _queue_page(request, message=message)


@router.post("/i68/permits/{number}/revoke")
def revoke(request: Request, number: str, form: Posted) -> Response:
    """Revoke a permit, with the reason."""
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_I68)
    revoked_on = form.day("revoked_on") or site.today()
    try:
        revoke_permit(site.registry, actor, RevocationCommand(
            permit_number=number, revoked_on=revoked_on, reason=form.raw("reason").strip(),
            idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb(error.problems, lambda path: path if path in LABELS else None)
        form.values["permit_number"] = number
        return _queue_page(request, form=form, status=400)
    return _queue_page(request, message=f"Permit {number} revoked on {revoked_on}.")

