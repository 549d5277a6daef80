"""What stands in front of every API request (issue 16), as pure ASGI middleware.

* :class:`BodyLimit`: a body larger than the limit is refused with 413 before it is read:
  at once when ``Content-Length`` says so, and as soon as a chunked body passes the limit.
* :class:`LoadShedder`: at most ``max_active`` writes run at once and at most
  ``max_waiting`` wait for a turn; beyond that, and for any request that is not answered
  within its deadline, the answer is 503 with ``Retry-After``, at once, instead of latency
  that grows without limit while a database hangs. A write answered 503 after its
  deadline may still complete: retry it with the same ``Idempotency-Key`` and it is
  recorded once. ``/api/health`` keeps its own (shorter) deadline.
* :class:`ResponseHeaders`: answers may carry personal data, so none is cached
  (``Cache-Control: no-store``) or content-sniffed (``X-Content-Type-Options: nosniff``),
  and every answer carries its request id (``X-Request-ID``, the client's own if it sent a
  sane one), which every log line of the request names too (:mod:`nseers.logs`).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nseers.api.problems import problem
from nseers.logs import request_id

WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._-]{8,64}")


class BodyTooLarge(Exception):  # noqa: N818 - named for the HTTP status it answers
    """A request body past the limit (raised while reading a chunked body)."""


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, before reading them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_bytes:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0
        started = False

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(413, "body-too-large", "Request body too large",
                           f"the request body is over {self.max_bytes} bytes",
                           headers={"Connection": "close"})
        await response(scope, receive, send)


class LoadShedder:
    """Bounded concurrency and a queue for writes, and a deadline for every API request."""

    def __init__(self, app: ASGIApp, *, max_active: int, max_waiting: int,
                 deadline_s: float, prefix: str = "/api/v1") -> None:
        self.app = app
        self.max_waiting = max_waiting
        self.deadline_s = deadline_s
        self.prefix = prefix
        self._turns = asyncio.Semaphore(max_active)
        self._waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.deadline_s
        write = scope.get("method") in WRITE_METHODS
        if write:
            if self._waiting >= self.max_waiting:
                await _busy(scope, receive, send, "too many writes are waiting")
                return
            self._waiting += 1
            try:
                await asyncio.wait_for(self._turns.acquire(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                await _busy(scope, receive, send, "no turn came before the deadline")
                return
            finally:
                self._waiting -= 1
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, tracking),
                                   max(0.0, deadline - loop.time()))
        except TimeoutError:
            if not started:
                await _busy(scope, receive, send, "the request ran past its deadline")
        finally:
            if write:
                self._turns.release()


async def _busy(scope: Scope, receive: Receive, send: Send, why: str) -> None:
    response = problem(503, "unavailable", "Service unavailable",
                       f"the registry is busy or its database is not answering ({why}); "
                       f"retry later, with the same Idempotency-Key for a write",
                       headers={"Retry-After": "1"})
    await response(scope, receive, send)


class ResponseHeaders:
    """No caching, no sniffing, and the request id on every answer (and log line)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for n, v in scope.get("headers", ())
                      if n == b"x-request-id"), "")
        ident = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        token = request_id.set(ident)
        is_page = not str(scope.get("path", "")).startswith("/api/")

        async def adding(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"cache-control" not in names and not (
                        is_page and str(scope.get("path", "")).startswith("/static")):
                    headers.append((b"cache-control", b"no-store"))
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"x-request-id", ident.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, adding)
        finally:
            request_id.reset(token)
