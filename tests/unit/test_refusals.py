"""The refusal-of-entry rules: which grounds, procedure and disposition go together, and the
coded lists' own consistency, on both sides of their date of effect (1997-04-01)."""

from __future__ import annotations

from datetime import date

import pytest

from nseers.core.errors import InvalidInputError
from nseers.rules.engine import Engine
from nseers.rules.refusals import assess_refusal, coded_lists

IN_FORCE = date(1997, 4, 1)


@pytest.mark.parametrize("on", [IN_FORCE, date(2003, 6, 15), date(2026, 11, 1)])
def test_every_procedure_ends_only_in_listed_dispositions_and_expedited_grounds_are_grounds(
        engine: Engine, on: date) -> None:
    codes = coded_lists(engine.law(on))
    for procedure in codes["procedures"].values():
        assert set(procedure["dispositions"]) <= set(codes["dispositions"])
    assert set(codes["expedited_removal_grounds"]) <= set(codes["grounds"])
    assert "credible_fear_referral" in codes["procedures"]["expedited_removal"]["dispositions"]


def test_the_day_before_iirira_took_effect_nothing_is_coded(engine: Engine) -> None:
    codes = coded_lists(engine.law(date(1997, 3, 31)))
    assert codes["grounds"] == codes["procedures"] == {}
    with pytest.raises(InvalidInputError) as raised:
        assess_refusal(engine.law(date(1997, 3, 31)), ["criminal"], "notice_to_appear",
                       "detained")
    assert {p.path for p in raised.value.problems} == {"grounds[0]", "procedure",
                                                        "disposition"}
    assert assess_refusal(engine.law(IN_FORCE), ["criminal"], "notice_to_appear",
                          "detained").grounds[0]["code"] == "criminal"


@pytest.mark.parametrize("ground", ["fraud_or_misrepresentation", "false_claim_to_citizenship",
                                    "no_valid_immigrant_document", "nonimmigrant_documents"])
def test_expedited_removal_rests_on_the_fraud_and_document_grounds(
        engine: Engine, ground: str) -> None:
    assessment = assess_refusal(engine.law(date(2010, 1, 1)), [ground], "expedited_removal",
                                "returned")
    limit = [r for r in assessment.reasons
             if r.rule == "refusal.expedited_removal_grounds_only"]
    assert len(limit) == 1
    assert limit[0].citation == "INA 235(b)(1)(A)(i); 8 CFR 235.3(b)(1), 235.3(b)(3)"


@pytest.mark.parametrize("ground", ["unlawful_presence", "criminal", "security",
                                    "public_charge"])
def test_expedited_removal_on_any_other_ground_is_refused_naming_it(
        engine: Engine, ground: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        assess_refusal(engine.law(date(2010, 1, 1)), ["nonimmigrant_documents", ground],
                       "expedited_removal", "returned")
    assert [p.path for p in raised.value.problems] == ["grounds[1]"]
    # The same grounds by withdrawal or in removal proceedings are lawful.
    assess_refusal(engine.law(date(2010, 1, 1)), ["nonimmigrant_documents", ground],
                   "withdrawal", "withdrawn_and_returned")
    assess_refusal(engine.law(date(2010, 1, 1)), ["nonimmigrant_documents", ground],
                   "notice_to_appear", "paroled")


@pytest.mark.parametrize(("procedure", "disposition"), [
    ("withdrawal", "credible_fear_referral"), ("notice_to_appear", "credible_fear_referral"),
    ("expedited_removal", "withdrawn_and_returned"), ("withdrawal", "paroled")])
def test_a_disposition_its_procedure_cannot_end_in_is_refused(
        engine: Engine, procedure: str, disposition: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        assess_refusal(engine.law(date(2010, 1, 1)), ["nonimmigrant_documents"], procedure,
                       disposition)
    assert [p.path for p in raised.value.problems] == ["disposition"]


def test_the_explanation_names_each_rule_citation_and_value(engine: Engine) -> None:
    explained = assess_refusal(engine.law(date(2010, 1, 1)),
                               ["fraud_or_misrepresentation"], "expedited_removal",
                               "credible_fear_referral").to_dict()
    assert explained["disposition"]["citation"].endswith("8 CFR 235.3(b)(4)")
    ground = explained["reasons"][0]
    assert ground["rule"] == "refusal.ground"
    assert ground["values"] == {"ground": "fraud_or_misrepresentation",
                                "citation": "INA 212(a)(6)(C)(i) (8 U.S.C. 1182(a)(6)(C)(i))"}
    assert ground["effective"] == "1997-04-01"
