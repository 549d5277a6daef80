"""Watchlist versions, screening at inspection, the hit queue and adjudication, on both
databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from integration.helpers import PRIMARY, SECONDARY, audit_actions, count, iranian, visitor
from nseers.core.actors import SYSTEM_ACTOR, Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError
from nseers.registry.watchlists import ScreeningHit, WatchlistVersion
from nseers.screening.model import PartialDate, ScreeningQuery
from nseers.services.context import Registry
from nseers.services.movements import inspect_arrival
from nseers.services.screening import adjudicate, list_hits, list_versions, load_watchlist, screen

ADMIN = Actor("admin", Role.ADMINISTRATOR)
HEADER = "id,name,aliases,date_of_birth,nationality,list,reason\n"
AHMADI = "w1,Reza Ahmadi,رضا احمدی,1970-05-01,ir,lookout,test entry\n"
OTHER = "w2,Ivan Petrov,Иван Петров,1961-02-03,ru,lookout,\n"


def load(registry: Registry, rows: str, source: str = "lookout") -> dict[str, object]:
    return load_watchlist(registry, ADMIN, (HEADER + rows).encode(), source, f"{source}.csv")


def test_each_import_is_a_version_with_its_delta_and_audit(registry: Registry) -> None:
    first = load(registry, AHMADI + OTHER)
    second = load(registry, AHMADI + "w2,Ivan Petrov,,1961-02-03,ru,lookout,\nw3,A B,,,,lookout,\n")
    assert (first["number"], second["number"]) == (1, 2)
    assert first["delta"] == {"added": 2, "changed": 0, "removed": 0}
    assert second["delta"] == {"added": 1, "changed": 1, "removed": 0}
    history = list_versions(registry, ADMIN)
    assert [v["number"] for v in history] == [2, 1]
    assert audit_actions(registry).count("watchlist.version_loaded") == 2


def test_a_malformed_row_is_reported_and_the_rest_loads(registry: Registry) -> None:
    report = load(registry, AHMADI + "w9,,,,,,\n")
    assert report["persons"] == 1
    assert report["problems"] == ["line 3, column name: required"]


def test_a_file_with_no_good_row_loads_nothing(registry: Registry) -> None:
    with pytest.raises(InvalidInputError):
        load(registry, "w9,,,,,,\n")
    assert count(registry, WatchlistVersion) == 0


def test_an_id_taken_by_another_list_refuses_the_whole_import(registry: Registry) -> None:
    load(registry, AHMADI)
    with pytest.raises(ConflictError):
        load(registry, OTHER + AHMADI, source="another")
    assert count(registry, WatchlistVersion) == 1


def test_screening_explains_candidates_and_is_audited(registry: Registry) -> None:
    load(registry, AHMADI + OTHER)
    answers = screen(registry, SECONDARY, [ScreeningQuery(
        "q1", "REZA AHMADY", PartialDate(1970, 5, 1), "IRN")], date(2026, 12, 3))
    candidate = answers[0]["candidates"][0]
    assert candidate["id"] == "w1"
    assert candidate["match"]
    assert candidate["explanation"]["date_of_birth"]["feature"] == "exact"
    assert "screening.screened" in audit_actions(registry)


def test_inspection_refers_a_listed_traveller_and_the_hit_waits_for_secondary(
        registry: Registry) -> None:
    load(registry, AHMADI)
    answer = inspect_arrival(registry, PRIMARY, iranian(decision="refer"))
    assert answer["screening"] == {"refer_to_secondary": True, "hits": 1}
    assert "w1" not in str(answer)  # the primary officer (and the traveller) see no hit
    with pytest.raises(ForbiddenError):
        list_hits(registry, PRIMARY)
    hits = list_hits(registry, SECONDARY)
    assert [h["listed_id"] for h in hits] == ["w1"]
    assert hits[0]["person_id"] == answer["person_id"]


def test_a_traveller_not_on_any_list_is_not_referred(registry: Registry) -> None:
    load(registry, AHMADI)
    assert inspect_arrival(registry, PRIMARY, visitor())["screening"][
        "refer_to_secondary"] is False


def test_a_false_match_is_remembered_until_a_new_list_version(registry: Registry) -> None:
    load(registry, AHMADI)
    inspect_arrival(registry, PRIMARY, iranian(decision="refer"))
    hit = list_hits(registry, SECONDARY)[0]
    decided = adjudicate(registry, SECONDARY, hit["id"], "false_match", "other Reza Ahmadi")
    assert decided["status"] == "false_match"
    assert "screening.adjudicated" in audit_actions(registry)
    again = inspect_arrival(registry, PRIMARY, iranian(
        decision="refer", occurred_at=iranian().occurred_at.replace(year=2004)))
    assert again["screening"]["refer_to_secondary"] is False
    load(registry, AHMADI + OTHER)  # a new version: the traveller is screened afresh
    with registry.sessions() as session:
        open_hits = session.execute(select(ScreeningHit).where(
            ScreeningHit.status == "open")).scalars().all()
    assert [h.origin for h in open_hits] == ["rescreen"]


def test_importing_a_version_rescreens_the_registry(registry: Registry) -> None:
    inspect_arrival(registry, SYSTEM_ACTOR, iranian())
    report = load(registry, AHMADI)
    assert report["rescreen"] == {"screened": 1, "new_hits": 1}
    assert list_hits(registry, SECONDARY)[0]["origin"] == "rescreen"


def test_an_unknown_decision_is_refused(registry: Registry) -> None:
    load(registry, AHMADI)
    inspect_arrival(registry, PRIMARY, iranian(decision="refer"))
    hit = list_hits(registry, SECONDARY)[0]
    with pytest.raises(InvalidInputError):
        adjudicate(registry, SECONDARY, hit["id"], "maybe")
