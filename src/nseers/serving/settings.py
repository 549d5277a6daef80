"""The server's settings: the signing secret, token lifetime, rate limits and load limits.

One object for the API and the pages alike: the pages' session cookie is signed with the
same secret as the API's bearer tokens, and a carrier account's passengers are counted
against one limit on either face. Read from a mapping (the process environment by
default), like :mod:`nseers.settings`. Without ``NSEERS_SECRET_KEY`` a random secret is
made for the process, with a warning: tokens then die with the process and are not
accepted by other worker processes, which is safe but inconvenient, so production sets
the variable.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

SECRET_KEY_ENV = "NSEERS_SECRET_KEY"  # noqa: S105 - a variable's name
CARRIER_LIMIT_ENV = "NSEERS_CARRIER_PASSENGERS_PER_MINUTE"
#: The shortest secret accepted: HMAC-SHA256 keys shorter than the hash are weak (RFC 7518).
MIN_SECRET_BYTES = 32

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the server signs tokens and how hard it lets anonymous clients knock."""

    secret_key: bytes
    token_lifetime: timedelta = timedelta(minutes=15)
    #: Traveller self-service lookups per client address: a burst of this many, refilled
    #: at the same number per minute.
    self_service_per_minute: int = 10
    #: Sign-in attempts per client address per minute (the lock-out guards each account;
    #: this guards the server from hashing passwords for one client all day).
    sign_in_per_minute: int = 30
    #: Passengers a carrier account may ask about per minute (issue 17): a burst of this
    #: many, refilled at the same number per minute; a manifest costs one per passenger.
    carrier_passengers_per_minute: int = 1200
    # Fail fast (issue 16): what the load shedder and the health check allow.
    #: The largest request body read (the MRZ photograph is the largest legitimate one).
    max_body_bytes: int = 12 * 1024 * 1024
    #: Writes running at once, and waiting for a turn, per process; beyond: 503.
    max_active_writes: int = 32
    max_waiting_writes: int = 256
    #: Seconds an API request may take before it is answered 503 with Retry-After.
    request_deadline_s: float = 30.0
    #: Seconds /api/health waits for the database before it answers 503.
    health_timeout_s: float = 1.0
    #: Seconds between the server's own signed checkpoints of the audit chain (0: never).
    audit_checkpoint_s: float = 300.0

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str] | None = None) -> ServerSettings:
        """Settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        carrier_limit = env.get(CARRIER_LIMIT_ENV, "")
        limits: dict[str, Any] = {}
        if carrier_limit:
            if not carrier_limit.isdigit() or int(carrier_limit) < 1:
                raise ValueError(f"{CARRIER_LIMIT_ENV} must be a whole number above 0")
            limits["carrier_passengers_per_minute"] = int(carrier_limit)
        configured = env.get(SECRET_KEY_ENV, "")
        if configured:
            key = configured.encode()
            if len(key) < MIN_SECRET_BYTES:
                raise ValueError(f"{SECRET_KEY_ENV} must be at least {MIN_SECRET_BYTES} bytes")
            return cls(secret_key=key, **limits)
        logger.warning("%s is not set: signing tokens with a random secret made for this "
                       "process; tokens will not survive a restart or work across worker "
                       "processes", SECRET_KEY_ENV)
        return cls(secret_key=secrets.token_bytes(MIN_SECRET_BYTES), **limits)
