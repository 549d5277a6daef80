"""Properties of the MRZ reader that hold for every document: rendering and reading agree,
and a change to a protected field never goes unseen.

ICAO Doc 9303 check digits weight each character's value by 7, 3, 1 modulo 10. Since the
weights are prime to 10, changing one character is caught exactly when the old and the new
values differ modulo 10; ``0``, ``A``, ``K``, ``U`` and the filler are all worth 0 modulo 10
and cannot be told apart by a check digit. Numeric fields (the dates) are also checked for
their characters, so there every change is caught.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from documents.strategies import REFERENCE, documents
from nseers.documents import parse_mrz, render
from nseers.documents.checkdigits import ALPHABET, VALUES
from nseers.documents.layouts import LAYOUTS
from nseers.documents.names import mrz_name


def expected_fields(mrz_format: str, fields: dict[str, Any]) -> dict[str, Any]:
    layout = LAYOUTS[mrz_format]
    expected = {
        "document_code": fields["document_code"],
        "issuing_state": fields["issuing_state"],
        "surname": fields["surname"],
        "given_names": fields["given_names"],
        # A name that fills its field exactly cannot be told from a truncated one.
        "names_truncated": len(mrz_name(fields["surname"], fields["given_names"]))
        == layout.field("name").end - layout.field("name").start,
        "document_number": fields["document_number"],
        "nationality": fields["nationality"],
        "date_of_birth": fields["date_of_birth"].isoformat(),
        "sex": fields["sex"],
        "date_of_expiry": fields["date_of_expiry"].isoformat(),
        "optional_data": fields[layout.optional_field],
    }
    if mrz_format == "TD3":
        expected["personal_number"] = fields["personal_number"]
    if mrz_format == "TD1":
        expected["optional_data_2"] = fields["optional_data_2"]
    return expected


@settings(max_examples=300, deadline=None)
@given(documents())
def test_a_rendered_document_reads_back_as_the_same_valid_fields(
        document: tuple[str, dict[str, Any]]) -> None:
    mrz_format, fields = document
    reading = parse_mrz(render(mrz_format, **fields), reference_date=REFERENCE)
    assert reading.format == mrz_format
    assert reading.valid, reading.problems
    assert reading.fields == expected_fields(mrz_format, fields)


def protected_positions(mrz_format: str) -> list[tuple[int, int]]:
    """Every (line, column) a check digit covers, the check digits included."""
    layout = LAYOUTS[mrz_format]
    positions = {(span.line, column) for span in layout.fields if span.check_column is not None
                 for column in (*range(span.start, span.end), span.check_column)}
    positions |= {(segment.line, column) for segment in layout.composite
                  for column in range(segment.start, segment.end)}
    if layout.composite_column is not None:
        positions.add((layout.composite_line or 0, layout.composite_column))
    return sorted(positions)


@settings(max_examples=300, deadline=None)
@given(documents(), st.data())
def test_a_change_a_check_digit_can_see_in_a_protected_field_is_always_detected(
        document: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    mrz_format, fields = document
    lines = render(mrz_format, **fields).split("\n")
    line, column = data.draw(st.sampled_from(protected_positions(mrz_format)))
    old = lines[line][column]
    new = data.draw(st.sampled_from(
        [c for c in ALPHABET if (VALUES[c] - VALUES[old]) % 10 != 0]))
    lines[line] = lines[line][:column] + new + lines[line][column + 1:]
    reading = parse_mrz("\n".join(lines), reference_date=REFERENCE)
    assert not reading.valid


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_every_change_to_a_date_is_detected(
        document: tuple[str, dict[str, Any]], data: st.DataObject) -> None:
    mrz_format, fields = document
    layout = LAYOUTS[mrz_format]
    lines = render(mrz_format, **fields).split("\n")
    span = layout.field(data.draw(st.sampled_from(("date_of_birth", "date_of_expiry"))))
    column = data.draw(st.integers(span.start, span.end - 1))
    new = data.draw(st.sampled_from([c for c in ALPHABET if c != lines[span.line][column]]))
    lines[span.line] = lines[span.line][:column] + new + lines[span.line][column + 1:]
    assert not parse_mrz("\n".join(lines), reference_date=REFERENCE).valid


def test_a_change_between_characters_worth_the_same_modulo_ten_escapes_the_check_digit() -> None:
    # The known limit of Doc 9303 check digits, stated so nobody relies on more: the
    # document numbers L898902C3 and L898902CD differ (3 = 3, D = 13) yet share a check digit.
    specimen = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    changed = specimen.replace("L898902C36", "L898902CD6")
    reading = parse_mrz(changed, reference_date=REFERENCE, allow_specimens=True)
    assert reading.valid
    assert reading.fields["document_number"] == "L898902CD"
