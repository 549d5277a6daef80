"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal has ``type``, ``title``, ``status`` and ``detail``; invalid input adds
``errors``, a list of ``{path, message}`` naming each bad field the way the services and
the case parser do (``person.surname``, ``documents[0].issuer``); a conflict adds its
stable ``code``. An unexpected failure is logged here, on the server, and answered with a
generic 500 that carries no stack trace, SQL or data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nseers.core.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    NotFoundError,
)
from nseers.services.accounts import AuthenticationError

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
TYPE_PREFIX: Final = "urn:nseers:problem:"
logger = logging.getLogger("nseers.api")


class ProblemResponse(JSONResponse):
    """A JSON response with the problem details media type."""

    media_type = PROBLEM_MEDIA_TYPE


class Unauthenticated(Exception):  # noqa: N818 - named for the HTTP status it answers
    """No token, or a token that is not genuine or has expired."""

    def __init__(self, detail: str, *, invalid_token: bool = False) -> None:
        self.detail = detail
        self.invalid_token = invalid_token
        super().__init__(detail)


class RateLimited(Exception):  # noqa: N818 - named for the HTTP status it answers
    """Too many requests from one client address."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"retry after {retry_after} s")


def problem(status: int, slug: str, title: str, detail: str, *,
            errors: Sequence[FieldProblem] | None = None, code: str | None = None,
            headers: dict[str, str] | None = None,
            extensions: dict[str, Any] | None = None) -> ProblemResponse:
    """A problem details response; ``extensions`` are further members (RFC 9457 3.2)."""
    body: dict[str, Any] = {"type": TYPE_PREFIX + slug, "title": title, "status": status,
                            "detail": detail} | (extensions or {})
    if errors is not None:
        body["errors"] = [{"path": e.path, "message": e.message} for e in errors]
    if code is not None:
        body["code"] = code
    return ProblemResponse(body, status_code=status, headers=headers)


def invalid_input(problems: Sequence[FieldProblem]) -> ProblemResponse:
    """422 naming every bad field."""
    return problem(422, "invalid-input", "Invalid input",
                   "; ".join(str(p) for p in problems) or "the request is invalid",
                   errors=problems)


def _location_path(location: Sequence[str | int]) -> str:
    """``("body", "documents", 0, "issuer")`` -> ``documents[0].issuer``; query, path and
    header parameters keep their location: ``query.as_of``."""
    parts = list(location)
    prefix = ""
    if parts and parts[0] == "body":
        parts = parts[1:]
    elif parts and parts[0] in ("query", "path", "header", "cookie"):
        prefix = f"{parts.pop(0)}."
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return prefix + path if path else (prefix.rstrip(".") or "body")


async def _request_validation(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, RequestValidationError)  # noqa: S101 - registered for this type
    problems = []
    for item in error.errors():
        if item.get("type") == "json_invalid":
            problems.append(FieldProblem("body", "not valid JSON"))
            continue
        problems.append(FieldProblem(_location_path(item.get("loc", ())),
                                     str(item.get("msg", "invalid"))))
    return invalid_input(problems)


async def _invalid_input(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, InvalidInputError)  # noqa: S101 - registered for this type
    return invalid_input(error.problems)


async def _not_found(_: Request, error: Exception) -> ProblemResponse:
    return problem(404, "not-found", "Not found", str(error))


async def _conflict(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, ConflictError)  # noqa: S101 - registered for this type
    if isinstance(error, IdempotencyKeyReusedError):
        return problem(422, "idempotency-key-reused", "Idempotency key reused", str(error),
                       errors=[FieldProblem("header.Idempotency-Key", str(error))],
                       code=error.code)
    return problem(409, "conflict", "Conflict", str(error), code=error.code)


async def _forbidden(_: Request, error: Exception) -> ProblemResponse:
    return problem(403, "forbidden", "Forbidden", str(error))


def _challenge(error: str | None = None) -> dict[str, str]:
    value = 'Bearer realm="nseers"' + (f', error="{error}"' if error else "")
    return {"WWW-Authenticate": value}


async def _unauthenticated(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, Unauthenticated)  # noqa: S101 - registered for this type
    return problem(401, "unauthenticated", "Sign-in required", error.detail,
                   headers=_challenge("invalid_token" if error.invalid_token else None))


async def _authentication(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, AuthenticationError)  # noqa: S101 - registered for this type
    headers = _challenge()
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return problem(401, "sign-in-refused", "Sign-in refused", str(error), code=error.code,
                   headers=headers)


async def _rate_limited(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, RateLimited)  # noqa: S101 - registered for this type
    return problem(429, "rate-limited", "Too many requests",
                   f"too many requests from this address; retry after {error.retry_after} s",
                   headers={"Retry-After": str(error.retry_after)})


async def _http(_: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, HTTPException)  # noqa: S101 - registered for this type
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
    return problem(error.status_code, "http", title, str(error.detail),
                   headers=dict(error.headers or {}))


async def _data_error(request: Request, error: Exception) -> ProblemResponse:
    # A value the database refuses (too long, out of range, a NUL character): the input's
    # fault, but which field the database does not say in a form worth passing on.
    logger.warning("database refused a value on %s %s: %s", request.method, request.url.path,
                   type(error).__name__)
    return problem(422, "invalid-input", "Invalid input",
                   "a value is too long, out of range or contains characters the registry "
                   "cannot store", errors=[])


async def _unavailable(request: Request, error: Exception) -> ProblemResponse:
    logger.error("database unavailable on %s %s: %s", request.method, request.url.path,
                 error.__class__.__name__)
    return problem(503, "unavailable", "Service unavailable",
                   "the registry's database is busy or unreachable; try again",
                   headers={"Retry-After": "1"})


def install_handlers(app: FastAPI) -> None:
    """Answer every known error as problem details; catch the rest in :class:`CatchAll`."""
    handlers: list[tuple[type[Exception], Any]] = [
        (RequestValidationError, _request_validation),
        (InvalidInputError, _invalid_input),
        (NotFoundError, _not_found),
        (ConflictError, _conflict),
        (ForbiddenError, _forbidden),
        (Unauthenticated, _unauthenticated),
        (AuthenticationError, _authentication),
        (RateLimited, _rate_limited),
        (HTTPException, _http),
        (DataError, _data_error),
        (OperationalError, _unavailable),
    ]
    for kind, handler in handlers:
        app.add_exception_handler(kind, handler)
    app.add_middleware(CatchAll)


class CatchAll:
    """Log any unhandled exception and answer a generic 500 problem instead.

    Pure ASGI, so it costs nothing per request; if the response has already started there
    is nothing to replace, and the exception goes on to the server.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = problem(500, "internal", "Internal error",
                               "the server could not answer this request; it has been logged")
            await response(scope, receive, send)
