"""Tolerant reading: correct the usual OCR confusions, keeping only confirmed corrections.

OCR engines confuse characters that look alike in OCR-B: ``O``/``0``, ``I``/``1``,
``B``/``8``, ``S``/``5``, ``Z``/``2``, ``G``/``6``, and read the filler ``<`` as ``K``; they
also drop or add a filler in a long run of them. ICAO Doc 9303 gives each position a
character class (Parts 4 to 7: numeric for dates and check digits, alphabetic for codes
and names, alphanumeric for numbers and optional data) and protects the important fields
with check digits (Part 3, 4.9). This module uses both, in this order:

1. **Line length.** A line one or two characters off has fillers inserted into, or removed
   from, one of its filler runs: the run whose choice lets the most check digits hold, the
   last run when the check digits cannot tell (a name line has none).
2. **Character class.** A letter in a numeric position becomes the digit it is usually
   mistaken for, and a digit in an alphabetic position the letter; whatever follows three
   fillers in a name is a filler (a name never holds three in a row: Part 3, 4.6), and so
   is a ``K`` among the trailing fillers of a number or optional data. These positions can
   hold nothing else.
3. **Country codes.** An unknown issuing state or nationality becomes the one known code
   (Doc 9303 Part 3, Section 5) that a single confusion away, if exactly one is.
4. **Check digits.** Where a check digit still fails, substitutions of confusable
   characters are tried in the failing fields (and, when only the composite check digit
   fails, in the data only it protects), fewest first; a set of substitutions is accepted
   only when every check digit then holds, every date is a date, and no other set of the
   same size is as likely: a substitution the OCR engine ranked as a runner-up counts
   most, one that undoes a common confusion next, and one that keeps letters with letters
   and digits with digits breaks a tie. An ambiguous or hopeless MRZ is left as read, and
   its problems are reported as in strict mode.

Every change is reported as a :class:`~nseers.documents.reading.Correction` naming the
position, the characters read and written, and what confirmed it.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from typing import Final

from nseers.documents.checkdigits import DIGITS, LETTERS
from nseers.documents.dates import read_birth, read_expiry
from nseers.documents.layouts import LAYOUTS, SHAPES, Layout, layout_for
from nseers.documents.mrz import check_verdicts, diagnose_shape, mrz_lines, read_lines
from nseers.documents.reading import Correction, CorrectionBasis, MrzReading
from nseers.documents.states import MRZ_CODES, SPECIMEN_CODES

#: A letter read where only a digit may stand, and the digit it usually is.
DIGIT_FOR_LETTER: Final = {"O": "0", "Q": "0", "D": "0", "U": "0", "C": "0", "I": "1",
                           "L": "1", "T": "1", "J": "1", "Z": "2", "A": "4", "S": "5",
                           "G": "6", "B": "8", "E": "8"}
#: A digit read where only a letter may stand, and the letter it usually is.
LETTER_FOR_DIGIT: Final = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G",
                           "7": "T", "8": "B"}
#: Digits OCR takes for one another, for numeric positions under a failing check digit.
DIGIT_CONFUSIONS: Final = {"0": "86", "1": "7", "2": "7", "3": "8", "4": "1", "5": "6",
                           "6": "58", "7": "1", "8": "036", "9": "8"}
#: Look-alikes for alphanumeric positions (numbers, optional data) and the filler.
ALNUM_CONFUSIONS: Final = {"0": "OD", "O": "0DQ", "D": "0O", "Q": "O0", "1": "I", "I": "1",
                           "2": "Z", "Z": "2", "5": "S", "S": "5", "8": "B", "B": "8",
                           "6": "G", "G": "6", "4": "A", "A": "4", "7": "T", "T": "7",
                           "<": "K", "K": "<"}
#: The confusions OCR makes most often in OCR-B, both ways: a set of substitutions made only
#: of these is preferred when the check digits alone cannot choose.
COMMON_CONFUSIONS: Final = {"0": "OQD", "O": "0", "Q": "0", "D": "0", "1": "I", "I": "1",
                            "8": "B", "B": "8", "5": "S", "S": "5", "2": "Z", "Z": "2",
                            "7": "T", "T": "7"}
#: Look-alikes among letters, for an unknown country code.
CODE_CONFUSIONS: Final = {"O": "DQ", "D": "O", "Q": "O", "I": "L", "L": "I", "K": "<",
                          "<": "K", "B": "E", "E": "BF", "F": "E", "M": "N", "N": "M",
                          "U": "V", "V": "U", "C": "G", "G": "C"}

_MAX_LENGTH_GAP: Final = 3
_MAX_SUBSTITUTIONS: Final = 3
_MAX_CANDIDATES: Final = 20_000


def read_tolerantly(text: str, *, reference_date: date, allow_specimens: bool = False,
                    alternatives: Mapping[tuple[int, int], str] | None = None,
                    doubtful: Collection[tuple[int, int]] = ()) -> MrzReading:
    """Read ``text`` as an MRZ, correcting OCR confusions the check digits confirm.

    ``alternatives`` may give, per 0-based (line, column) of ``text``'s non-blank lines,
    the characters an OCR engine ranked next for that position: they are tried first, and
    a correction the engine proposed counts as likely. ``doubtful`` names the positions
    whose character the engine was unsure of: a correction there counts as likely too.
    """
    corrections: list[Correction] = []
    lines = _normalize(mrz_lines(text), corrections)
    chosen = _choose_lines(lines)
    if chosen is None:
        return diagnose_shape(text)
    layout, start, lines = chosen
    corrections = [Correction(c.field, c.line - start, c.column, c.read, c.corrected, c.basis)
                   for c in corrections if start <= c.line < start + len(lines)]
    proposed = {(line - start, column): characters
                for (line, column), characters in (alternatives or {}).items()
                if 0 <= line - start < len(lines)
                and len(lines[line - start]) == layout.line_length}
    doubts = frozenset((line - start, column) for line, column in doubtful
                       if 0 <= line - start < len(lines)
                       and len(lines[line - start]) == layout.line_length)
    lines = _fit_lengths(layout, lines, corrections)
    layout = layout_for(layout.line_count, layout.line_length, lines[0][0]) or layout
    _fix_character_classes(layout, lines, corrections)
    _fix_codes(layout, lines, corrections, proposed, allow_specimens=allow_specimens)
    _fix_by_check_digits(layout, lines, corrections, reference_date, proposed, doubts)
    return read_lines(layout, lines, reference_date=reference_date,
                      allow_specimens=allow_specimens, corrections=tuple(corrections))


def _normalize(lines: list[str], corrections: list[Correction]) -> list[str]:
    """Upper-case letters and drop spaces inside lines (OCR splits words)."""
    result = []
    for index, line in enumerate(lines):
        kept: list[str] = []
        for character in line:
            if character.isspace():
                continue
            if character in LETTERS.lower():
                corrections.append(Correction("mrz", index, len(kept), character,
                                              character.upper(), "character class"))
                character = character.upper()  # noqa: PLW2901  # the corrected character
            kept.append(character)
        result.append("".join(kept))
    return result


def _choose_lines(lines: list[str]) -> tuple[Layout, int, list[str]] | None:
    """The run of consecutive lines that best fits an MRZ shape, and that shape's layout."""
    best: tuple[int, int, Layout, list[str]] | None = None
    for (count, length), formats in SHAPES.items():
        for start in range(len(lines) - count + 1):
            window = lines[start:start + count]
            gaps = [abs(len(line) - length) for line in window]
            if max(gaps) > _MAX_LENGTH_GAP:
                continue
            # Prefer the closest fit, then the lines nearest the bottom (the MRZ ends a page).
            score = (sum(gaps), -start)
            if best is None or score < (best[0], best[1]):
                first = window[0][:1]
                layout = layout_for(count, length, first) or LAYOUTS[formats[0]]
                best = (score[0], score[1], layout, list(window))
    return None if best is None else (best[2], -best[1], best[3])


def _runs(line: str) -> list[tuple[int, int]]:
    """(start, end) of each run of fillers in ``line``."""
    runs = []
    start = None
    for column, character in enumerate(line + "#"):
        if character == "<" and start is None:
            start = column
        elif character != "<" and start is not None:
            runs.append((start, column))
            start = None
    return runs


def _fit_lengths(layout: Layout, lines: list[str],
                 corrections: list[Correction]) -> list[str]:
    target = layout.line_length
    fitted = [line[:target].ljust(target, "<") for line in lines]
    for index, line in enumerate(lines):
        gap = target - len(line)
        if gap == 0:
            continue
        options = []
        for run_index, (start, end) in enumerate(reversed(_runs(line))):
            if gap > 0:
                candidate = line[:end] + "<" * gap + line[end:]
            elif end - start >= -gap:
                candidate = line[:start] + line[start - gap:]
            else:
                continue
            trial = [*fitted[:index], candidate, *fitted[index + 1:]]
            holding = sum(check_verdicts(layout, trial).values())
            options.append((-holding, run_index, candidate, start, end))
        if not options:
            continue
        _, _, candidate, start, end = min(options)
        fitted[index] = candidate
        for offset in range(abs(gap)):
            column = end + offset if gap > 0 else start + offset
            read, written = ("", "<") if gap > 0 else ("<", "")
            corrections.append(Correction(layout.field_at(index, min(column, target - 1)),
                                          index, column, read, written, "line length"))
    return fitted


def _set(lines: list[str], line: int, column: int, character: str) -> None:
    text = lines[line]
    lines[line] = text[:column] + character + text[column + 1:]


def _fix_character_classes(layout: Layout, lines: list[str],
                           corrections: list[Correction]) -> None:
    for span in layout.fields:
        columns = list(range(span.start, span.end))
        if span.check_column is not None:
            _fix_numeric(layout, lines, span.line, [span.check_column], corrections,
                         allow_filler=span.name in ("personal_number", "document_number"))
        if span.kind in ("birth", "expiry"):
            _fix_numeric(layout, lines, span.line, columns, corrections,
                         allow_filler=span.kind == "birth")
        elif span.kind in ("code", "name", "document_code"):
            _fix_alphabetic(layout, lines, span.line, columns, corrections)
        elif span.kind == "sex" and lines[span.line][span.start] == "K":
            _change(layout, lines, corrections, span.line, span.start, "<", "character class")
        if span.kind == "name":
            _fix_name_end(layout, lines, span.line, span.start, span.end, corrections)
        elif span.kind in ("alnum", "optional"):
            _fix_trailing_fillers(layout, lines, span.line, span.start, span.end, corrections,
                                  fillers_before=2)
    if layout.composite_column is not None:
        _fix_numeric(layout, lines, layout.composite_line or 0, [layout.composite_column],
                     corrections, allow_filler=False)


def _fix_name_end(layout: Layout, lines: list[str], line: int, start: int, end: int,
                  corrections: list[Correction]) -> None:
    """After three fillers in a row a name has ended: anything else there is a misread filler.

    Components are separated by one filler and the identifiers by two (Doc 9303 Part 3,
    4.6), so three in a row only begin the padding.
    """
    text = lines[line]
    padding = text.find("<<<", start + 1, end)
    if padding == -1:
        return
    for column in range(padding + 3, end):
        if text[column] != "<":
            _change(layout, lines, corrections, line, column, "<", "character class")


def _fix_trailing_fillers(layout: Layout, lines: list[str], line: int, start: int, end: int,
                          corrections: list[Correction], *, fillers_before: int) -> None:
    """A ``K`` in the trailing fillers of a field is a filler read as ``K``.

    Check digits cannot confirm this one: ``K`` is worth 20 and a filler 0, and the weighted
    sums agree modulo 10. The position decides instead: the ``K`` must follow at least
    ``fillers_before`` fillers and be followed by fillers or ``K`` only.
    """
    text = lines[line]
    marker = "<" * fillers_before
    for column in range(start + fillers_before, end):
        if (text[column] == "K" and text[column - fillers_before:column] == marker
                and not text[column:end].strip("<K")):
            _change(layout, lines, corrections, line, column, "<", "character class")
            text = lines[line]


def _change(layout: Layout, lines: list[str], corrections: list[Correction], line: int,
            column: int, character: str, basis: CorrectionBasis) -> None:
    corrections.append(Correction(layout.field_at(line, column), line, column,
                                  lines[line][column], character, basis))
    _set(lines, line, column, character)


def _fix_numeric(layout: Layout, lines: list[str], line: int, columns: list[int],
                 corrections: list[Correction], *, allow_filler: bool) -> None:
    for column in columns:
        character = lines[line][column]
        if character in DIGITS or (allow_filler and character == "<"):
            continue
        digit = DIGIT_FOR_LETTER.get(character)
        if digit is not None:
            _change(layout, lines, corrections, line, column, digit, "character class")


def _fix_alphabetic(layout: Layout, lines: list[str], line: int, columns: list[int],
                    corrections: list[Correction]) -> None:
    for column in columns:
        letter = LETTER_FOR_DIGIT.get(lines[line][column])
        if letter is not None:
            _change(layout, lines, corrections, line, column, letter, "character class")


def _fix_codes(layout: Layout, lines: list[str], corrections: list[Correction],
               proposed: Mapping[tuple[int, int], str], *, allow_specimens: bool) -> None:
    known = set(MRZ_CODES)
    if allow_specimens:
        known |= {code.ljust(3, "<") for code in SPECIMEN_CODES}
    for name in ("issuing_state", "nationality"):
        span = layout.field(name)
        code = lines[span.line][span.start:span.end]
        if code in known:
            continue
        found = {code[:i] + alternative + code[i + 1:]
                 for i, character in enumerate(code)
                 for alternative in CODE_CONFUSIONS.get(character, "")
                 + proposed.get((span.line, span.start + i), "")} & known
        if len(found) == 1:
            fixed = found.pop()
            for offset, (was, now) in enumerate(zip(code, fixed, strict=True)):
                if was != now:
                    _change(layout, lines, corrections, span.line, span.start + offset, now,
                            "country code")


def _alternatives(layout: Layout, line: int, column: int, character: str,
                  proposed: str) -> str:
    kind = layout.kind_at(line, column)
    if kind in ("birth", "expiry", "check"):
        generic = DIGIT_CONFUSIONS.get(character, "")
        proposed = "".join(c for c in proposed if c in DIGITS)
    else:
        generic = ALNUM_CONFUSIONS.get(character, "")
    return "".join(dict.fromkeys(proposed + generic))


def _suspects(layout: Layout, lines: list[str], verdicts: dict[str, bool],
              proposed: Mapping[tuple[int, int], str]) -> list[tuple[int, int, str]]:
    """(line, column, alternatives) of every position a failing check digit may blame."""
    positions: list[tuple[int, int]] = []
    for name, holds in verdicts.items():
        if holds or name == "composite":
            continue
        span = layout.field(name)
        positions.extend((span.line, column) for column in range(span.start, span.end))
        if span.check_column is not None:
            positions.append((span.line, span.check_column))
        if name == "document_number" and layout.long_document_number:
            optional = layout.field("optional_data")
            positions.extend((optional.line, column)
                             for column in range(optional.start, optional.start + 6))
    if not verdicts.get("composite", True) and all(
            holds for name, holds in verdicts.items() if name != "composite"):
        protected = {(s.line, c) for s in layout.fields if s.check_column is not None
                     for c in (*range(s.start, s.end), s.check_column)}
        positions.extend((segment.line, column) for segment in layout.composite
                         for column in range(segment.start, segment.end)
                         if (segment.line, column) not in protected)
        positions.append((layout.composite_line or 0, layout.composite_column or 0))
    seen: set[tuple[int, int]] = set()
    suspects = []
    for line, column in positions:
        if (line, column) in seen:
            continue
        seen.add((line, column))
        alternatives = _alternatives(layout, line, column, lines[line][column],
                                     proposed.get((line, column), ""))
        if alternatives:
            suspects.append((line, column, alternatives))
    return suspects


def _holds(layout: Layout, lines: list[str], reference: date) -> bool:
    if not all(check_verdicts(layout, lines).values()):
        return False
    birth = layout.field("date_of_birth")
    expiry = layout.field("date_of_expiry")
    return (read_birth(lines[birth.line][birth.start:birth.end], reference)[1] is None
            and read_expiry(lines[expiry.line][expiry.start:expiry.end], reference)[1]
            is None)


def _substitutions(suspects: list[tuple[int, int, str]],
                   size: int) -> Iterator[tuple[tuple[int, int, str], ...]]:
    for chosen in itertools.combinations(suspects, size):
        for characters in itertools.product(*(alternatives for _, _, alternatives in chosen)):
            yield tuple((line, column, character) for (line, column, _), character
                        in zip(chosen, characters, strict=True))


def _fits_neighbours(layout: Layout, lines: list[str], line: int, column: int,
                     character: str) -> bool:
    """Whether ``character`` is a letter next to a letter or a digit next to a digit.

    Document numbers run letters together and digits together (``AB1234567``); a
    substitution that leaves a letter alone among digits, or a digit among letters, is the
    less likely of two that the check digits accept. At the edge of a field or beside a
    filler any character fits.
    """
    text = lines[line]
    own = layout.field_at(line, column)
    neighbours = [text[c] for c in (column - 1, column + 1)
                  if 0 <= c < len(text) and layout.field_at(line, c) == own]
    if len(neighbours) < 2 or "<" in neighbours:
        return True
    return any(n.isdigit() == character.isdigit() for n in neighbours)


def _likelihood(layout: Layout, lines: list[str],
                substitution: tuple[tuple[int, int, str], ...],
                proposed: Mapping[tuple[int, int], str],
                doubts: frozenset[tuple[int, int]]) -> tuple[bool, int]:
    """Whether every substitution is plausible, and a score to rank sets of substitutions.

    A substitution is plausible when the OCR engine ranked the new character as a runner-up
    (it scores 6) or when it undoes a common confusion (3); 3 more when the engine doubted
    the character it replaces, and one when the new character fits its neighbours
    (:func:`_fits_neighbours`).
    """
    plausible, score = True, 0
    for line, column, character in substitution:
        base = (2 if character in proposed.get((line, column), "") else
                1 if character in COMMON_CONFUSIONS.get(lines[line][column], "") else 0)
        plausible = plausible and base > 0
        score += (3 * base + 3 * ((line, column) in doubts)
                  + _fits_neighbours(layout, lines, line, column, character))
    return plausible, score


def _fix_by_check_digits(layout: Layout, lines: list[str], corrections: list[Correction],
                         reference: date, proposed: Mapping[tuple[int, int], str],
                         doubts: frozenset[tuple[int, int]] = frozenset()) -> None:
    verdicts = check_verdicts(layout, lines)
    if all(verdicts.values()):
        return
    suspects = _suspects(layout, lines, verdicts, proposed)
    for size in range(1, _MAX_SUBSTITUTIONS + 1):
        found: list[tuple[tuple[int, int, str], ...]] = []
        for tried, substitution in enumerate(_substitutions(suspects, size)):
            if tried >= _MAX_CANDIDATES:
                return
            trial = list(lines)
            for line, column, character in substitution:
                _set(trial, line, column, character)
            if _holds(layout, trial, reference):
                found.append(substitution)
        if not found:
            continue
        # Several sets may satisfy the check digits (a check digit is one digit: about one
        # random change in ten passes). One that only undoes common confusions beats one
        # that does not; a tie between equally likely sets is left alone.
        ranked = sorted(((_likelihood(layout, lines, s, proposed, doubts), s) for s in found),
                        key=lambda item: -item[0][1])
        (plausible, best), chosen = ranked[0]
        if len(ranked) > 1 and (not plausible or ranked[1][0][1] == best):
            return
        for line, column, character in chosen:
            own = layout.field_at(line, column)
            basis: CorrectionBasis = ("check digit" if own in verdicts and own !=
                                      "composite" and not verdicts[own] else
                                      "composite check digit")
            _change(layout, lines, corrections, line, column, character, basis)
        return
