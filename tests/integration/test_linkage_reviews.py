"""The entry-exit review queue in the registry (issue 12), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integration.helpers import ANALYST, AUDITOR, SECONDARY, count
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, InvalidInputError
from nseers.entry_exit.report import Decision
from nseers.registry.linkage_reviews import LinkageReview
from nseers.services.audit import audit_log
from nseers.services.context import Registry
from nseers.services.linkage_reviews import (
    QueueItem,
    QueuePublication,
    ReviewDecision,
    decide_review,
    decisions_to_apply,
    publish_queue,
    review_queue,
    show_review,
)


def _item(arrival: str, departure: str, probability: float, surname: str = "OLIINYK"
          ) -> QueueItem:
    return QueueItem(arrival, departure, probability,
                     {"name": "Exact match on name_key", "date_of_birth": "same year"},
                     {"record_id": arrival, "surname": surname, "date_of_birth": "1968-09-15"},
                     {"record_id": departure, "surname": surname,
                      "date_of_birth": "1967-05-09"})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clocked(registry: Registry) -> tuple[Registry, Clock]:
    clock = Clock()
    return Registry(database=registry.database, rules=registry.rules, clock=clock), clock


def _ids(registry: Registry, order: str = "oldest") -> list[tuple[str, str]]:
    page = review_queue(registry, ANALYST, order=order)
    return [(i["arrival_record_id"], i["departure_record_id"]) for i in page["items"]]


def test_a_rerun_updates_each_pair_once_and_never_doubles_it(
        clocked: tuple[Registry, Clock]) -> None:
    registry, clock = clocked
    first = publish_queue(registry, ANALYST, QueuePublication(
        "FY2024 as of 2024-12-31", (_item("A1", "D1", 0.91), _item("A2", "D2", 0.85))))
    assert (first["queued"], first["updated"], first["pending"]) == (2, 0, 2)
    clock.now += timedelta(days=30)
    again = publish_queue(registry, ANALYST, QueuePublication(
        "FY2024 as of 2025-01-31", (_item("A1", "D1", 0.93), _item("A3", "D3", 0.88)),
        snapshot="/runs/fy2024-feb"))
    assert (again["queued"], again["updated"], again["pending"]) == (1, 1, 3)
    assert count(registry, LinkageReview) == 3
    item = next(i for i in review_queue(registry, ANALYST)["items"]
                if i["arrival_record_id"] == "A1")
    assert item["probability"] == pytest.approx(0.93)
    assert item["run"] == "FY2024 as of 2025-01-31"
    assert item["snapshot"] == "/runs/fy2024-feb"
    assert item["first_seen_at"].startswith("2025-01-02")
    assert item["last_seen_at"].startswith("2025-02-01")
    assert item["arrival"]["surname"] == "OLIINYK"
    assert item["comparison_levels"]["date_of_birth"] == "same year"
    published = audit_log(registry, AUDITOR, action="entry_exit.review.publish")
    assert [(e["actor"], len(e["detail"]["added"])) for e in published] == [
        ("analyst", 2), ("analyst", 1)]


def test_the_queue_reads_oldest_or_least_probable_first_a_page_at_a_time(
        clocked: tuple[Registry, Clock]) -> None:
    registry, clock = clocked
    publish_queue(registry, ANALYST, QueuePublication("run 1", (_item("A1", "D1", 0.95),)))
    clock.now += timedelta(days=1)
    publish_queue(registry, ANALYST, QueuePublication("run 2", (_item("A2", "D2", 0.81),
                                                                _item("A3", "D3", 0.90))))
    assert _ids(registry, "oldest") == [("A1", "D1"), ("A2", "D2"), ("A3", "D3")]
    assert _ids(registry, "probability") == [("A2", "D2"), ("A3", "D3"), ("A1", "D1")]
    second = review_queue(registry, ANALYST, order="probability", page=2, per_page=2)
    assert (second["total"], second["pages"]) == (3, 2)
    assert [i["arrival_record_id"] for i in second["items"]] == ["A1"]
    with pytest.raises(InvalidInputError, match="order"):
        review_queue(registry, ANALYST, order="newest")
    listed = audit_log(registry, AUDITOR, action="entry_exit.review.list")
    assert listed[-1]["detail"]["shown"] == [second["items"][0]["review_id"]]
    assert listed[-1]["purpose"] == "statistical analysis"


def test_a_decision_needs_a_reason_and_a_change_of_mind_keeps_the_first_in_the_audit(
        registry: Registry) -> None:
    publish_queue(registry, ANALYST, QueuePublication("run", (_item("A1", "D1", 0.9),)))
    review_id = review_queue(registry, ANALYST)["items"][0]["review_id"]
    with pytest.raises(InvalidInputError) as refused:
        decide_review(registry, ANALYST, ReviewDecision(review_id, "reject", "  "))
    assert [p.path for p in refused.value.problems] == ["reason"]
    assert show_review(registry, ANALYST, review_id)["status"] == "pending"

    rejected = decide_review(registry, ANALYST, ReviewDecision(
        review_id, "reject", "born a year apart, another passport"))
    assert (rejected["status"], rejected["decided_by"]) == ("rejected", "analyst")
    with pytest.raises(ConflictError) as silent:
        decide_review(registry, Actor("a.second", Role.ANALYST),
                      ReviewDecision(review_id, "accept", "same man"))
    assert silent.value.code == "already_decided"
    changed = decide_review(registry, Actor("a.second", Role.ANALYST), ReviewDecision(
        review_id, "accept", "the passport was renewed in 2023", supersede=True))
    assert (changed["status"], changed["decided_by"]) == ("accepted", "a.second")

    decided = audit_log(registry, AUDITOR, action="entry_exit.review.decide")
    assert [e["detail"]["before"] for e in decided] == [
        None, {"decision": "reject", "decided_by": "analyst",
               "reason": "born a year apart, another passport",
               "decided_at": rejected["decided_at"]}]
    assert decided[-1]["detail"]["after"]["decision"] == "accept"
    assert review_queue(registry, ANALYST)["total"] == 0
    assert review_queue(registry, ANALYST, status="decided")["total"] == 1
    assert "entry_exit.review.read" in [e["action"] for e in audit_log(registry, AUDITOR)]


def test_a_rerun_keeps_the_decision_and_the_decisions_are_there_to_apply(
        registry: Registry) -> None:
    publish_queue(registry, ANALYST, QueuePublication("run", (_item("A1", "D1", 0.9),
                                                              _item("A2", "D2", 0.9))))
    first = review_queue(registry, ANALYST)["items"][0]
    decide_review(registry, ANALYST, ReviewDecision(first["review_id"], "reject", "twins"))
    again = publish_queue(registry, ANALYST, QueuePublication(
        "run 2", (_item("A1", "D1", 0.92), _item("A2", "D2", 0.9))))
    assert (again["queued"], again["updated"], again["already_decided"]) == (0, 1, 1)
    assert show_review(registry, ANALYST, first["review_id"])["decision"] == "reject"
    assert decisions_to_apply(registry, ANALYST) == [
        Decision("A1", "D1", "reject", "analyst", "twins")]


def test_only_an_analyst_reads_or_decides_the_queue(registry: Registry) -> None:
    publish_queue(registry, ANALYST, QueuePublication("run", (_item("A1", "D1", 0.9),)))
    for attempt in (lambda: review_queue(registry, SECONDARY),
                    lambda: show_review(registry, AUDITOR, 1),
                    lambda: decisions_to_apply(registry, SECONDARY),
                    lambda: decide_review(registry, SECONDARY,
                                          ReviewDecision(1, "accept", "same"))):
        with pytest.raises(ForbiddenError):
            attempt()


def test_a_publication_with_a_bad_item_writes_nothing(registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as refused:
        publish_queue(registry, ANALYST, QueuePublication(
            "run", (_item("A1", "D1", 0.9), _item("", "D2", 1.5))))
    assert {p.path for p in refused.value.problems} == {
        "items[1].arrival_record_id", "items[1].probability"}
    assert count(registry, LinkageReview) == 0
