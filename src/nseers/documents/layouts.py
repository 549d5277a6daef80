"""Where each field sits in each machine-readable zone defined by ICAO Doc 9303.

=========  =====  =====================================================================
format     shape  where it is defined
=========  =====  =====================================================================
``TD1``    3x30   Doc 9303 Part 5 (TD1 size machine readable official travel documents)
``TD2``    2x36   Doc 9303 Part 6 (TD2 size machine readable official travel documents)
``TD3``    2x44   Doc 9303 Part 4 (machine readable passports)
``MRVA``   2x44   Doc 9303 Part 7 (machine readable visas, format A)
``MRVB``   2x36   Doc 9303 Part 7 (machine readable visas, format B)
=========  =====  =====================================================================

Positions here are 0-based and end-exclusive, as Python slices are; everything shown to a
person (problems, corrections) is 1-based, as Doc 9303 numbers its character positions.
The parser, the renderer and the OCR corrector all read their positions from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

FieldKind = Literal["document_code", "code", "name", "alnum", "birth", "expiry", "sex",
                    "optional", "check"]


@dataclass(frozen=True, slots=True)
class FieldSpan:
    """One field: its name, line, columns, the kind of characters it holds, its check digit."""

    name: str
    line: int
    start: int
    end: int
    kind: FieldKind
    check_column: int | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one line covered by the composite check digit."""

    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Layout:
    """One MRZ format: its shape, its fields and its composite check digit, if it has one."""

    format: str
    part: str
    line_count: int
    line_length: int
    document_letters: str
    fields: tuple[FieldSpan, ...]
    composite_line: int | None = None
    composite_column: int | None = None
    composite: tuple[Segment, ...] = ()
    #: Whether a document number longer than nine characters may continue in the optional
    #: data, the check digit position holding a filler (Part 5 and Part 6, note j).
    long_document_number: bool = False
    optional_field: str = "optional_data"
    #: Where the optional data of line 2 ends (two-line formats; the parser's fast path).
    optional_end: int = 0

    def field(self, name: str) -> FieldSpan:
        """The span of the field called ``name``."""
        for span in self.fields:
            if span.name == name:
                return span
        raise KeyError(name)

    def kind_at(self, line: int, column: int) -> FieldKind | None:
        """The kind of character expected at a 0-based position."""
        for span in self.fields:
            if span.line == line and span.start <= column < span.end:
                return span.kind
            if span.line == line and span.check_column == column:
                return "check"
        if line == self.composite_line and column == self.composite_column:
            return "check"
        return None

    def field_at(self, line: int, column: int) -> str:
        """The name of the field at a 0-based position (a check digit belongs to its field)."""
        for span in self.fields:
            if span.line == line and (span.start <= column < span.end
                                      or span.check_column == column):
                return span.name
        if line == self.composite_line and column == self.composite_column:
            return "composite"
        return "filler"


def _two_line(fmt: str, part: str, length: int, letters: str, *,
              optional_check: bool, composite: bool, long_number: bool) -> Layout:
    optional_end = length - (1 if composite else 0) - (1 if optional_check else 0)
    fields = (
        FieldSpan("document_code", 0, 0, 2, "document_code"),
        FieldSpan("issuing_state", 0, 2, 5, "code"),
        FieldSpan("name", 0, 5, length, "name"),
        FieldSpan("document_number", 1, 0, 9, "alnum", 9),
        FieldSpan("nationality", 1, 10, 13, "code"),
        FieldSpan("date_of_birth", 1, 13, 19, "birth", 19),
        FieldSpan("sex", 1, 20, 21, "sex"),
        FieldSpan("date_of_expiry", 1, 21, 27, "expiry", 27),
        FieldSpan("personal_number" if optional_check else "optional_data", 1, 28,
                  optional_end, "optional", optional_end if optional_check else None),
    )
    segments: tuple[Segment, ...] = ()
    if composite:
        segments = (Segment(1, 0, 10), Segment(1, 13, 20), Segment(1, 21, length - 1))
    return Layout(fmt, part, 2, length, letters, fields,
                  composite_line=1 if composite else None,
                  composite_column=length - 1 if composite else None,
                  composite=segments, long_document_number=long_number,
                  optional_field="personal_number" if optional_check else "optional_data",
                  optional_end=optional_end)


TD3: Final = _two_line("TD3", "ICAO Doc 9303 Part 4", 44, "P", optional_check=True,
                       composite=True, long_number=False)
TD2: Final = _two_line("TD2", "ICAO Doc 9303 Part 6", 36, "ACI", optional_check=False,
                       composite=True, long_number=True)
MRVA: Final = _two_line("MRVA", "ICAO Doc 9303 Part 7", 44, "V", optional_check=False,
                        composite=False, long_number=False)
MRVB: Final = _two_line("MRVB", "ICAO Doc 9303 Part 7", 36, "V", optional_check=False,
                        composite=False, long_number=False)
TD1: Final = Layout(
    "TD1", "ICAO Doc 9303 Part 5", 3, 30, "ACI",
    (
        FieldSpan("document_code", 0, 0, 2, "document_code"),
        FieldSpan("issuing_state", 0, 2, 5, "code"),
        FieldSpan("document_number", 0, 5, 14, "alnum", 14),
        FieldSpan("optional_data", 0, 15, 30, "optional"),
        FieldSpan("date_of_birth", 1, 0, 6, "birth", 6),
        FieldSpan("sex", 1, 7, 8, "sex"),
        FieldSpan("date_of_expiry", 1, 8, 14, "expiry", 14),
        FieldSpan("nationality", 1, 15, 18, "code"),
        FieldSpan("optional_data_2", 1, 18, 29, "optional"),
        FieldSpan("name", 2, 0, 30, "name"),
    ),
    composite_line=1, composite_column=29,
    composite=(Segment(0, 5, 30), Segment(1, 0, 7), Segment(1, 8, 15), Segment(1, 18, 29)),
    long_document_number=True,
)

LAYOUTS: Final = {layout.format: layout for layout in (TD1, TD2, TD3, MRVA, MRVB)}

#: The shapes an MRZ may have: (number of lines, characters per line) -> formats.
SHAPES: Final = {(3, 30): ("TD1",), (2, 36): ("TD2", "MRVB"), (2, 44): ("TD3", "MRVA")}


def layout_for(line_count: int, line_length: int, first_character: str) -> Layout | None:
    """The layout of an MRZ of this shape whose document code starts with this character.

    A two-line MRZ is a visa when its document code starts with ``V``; otherwise it is the
    passport (2x44) or the TD2 card (2x36) of that shape.
    """
    formats = SHAPES.get((line_count, line_length))
    if formats is None:
        return None
    if len(formats) == 1:
        return LAYOUTS[formats[0]]
    return LAYOUTS[formats[1]] if first_character == "V" else LAYOUTS[formats[0]]


def position(line: int, first: int, last: int | None = None) -> str:
    """A 1-based position as a person reads it: ``"line 2, columns 1-9"``.

    ``line`` and the columns are 0-based here and shown 1-based.
    """
    if last is None or last == first:
        return f"line {line + 1}, column {first + 1}"
    return f"line {line + 1}, columns {first + 1}-{last + 1}"
