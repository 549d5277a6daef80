"""Read and validate a machine-readable zone: ICAO Doc 9303 Parts 3 to 7.

:func:`parse_mrz` takes the text of an MRZ (two or three lines), tells its format from its
shape and document code, reads every field, and checks every check digit, every code, date
and character class. It never raises on bad input: whatever is wrong comes back as
:class:`~nseers.documents.reading.MrzProblem` entries naming the field, the 1-based position
and the check that failed. The function is pure: dates are read against the reference date
the caller passes, never the clock.

The path taken by a well-formed MRZ is kept short (slices, ``bytes.translate`` and ``sum``
for the check digits, cached date conversions, set look-ups for the codes), because a port
reads MRZs in bulk: the target is 100,000 valid passports a second on one core. Everything
that explains a fault runs only once a fault is found.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from nseers.documents.checkdigits import (
    ALPHABET,
    DIGITS,
    LETTERS,
    LETTERS_AND_FILLER,
    VALUES,
    WEIGHTED,
    check_digit,
)
from nseers.documents.dates import read_birth, read_expiry
from nseers.documents.layouts import (
    MRVA,
    MRVB,
    SHAPES,
    TD1,
    TD2,
    TD3,
    Layout,
    layout_for,
    position,
)
from nseers.documents.reading import Correction, FieldValue, MrzProblem, MrzReading
from nseers.documents.states import MRZ_CODES, SPECIMEN_CODES

_T7, _T3, _T1 = WEIGHTED
_SEXES: Final = {"M": "M", "F": "F", "<": "X", "X": "X"}
_TWO_LINE_LAYOUTS: Final = {(44, False): TD3, (44, True): MRVA, (36, False): TD2,
                            (36, True): MRVB}
_SPECIMEN_FIELDS: Final = frozenset(code.ljust(3, "<") for code in SPECIMEN_CODES)
_EMPTY_PERSONAL_NUMBER: Final = "<" * 14
_MAX_CHARACTER_PROBLEMS: Final = 12
_ALPHABET_BYTES: Final = ALPHABET.encode("ascii")
_LETTERS_AND_FILLER_BYTES: Final = LETTERS_AND_FILLER.encode("ascii")
#: Character values for check digits (Doc 9303 Part 3, 4.9) as a byte translation table;
#: a character outside the MRZ alphabet counts 0, as in :data:`WEIGHTED`.
_VALUES: Final = bytes(VALUES.get(chr(byte), 0) for byte in range(256))

#: A date with its check digit, read: (ISO date, problem, check digit holds, composite share).
_DateEntry = tuple[str | None, str | None, bool, int]
#: Per reference date: the dates of birth, then of expiry, by their seven characters.
_DATE_CACHES: dict[date, tuple[dict[str, _DateEntry], dict[str, _DateEntry]]] = {}
_DATE_CACHE_LIMIT: Final = 50_000


def parse_mrz(text: str, *, reference_date: date, tolerant: bool = False,
              allow_specimens: bool = False) -> MrzReading:
    """Read the MRZ in ``text`` and check it; never raises for bad input.

    ``reference_date`` fixes the century of the dates (see :mod:`nseers.documents.dates`)
    and whether the document has expired. ``tolerant`` proposes corrections of the usual OCR
    confusions and keeps only those the check digits confirm (see
    :mod:`nseers.documents.tolerant`). ``allow_specimens`` accepts ``UTO``, the fictitious
    state of the Doc 9303 specimens, as an issuing state and nationality.
    """
    if tolerant:
        from nseers.documents.tolerant import read_tolerantly  # noqa: PLC0415  # cycle

        return read_tolerantly(text, reference_date=reference_date,
                               allow_specimens=allow_specimens)
    lines = text.split()
    if len(lines) == 2:
        first, second = lines
        layout = _TWO_LINE_LAYOUTS.get((len(first), first[0] == "V"))
        if layout is not None and len(second) == len(first):
            return _read_two_line(layout, first, second, reference_date, allow_specimens, ())
    elif len(lines) == 3 and len(lines[0]) == len(lines[1]) == len(lines[2]) == 30:
        return read_lines(TD1, lines, reference_date=reference_date,
                          allow_specimens=allow_specimens)
    return diagnose_shape(text)


def mrz_lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, without surrounding whitespace."""
    return [stripped for line in text.splitlines() if (stripped := line.strip())]


def diagnose_shape(text: str) -> MrzReading:
    """A reading with no format, saying why ``text`` has no MRZ shape."""
    lines = mrz_lines(text)
    problems: list[MrzProblem] = []
    expected = "an MRZ has 2 lines of 36 or 44 characters, or 3 lines of 30"
    if not lines:
        problems.append(MrzProblem("mrz", -1, 0, 0, f"no text: {expected}"))
    elif len(lines) not in (2, 3):
        problems.append(MrzProblem("mrz", -1, 0, 0, f"{len(lines)} lines: {expected}"))
    else:
        lengths = [length for count, length in SHAPES if count == len(lines)]
        target = min(lengths,
                     key=lambda length: sum(abs(len(line) - length) for line in lines))
        layout = layout_for(len(lines), target, lines[0][0])
        name = layout.format if layout else "this shape"
        for index, line in enumerate(lines):
            if len(line) != target:
                problems.append(MrzProblem(
                    "mrz", index, 0, max(len(line) - 1, 0),
                    f"{len(line)} characters: {name} lines have {target}"))
            problems.extend(_character_problems(layout, index, line))
    return MrzReading(None, tuple(lines), {}, {}, problems)


def read_lines(layout: Layout, lines: list[str] | tuple[str, ...], *, reference_date: date,
               allow_specimens: bool = False,
               corrections: tuple[Correction, ...] = ()) -> MrzReading:
    """Read lines already known to have ``layout``'s shape, and check every field."""
    if layout is TD1:
        problems = _character_problems_of(layout, lines)
        fields, checks = _read_td1(lines[0], lines[1], lines[2], reference_date, problems)
        if lines[0][2:5] not in MRZ_CODES or lines[1][15:18] not in MRZ_CODES:
            _check_codes(layout, fields, problems, allow_specimens=allow_specimens)
        return MrzReading(layout.format, tuple(lines), fields, checks, problems, corrections,
                          reference_date=reference_date)
    return _read_two_line(layout, lines[0], lines[1], reference_date, allow_specimens,
                          corrections)


def _character_problems_of(layout: Layout, lines: list[str] | tuple[str, ...]
                           ) -> list[MrzProblem]:
    """A problem for each character outside the MRZ alphabet (the first dozen)."""
    problems: list[MrzProblem] = []
    for index, line in enumerate(lines):
        if line.strip(ALPHABET):
            problems.extend(_character_problems(layout, index, line))
    return problems[:_MAX_CHARACTER_PROBLEMS]


def check_verdicts(layout: Layout, lines: list[str] | tuple[str, ...]) -> dict[str, bool]:
    """Each check digit's verdict, keyed by the field it protects (``composite`` included)."""
    if layout is TD1:
        return _td1_verdicts(lines[0], lines[1])
    return _two_line_verdicts(layout, lines[1])


def _two_line_verdicts(layout: Layout, l2: str) -> dict[str, bool]:
    end = layout.composite_column
    # With a composite check digit, the fields are read from the composite's own run
    # (line 2, columns 1-10, 14-20, 22-end): the composite then costs three sums, not nine.
    # Offsets in that run: number 0-8, birth 10-15, expiry 17-22, personal number 24-37.
    run = l2[0:10] + l2[13:20] + l2[21:end] if end is not None else l2[0:10] + l2[13:20] + l2[21:]
    raw = run.encode("ascii", "replace")
    a, b, c = raw.translate(_T7), raw.translate(_T3), raw.translate(_T1)
    if layout.long_document_number and l2[9] == "<" and l2[8] != "<":
        number = _long_number(l2[0:9], l2[28:layout.optional_end])[1] is not None
    else:
        number = l2[9] == DIGITS[(sum(a[0:9:3]) + sum(b[1:9:3]) + sum(c[2:9:3])) % 10]
    verdicts = {
        "document_number": number,
        "date_of_birth": l2[19] == DIGITS[
            (sum(a[10:16:3]) + sum(b[11:16:3]) + sum(c[12:16:3])) % 10],
        "date_of_expiry": l2[27] == DIGITS[
            (sum(a[17:23:3]) + sum(b[18:23:3]) + sum(c[19:23:3])) % 10],
    }
    if layout is TD3:
        if l2[28:42] == _EMPTY_PERSONAL_NUMBER:
            # Doc 9303 Part 4, note to the personal number: with no personal number its check
            # digit may be a filler or zero.
            verdicts["personal_number"] = l2[42] in "<0"
        else:
            verdicts["personal_number"] = l2[42] == DIGITS[
                (sum(a[24:38:3]) + sum(b[25:38:3]) + sum(c[26:38:3])) % 10]
    if end is not None:
        verdicts["composite"] = l2[end] == DIGITS[
            (sum(a[0::3]) + sum(b[1::3]) + sum(c[2::3])) % 10]
    return verdicts


def _td1_verdicts(l1: str, l2: str) -> dict[str, bool]:
    # Every check digit of a TD1 is read from the composite's run (line 1, columns 6-30, then
    # line 2, columns 1-7, 9-15 and 19-29). Offsets in that run: number 0-8 and its check
    # digit 9, birth 25-30, expiry 32-37.
    run = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    raw = run.encode("ascii", "replace")
    a, b, c = raw.translate(_T7), raw.translate(_T3), raw.translate(_T1)
    if l1[14] == "<" and l1[13] != "<":
        number_ok = _long_number(l1[5:14], l1[15:30])[1] is not None
    else:
        number_ok = l1[14] == DIGITS[(sum(a[0:9:3]) + sum(b[1:9:3]) + sum(c[2:9:3])) % 10]
    return {
        "document_number": number_ok,
        "date_of_birth": l2[6] == DIGITS[(sum(a[25:31:3]) + sum(b[26:31:3])
                                          + sum(c[27:31:3])) % 10],
        "date_of_expiry": l2[14] == DIGITS[(sum(a[32:38:3]) + sum(b[33:38:3])
                                            + sum(c[34:38:3])) % 10],
        "composite": l2[29] == DIGITS[(sum(a[0::3]) + sum(b[1::3]) + sum(c[2::3])) % 10],
    }


def _long_number(principal: str, optional: str) -> tuple[str, int | None, str]:
    """A document number longer than nine characters (Doc 9303 Parts 5 and 6, note j).

    The nine principal characters sit in the number field, the check digit position holds a
    filler, and the rest of the number, then its check digit, then a filler, open the
    optional data. Returns the whole number, the 0-based offset of its check digit within
    the optional data (``None`` when the check digit fails or is missing), and the optional
    data that follows.
    """
    end = optional.find("<")
    if end == -1:
        end = len(optional)
    extension = optional[:end]
    number = principal + extension[:-1]
    if len(extension) < 2 or extension[-1] != DIGITS[check_digit(number)]:
        return number, None, optional[end:].strip("<")
    return number, end - 1, optional[end:].strip("<")


def _read_two_line(layout: Layout, l1: str, l2: str, reference: date, allow_specimens: bool,
                   corrections: tuple[Correction, ...]) -> MrzReading:
    raw1, raw2 = l1.encode("ascii", "replace"), l2.encode("ascii", "replace")
    problems = ([] if not (raw1.translate(None, _ALPHABET_BYTES)
                           or raw2.translate(None, _ALPHABET_BYTES))
                else _character_problems_of(layout, (l1, l2)))
    checks, birth, birth_problem, expiry, expiry_problem = _two_line_checks(
        layout, l2, raw2, reference)
    name = l1[5:]
    primary, _, secondary = name.rstrip("<").partition("<<")
    number = l2[0:9].rstrip("<")
    optional = l2[28:layout.optional_end]
    optional_data = optional.strip("<")
    if layout.long_document_number and l2[9] == "<" and l2[8] != "<":
        number, _, optional_data = _long_number(l2[0:9], optional)
    fields: dict[str, FieldValue] = {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "surname": primary.replace("<", " "),
        "given_names": secondary.replace("<", " ").strip(),
        "names_truncated": name[-1] != "<",
        "document_number": number,
        "nationality": l2[10:13].rstrip("<"),
        "date_of_birth": birth,
        "sex": _SEXES.get(l2[20]),
        "date_of_expiry": expiry,
        "optional_data": optional_data,
    }
    if layout is TD3:
        fields["personal_number"] = optional_data
    if (False in checks.values() or birth_problem or expiry_problem or fields["sex"] is None
            or raw1[5:].translate(None, _LETTERS_AND_FILLER_BYTES) or name[0] == "<"
            or not number or l1[0] not in layout.document_letters
            or l1[1] not in LETTERS_AND_FILLER
            or (expiry is not None and birth is not None and expiry < birth)):
        _explain(layout, (l1, l2), checks, birth_problem, expiry_problem, fields, problems)
    if l1[2:5] not in MRZ_CODES or l2[10:13] not in MRZ_CODES:
        _check_codes(layout, fields, problems, allow_specimens=allow_specimens)
    return MrzReading(layout.format, (l1, l2), fields, checks, problems, corrections,
                      reference_date=reference)


def _two_line_checks(layout: Layout, l2: str, raw2: bytes, reference: date
                     ) -> tuple[dict[str, bool], str | None, str | None, str | None,
                                str | None]:
    """The verdicts of :func:`_two_line_verdicts` and the two dates, computed once.

    Line 2 is translated once to character values; each field's three strided sums then
    give both its own check digit and its share of the composite, so the composite costs
    nothing more. A date and its check digit (seven characters) are read through a cache
    per reference date, which also holds the date's share of the composite.
    """
    values = raw2.translate(_VALUES)
    caches = _DATE_CACHES.get(reference) or _date_caches(reference)
    birth_entry = caches[0].get(l2[13:20]) or _birth_entry(caches[0], l2[13:20], reference)
    expiry_entry = (caches[1].get(l2[21:28])
                    or _expiry_entry(caches[1], l2[21:28], reference))
    n0, n1, n2 = sum(values[0:9:3]), sum(values[1:9:3]), sum(values[2:9:3])
    if layout.long_document_number and l2[9] == "<" and l2[8] != "<":
        number = _long_number(l2[0:9], l2[28:layout.optional_end])[1] is not None
    else:
        number = l2[9] == DIGITS[(7 * n0 + 3 * n1 + n2) % 10]
    verdicts = {"document_number": number, "date_of_birth": birth_entry[2],
                "date_of_expiry": expiry_entry[2]}
    end = layout.composite_column
    if end is not None:
        o0, o1, o2 = sum(values[28:end:3]), sum(values[29:end:3]), sum(values[30:end:3])
        if layout is TD3:
            if l2[28:42] == _EMPTY_PERSONAL_NUMBER:
                # Doc 9303 Part 4, note to the personal number: with no personal number its
                # check digit may be a filler or zero.
                verdicts["personal_number"] = l2[42] in "<0"
            else:
                # The personal number's check digit (column 43) falls in o2's stride.
                verdicts["personal_number"] = l2[42] == DIGITS[
                    (7 * o0 + 3 * o1 + o2 - values[42]) % 10]
        verdicts["composite"] = l2[end] == DIGITS[
            (7 * (n0 + values[9]) + 3 * n1 + n2 + birth_entry[3] + expiry_entry[3]
             + 7 * o0 + 3 * o1 + o2) % 10]
    return verdicts, birth_entry[0], birth_entry[1], expiry_entry[0], expiry_entry[1]


def _date_caches(reference: date) -> tuple[dict[str, _DateEntry], dict[str, _DateEntry]]:
    if len(_DATE_CACHES) > 8:
        _DATE_CACHES.clear()
    caches: tuple[dict[str, _DateEntry], dict[str, _DateEntry]] = ({}, {})
    _DATE_CACHES[reference] = caches
    return caches


def _birth_entry(cache: dict[str, _DateEntry], key: str, reference: date) -> _DateEntry:
    """A date of birth and its check digit (line 2, columns 14-20) read and checked.

    In the composite's run the date starts at offset 10, so its seven characters weigh
    3, 1, 7, 3, 1, 7, 3 there.
    """
    iso, problem = read_birth(key[:6], reference)
    v = key.encode("ascii", "replace").translate(_VALUES).ljust(7, b"\0")
    holds = key[6:] == DIGITS[(7 * (v[0] + v[3]) + 3 * (v[1] + v[4]) + v[2] + v[5]) % 10]
    share = 3 * (v[0] + v[3] + v[6]) + v[1] + v[4] + 7 * (v[2] + v[5])
    return _remember(cache, key, (iso, problem, holds, share))


def _expiry_entry(cache: dict[str, _DateEntry], key: str, reference: date) -> _DateEntry:
    """A date of expiry and its check digit (line 2, columns 22-28) read and checked.

    In the composite's run the date starts at offset 17, so its seven characters weigh
    1, 7, 3, 1, 7, 3, 1 there.
    """
    iso, problem = read_expiry(key[:6], reference)
    v = key.encode("ascii", "replace").translate(_VALUES).ljust(7, b"\0")
    holds = key[6:] == DIGITS[(7 * (v[0] + v[3]) + 3 * (v[1] + v[4]) + v[2] + v[5]) % 10]
    share = v[0] + v[3] + v[6] + 7 * (v[1] + v[4]) + 3 * (v[2] + v[5])
    return _remember(cache, key, (iso, problem, holds, share))


def _remember(cache: dict[str, _DateEntry], key: str, entry: _DateEntry) -> _DateEntry:
    if len(cache) > _DATE_CACHE_LIMIT:
        cache.clear()
    cache[key] = entry
    return entry


def _read_td1(l1: str, l2: str, l3: str, reference: date,
              problems: list[MrzProblem]) -> tuple[dict[str, FieldValue], dict[str, bool]]:
    checks = _td1_verdicts(l1, l2)
    primary, _, secondary = l3.rstrip("<").partition("<<")
    number = l1[5:14].rstrip("<")
    optional_data = l1[15:30].strip("<")
    if l1[14] == "<" and l1[13] != "<":
        number, _, optional_data = _long_number(l1[5:14], l1[15:30])
    birth, birth_problem = read_birth(l2[0:6], reference)
    expiry, expiry_problem = read_expiry(l2[8:14], reference)
    fields: dict[str, FieldValue] = {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].rstrip("<"),
        "surname": primary.replace("<", " "),
        "given_names": secondary.replace("<", " ").strip(),
        "names_truncated": l3[-1] != "<",
        "document_number": number,
        "nationality": l2[15:18].rstrip("<"),
        "date_of_birth": birth,
        "sex": _SEXES.get(l2[7]),
        "date_of_expiry": expiry,
        "optional_data": optional_data,
        "optional_data_2": l2[18:29].strip("<"),
    }
    if (False in checks.values() or birth_problem or expiry_problem or fields["sex"] is None
            or l3.strip(LETTERS_AND_FILLER) or l3[0] == "<" or not number
            or l1[0] not in TD1.document_letters or l1[1] not in LETTERS_AND_FILLER
            or (birth is not None and expiry is not None and expiry < birth)):
        _explain(TD1, (l1, l2, l3), checks, birth_problem, expiry_problem, fields, problems)
    return fields, checks


def _check_codes(layout: Layout, fields: dict[str, FieldValue], problems: list[MrzProblem],
                 *, allow_specimens: bool) -> None:
    for name in ("issuing_state", "nationality"):
        value = str(fields[name])
        key = value.ljust(3, "<")
        if key in MRZ_CODES or (allow_specimens and key in _SPECIMEN_FIELDS):
            continue
        span = layout.field(name)
        if key in _SPECIMEN_FIELDS:
            message = (f"{value} is Utopia, the fictitious state of the ICAO Doc 9303 "
                       "specimens, not a real state (accept specimens to read one)")
        elif key.strip(LETTERS_AND_FILLER) or key[0] == "<":
            message = f"not a country code: {key!r} (three letters, or fewer and fillers)"
        else:
            message = f"unknown code {value!r}: not in ICAO Doc 9303 Part 3, Section 5"
        problems.append(MrzProblem(name, span.line, span.start, span.end - 1, message))


def _explain(layout: Layout, lines: tuple[str, ...], checks: dict[str, bool],
             birth_problem: str | None, expiry_problem: str | None,
             fields: dict[str, FieldValue], problems: list[MrzProblem]) -> None:
    """Add a problem for each fault found on the fast path; runs only when there is one."""
    code = layout.field("document_code")
    first = lines[0][0]
    if first not in layout.document_letters:
        allowed = " or ".join(layout.document_letters)
        problems.append(MrzProblem("document_code", 0, 0, 0,
                                   f"{first!r}: a {layout.format} document code starts with "
                                   f"{allowed}"))
    if lines[0][1] not in LETTERS_AND_FILLER:
        problems.append(MrzProblem("document_code", code.line, 1, 1,
                                   f"{lines[0][1]!r}: the second character of a document "
                                   "code is a letter or a filler"))
    name = layout.field("name")
    text = lines[name.line][name.start:name.end]
    if text[0] == "<":
        problems.append(MrzProblem("name", name.line, name.start, name.start,
                                   "the primary identifier (surname) is empty"))
    for offset, character in enumerate(text):
        if character in DIGITS:
            problems.append(MrzProblem("name", name.line, name.start + offset,
                                       name.start + offset,
                                       f"a digit {character!r} in the name: names hold "
                                       "only A-Z and <"))
    number = layout.field("document_number")
    if not fields["document_number"]:
        problems.append(MrzProblem("document_number", number.line, number.start,
                                   number.end - 1, "the document number is empty"))
    for field_name, problem in (("date_of_birth", birth_problem),
                                ("date_of_expiry", expiry_problem)):
        if problem:
            span = layout.field(field_name)
            problems.append(MrzProblem(field_name, span.line, span.start, span.end - 1,
                                       problem))
    birth, expiry = fields["date_of_birth"], fields["date_of_expiry"]
    if birth is not None and expiry is not None and str(expiry) < str(birth):
        span = layout.field("date_of_expiry")
        problems.append(MrzProblem("date_of_expiry", span.line, span.start, span.end - 1,
                                   f"expires ({expiry}) before the date of birth ({birth})"))
    if fields["sex"] is None:
        span = layout.field("sex")
        problems.append(MrzProblem("sex", span.line, span.start, span.start,
                                   f"{lines[span.line][span.start]!r}: sex is M, F or < "
                                   "(unspecified)"))
    for field_name, holds in checks.items():
        if not holds:
            problems.append(_check_problem(layout, lines, field_name))


def _check_problem(layout: Layout, lines: tuple[str, ...], field_name: str) -> MrzProblem:
    if field_name == "composite":
        line, column = layout.composite_line or 0, layout.composite_column or 0
        runs = [position(s.line, s.start, s.end - 1) for s in layout.composite]
        found = lines[line][column]
        computed = _composite_digit(layout, lines)
        return MrzProblem("composite", line, column, column,
                          f"composite check digit {found!r} does not match: "
                          f"{'; '.join(runs)} compute {computed}")
    span = layout.field(field_name)
    line_text = lines[span.line]
    # Only fields with a check digit have a verdict, so only they reach here.
    column = span.check_column or 0
    data = line_text[span.start:span.end]
    if field_name == "document_number" and layout.long_document_number and (
            line_text[column] == "<" and line_text[column - 1] != "<"):
        optional = layout.field(layout.optional_field)
        rest = line_text[optional.start:optional.end]
        end = rest.find("<")
        end = len(rest) if end == -1 else end
        if end < 2:
            return MrzProblem(field_name, span.line, span.start, column,
                              "a filler in the check digit position announces a number "
                              "longer than nine characters, but the optional data holds no "
                              "continuation and check digit")
        number = data + rest[:end - 1]
        return MrzProblem(field_name, span.line, span.start, optional.start + end - 1,
                          f"check digit {rest[end - 1]!r} "
                          f"({position(span.line, optional.start + end - 1)}) does not "
                          f"match: the long document number {number} computes "
                          f"{check_digit(_legal(number))}")
    found = line_text[column]
    computed = check_digit(_legal(data))
    if field_name == "personal_number" and data == _EMPTY_PERSONAL_NUMBER:
        expected = "a filler or 0 (the personal number is empty)"
    else:
        expected = f"{computed}"
    return MrzProblem(field_name, span.line, span.start, span.end - 1,
                      f"check digit {found!r} ({position(span.line, column)}) does not "
                      f"match: the field computes {expected}")


def _composite_digit(layout: Layout, lines: tuple[str, ...] | list[str]) -> int:
    data = "".join(lines[s.line][s.start:s.end] for s in layout.composite)
    return check_digit(_legal(data))


def _legal(text: str) -> str:
    """``text`` with every character outside the MRZ alphabet counted as a filler."""
    return "".join(c if c in ALPHABET else "<" for c in text)


def _character_problems(layout: Layout | None, line_index: int, line: str) -> list[MrzProblem]:
    problems = []
    for column, character in enumerate(line):
        if character in ALPHABET:
            continue
        field = layout.field_at(line_index, column) if layout else "mrz"
        if character in LETTERS.lower():
            why = f"lower-case {character!r}"
        elif character.isspace():
            why = "a space"
        else:
            why = f"{character!r}"
        problems.append(MrzProblem(field, line_index, column, column,
                                   f"{why} is not an MRZ character (A-Z, 0-9 and <)"))
    return problems
