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
