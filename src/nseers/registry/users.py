"""Local accounts: who may sign in, in which role, and the state of their credentials.

A password is kept only as an argon2id hash; a second factor (TOTP) is optional. The
failed-attempt counter and ``locked_until`` implement the lock-out policy of
:mod:`nseers.services.accounts`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
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
