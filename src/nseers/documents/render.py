"""Write machine-readable zones: the inverse of :func:`~nseers.documents.mrz.parse_mrz`.

Each ``render_*`` function lays out the fields of one ICAO Doc 9303 format (TD1: Part 5,
TD2: Part 6, TD3: Part 4, MRV-A and MRV-B: Part 7), computes every check digit (Part 3,
4.9) and returns the lines joined by newlines. Names are transliterated and truncated as
:mod:`nseers.documents.names` describes. A document number longer than nine characters is
continued in the optional data on TD1 and TD2 (Parts 5 and 6, note j); the other formats
have no room for one.

Used to make specimen documents for tests, demonstrations and benchmarks, and to show what
the MRZ of a document entered by hand should read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from nseers.documents.checkdigits import ALPHABET, DIGITS, check_digit
from nseers.documents.dates import to_yymmdd
from nseers.documents.layouts import LAYOUTS
from nseers.documents.names import mrz_name

_SEX: Final = {"M": "M", "F": "F", "X": "<", "<": "<", None: "<"}

DateLike = date | str | None


class RenderError(ValueError):
    """A field that the format cannot hold (too long, or characters the MRZ cannot write)."""


def _text(value: str, width: int, field: str) -> str:
    written = value.upper().replace(" ", "<").replace("-", "<")
    if written.strip(ALPHABET):
        raise RenderError(f"{field}: {value!r} holds characters an MRZ cannot write")
    if len(written) > width:
        raise RenderError(f"{field}: {value!r} is longer than {width} characters")
    return written.ljust(width, "<")


def _date(value: DateLike) -> str:
    if isinstance(value, date):
        return to_yymmdd(value.isoformat())
    if value is not None and len(value) == 6:
        return value
    return to_yymmdd(value)


def name_field(surname: str, given_names: str, width: int) -> str:
    """The name field: identifiers, transliterated, padded or truncated to ``width``.

    A truncated field ends in a letter (Doc 9303 Part 3, 4.6), so truncation stays visible:
    when the cut would fall on a filler, the last component before the cut gives up a
    letter so that the next component's initial fits in the last position.
    """
    full = mrz_name(surname, given_names)
    if len(full) <= width:
        return full.ljust(width, "<")
    cut = full[:width]
    if cut[-1] != "<":
        return cut
    base = cut.rstrip("<")
    rest = full[len(base):]
    separator = rest[:len(rest) - len(rest.lstrip("<"))]
    initial = rest.lstrip("<")[:1]
    return base[:width - len(separator) - 1] + separator + initial


def _code(value: str, field: str) -> str:
    if not 1 <= len(value) <= 3 or not value.isalpha() or not value.isascii():
        raise RenderError(f"{field}: {value!r} is not a code of one to three letters")
    return value.upper().ljust(3, "<")


def _number(value: str, optional: str, optional_width: int, *,
            long_allowed: bool) -> tuple[str, str, str]:
    """(number field, its check digit, optional data): long numbers continue in the data."""
    number = value.upper()
    if number.strip(ALPHABET) or not number:
        raise RenderError(f"document_number: {value!r} is not an MRZ document number")
    if len(number) <= 9:
        return number.ljust(9, "<"), DIGITS[check_digit(number)], optional
    if not long_allowed:
        raise RenderError(f"document_number: {value!r} is longer than 9 characters")
    continuation = number[9:] + DIGITS[check_digit(number)] + "<"
    if len(continuation) + len(optional) > optional_width:
        raise RenderError(f"document_number: {value!r} leaves no room in the optional data")
    return number[:9], "<", continuation + optional


def render_td3(*, issuing_state: str, surname: str, given_names: str, document_number: str,
               nationality: str, date_of_birth: DateLike, sex: str | None,
               date_of_expiry: DateLike, personal_number: str = "",
               document_code: str = "P") -> str:
    """A passport's MRZ (Doc 9303 Part 4): two lines of 44 characters."""
    return _two_line("TD3", document_code, issuing_state, surname, given_names,
                     document_number, nationality, date_of_birth, sex, date_of_expiry,
                     personal_number)


def render_td2(*, issuing_state: str, surname: str, given_names: str, document_number: str,
               nationality: str, date_of_birth: DateLike, sex: str | None,
               date_of_expiry: DateLike, optional_data: str = "",
               document_code: str = "I") -> str:
    """A TD2 card's MRZ (Doc 9303 Part 6): two lines of 36 characters."""
    return _two_line("TD2", document_code, issuing_state, surname, given_names,
                     document_number, nationality, date_of_birth, sex, date_of_expiry,
                     optional_data)


def render_mrva(*, issuing_state: str, surname: str, given_names: str, document_number: str,
                nationality: str, date_of_birth: DateLike, sex: str | None,
                date_of_expiry: DateLike, optional_data: str = "",
                document_code: str = "V") -> str:
    """A format-A visa's MRZ (Doc 9303 Part 7): two lines of 44 characters."""
    return _two_line("MRVA", document_code, issuing_state, surname, given_names,
                     document_number, nationality, date_of_birth, sex, date_of_expiry,
                     optional_data)


def render_mrvb(*, issuing_state: str, surname: str, given_names: str, document_number: str,
                nationality: str, date_of_birth: DateLike, sex: str | None,
                date_of_expiry: DateLike, optional_data: str = "",
                document_code: str = "V") -> str:
    """A format-B visa's MRZ (Doc 9303 Part 7): two lines of 36 characters."""
    return _two_line("MRVB", document_code, issuing_state, surname, given_names,
                     document_number, nationality, date_of_birth, sex, date_of_expiry,
                     optional_data)


def _two_line(fmt: str, document_code: str, issuing_state: str, surname: str,
              given_names: str, document_number: str, nationality: str,
              date_of_birth: DateLike, sex: str | None, date_of_expiry: DateLike,
              optional: str) -> str:
    layout = LAYOUTS[fmt]
    width = layout.line_length
    optional_span = layout.field(layout.optional_field)
    optional_width = optional_span.end - optional_span.start
    number, number_check, optional = _number(
        document_number, optional.upper().replace(" ", "<"), optional_width,
        long_allowed=layout.long_document_number)
    line1 = (_text(document_code, 2, "document_code") + _code(issuing_state, "issuing_state")
             + name_field(surname, given_names, width - 5))
    birth, expiry = _date(date_of_birth), _date(date_of_expiry)
    optional_field = _text(optional, optional_width, layout.optional_field)
    line2 = (number + number_check + _code(nationality, "nationality")
             + birth + DIGITS[check_digit(birth)] + _SEX.get(sex, "<")
             + expiry + DIGITS[check_digit(expiry)] + optional_field)
    if fmt == "TD3":
        empty = optional_field == "<" * optional_width
        line2 += "<" if empty else DIGITS[check_digit(optional_field)]
    if layout.composite_column is not None:
        line2 += DIGITS[check_digit(line2[0:10] + line2[13:20] + line2[21:])]
    return f"{line1}\n{line2}"


def render_td1(*, issuing_state: str, surname: str, given_names: str, document_number: str,
               nationality: str, date_of_birth: DateLike, sex: str | None,
               date_of_expiry: DateLike, optional_data: str = "", optional_data_2: str = "",
               document_code: str = "I") -> str:
    """An identity card's MRZ (Doc 9303 Part 5): three lines of 30 characters."""
    number, number_check, optional = _number(
        document_number, optional_data.upper().replace(" ", "<"), 15, long_allowed=True)
    line1 = (_text(document_code, 2, "document_code") + _code(issuing_state, "issuing_state")
             + number + number_check + _text(optional, 15, "optional_data"))
    birth, expiry = _date(date_of_birth), _date(date_of_expiry)
    line2 = (birth + DIGITS[check_digit(birth)] + _SEX.get(sex, "<") + expiry
             + DIGITS[check_digit(expiry)] + _code(nationality, "nationality")
             + _text(optional_data_2, 11, "optional_data_2"))
    line2 += DIGITS[check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])]
    line3 = name_field(surname, given_names, 30)
    return f"{line1}\n{line2}\n{line3}"


def render(mrz_format: str, **fields: str | date | None) -> str:
    """Render ``mrz_format`` (``"TD1"`` ... ``"MRVB"``) from keyword fields."""
    renderers: dict[str, Callable[..., str]] = {
        "TD1": render_td1, "TD2": render_td2, "TD3": render_td3, "MRVA": render_mrva,
        "MRVB": render_mrvb}
    if mrz_format not in renderers:
        raise RenderError(f"unknown MRZ format {mrz_format!r}")
    return renderers[mrz_format](**fields)
