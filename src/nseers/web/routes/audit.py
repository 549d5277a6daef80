"""The audit log for auditors: every access to the registry, filtered, a page at a time,
and the verification of the hash chain (:mod:`nseers.services.audit`).

Reading the trail is itself audited. Verification recomputes every hash and names each
altered entry, each gap a deleted entry left and a deleted tail.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.services.audit import audit_log, verify_audit
from nseers.web.forms import Form
from nseers.web.routes.common import web_router
from nseers.web.site import site_of

router = web_router()

PAGE: Final = 100
LABELS: Final = {"person_id": "Person", "actor": "User", "action": "Action",
                 "after": "After entry"}


@router.get("/audit")
def log(request: Request) -> Response:
    """Entries in sequence order, after an entry, filtered by person, user or action."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_AUDIT)
    form = Form(dict(request.query_params))
    person_id = form.integer("person_id")
    after = form.integer("after", default=0) or 0
    entries = [] if form.has_errors else audit_log(
        site.registry, actor, person_id=person_id, actor_name=form.text("actor"),
        action=form.text("action"), after=after, limit=PAGE)
    filters = [(k, form.raw(k)) for k in ("person_id", "actor", "action") if form.raw(k)]
    following = urlencode([*filters, ("after", str(entries[-1]["seq"]))]) \
        if len(entries) == PAGE else ""
    return site.render(request, "screens/audit.html", {
        "form": form, "labels": LABELS, "entries": entries, "following": following,
        "first": urlencode(filters) if after else "", "report": None},
        status=400 if form.has_errors else 200)


@router.get("/audit/verify")
def verify(request: Request) -> Response:
    """Recompute the chain and report every broken link."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_AUDIT)
    report = verify_audit(site.registry, actor)
    return site.render(request, "screens/audit.html", {
        "form": Form(), "labels": LABELS, "entries": [], "following": "", "first": "",
        "report": report})
