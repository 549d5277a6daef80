"""``nseers entry-exit report --queue``: the registry's review queue, remembered on re-runs
(issue 12)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.bootstrap import open_registry
from nseers.cli.main import app
from nseers.core.actors import Actor, Role
from nseers.demo.entry_exit import Generated, generate
from nseers.services.linkage_reviews import ReviewDecision, decide_review, review_queue

ANALYST = Actor("a.reviewer", Role.ANALYST)


#: One traveller the model cannot be sure of: the departure carries a mistyped surname, the
#: birth date's day and month swapped and a renewed passport. Splink links the pair with a
#: probability under the confident threshold, so it is queued for review and used.
DOUBTFUL_ARRIVAL = ("A900000000,KOWALCZYK,MARTA,1979-03-08,F,POL,POL111110000,POL,"
                    "2024-02-10,JFK,air,B2,2024-06-10,")
DOUBTFUL_DEPARTURE = ("D900000000,KOWALCZIK,MARTA,1979-08-03,F,POL,POL222220000,POL,"
                      "2024-05-01,JFK,air,carrier_manifest")


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    generated = generate(tmp_path_factory.mktemp("feeds"), 12_000, seed=2, file_format="csv")
    for path, row in ((generated.arrivals, DOUBTFUL_ARRIVAL),
                      (generated.departures, DOUBTFUL_DEPARTURE)):
        with path.open("a", encoding="utf-8") as handle:
            handle.write(row + "\n")
    return generated


def _env(data_dir: Path) -> dict[str, str]:
    return {"NSEERS_DATA_DIR": str(data_dir), "NSEERS_DATABASE_URL": "",
            "NSEERS_USER": "a.reviewer"}


def _report(feeds: Generated, data_dir: Path, links: Path, *extra: str) -> str:
    result = CliRunner().invoke(app, [
        "entry-exit", "report", "--arrivals", str(feeds.arrivals), "--departures",
        str(feeds.departures), "--fiscal-year", "2024", "--as-of", "2024-12-31",
        "--links", str(links), *extra], env=_env(data_dir))
    assert result.exit_code == 0, result.output
    return result.stderr


def _links(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["arrival_record_id"], r["departure_record_id"])
                for r in csv.DictReader(handle)}


def test_a_rejected_link_is_not_used_again_nor_queued_again_and_a_decisions_file_wins(
        feeds: Generated, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    said = _report(feeds, data_dir, tmp_path / "first.csv", "--queue")
    assert "review queue:" in said
    registry = open_registry(environ=_env(data_dir))
    try:
        queued = review_queue(registry, ANALYST, order="probability")
        assert queued["total"] >= 1
        # A pair the run used (an unsure identity link whose departure comes before the
        # arrival is in the queue but assigns nothing).
        used = _links(tmp_path / "first.csv")
        doubtful = next(i for i in queued["items"]
                        if (i["arrival_record_id"], i["departure_record_id"]) in used)
        pair = (doubtful["arrival_record_id"], doubtful["departure_record_id"])
        assert doubtful["arrival"]["record_id"] == pair[0]
        assert doubtful["departure"]["surname"]
        assert doubtful["comparison_levels"]["name"]
        decide_review(registry, ANALYST, ReviewDecision(
            doubtful["review_id"], "reject", "born years apart, another passport"))
    finally:
        registry.database.dispose()

    said = _report(feeds, data_dir, tmp_path / "second.csv", "--queue",
                   "--review", str(tmp_path / "queue.json"))
    assert pair not in _links(tmp_path / "second.csv")
    assert "0 new" in said
    assert pair not in {(r["arrival_record_id"], r["departure_record_id"]) for r in
                        json.loads((tmp_path / "queue.json").read_text(encoding="utf-8"))}
    registry = open_registry(environ=_env(data_dir))
    try:
        assert review_queue(registry, ANALYST)["total"] == queued["total"] - 1
    finally:
        registry.database.dispose()

    # The --decisions file is what this run was asked to apply: it wins over the queue.
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("arrival_record_id,departure_record_id,decision,analyst,reason\n"
                         f"{pair[0]},{pair[1]},accept,b.analyst,renewed passport\n",
                         encoding="utf-8")
    _report(feeds, data_dir, tmp_path / "third.csv", "--queue", "--decisions",
            str(decisions))
    assert pair in _links(tmp_path / "third.csv")


def test_the_queue_is_refused_to_a_role_that_may_not_review_links(
        feeds: Generated, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [
        "entry-exit", "report", "--arrivals", str(feeds.arrivals), "--departures",
        str(feeds.departures), "--fiscal-year", "2024", "--as-of", "2024-12-31",
        "--queue", "--role", "secondary_officer"], env=_env(tmp_path / "data"))
    assert result.exit_code == 1
    assert "may not review links" in result.stderr
