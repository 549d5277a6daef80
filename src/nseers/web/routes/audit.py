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
                 "after": "After entry", "before": "Before entry"}


@router.get("/audit")
def log(request: Request) -> Response:
    """The newest entries first, a page at a time (``before`` an entry for older pages),
    or in sequence order from ``after`` an entry; filtered by person, user or action."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_AUDIT)
    form = Form(dict(request.query_params))
    person_id = form.integer("person_id")
    after = form.integer("after")
    before = form.integer("before")
    oldest_first = after is not None
    entries = [] if form.has_errors else audit_log(
        site.registry, actor, person_id=person_id, actor_name=form.text("actor"),
        action=form.text("action"), after=after or 0, before=before,
        newest_first=not oldest_first, limit=PAGE)
    filters = [(k, form.raw(k)) for k in ("person_id", "actor", "action") if form.raw(k)]
    more = ""
    if len(entries) == PAGE:
        more = urlencode([*filters, ("after" if oldest_first else "before",
                                     str(entries[-1]["seq"]))])
    return site.render(request, "screens/audit.html", {
        "form": form, "labels": LABELS, "entries": entries, "more": more,
        "oldest_first": oldest_first, "newest": urlencode(filters),
        "oldest": urlencode([*filters, ("after", "0")]),
        "paged": before is not None or bool(after), "report": None},
        status=400 if form.has_errors else 200)


@router.get("/audit/verify")
def verify(request: Request) -> Response:
    """Recompute the chain and report every broken link."""
    site = site_of(request)
    actor = site.actor(request, Permission.READ_AUDIT)
    report = verify_audit(site.registry, actor)
    return site.render(request, "screens/audit.html", {
        "form": Form(), "labels": LABELS, "entries": [], "more": "", "oldest_first": False,
        "newest": "", "oldest": "", "paged": False, "report": report})
