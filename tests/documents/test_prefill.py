"""From a reading to the facts of an inspection case: what a form may be prefilled with."""

from __future__ import annotations

from datetime import date

from nseers.documents import case_prefill, parse_mrz, render_mrva, render_td1, render_td3
from nseers.rules.case import parse_case

AS_OF = date(2003, 1, 10)


def test_a_passport_prefills_a_case_the_rules_engine_accepts() -> None:
    mrz = render_td3(issuing_state="IRN", surname="Rahimi", given_names="Ali Reza",
                     document_number="H12345678", nationality="IRN",
                     date_of_birth="1970-03-04", sex="M", date_of_expiry="2006-05-06")
    prefill = case_prefill(parse_mrz(mrz, reference_date=AS_OF))
    assert prefill.valid
    assert prefill.traveler == {"citizenships": ["IRN"], "date_of_birth": "1970-03-04",
                                "sex": "M"}
    assert prefill.documents == [{"kind": "passport", "type": "regular", "issuer": "IRN"}]
    assert prefill.identity["surname"] == "RAHIMI"
    assert prefill.identity["document_number"] == "H12345678"
    case = parse_case({
        "event": "arrival", "date": AS_OF.isoformat(), "port": {"code": "JFK"},
        "traveler": {"claimed_status": "nonimmigrant", **prefill.traveler},
        "documents": prefill.documents,
    })
    assert case.traveler.citizenships == ("IRN",)
    assert case.traveler.date_of_birth == date(1970, 3, 4)
    assert case.documents[0].issuer == "IRN"


def test_germany_becomes_deu_and_a_diplomatic_passport_says_so() -> None:
    mrz = render_td3(document_code="PD", issuing_state="D", surname="Schmidt",
                     given_names="Eva", document_number="C01X00T47", nationality="D",
                     date_of_birth="1980-01-01", sex="F", date_of_expiry="2010-01-01")
    prefill = case_prefill(parse_mrz(mrz, reference_date=AS_OF))
    assert prefill.traveler["citizenships"] == ["DEU"]
    assert prefill.documents == [{"kind": "passport", "type": "diplomatic", "issuer": "DEU"}]


def test_a_us_passport_and_a_stateless_holder() -> None:
    us = render_td3(issuing_state="USA", surname="Doe", given_names="Jane",
                    document_number="123456789", nationality="USA",
                    date_of_birth="1980-01-01", sex="F", date_of_expiry="2010-01-01")
    assert case_prefill(parse_mrz(us, reference_date=AS_OF)).documents == [
        {"kind": "us_passport", "issuer": "USA"}]
    stateless = render_td1(issuing_state="DEU", surname="Doe", given_names="Jan",
                           document_number="T22000129", nationality="XXA",
                           date_of_birth="1980-01-01", sex="M", date_of_expiry="2010-01-01")
    prefill = case_prefill(parse_mrz(stateless, reference_date=AS_OF))
    assert "citizenships" not in prefill.traveler
    assert prefill.documents == []


def test_a_us_visa_prefills_its_class_when_the_optional_data_begins_with_one() -> None:
    mrz = render_mrva(document_code="VN", issuing_state="USA", surname="Khan",
                      given_names="Imran", document_number="A1234567B", nationality="PAK",
                      date_of_birth="1975-02-02", sex="M", date_of_expiry="2004-02-02",
                      optional_data="B1B2")
    prefill = case_prefill(parse_mrz(mrz, reference_date=AS_OF))
    assert prefill.documents == [{"kind": "visa", "class": "B1B2", "issuer": "USA"}]
    assert prefill.traveler["citizenships"] == ["PAK"]


def test_fields_with_problems_are_left_for_the_officer() -> None:
    mrz = render_td3(issuing_state="IRN", surname="Rahimi", given_names="Ali",
                     document_number="H12345678", nationality="IRN",
                     date_of_birth="1970-03-04", sex="M", date_of_expiry="2006-05-06")
    first, second = mrz.split("\n")
    wrong = str((int(second[19]) + 1) % 10)
    spoiled = f"{first}\n{second[:19]}{wrong}{second[20:]}"  # the birth date's check digit
    prefill = case_prefill(parse_mrz(spoiled, reference_date=AS_OF))
    assert not prefill.valid
    assert "date_of_birth" not in prefill.traveler
    assert prefill.traveler["citizenships"] == ["IRN"]
