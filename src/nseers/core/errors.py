"""Errors every layer shares.

An input error names each bad field by its path (``traveler.date_of_birth``) and says why,
so that a user can fix all of them at once instead of one per try.
"""

from __future__ import annotations

from dataclasses import dataclass


class NseersError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One bad field: where it is and what is wrong with it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidInputError(NseersError):
    """Input that cannot be evaluated; carries every problem found, not just the first."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


class PolicyError(NseersError):
    """Policy data that breaks the rules of the policy format (see ``nseers policy validate``)."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


class NotFoundError(NseersError):
    """A record the request names does not exist (or is not visible to the caller)."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"no {what} {key}")


class ConflictError(NseersError):
    """A write that conflicts with the record's current state; nothing was written.

    ``code`` is stable and machine-readable (``already_decided``, ``no_open_arrival``,
    ``concurrent_update``...); the message says what happened in words.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class IdempotencyKeyReusedError(ConflictError):
    """An idempotency key sent again with a different request."""

    def __init__(self, key: str) -> None:
        super().__init__("idempotency_key_reused",
                         f"idempotency key {key!r} was already used for a different request")


class ForbiddenError(NseersError):
    """The signed-in user's role does not allow the operation."""

    def __init__(self, role: str, permission: str) -> None:
        self.role = role
        self.permission = permission
        super().__init__(f"the role {role} may not {permission.replace('_', ' ')}")


class SecondReviewerRequiredError(ForbiddenError):
    """A decision that must be taken by someone other than the user who asked for it."""

    def __init__(self, username: str, what: str) -> None:
        self.role = ""
        self.permission = ""
        self.username = username
        NseersError.__init__(self, f"{what} was requested by {username}; a second user must "
                                   f"review it (the requester may not approve their own "
                                   f"request)")
