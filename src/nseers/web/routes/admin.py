"""Administration: accounts (who may sign in, in which role) and the law in force.

Accounts are created through :func:`nseers.services.accounts.create_user` (argon2id
password hash, audited). The law in force on any date is the policy's
(:func:`nseers.services.law.law_in_force`): every parameter's value with its
dates and citation, the designations, call-in groups and departure ports.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request, Response

from nseers.core.actors import Permission, Role
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.accounts import UNASSIGNABLE_ROLES, NewUser, create_user, list_users
from nseers.services.law import law_in_force as law_on
from nseers.web.forms import Form, direct
from nseers.web.routes.common import Posted, new_key, web_router
from nseers.web.site import role_label, site_of

router = web_router()

LABELS: Final = {"username": "Username", "role": "Role", "password": "Password",
                 "on": "Law in force on"}
ROLES: Final = tuple(r for r in Role if r not in UNASSIGNABLE_ROLES)


def _users_page(request: Request, form: Form, *, status: int = 200, created: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.ADMINISTER)
    form.values.pop("password", None)
    return site.render(request, "screens/users.html", {
        "form": form, "labels": LABELS, "users": list_users(site.registry, actor),
        "roles": [(r.value, role_label(r)) for r in ROLES], "created": created},
        status=status)


@router.get("/admin/users")
def users(request: Request) -> Response:
    """Every account, and the form to create one."""
    return _users_page(request, Form({"idempotency_key": new_key()}))


@router.post("/admin/users")
def create(request: Request, form: Posted) -> Response:
    """Create an account."""
    site = site_of(request)
    actor = site.actor(request, Permission.ADMINISTER)
    username = form.text("username", required=True)
    role = form.choice("role", [r.value for r in ROLES], required=True)
    password = form.raw("password")
    if form.has_errors or username is None or role is None:
        return _users_page(request, form, status=400)
    try:
        answer = create_user(site.registry, actor, NewUser(
            username, Role(role), password, idempotency_key=form.text("idempotency_key")))
    except InvalidInputError as error:
        form.absorb_error(error, direct(LABELS))
        return _users_page(request, form, status=400)
    except ConflictError as error:
        form.add("username", str(error))
        return _users_page(request, form, status=409)
    return _users_page(request, Form({"idempotency_key": new_key()}),
                       created=f"{answer['username']} can now sign in as "
                               f"{role_label(answer['role']).lower()}.")


@router.get("/admin/policy")
def law_in_force(request: Request) -> Response:
    """The law in force on a date (default today), with its citations."""
    site = site_of(request)
    site.actor(request, Permission.ADMINISTER)
    form = Form(dict(request.query_params))
    on = form.day("on") or site.today()
    form.values["on"] = on.isoformat()
    law = law_on(site.registry, on)
    return site.render(request, "screens/policy.html", {
        "form": form, "labels": LABELS, "on": on, "law": law, "version": law.version,
        "parameters": sorted(law.parameters.values(), key=lambda p: p.id),
        "provisions": sorted(law.provisions.values(), key=lambda p: p.id)},
        status=400 if form.has_errors else 200)
