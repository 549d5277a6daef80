"""Sign-in, the second factor, passwords, sign-out, and accounts (administrators).

A token is refused from the moment its account's sessions end (sign-out, a password or role
change, deactivation, "revoke all sessions": :mod:`nseers.services.sessions`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from nseers.api.access import PUBLIC, SIGN_IN_LIMIT, api_state, client_address, registry_of
from nseers.api.account_bodies import AccountState, RoleChangeIn, TotpEnrolIn
from nseers.api.bodies import to_command
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
from nseers.services.accounts import (
    NewUser,
    SignIn,
    authenticate,
    change_password,
    create_user,
    enrol_totp,
    list_users,
)
from nseers.services.sessions import end_own_sessions, revoke_sessions, set_active, set_role
from nseers.serving.tokens import issue_token

router = APIRouter(tags=["accounts"])


@router.post("/auth/token", response_model=TokenAnswer,
             dependencies=[Depends(PUBLIC), Depends(SIGN_IN_LIMIT)],
             responses=problems(401, 429))
def sign_in(request: Request, body: SignInIn) -> dict[str, Any]:
    """Sign in with username, password and (if enrolled) the authenticator code; the
    answer is a bearer token valid for 15 minutes. Five failures in a row lock the account
    for 15 minutes. Every attempt is audited."""
    state = api_state(request)
    command = to_command(SignIn, body, client=client_address(request))
    signed_in = authenticate(state.registry, command)
    lifetime = state.settings.token_lifetime
    token = issue_token(signed_in.username, signed_in.role, state.settings.secret_key,
                        state.registry.clock(), lifetime,
                        session_version=signed_in.session_version)
    return {"access_token": token.value, "token_type": "bearer",
            "expires_in": int(lifetime.total_seconds()), "expires_at": token.expires_at,
            "username": signed_in.username, "role": signed_in.role}


@router.post("/auth/totp", response_model=TotpEnrolment,
             dependencies=[Depends(SIGN_IN_LIMIT)], responses=problems(401, 429))
def totp_enrolment(request: Request, actor: SignedIn, body: TotpEnrolIn) -> dict[str, str]:
    """Enrol (or re-enrol) a second factor, given the current password and, if one is
    enrolled already, its current code: the answer's URI goes into an authenticator app (as
    a QR code); from then on sign-in needs the app's current code. Wrong guesses count
    towards the lock-out."""
    return enrol_totp(registry_of(request), actor, body.password.get_secret_value(),
                      body.totp)


@router.post("/auth/password", status_code=204, response_class=Response,
             dependencies=[Depends(SIGN_IN_LIMIT)], responses=problems(401, 429))
def password_change(request: Request, actor: SignedIn, body: PasswordChangeIn) -> Response:
    """Change your password (at least 12 characters, not blank or invisible, not your
    username, not a common password), given the current one and, with a second factor
    enrolled, a current code. Rate-limited and locked out like sign-in. Every session of
    the account ends, this token included: sign in again."""
    change_password(registry_of(request), actor, body.current_password.get_secret_value(),
                    body.new_password.get_secret_value(), body.totp)
    return Response(status_code=204)


@router.post("/auth/signout", status_code=204, response_class=Response,
             responses=problems(401))
def sign_out(request: Request, actor: SignedIn) -> Response:
    """End every session of your account, on the API and the web pages, now."""
    end_own_sessions(registry_of(request), actor)
    return Response(status_code=204)


@router.post("/users/{username}/deactivate", response_model=AccountState,
             responses=problems(*PROTECTED, 404))
def user_deactivation(request: Request, actor: Administrator, username: str) -> Any:
    """Deactivate an account (administrators): it can no longer sign in and every session
    it has ends at once."""
    return set_active(registry_of(request), actor, username, active=False)


@router.post("/users/{username}/activate", response_model=AccountState,
             responses=problems(*PROTECTED, 404))
def user_activation(request: Request, actor: Administrator, username: str) -> Any:
    """Reactivate an account (administrators)."""
    return set_active(registry_of(request), actor, username, active=True)


@router.put("/users/{username}/role", response_model=AccountState,
            responses=problems(*PROTECTED, 404))
def user_role_change(request: Request, actor: Administrator, username: str,
                     body: RoleChangeIn) -> Any:
    """Move an account to another role (administrators); its sessions end at once."""
    return set_role(registry_of(request), actor, username, body.role)


@router.post("/users/{username}/sessions/revoke", response_model=AccountState,
             responses=problems(*PROTECTED, 404))
def user_sessions_revocation(request: Request, actor: Administrator, username: str) -> Any:
    """End every session of an account now (administrators): a stolen token dies."""
    return revoke_sessions(registry_of(request), actor, username)


@router.post("/users", status_code=201, response_model=UserView,
             responses=problems(*PROTECTED, 409))
def user_creation(request: Request, response: Response, actor: Administrator, body: NewUserIn,
                  idempotency_key: IdempotencyKey = None) -> dict[str, Any]:
    """Create an account in a role (administrators)."""
    command = to_command(NewUser, body, idempotency_key=idempotency_key)
    answer = create_user(registry_of(request), actor, command)
    return mark_replay(response, answer)


@router.get("/users", response_model=list[UserView], responses=problems(*PROTECTED))
def users(request: Request, actor: Administrator) -> list[dict[str, Any]]:
    """Every account (administrators)."""
    return list_users(registry_of(request), actor)
