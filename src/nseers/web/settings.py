"""The web pages' own settings: the session's idle time-out and the anonymous rate limits.

The signing secret is the server's (:class:`nseers.serving.settings.ServerSettings`): a web
session cookie carries the same kind of signed token the API issues (audience ``web``),
verified by the same function of :mod:`nseers.serving.tokens`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Final

#: The idle time-out: a session not used for this long has to sign in again.
DEFAULT_IDLE_TIMEOUT: Final = timedelta(minutes=15)
#: The absolute time-out: a shift's length, after which the officer signs in again.
DEFAULT_ABSOLUTE_TIMEOUT: Final = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How long a quiet session lives, and how often anonymous visitors may knock."""

    idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT
    #: However busy, a session ends this long after sign-in (OWASP ASVS 3.3.1).
    absolute_timeout: timedelta = DEFAULT_ABSOLUTE_TIMEOUT
    #: Sign-in attempts per client address per minute (each account also locks itself).
    sign_in_per_minute: int = 30
    #: Traveller I-94 look-ups per client address per minute.
    lookups_per_minute: int = 10
    #: The largest upload accepted (a photograph, a fingerprint card, an evidence file).
    max_upload_bytes: int = 10 * 1024 * 1024
    #: How long a biometric capture is held, sealed, for the officer's choice at the 1:N
    #: hit review (issue 13); an older one was abandoned and is swept away.
    held_capture_lifetime: timedelta = timedelta(minutes=30)
