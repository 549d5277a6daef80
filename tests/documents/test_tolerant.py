"""Tolerant reading: OCR confusions are corrected only where the check digits confirm them."""

from __future__ import annotations

from datetime import date

from nseers.documents import parse_mrz

AS_OF = date(2010, 6, 1)
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
       "7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def tolerant(text: str) -> dict[str, object]:
    return parse_mrz(text, reference_date=AS_OF, tolerant=True, allow_specimens=True).to_dict()


def corrected(out: dict[str, object]) -> set[tuple[str, str, str, str]]:
    return {(c["position"], c["read"], c["corrected"], c["basis"])
            for c in out["corrections"]}  # type: ignore[attr-defined]


def test_a_clean_mrz_is_read_without_corrections() -> None:
    out = tolerant(TD3)
    assert out["valid"] is True
    assert out["corrections"] == []


def test_letters_in_numeric_fields_and_digits_in_alphabetic_fields_are_corrected() -> None:
    ocr = TD3.replace("P<UTOERIKSSON", "P<UT0ERIKSS0N").replace("7408122F1204", "74O8122F12O4")
    out = tolerant(ocr)
    assert out["valid"] is True, out["problems"]
    assert "\n".join(out["lines"]) == TD3  # type: ignore[arg-type]
    assert ("line 2, column 16", "O", "0", "character class") in corrected(out)
    assert ("line 1, column 5", "0", "O", "character class") in corrected(out)


def test_a_confusion_in_the_document_number_is_corrected_when_the_check_digit_confirms_it(
) -> None:
    out = tolerant(TD3.replace("L898902C3", "L8989O2C3"))
    assert out["valid"] is True, out["problems"]
    assert corrected(out) == {("line 2, column 6", "O", "0", "check digit")}
    assert out["fields"]["document_number"] == "L898902C3"  # type: ignore[index]


def test_a_filler_read_as_k_is_a_filler_again() -> None:
    out = tolerant(TD3.replace("MARIA<<<<<<<", "MARIA<<<<K<<").replace("B<<<<<10", "B<<<K<10"))
    assert "\n".join(out["lines"]) == TD3  # type: ignore[arg-type]
    assert {basis for *_, basis in corrected(out)} == {"character class"}


def test_missing_and_extra_fillers_are_restored_in_the_filler_runs() -> None:
    short, long = TD3.split("\n")
    out = tolerant(short[:-2] + "\n" + long.replace("<<<<<10", "<<<<<<10"))
    assert "\n".join(out["lines"]) == TD3  # type: ignore[arg-type]
    assert {basis for *_, basis in corrected(out)} == {"line length"}


def test_an_unknown_country_code_one_confusion_from_a_known_one_is_corrected() -> None:
    text = TD1.replace("UTO<<<<", "DEU<<<<").replace("I<UTO", "I<DEU")
    assert parse_mrz(text, reference_date=AS_OF, tolerant=True).valid
    misread = parse_mrz(text.replace("I<DEU", "I<OEU"), reference_date=AS_OF, tolerant=True)
    assert misread.valid
    assert [(c.field, c.read, c.corrected, c.basis) for c in misread.corrections] == [
        ("issuing_state", "O", "D", "country code")]


def test_lower_case_and_junk_lines_around_the_mrz_are_tolerated() -> None:
    out = tolerant("PASSPORT\n" + TD3.lower().replace("p<uto", "P<UTO") + "\n")
    assert out["valid"] is True, out["problems"]
    assert out["format"] == "TD3"


def test_an_ambiguous_correction_is_not_made() -> None:
    # Two errors in two fields, each of which several substitutions would repair: the
    # reader refuses to guess and reports the check digits that fail.
    out = tolerant(TD3.replace("L898902C3", "L8989O2C3").replace("ZE184226B", "ZE1B4226B"))
    assert out["valid"] is False
    assert {p["field"] for p in out["problems"]} >= {"document_number",  # type: ignore[attr-defined]
                                                     "personal_number"}


def test_strict_mode_corrects_nothing() -> None:
    reading = parse_mrz(TD3.replace("L898902C3", "L8989O2C3"), reference_date=AS_OF,
                        allow_specimens=True)
    assert not reading.valid
    assert reading.corrections == ()
