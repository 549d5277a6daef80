"""The link to the central API, and what counts as "the central store is unreachable".

Unreachable means the request did not get a usable answer: the connection was refused or
reset, it timed out, or the server answered 5xx (its database is down or busy). The
workstation then works offline. A 4xx answer is the server's considered refusal (bad
input, no permission, a conflict): that is shown to the officer, never journaled, because
sending the same request later would be refused again.

Only the standard library is used (``urllib``), so a workstation needs nothing beyond
nseers itself.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any


class CentralUnreachableError(Exception):
    """The central API gave no usable answer (refused, reset, timed out, or 5xx)."""


class CentralRefusedError(Exception):
    """The central API answered 4xx: its problem document says why."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code = str(problem.get("code", ""))
        super().__init__(f"{status} {problem.get('title', '')}: "
                         f"{problem.get('detail', '')}".strip())


class CentralLink:
    """JSON over HTTP to the central API, with an officer's bearer token."""

    def __init__(self, base_url: str, token: Callable[[], str] | str | None,
                 timeout_s: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout_s = timeout_s

    def token(self) -> str | None:
        """The bearer token (a callable signs in when first asked)."""
        return self._token() if callable(self._token) else self._token

    def post(self, path: str, body: dict[str, Any], *, idempotency_key: str | None = None,
             authorised: bool = True) -> dict[str, Any]:
        """POST ``body`` to ``path``; the answer's JSON (signing in again once on 401)."""
        try:
            return self._post(path, body, idempotency_key, authorised)
        except CentralRefusedError as error:
            if error.status != 401 or not isinstance(self._token, SignIn):
                raise
            self._token.forget()
            return self._post(path, body, idempotency_key, authorised)

    def _post(self, path: str, body: dict[str, Any], idempotency_key: str | None,
              authorised: bool) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Purpose": "primary inspection at a port workstation"}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if authorised:
            token = self.token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(  # noqa: S310 - the configured central API's URL
            self.base_url + path, data=json.dumps(body).encode(), headers=headers,
            method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                answer: dict[str, Any] = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                raise CentralUnreachableError(f"the central API answered {error.code}") \
                    from error
            raise CentralRefusedError(error.code, _problem(error)) from error
        # URLError, timeouts, refused and reset connections are all OSErrors; a body that
        # is not JSON (a proxy's error page) is no usable answer either.
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise CentralUnreachableError(f"the central API is unreachable: {error}") \
                from error


class SignIn:
    """A token source that signs in on first use and again once its token is refused
    (tokens live 15 minutes; an offline spell is often longer)."""

    def __init__(self, base_url: str, username: str, password: str,
                 timeout_s: float = 5.0) -> None:
        self.username = username
        self._link = CentralLink(base_url, None, timeout_s)
        self._password = password
        self._token: str | None = None

    def __call__(self) -> str:
        if self._token is None:
            answer = self._link.post("/api/v1/auth/token",
                                     {"username": self.username, "password": self._password},
                                     authorised=False)
            self._token = str(answer["access_token"])
        return self._token

    def forget(self) -> None:
        """Drop the token, so that the next request signs in again."""
        self._token = None


def _problem(error: urllib.error.HTTPError) -> dict[str, Any]:
    try:
        problem = json.loads(error.read() or b"{}")
    except (ValueError, OSError):
        return {"title": error.reason}
    return problem if isinstance(problem, dict) else {"title": error.reason}
