"""Reading and checking MRZs: the ICAO Doc 9303 specimens, and a precise answer for each fault.

The specimens are those printed in Doc 9303 (Part 4 for the passport, Part 5 for the TD1
card, Part 6 for the TD2 card, Part 7 for the visas). They name Utopia (``UTO``), which no
real document may, so they are read with specimens allowed.
"""

from __future__ import annotations

from datetime import date

import pytest

from nseers.documents import parse_mrz, render_td3
from nseers.documents.states import ICAO_SPECIAL_CODES, ISO_3166_ALPHA3, MRZ_CODES, code_name

AS_OF = date(2010, 6, 1)

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
       "7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
TD1_LONG_NUMBER = ("I<UTOD23145890<7349<<<<<<<<<<<\n"
                   "3407127M9507122UTO<<<<<<<<<<<2\n"
                   "STEVENSON<<PETER<JOHN<<<<<<<<<")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
       "D231458907UTO7408122F1204159<<<<<<<6")
MRVA = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<")
MRVB = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
        "L8988901C4XXX4009078F9612109<<<<<<<<")
SPECIMENS = {"TD3": TD3, "TD1": TD1, "TD2": TD2, "MRVA": MRVA, "MRVB": MRVB}


def read(text: str, **options: bool) -> dict[str, object]:
    reading = parse_mrz(text, reference_date=AS_OF, allow_specimens=True, **options)
    return reading.to_dict()


def change(text: str, line: int, column: int, character: str) -> str:
    """``text`` with the character at 1-based ``line`` and ``column`` replaced."""
    lines = text.split("\n")
    row = lines[line - 1]
    lines[line - 1] = row[:column - 1] + character + row[column:]
    return "\n".join(lines)


@pytest.mark.parametrize("mrz_format", SPECIMENS)
def test_every_doc_9303_specimen_is_read_as_valid(mrz_format: str) -> None:
    out = read(SPECIMENS[mrz_format])
    assert out["format"] == mrz_format
    assert out["valid"] is True, out["problems"]
    assert all(out["check_digits"].values())  # type: ignore[union-attr]
    fields = out["fields"]
    assert fields["surname"] == "ERIKSSON"  # type: ignore[index]
    assert fields["given_names"] == "ANNA MARIA"  # type: ignore[index]
    assert fields["sex"] == "F"  # type: ignore[index]


def test_the_passport_specimen_gives_every_field() -> None:
    fields = read(TD3)["fields"]
    assert fields == {
        "document_code": "P", "issuing_state": "UTO", "surname": "ERIKSSON",
        "given_names": "ANNA MARIA", "names_truncated": False,
        "document_number": "L898902C3", "nationality": "UTO", "date_of_birth": "1974-08-12",
        "sex": "F", "date_of_expiry": "2012-04-15", "optional_data": "ZE184226B",
        "personal_number": "ZE184226B",
    }


def test_visas_have_no_composite_check_digit_and_td1_has_a_second_optional_field() -> None:
    assert "composite" not in read(MRVA)["check_digits"]  # type: ignore[operator]
    assert "composite" not in read(MRVB)["check_digits"]  # type: ignore[operator]
    assert read(MRVA)["fields"]["optional_data"] == "6ZE184226B"  # type: ignore[index]
    assert "optional_data_2" in read(TD1)["fields"]  # type: ignore[operator]


def test_a_td1_document_number_longer_than_nine_characters_continues_in_the_optional_data(
) -> None:
    out = read(TD1_LONG_NUMBER)
    assert out["valid"] is True, out["problems"]
    assert out["fields"]["document_number"] == "D23145890734"  # type: ignore[index]
    assert out["fields"]["optional_data"] == ""  # type: ignore[index]


def test_a_specimen_is_not_a_real_document_unless_specimens_are_allowed() -> None:
    reading = parse_mrz(TD3, reference_date=AS_OF)
    assert not reading.valid
    assert {p.field for p in reading.problems} == {"issuing_state", "nationality"}
    assert all("Utopia" in p.message for p in reading.problems)
    assert reading.problems[0].position == "line 1, columns 3-5"


# Each check digit, broken, names its field, the field's columns and the check digit's own.
@pytest.mark.parametrize(("mrz", "line", "column", "field", "position"), [
    (TD3, 2, 10, "document_number", "line 2, columns 1-9"),
    (TD3, 2, 20, "date_of_birth", "line 2, columns 14-19"),
    (TD3, 2, 28, "date_of_expiry", "line 2, columns 22-27"),
    (TD3, 2, 43, "personal_number", "line 2, columns 29-42"),
    (TD3, 2, 44, "composite", "line 2, column 44"),
    (TD1, 1, 15, "document_number", "line 1, columns 6-14"),
    (TD1, 2, 7, "date_of_birth", "line 2, columns 1-6"),
    (TD1, 2, 15, "date_of_expiry", "line 2, columns 9-14"),
    (TD1, 2, 30, "composite", "line 2, column 30"),
    (TD2, 2, 10, "document_number", "line 2, columns 1-9"),
    (TD2, 2, 20, "date_of_birth", "line 2, columns 14-19"),
    (TD2, 2, 28, "date_of_expiry", "line 2, columns 22-27"),
    (TD2, 2, 36, "composite", "line 2, column 36"),
    (MRVA, 2, 10, "document_number", "line 2, columns 1-9"),
    (MRVA, 2, 20, "date_of_birth", "line 2, columns 14-19"),
    (MRVA, 2, 28, "date_of_expiry", "line 2, columns 22-27"),
    (MRVB, 2, 10, "document_number", "line 2, columns 1-9"),
    (MRVB, 2, 20, "date_of_birth", "line 2, columns 14-19"),
    (MRVB, 2, 28, "date_of_expiry", "line 2, columns 22-27"),
])
def test_a_wrong_check_digit_names_its_field_and_position(
        mrz: str, line: int, column: int, field: str, position: str) -> None:
    found = mrz.split("\n")[line - 1][column - 1]
    wrong = str((int(found) + 1) % 10)
    out = read(change(mrz, line, column, wrong))
    assert out["valid"] is False
    assert out["check_digits"][field] is False  # type: ignore[index]
    problems = [p for p in out["problems"] if p["field"] == field]  # type: ignore[attr-defined]
    assert len(problems) == 1
    assert problems[0]["position"] == position
    assert "check digit" in problems[0]["message"]
    if field != "composite":
        assert f"line {line}, column {column}" in problems[0]["message"]


def test_a_changed_document_number_fails_its_check_digit_and_the_composite() -> None:
    out = read(change(TD3, 2, 3, "7"))
    failing = {p["field"] for p in out["problems"]}  # type: ignore[attr-defined]
    assert failing == {"document_number", "composite"}


@pytest.mark.parametrize(("text", "message"), [
    ("", "no text"),
    ("P<UTOERIKSSON", "1 lines"),
    ("A\nB\nC\nD", "4 lines"),
])
def test_text_of_no_mrz_shape_is_not_read(text: str, message: str) -> None:
    reading = parse_mrz(text, reference_date=AS_OF)
    assert reading.format is None
    assert not reading.valid
    assert message in reading.problems[0].message


def test_a_line_of_the_wrong_length_is_named_with_the_expected_length() -> None:
    reading = parse_mrz(TD3.replace("<<<<<10", "<<<<10"), reference_date=AS_OF)
    assert reading.format is None
    problem = reading.problems[0]
    assert (problem.line, problem.message) == (1, "43 characters: TD3 lines have 44")
    assert problem.position == "line 2, columns 1-43"


def test_illegal_characters_are_named_one_by_one() -> None:
    out = read(change(change(TD3, 1, 8, "é"), 2, 30, "e"))
    problems = {(p["field"], p["position"]): p["message"]
                for p in out["problems"]}  # type: ignore[attr-defined]
    assert "not an MRZ character" in problems[("name", "line 1, column 8")]
    assert "lower-case 'e'" in problems[("personal_number", "line 2, column 30")]


def test_surrounding_whitespace_and_windows_line_ends_are_ignored() -> None:
    assert read("  " + TD3.replace("\n", "\r\n") + "\n\n")["valid"] is True


def test_a_space_inside_a_line_is_reported_not_ignored() -> None:
    reading = parse_mrz(change(TD3, 1, 14, " "), reference_date=AS_OF, allow_specimens=True)
    assert not reading.valid
    assert any("a space" in p.message for p in reading.problems)


@pytest.mark.parametrize(("raw", "reference", "iso"), [
    ("740812", date(2024, 1, 1), "1974-08-12"),
    ("240101", date(2024, 1, 1), "2024-01-01"),
    ("240102", date(2024, 1, 1), "1924-01-02"),
    ("000229", date(2024, 1, 1), "2000-02-29"),
])
def test_a_birth_date_takes_the_latest_century_not_after_the_reference_date(
        raw: str, reference: date, iso: str) -> None:
    mrz = render_td3(issuing_state="FRA", surname="MARTIN", given_names="LEA",
                     document_number="12AB34567", nationality="FRA", date_of_birth=raw,
                     sex="F", date_of_expiry="2030-01-01")
    reading = parse_mrz(mrz, reference_date=reference)
    assert reading.fields["date_of_birth"] == iso
    assert reading.valid


def test_an_expiry_date_is_read_in_the_window_around_the_reference_date() -> None:
    assert read(TD3)["fields"]["date_of_expiry"] == "2012-04-15"  # type: ignore[index]
    reading = parse_mrz(TD3, reference_date=date(2070, 1, 1), allow_specimens=True)
    assert reading.fields["date_of_expiry"] == "2112-04-15"
    assert reading.expired is False
    assert parse_mrz(TD3, reference_date=date(2013, 1, 1), allow_specimens=True).expired


def test_an_impossible_date_is_a_problem_of_its_field() -> None:
    mrz = render_td3(issuing_state="FRA", surname="MARTIN", given_names="LEA",
                     document_number="12AB34567", nationality="FRA", date_of_birth="741312",
                     sex="F", date_of_expiry="2030-01-01")
    out = parse_mrz(mrz, reference_date=AS_OF).to_dict()
    problems = {p["field"]: p for p in out["problems"]}
    assert list(problems) == ["date_of_birth"]
    assert "month 13" in problems["date_of_birth"]["message"]
    assert problems["date_of_birth"]["position"] == "line 2, columns 14-19"
    assert out["fields"]["date_of_birth"] is None
    assert out["check_digits"]["date_of_birth"] is True


def test_an_unknown_date_of_birth_may_be_written_with_fillers() -> None:
    mrz = render_td3(issuing_state="FRA", surname="MARTIN", given_names="LEA",
                     document_number="12AB34567", nationality="FRA", date_of_birth="7408<<",
                     sex="F", date_of_expiry="2030-01-01")
    out = parse_mrz(mrz, reference_date=AS_OF).to_dict()
    assert out["valid"] is True, out["problems"]
    assert out["fields"]["date_of_birth"] is None


def test_a_document_that_expires_before_its_holder_was_born_is_invalid() -> None:
    mrz = render_td3(issuing_state="FRA", surname="MARTIN", given_names="LEA",
                     document_number="12AB34567", nationality="FRA", date_of_birth="2001-01-01",
                     sex="F", date_of_expiry="1999-01-01")
    problems = parse_mrz(mrz, reference_date=date(2024, 1, 1)).problems
    assert [(p.field, p.position) for p in problems] == [
        ("date_of_expiry", "line 2, columns 22-27")]


def test_an_unknown_sex_is_read_as_x_and_any_other_letter_is_a_problem() -> None:
    assert read(change(TD3, 2, 21, "<"))["fields"]["sex"] == "X"  # type: ignore[index]
    problems = read(change(TD3, 2, 21, "Q"))["problems"]
    assert [p["field"] for p in problems] == ["sex"]  # type: ignore[index]


def test_a_document_code_must_fit_the_format() -> None:
    out = read(TD2.replace("I<UTO", "V<UTO", 1).replace("V<", "Q<", 1))
    assert any(p["field"] == "document_code" for p in out["problems"])  # type: ignore[index]


def test_names_split_into_primary_and_secondary_identifiers_and_truncation_is_seen() -> None:
    long_name = "P<UTO" + ("ABCDEFGHIJKLMNOPQRSTUVWXYZ<<ABCDEFGHIJKLM")[:39]
    mrz = long_name + "\n" + TD3.split("\n")[1]
    fields = read(mrz)["fields"]
    assert fields["surname"] == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # type: ignore[index]
    assert fields["given_names"] == "ABCDEFGHIJK"  # type: ignore[index]
    assert fields["names_truncated"] is True  # type: ignore[index]
    assert read(TD3)["fields"]["names_truncated"] is False  # type: ignore[index]


def test_germany_is_written_d_and_the_special_codes_are_known() -> None:
    mrz = TD3.replace("P<UTO", "P<D<<").replace("UTO7408", "D<<7408")
    out = parse_mrz(mrz, reference_date=AS_OF).to_dict()
    assert out["fields"]["issuing_state"] == "D"
    assert out["fields"]["nationality"] == "D"
    assert out["valid"] is True, out["problems"]
    for code in ("GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC",
                 "XXX", "EUE"):
        assert code in ICAO_SPECIAL_CODES
        assert code.ljust(3, "<") in MRZ_CODES
    assert len(ISO_3166_ALPHA3) == 249
    assert code_name("D<<") == "Germany"


def test_an_unknown_code_is_named_as_such() -> None:
    mrz = TD3.replace("UTO7408", "ZZZ7408")
    problems = parse_mrz(mrz, reference_date=AS_OF, allow_specimens=True).problems
    assert [(p.field, p.position) for p in problems] == [("nationality", "line 2, columns 11-13")]
    assert "unknown code 'ZZZ'" in problems[0].message


def test_a_problem_converts_to_the_field_problem_other_layers_use() -> None:
    reading = parse_mrz(change(TD3, 2, 10, "7"), reference_date=AS_OF, allow_specimens=True)
    problem = reading.problems[0].to_field_problem()
    assert problem.path == "document_number"
    assert problem.message.startswith("line 2, columns 1-9: check digit '7'")
