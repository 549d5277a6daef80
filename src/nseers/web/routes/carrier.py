"""The carrier's boarding check in the browser (issue 17; EES Art. 13; 19 CFR 122.49a).

For carrier accounts only: one passenger typed in, or a manifest file (CSV with a header
row, or JSON) uploaded. Each answer is :func:`nseers.services.carrier.check_manifest`'s,
exactly as over the API: ``ok_to_board``, ``not_ok_to_board`` or ``no_record`` with the
overlay's codes, and nothing about the passenger. The passengers asked about count
against the account's limit shared with the API, and each is audited by the service.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError
from nseers.services.carrier import (
    FIELDS,
    MAX_MANIFEST_ROWS,
    check_manifest,
    manifest_rows,
    read_passenger,
)
from nseers.serving.ratelimit import RateLimiter
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, read_upload, web_router
from nseers.web.site import Site, site_of

router = web_router()

LABELS: Final = {"document_number": "Document number", "issuing_country": "Issuing country",
                 "nationality": "Nationality", "surname": "Surname",
                 "date_of_birth": "Date of birth",
                 "intended_travel_date": "Intended date of travel", "manifest": "Manifest"}
MAPPER: Final = direct(LABELS)


def _page(request: Request, form: Form, *, status: int = 200,
          answer: dict[str, Any] | None = None,
          manifest: dict[str, Any] | None = None) -> Response:
    return site_of(request).render(request, "screens/carrier.html", {
        "form": form, "labels": LABELS, "answer": answer, "manifest": manifest,
        "fields": FIELDS, "max_rows": MAX_MANIFEST_ROWS}, status=status)


def _blank(site: Site) -> Form:
    return Form({"intended_travel_date": site.today().isoformat()})


def _limited(site: Site, actor: Actor, passengers: int, form: Form) -> bool:
    """Take the passengers from the account's allowance; say so on the form if spent."""
    limiter = site.carrier_limiter
    if limiter is None:
        return False
    if passengers > limiter.capacity:
        form.add("manifest", f"at most {limiter.capacity} passengers at once for this account")
        return True
    wait = limiter.take(actor.username, passengers)
    if wait:
        form.general.append(f"This account has asked about too many passengers; try again "
                            f"in {RateLimiter.retry_after(wait)} seconds.")
        return True
    return False


@router.get("/carrier")
def carrier_form(request: Request) -> Response:
    """The boarding check form."""
    site = site_of(request)
    site.actor(request, Permission.CARRIER_CHECK)
    return _page(request, _blank(site))


@router.post("/carrier")
def carrier_check(request: Request, form: Posted) -> Response:
    """Check one passenger, or every row of an uploaded manifest."""
    site = site_of(request)
    actor = site.actor(request, Permission.CARRIER_CHECK)
    if form.raw("action") == "manifest":
        content = read_upload(form, "manifest")
        if content is None:
            form.add("manifest", "choose a CSV or JSON file")
            return _page(request, form, status=400)
        name = form.files["manifest"][0].filename or ""
        try:
            rows = manifest_rows(content.decode("utf-8"), is_json=name.lower().endswith(".json"))
        except UnicodeDecodeError:
            form.add("manifest", "not a UTF-8 text file")
            return _page(request, form, status=400)
        except InvalidInputError as error:
            form.absorb_error(error, MAPPER)
            return _page(request, form, status=400)
        if _limited(site, actor, len(rows), form):
            return _page(request, form, status=429)
        try:
            manifest = check_manifest(site.registry, actor, rows)
        except InvalidInputError as error:
            form.absorb(error.problems, lambda _: "manifest")
            return _page(request, form, status=400)
        except ConflictError as error:
            form.general.append(str(error))
            return _page(request, form, status=409)
        return _page(request, _blank(site), manifest=manifest)
    values = {name: form.raw(name) for name in FIELDS}
    try:
        query = read_passenger(values)
    except InvalidInputError as error:
        form.absorb_error(error, MAPPER)
        return _page(request, form, status=400)
    if _limited(site, actor, 1, form):
        return _page(request, form, status=429)
    try:
        row = check_manifest(site.registry, actor, [query])["rows"][0]
    except ConflictError as error:
        form.general.append(str(error))
        return _page(request, form, status=409)
    if "errors" in row:
        form.absorb(_problems(row["errors"]), MAPPER)
        return _page(request, form, status=400)
    return _page(request, form, answer=row)


def _problems(errors: list[dict[str, str]]) -> list[FieldProblem]:
    return [FieldProblem(e["path"].split(".", 1)[-1], e["message"]) for e in errors]
