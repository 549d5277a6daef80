"""Posted forms: typed reads that collect every problem, and what a page shows back.

A :class:`Form` keeps exactly what was typed, so a page re-rendered after an error loses
nothing, and collects field-level messages under the form's own field names. Problems a
service reports by their path (``person.surname``, ``documents[0].issuer``) are placed on
the form's fields by a per-screen mapping; a problem no field owns goes to the summary at
the top of the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from starlette.datastructures import FormData, UploadFile

from nseers.core.errors import FieldProblem, InvalidInputError

PathMapper = Callable[[str], str | None]
_INDEX = re.compile(r"\[\d+\]")


class Form:
    """The values a form was posted with (or prefilled with) and the problems found."""

    def __init__(self, values: Mapping[str, str] | None = None,
                 lists: Mapping[str, list[str]] | None = None,
                 files: Mapping[str, list[UploadFile]] | None = None) -> None:
        self.values: dict[str, str] = dict(values or {})
        self.lists: dict[str, list[str]] = {k: list(v) for k, v in (lists or {}).items()}
        self.files: dict[str, list[UploadFile]] = {k: list(v) for k, v in (files or {}).items()}
        self.errors: dict[str, list[str]] = {}
        #: Problems that belong to no single field, shown in the summary only.
        self.general: list[str] = []

    @classmethod
    def posted(cls, data: FormData) -> Form:
        """A form from a request's body: text fields as typed, files kept aside."""
        values: dict[str, str] = {}
        lists: dict[str, list[str]] = {}
        files: dict[str, list[UploadFile]] = {}
        for key, value in data.multi_items():
            if isinstance(value, str):
                values.setdefault(key, value)
                lists.setdefault(key, []).append(value)
            elif value.filename:
                files.setdefault(key, []).append(value)
        return cls(values, lists, files)

    # ----------------------------------------------------------------- reading
    def raw(self, name: str) -> str:
        """The value as typed, or an empty string."""
        return self.values.get(name, "")

    def text(self, name: str, *, required: bool = False, upper: bool = False) -> str | None:
        """The value without surrounding spaces; ``None`` when empty."""
        value = self.raw(name).strip()
        if not value:
            if required:
                self.add(name, "required")
            return None
        return value.upper() if upper else value

    def day(self, name: str, *, required: bool = False) -> date | None:
        """A date typed as YYYY-MM-DD (what a date input posts)."""
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.add(name, f"not a date: {value!r} (expected YYYY-MM-DD)")
            return None

    def moment(self, name: str, *, required: bool = False) -> datetime | None:
        """A date and time typed in a ``datetime-local`` input, read as UTC."""
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.add(name, f"not a date and time: {value!r} (expected YYYY-MM-DDTHH:MM)")
            return None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment

    def flag(self, name: str) -> bool:
        """Whether a checkbox was ticked."""
        return bool(self.raw(name))

    def number(self, name: str, *, minimum: float = 0) -> float | None:
        """A non-negative number, or ``None`` when empty."""
        value = self.text(name)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.add(name, f"not a number: {value!r}")
            return None
        if number < minimum:
            self.add(name, f"must be at least {minimum:g}")
            return None
        return number

    def integer(self, name: str, *, default: int | None = None) -> int | None:
        """A whole number, or ``default`` when empty."""
        value = self.text(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            self.add(name, f"not a whole number: {value!r}")
            return default

    def choice(self, name: str, choices: Iterable[str], *, required: bool = False) -> str | None:
        """One of ``choices``."""
        value = self.text(name, required=required)
        allowed = list(choices)
        if value is not None and value not in allowed:
            self.add(name, f"must be one of {', '.join(allowed)}")
            return None
        return value

    def codes(self, name: str) -> tuple[str, ...]:
        """A list of codes typed with commas or spaces between them (``IRN, CAN``)."""
        return tuple(code for code in re.split(r"[\s,;]+", self.raw(name).upper()) if code)

    def many(self, name: str) -> list[str]:
        """Every value posted under ``name`` (ticked checkboxes)."""
        return [v for v in self.lists.get(name, []) if v]

    # ---------------------------------------------------------------- problems
    def add(self, name: str, message: str) -> None:
        """A problem with the field ``name``."""
        messages = self.errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    def absorb(self, problems: Iterable[FieldProblem], mapper: PathMapper) -> None:
        """Place a service's problems on the fields ``mapper`` names (else the summary)."""
        for problem in problems:
            name = mapper(problem.path)
            if name is None:
                self.general.append(str(problem))
            else:
                self.add(name, problem.message)

    def absorb_error(self, error: InvalidInputError, mapper: PathMapper) -> None:
        """Place every problem of ``error``."""
        self.absorb(error.problems, mapper)

    @property
    def has_errors(self) -> bool:
        """Whether any problem was found."""
        return bool(self.errors or self.general)

    def problem_count(self) -> int:
        """How many problems the summary lists."""
        return sum(len(m) for m in self.errors.values()) + len(self.general)

    def with_values(self, **values: Any) -> Form:
        """This form with some values replaced (prefilled from a reading, say)."""
        for key, value in values.items():
            self.values[key] = "" if value is None else str(value)
        return self


def direct(names: Iterable[str], aliases: Mapping[str, str] | None = None) -> PathMapper:
    """A mapper for forms whose field names are the service's paths (indexes ignored)."""
    known = set(names)
    alias = dict(aliases or {})

    def mapper(path: str) -> str | None:
        plain = _INDEX.sub("", path)
        for candidate in (path, plain, plain.rsplit(".", 1)[-1]):
            if candidate in alias:
                return alias[candidate]
            if candidate in known:
                return candidate
        return None
    return mapper
