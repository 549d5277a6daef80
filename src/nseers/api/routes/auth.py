"""Sign-in, the second factor, passwords, and accounts (administrators)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from nseers.api.access import PUBLIC, SIGN_IN_LIMIT, api_state, client_address, registry_of
from nseers.api.routes.common import (
    PROTECTED,
    Administrator,
    IdempotencyKey,
    SignedIn,
    mark_replay,
    problems,
)
from nseers.api.schemas import (
    NewUserIn,
    PasswordChangeIn,
    SignInIn,
    TokenAnswer,
    TotpEnrolment,
    UserView,
)
from nseers.api.security import issue_token
from nseers.services.accounts import (
    authenticate,
    change_password,
    create_user,
    enrol_totp,
    list_users,
)

router = APIRouter(tags=["accounts"])


@router.post("/auth/token", response_model=TokenAnswer,
             dependencies=[Depends(PUBLIC), Depends(SIGN_IN_LIMIT)],
             responses=problems(401, 429))
def sign_in(request: Request, body: SignInIn) -> dict[str, Any]:
    """Sign in with username, password and (if enrolled) the authenticator code; the
    answer is a bearer token valid for 15 minutes. Five failures in a row lock the account
    for 15 minutes. Every attempt is audited."""
    state = api_state(request)
    signed_in = authenticate(state.registry, body.command(client_address(request)))
    lifetime = state.settings.token_lifetime
    token = issue_token(signed_in.username, signed_in.role, state.settings.secret_key,
                        state.registry.clock(), lifetime)
    return {"access_token": token.value, "token_type": "bearer",
            "expires_in": int(lifetime.total_seconds()), "expires_at": token.expires_at,
            "username": signed_in.username, "role": signed_in.role}


@router.post("/auth/totp", response_model=TotpEnrolment, responses=problems(401))
def totp_enrolment(request: Request, actor: SignedIn) -> dict[str, str]:
    """Enrol a second factor: the answer's URI goes into an authenticator app (as a QR
    code); from then on sign-in needs the app's current code."""
    return enrol_totp(registry_of(request), actor)


@router.post("/auth/password", status_code=204, response_class=Response,
             responses=problems(401))
def password_change(request: Request, actor: SignedIn, body: PasswordChangeIn) -> Response:
    """Change your password (at least 12 characters), given the current one."""
    change_password(registry_of(request), actor, body.current_password.get_secret_value(),
                    body.new_password.get_secret_value())
    return Response(status_code=204)


@router.post("/users", status_code=201, response_model=UserView,
             responses=problems(*PROTECTED, 409))
def user_creation(request: Request, response: Response, actor: Administrator, body: NewUserIn,
                  idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Create an account in a role (administrators)."""
    answer = create_user(registry_of(request), actor, body.command(idempotency_key))
    return mark_replay(response, answer)


@router.get("/users", response_model=list[UserView], responses=problems(*PROTECTED))
def users(request: Request, actor: Administrator) -> list[dict[str, Any]]:
    """Every account (administrators)."""
    return list_users(registry_of(request), actor)
