"""What reading a machine-readable zone gives back: the fields, a verdict, and every problem.

A problem names the field, the 1-based position as ICAO Doc 9303 numbers character
positions ("line 2, columns 1-9"), and what failed ("check digit ... does not match"), so
that an officer can look at the very characters at fault. A correction, made in tolerant
mode only, says what was read, what it became, and what confirmed the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from nseers.core.errors import FieldProblem
from nseers.documents.layouts import position

#: What confirmed a tolerant-mode correction.
CorrectionBasis = Literal["check digit", "composite check digit", "country code",
                          "character class", "line length"]

FieldValue = str | bool | None


@dataclass(frozen=True, slots=True)
class MrzProblem:
    """One fault: the field, its position (0-based here, 1-based when shown) and why."""

    field: str
    line: int
    first_column: int
    last_column: int
    message: str

    @property
    def position(self) -> str:
        """Where the fault is, 1-based: ``"line 2, columns 1-9"``; empty for the whole text."""
        if self.line < 0:
            return ""
        return position(self.line, self.first_column, self.last_column)

    def to_dict(self) -> dict[str, str]:
        """``field``, ``position`` and ``message``, for JSON."""
        return {"field": self.field, "position": self.position, "message": self.message}

    def to_field_problem(self) -> FieldProblem:
        """The same fault as the :class:`~nseers.core.errors.FieldProblem` other layers use."""
        where = f"{self.position}: " if self.position else ""
        return FieldProblem(self.field, where + self.message)

    def __str__(self) -> str:
        return str(self.to_field_problem())


@dataclass(frozen=True, slots=True)
class Correction:
    """One character changed in tolerant mode: where, from what, to what, confirmed how."""

    field: str
    line: int
    column: int
    read: str
    corrected: str
    basis: CorrectionBasis

    @property
    def position(self) -> str:
        """Where the character is, 1-based: ``"line 2, column 10"``."""
        return position(self.line, self.column)

    def to_dict(self) -> dict[str, str]:
        """``field``, ``position``, ``read``, ``corrected`` and ``basis``, for JSON."""
        return {"field": self.field, "position": self.position, "read": self.read,
                "corrected": self.corrected, "basis": self.basis}


class MrzReading:
    """The result of reading one MRZ.

    ``format`` is ``"TD1"``, ``"TD2"``, ``"TD3"``, ``"MRVA"`` or ``"MRVB"``, or ``None`` when
    the text has no MRZ shape at all (then nothing else could be read). ``valid`` holds only
    when every check digit holds and every field is well formed. ``fields`` holds the values
    with fillers removed and dates as ISO strings (``None`` when unknown or malformed);
    ``names_truncated`` is true when the name field ends in a letter, which is how Doc 9303
    Part 3, 4.6 marks truncation (a name that fills its field exactly looks the same).
    ``check_digits`` holds each check digit's verdict by the field it protects.
    """

    __slots__ = ("check_digits", "confidence", "corrections", "fields", "format", "lines",
                 "problems", "reference_date")

    def __init__(self, mrz_format: str | None, lines: tuple[str, ...],
                 fields: dict[str, FieldValue], check_digits: dict[str, bool],
                 problems: tuple[MrzProblem, ...] | list[MrzProblem],
                 corrections: tuple[Correction, ...] = (), *,
                 reference_date: date | None = None, confidence: float | None = None) -> None:
        self.format = mrz_format
        self.lines = lines
        self.fields = fields
        self.check_digits = check_digits
        self.problems = tuple(problems)
        self.corrections = corrections
        self.reference_date = reference_date
        self.confidence = confidence

    @property
    def expired(self) -> bool | None:
        """Whether the document expired before the reference date (``None``: no expiry)."""
        expiry = self.fields.get("date_of_expiry")
        if not isinstance(expiry, str) or self.reference_date is None:
            return None
        return expiry < self.reference_date.isoformat()

    @property
    def valid(self) -> bool:
        """Whether the MRZ was read and every check digit and field holds."""
        return self.format is not None and not self.problems

    def with_confidence(self, confidence: float) -> MrzReading:
        """The same reading, with the confidence of the image it was read from."""
        return MrzReading(self.format, self.lines, self.fields, self.check_digits,
                          self.problems, self.corrections,
                          reference_date=self.reference_date, confidence=confidence)

    def to_dict(self) -> dict[str, Any]:
        """The reading as JSON-ready data (``confidence`` only for a reading from an image)."""
        data: dict[str, Any] = {
            "format": self.format,
            "valid": self.valid,
            "fields": dict(self.fields),
            "check_digits": dict(self.check_digits),
            "problems": [p.to_dict() for p in self.problems],
            "corrections": [c.to_dict() for c in self.corrections],
            "expired": self.expired,
            "lines": list(self.lines),
        }
        if self.confidence is not None:
            data["confidence"] = round(self.confidence, 3)
        return data

    def __repr__(self) -> str:
        return (f"MrzReading(format={self.format!r}, valid={self.valid}, "
                f"problems={len(self.problems)}, corrections={len(self.corrections)})")
