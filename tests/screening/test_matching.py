"""Names across scripts, explained scores, the dated policy, and the blocking index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nseers.core.errors import PolicyError
from nseers.screening.index import Screener, WatchlistIndex
from nseers.screening.model import ListedPerson, PartialDate, ScreeningQuery
from nseers.screening.names import normalise
from nseers.screening.policy import load_screening_policy
from nseers.screening.scoring import RapidfuzzNameScorer

ON = date(2026, 12, 3)
LISTED = [
    ListedPerson("sa-1", "Mohammed bin Salman", ("محمد بن سلمان",),
                 (PartialDate(1985, 8, 31),), ("sa",), "test"),
    ListedPerson("ru-1", "Aleksandr Solovyov", ("Соловьёв Александр",),
                 (PartialDate(1970),), ("ru",), "test"),
    ListedPerson("kp-1", "Kim Jong Un", ("김정은",), (PartialDate(1984, 1, 8),), ("kp",), "test"),
    ListedPerson("gr-1", "Christos Papadopoulos", ("Χρήστος Παπαδόπουλος",),
                 (PartialDate(1962, 3, 4),), ("gr",), "test"),
    ListedPerson("cn-1", "Wang Wei", ("王伟",), (PartialDate(1975, 6, 1),), ("cn",), "test"),
    ListedPerson("iq-1", "Sheikh Khaled al-Hashimi", ("خالد الهاشمي",),
                 (PartialDate(1966, 11, 2),), ("iq",), "test"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(WatchlistIndex(LISTED), load_screening_policy())


def best(screener: Screener, name: str, dob: str | None = None,
         nationality: str | None = None) -> tuple[str, float, bool] | None:
    query = ScreeningQuery("q", name, PartialDate.parse(dob) if dob else None, nationality)
    found = screener.screen(query, ON)
    return (found[0].listed_id, found[0].score, found[0].match) if found else None


@pytest.mark.parametrize(("name", "listed"), [
    ("MUHAMMAD BIN SALMAN", "sa-1"),           # another Latin spelling, particle dropped
    ("Alexander Soloviev", "ru-1"),            # Cyrillic listed, other transliteration
    ("SOLOVYOV ALEKSANDR", "ru-1"),            # surname first
    ("KIM JONG UN", "kp-1"),                   # Hangul listed
    ("Hristos Papadopulos", "gr-1"),           # Greek listed, ch/h and ou/u
    ("WEI WANG", "cn-1"),                      # Han listed, order reversed
    ("Khalid Alhashimi", "iq-1"),              # attached article, honorific on the list
])
def test_a_transliteration_variant_of_a_listed_person_is_a_match(
        screener: Screener, name: str, listed: str) -> None:
    found = best(screener, name)
    assert found is not None
    assert found[0] == listed
    assert found[2], found


def test_a_namesake_with_another_birth_date_and_nationality_is_not_a_match(
        screener: Screener) -> None:
    found = best(screener, "Mohammed bin Salman", "1990-01-01", "FRA")
    assert found is not None
    assert found[0] == "sa-1"
    assert not found[2]
    assert found[1] < 0.8


def test_the_same_name_and_birth_date_is_a_match_even_on_another_passport(
        screener: Screener) -> None:
    found = best(screener, "Mohammed bin Salman", "1985-08-31", "GBR")
    assert found is not None
    assert found[2]


def test_birth_dates_count_exact_year_only_and_swapped(screener: Screener) -> None:
    query = ScreeningQuery("q", "Christos Papadopoulos", PartialDate(1962, 4, 3), "GRC")
    candidate = screener.screen(query, ON)[0]
    assert candidate.explanation["date_of_birth"]["feature"] == "day_month_swapped"
    year_only = ScreeningQuery("q", "Christos Papadopoulos", PartialDate(1962), "GRC")
    assert screener.screen(year_only, ON)[0].explanation["date_of_birth"]["feature"] == "year"
    exact = ScreeningQuery("q", "Christos Papadopoulos", PartialDate(1962, 3, 4), "GRC")
    assert screener.screen(exact, ON)[0].explanation["date_of_birth"]["points"] == 0.15


def test_every_score_explains_its_name_pair_features_and_points(screener: Screener) -> None:
    query = ScreeningQuery("q", "MUHAMMAD BIN SALMAN", PartialDate(1985, 8, 31), "SAU")
    explanation = screener.screen(query, ON)[0].explanation
    assert explanation["name_pair"]["query"] == "MUHAMMAD BIN SALMAN"
    pairs = {(p["query"], p["listed"]): p["feature"]
             for p in explanation["name"]["token_pairs"]}
    assert pairs[("muhammad", "mohammed")] == "skeleton"
    assert explanation["nationality"]["feature"] == "match"
    assert explanation["policy"]["threshold"] == 0.8


def test_an_unrelated_name_is_no_candidate_at_all(screener: Screener) -> None:
    assert best(screener, "Jennifer Thompson") is None


def test_initials_and_honorifics() -> None:
    scorer = RapidfuzzNameScorer()
    assert normalise("Dr. Sheikh Abdul-Rahman al-Hashimi").tokens == (
        "abdul", "rahman", "hashimi")
    initial = scorer.compare(normalise("A. Solovyov"), normalise("Aleksandr Solovyov"))
    assert initial.similarity > 0.9
    assert ("a", "aleksandr", 0.8, "initial") in initial.pairs


def test_a_surname_matching_nothing_counts_against() -> None:
    scorer = RapidfuzzNameScorer()
    assert scorer.compare(normalise("Alexandros Georgiou Nelu"),
                          normalise("Alexandros Georgiou Loga")).similarity < 0.8


def test_blocking_meets_only_a_few_candidates() -> None:
    persons = [ListedPerson(f"p{i}", f"Person{i} Surname{i}") for i in range(500)]
    index = WatchlistIndex([*persons, LISTED[0]])
    blocked = index.block(normalise("Muhammad Salman"))
    assert len(blocked) < 5
    assert index.persons[int(blocked[0])].id == "sa-1"


def test_listed_ids_must_be_unique() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        WatchlistIndex([LISTED[0], LISTED[0]])


def test_a_list_can_carry_its_own_threshold() -> None:
    policy = load_screening_policy()
    assert policy.for_list("un-sc-sanctions", ON).threshold == 0.75
    assert policy.for_list("some-other-list", ON).threshold == 0.8
    assert policy.for_list(None, ON).list is None


def test_invalid_policy_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "screening.yaml"
    path.write_text("records:\n  - {from: 2026-01-01, list: null, threshold: 2, name_floor: 0.7,"
                    " points: {}, citation: x, rationale: y}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_screening_policy(path)
    assert "threshold" in str(error.value.problems)
