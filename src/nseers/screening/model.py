"""The vocabulary of screening: a listed person, a query, a candidate and its explanation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nseers.core.errors import FieldProblem, InvalidInputError

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date of birth as lists give it: a year, a year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``"1970"``, ``"1970-05"`` or ``"1970-05-17"``; anything else is an error."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise ValueError(f"not a date: {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None  # noqa: S101 -- the pattern requires four digits
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"not a date: {text!r} (month {month})")
        if day is not None and not 1 <= day <= 31:
            raise ValueError(f"not a date: {text!r} (day {day})")
        return cls(year, month, day)

    @property
    def is_full(self) -> bool:
        """Whether day, month and year are all known."""
        return self.day is not None and self.month is not None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """One person on a watchlist, in every spelling and script the list gives.

    ``id`` is the list's own identifier and must be unique within the loaded lists:
    candidates, explanations and adjudications refer to it.
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    dates_of_birth: tuple[PartialDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    list_name: str = ""
    reason: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The primary name first, then the aliases, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    def to_dict(self) -> dict[str, Any]:
        """The person as stored in a list version and shown to a secondary officer."""
        return {"id": self.id, "name": self.name, "aliases": list(self.aliases),
                "dates_of_birth": [str(d) for d in self.dates_of_birth],
                "nationalities": list(self.nationalities), "list": self.list_name,
                "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListedPerson:
        """The inverse of :meth:`to_dict`."""
        return cls(id=data["id"], name=data["name"], aliases=tuple(data.get("aliases", ())),
                   dates_of_birth=tuple(PartialDate.parse(d)
                                        for d in data.get("dates_of_birth", ())),
                   nationalities=tuple(data.get("nationalities", ())),
                   list_name=data.get("list", ""), reason=data.get("reason", ""))


@dataclass(frozen=True, slots=True)
class ScreeningQuery:
    """Who is being screened: a name, and the date of birth and nationality if known."""

    id: str
    name: str
    date_of_birth: PartialDate | None = None
    nationality: str | None = None

    @classmethod
    def from_dict(cls, data: Any, where: str = "query") -> ScreeningQuery:
        """A query from ``{"id", "name", "date_of_birth", "nationality"}``; bad fields named."""
        if not isinstance(data, dict):
            raise InvalidInputError([FieldProblem(where, "expected a JSON object")])
        problems: list[FieldProblem] = []
        unknown = set(data) - {"id", "name", "date_of_birth", "nationality"}
        problems.extend(FieldProblem(f"{where}.{key}", "unknown field") for key in sorted(unknown))
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(FieldProblem(f"{where}.name", "required, a non-empty string"))
        dob: PartialDate | None = None
        raw_dob = data.get("date_of_birth")
        if raw_dob not in (None, ""):
            try:
                dob = PartialDate.parse(str(raw_dob))
            except ValueError as error:
                problems.append(FieldProblem(f"{where}.date_of_birth", str(error)))
        nationality = data.get("nationality")
        if nationality is not None and not isinstance(nationality, str):
            problems.append(FieldProblem(f"{where}.nationality", "expected a country code"))
        if problems:
            raise InvalidInputError(problems)
        return cls(id=str(data.get("id", "")), name=str(name),
                   date_of_birth=dob, nationality=nationality or None)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed person the query may be, with its score in 0..1 and why."""

    listed_id: str
    score: float
    match: bool
    explanation: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The CLI's and the API's candidate: ``id``, ``score``, ``match``, ``explanation``."""
        return {"id": self.listed_id, "score": round(self.score, 4), "match": self.match,
                "explanation": self.explanation}
