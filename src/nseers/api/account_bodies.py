"""Request and response bodies of the session and account-administration endpoints
(issue 16): re-enrolling the second factor, changing a role, ending sessions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr

from nseers.api.schemas import RequestBody, ResponseBody
from nseers.core.actors import Role


class TotpEnrolIn(RequestBody):
    """The current password, and the current code when a second factor is enrolled
    already: a stolen session alone cannot replace the authenticator."""

    password: Annotated[SecretStr, Field(min_length=1, max_length=1024)]
    totp: Annotated[str, Field(max_length=10)] | None = None


class RoleChangeIn(RequestBody):
    """The account's new role (its sessions in the old one end at once)."""

    role: Role


class AccountState(ResponseBody):
    """An account after an administrator changed it."""

    username: str
    active: bool | None = None
    role: Role | None = None
    sessions_revoked: bool = True
