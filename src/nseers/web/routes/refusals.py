"""Refuse entry: the secondary officer's refusal form, and a refusal's record (issue 17).

Secondary inspection's "Refuse entry" button opens this form with the traveller's facts
carried over. The officer ticks the coded grounds of INA 212(a) in force on the date of
inspection, the procedure (withdrawal, expedited removal, Notice to Appear) and what
followed; :func:`nseers.services.refusals.record_refusal` checks the combination against
the law of the day (expedited removal only on 212(a)(6)(C) or (a)(7) grounds) and records
it once per rendering of the form. Any earlier refusal of the same passport is shown as a
warning banner before and after recording.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Final

from fastapi import Path, Request, Response

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.people import identity_document
from nseers.services.refusals import (
    RefusalCommand,
    record_refusal,
    refusal_codes,
    refusals_of_document,
    show_refusal,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.common import (
    SEXES,
    Posted,
    new_key,
    port_choices,
    web_router,
)
from nseers.web.routes.inspection import IDENTITY_KINDS
from nseers.web.site import Site, site_of

router = web_router()

LABELS: Final = {
    "port_code": "Port of entry", "occurred_at": "Date and time of refusal",
    "surname": "Surname", "given_names": "Given names", "date_of_birth": "Date of birth",
    "sex": "Sex", "citizenships": "Citizenships", "doc_kind": "Document",
    "doc_number": "Document number", "doc_issuer": "Issuing state",
    "grounds": "Grounds of inadmissibility", "procedure": "Procedure",
    "disposition": "What followed", "narrative": "Officer's narrative",
}
MAPPER: Final = direct(LABELS, {"documents": "doc_number", "number": "doc_number",
                                "issuer": "doc_issuer", "kind": "doc_kind",
                                "person": "surname"})
#: What the secondary inspection form carries over when the officer chooses to refuse.
CARRIED: Final = ("port_code", "occurred_at", "surname", "given_names", "date_of_birth",
                  "sex", "citizenships", "doc_kind", "doc_number", "doc_issuer")


def _day(form: Form, site: Site) -> date:
    moment = Form(dict(form.values)).moment("occurred_at")
    return moment.date() if moment is not None else site.today()


def _identity(form: Form) -> DocumentFacts | None:
    kind = form.raw("doc_kind").strip()
    number = form.raw("doc_number").strip().upper()
    issuer = form.raw("doc_issuer").strip().upper()
    if not (kind and number and issuer):
        return None
    return identity_document((DocumentFacts(kind, number, issuer),))


def _page(request: Request, form: Form, actor: Actor, *, status: int = 200) -> Response:
    site = site_of(request)
    on = _day(form, site)
    document = _identity(form)
    warning = refusals_of_document(site.registry, actor, document, on) \
        if document is not None else None
    codes = refusal_codes(site.registry, on)
    return site.render(request, "screens/refusal.html", {
        "form": form, "labels": LABELS, "ports": port_choices(request), "sexes": SEXES,
        "identity_kinds": IDENTITY_KINDS, "codes": codes, "warning": warning,
        "procedure_choices": [(code, f"{p['title']} ({p['citation']})")
                              for code, p in codes["procedures"].items()],
        "disposition_choices": [(code, f"{d['title']} ({d['citation']})")
                                for code, d in codes["dispositions"].items()],
        "ticked": form.lists.get("grounds", [])}, status=status)


def _carried(site: Site, given: dict[str, str]) -> Form:
    now = site.now().replace(second=0, microsecond=0, tzinfo=None)
    values = {"occurred_at": now.isoformat(timespec="minutes"), "doc_kind": "passport"}
    values |= {k: v for k, v in given.items() if k in CARRIED and v}
    values["idempotency_key"] = new_key()
    return Form(values)


@router.get("/refusals/new")
def refusal_form(request: Request) -> Response:
    """A new refusal (facts given in the query, as a link may carry them, prefill it)."""
    site = site_of(request)
    actor = site.actor(request, Permission.RECORD_REFUSAL, Permission.READ_PERSON)
    return _page(request, _carried(site, dict(request.query_params)), actor)


@router.post("/refusals/start")
def refusal_from_inspection(request: Request, form: Posted) -> Response:
    """The refusal form, prefilled with the secondary inspection form's facts (posted, so
    that neither the facts nor the form's token travel in a URL). Nothing is recorded."""
    site = site_of(request)
    actor = site.actor(request, Permission.RECORD_REFUSAL, Permission.READ_PERSON)
    return _page(request, _carried(site, dict(form.values)), actor)


def build_command(form: Form) -> RefusalCommand:
    """The service command the form describes (problems collected on the form)."""
    port = form.text("port_code", upper=True)
    occurred = form.moment("occurred_at")
    if port is None:
        form.add("port_code", "required")
    if occurred is None and "occurred_at" not in form.errors:
        form.add("occurred_at", "required")
    kind = form.choice("doc_kind", [k for k, _ in IDENTITY_KINDS])
    documents: tuple[DocumentFacts, ...] = ()
    if kind is not None and form.text("doc_number"):
        documents = (DocumentFacts(kind=kind, number=form.text("doc_number", upper=True),
                                   issuer=form.text("doc_issuer", upper=True)),)
    person = PersonFacts(surname=form.raw("surname").strip(),
                         given_names=form.raw("given_names").strip(),
                         date_of_birth=form.day("date_of_birth"),
                         sex=form.choice("sex", ("M", "F", "X")),
                         citizenships=form.codes("citizenships"))
    return RefusalCommand(
        port_code=port or "", occurred_at=occurred or datetime.min.replace(tzinfo=UTC),
        person=person, grounds=tuple(form.many("grounds")),
        procedure=form.raw("procedure").strip(), disposition=form.raw("disposition").strip(),
        documents=documents, narrative=form.text("narrative"),
        idempotency_key=form.text("idempotency_key"))


@router.post("/refusals/new")
def refuse(request: Request, form: Posted) -> Response:
    """Record the refusal; a problem goes back on the field it names."""
    site = site_of(request)
    actor = site.actor(request, Permission.RECORD_REFUSAL, Permission.READ_PERSON)
    command = build_command(form)
    if form.has_errors:
        return _page(request, form, actor, status=400)
    try:
        answer = record_refusal(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, MAPPER)
        return _page(request, form, actor, status=400)
    except ConflictError as error:
        if error.code == "idempotency_key_reused":
            form.values["idempotency_key"] = new_key()
        form.general.append(str(error))
        return _page(request, form, actor, status=409)
    return site.render(request, "screens/refusal_done.html", {
        "refusal": answer, "recorded": True,
        "name": f"{command.person.given_names} {command.person.surname}".strip()})


@router.get("/refusals/{refusal_id}")
def refusal_record(request: Request,
                   refusal_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    """One refusal with its grounds, procedure, what followed and the reasons."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_PERSON)
    answer: dict[str, Any] = show_refusal(site.registry, actor, refusal_id)
    return site.render(request, "screens/refusal_done.html", {
        "refusal": answer, "recorded": False, "name": ""})
