"""Local accounts: who may sign in, in which role, and the state of their credentials.

A password is kept only as an argon2id hash; a second factor (TOTP) is optional. The
failed-attempt counter and ``locked_until`` implement the lock-out policy of
:mod:`nseers.services.accounts`; ``session_version`` ends sessions
(:mod:`nseers.services.sessions`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from nseers.db.base import Base
from nseers.db.types import UtcDateTime


class User(Base):
    """A local account that signs in to the API and the web pages."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Raised whenever the account's sessions must end (sign-out, password or role change,
    #: deactivation, "revoke all sessions"); a token issued under an older one is refused.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The last TOTP time step accepted, so a code is never accepted twice (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
