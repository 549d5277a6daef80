"""Complete and partial lists of designated departure ports (8 CFR 264.1(f)).

A port missing from the loaded list is a violation only on dates the list is loaded in
full; elsewhere the answer is ``undetermined`` and names the gap (evaluation contract).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nseers.core.errors import PolicyError
from nseers.rules import ids
from nseers.rules.engine import Engine
from nseers.rules.policy.schema import DeparturePortList
from nseers.rules.policy.store import default_policy, load_policy

COMPLETE_2005 = """\
kind: departure_port
title: A complete list for 2005 (test data)
coverage:
  - id: "test complete list"
    from: 2005-01-01
    to: 2006-01-01
    complete: true
    citation: 8 CFR 264.1(f)
    source: TEST NOTICE
    confidence: H
records:
  - id: SFO
    name: San Francisco International Airport
    from: 2005-01-01
    to: 2006-01-01
    citation: 8 CFR 264.1(f)
    source: TEST NOTICE
    confidence: H
"""


IMPORTED_2002 = """\
kind: departure_port
title: Part of the 2002 list, as an administrator would import it (test data)
records:
  - id: JFK
    name: John F. Kennedy International Airport
    from: 2002-10-01
    citation: 8 CFR 264.1(f)
    source: 67 FR 61352
    confidence: H
"""

#: The built-in lists, one per notice, each with its dates and its gap.
BUILTIN_LISTS = default_policy().records(DeparturePortList)


def _departure(day: str, port: str, basis: str = "designated_nationality") -> dict[str, Any]:
    return {"event": "departure", "date": day, "port": {"code": port},
            "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["IRN"]},
            "registration": {"basis": basis, "date": "2002-09-20", "fin": "FIN-1"},
            "departure_report": {"port_code": port, "date": day}}


def _outcome(engine: Engine, day: str, port: str,
             basis: str = "designated_nationality") -> tuple[str, list[str], str]:
    result = engine.evaluate_raw(_departure(day, port, basis)).determinations[
        "departure_registration"]
    return (result.outcome, [r.rule for r in result.reasons],
            " ".join(r.text for r in result.reasons))


def test_a_port_missing_from_a_partial_list_is_undetermined_and_names_the_gap() -> None:
    outcome, rules, text = _outcome(Engine(), "2005-06-01", "LAX")
    assert outcome == "undetermined"
    assert rules == [ids.DR_PORT_LIST_INCOMPLETE]
    assert "68 FR 8047" in text
    assert "2003-03-03 to 2006-08-17" in text
    assert "not a violation" in text


def test_before_any_port_is_loaded_the_gap_is_the_first_notice() -> None:
    outcome, _, text = _outcome(Engine(), "2002-10-01", "JFK")
    assert outcome == "undetermined"
    assert "67 FR 61352" in text
    assert "2002-10-01 to 2003-03-02" in text


def test_a_port_missing_from_a_complete_list_is_not_designated(tmp_path: Path) -> None:
    (tmp_path / "complete.yaml").write_text(COMPLETE_2005, encoding="utf-8")
    engine = Engine(load_policy((tmp_path,)))
    outcome, rules, text = _outcome(engine, "2005-06-01", "LAX")
    assert (outcome, rules) == ("non_compliant", [ids.DR_PORT_NOT_DESIGNATED])
    assert "loaded in full" in text
    assert _outcome(engine, "2005-06-01", "SFO")[0] == "compliant"
    # The complete list covers 2005 only: the next day after it the gap is back.
    assert _outcome(engine, "2006-01-01", "LAX")[0] == "undetermined"


def test_a_partial_list_must_name_its_gap(tmp_path: Path) -> None:
    text = COMPLETE_2005.replace("complete: true", "complete: false")
    (tmp_path / "partial.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="gap"):
        load_policy((tmp_path,))


def test_coverage_belongs_only_to_departure_port_files(tmp_path: Path) -> None:
    head = COMPLETE_2005.split("records:", maxsplit=1)[0].replace(
        "kind: departure_port", "kind: border_zone")
    (tmp_path / "zones.yaml").write_text(head + "records: []\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="only to a departure_port file"):
        load_policy((tmp_path,))


def _list_on(day: date) -> DeparturePortList:
    (entry,) = (e for e in BUILTIN_LISTS if e.in_force_on(day))
    return entry


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def test_jfk_in_november_2002_is_undetermined_and_names_what_the_first_notice_lacks() -> None:
    outcome, rules, text = _outcome(Engine(), "2002-11-01", "JFK")
    assert (outcome, rules) == ("undetermined", [ids.DR_PORT_LIST_INCOMPLETE])
    assert "67 FR 61352 (2002-10-01 to 2003-03-02)" in text
    assert "67 FR 61352-61353" in text
    assert "preamble only" in text
    assert "JFK included" in text


@pytest.mark.parametrize("port", ["LAX", "MIA", "SFO", "IAD", "EWR"])
def test_a_2005_departure_after_l_on_the_2003_list_is_undetermined_never_a_violation(
        port: str) -> None:
    outcome, rules, text = _outcome(Engine(), "2005-06-01", port)
    assert (outcome, rules) == ("undetermined", [ids.DR_PORT_LIST_INCOMPLETE])
    assert "68 FR 8047 (2003-03-03 to 2006-08-17)" in text
    assert "only from A to L" in text
    assert "every port after it is missing" in text


def test_jfk_in_november_2002_is_compliant_once_a_list_naming_it_is_loaded(
        tmp_path: Path) -> None:
    (tmp_path / "ports-2002.yaml").write_text(IMPORTED_2002, encoding="utf-8")
    outcome, rules, text = _outcome(Engine(load_policy((tmp_path,))), "2002-11-01", "JFK")
    assert (outcome, rules) == ("compliant", [ids.DR_COMPLIANT, ids.DR_COMPLIANT])
    assert "designated for registrants' departures from 2002-10-01" in text


def test_no_builtin_list_is_marked_complete_and_each_gap_names_its_notices_pages() -> None:
    # A list may be marked complete only once its whole text has been read (issue 15);
    # none has, so each gap must say which pages of which notice are missing.
    assert [entry.id for entry in BUILTIN_LISTS] == [
        "67 FR 61352", "68 FR 8047", "71 FR 45061", "71 FR 45061 and CBP Dec. 09-43"]
    pages = {"67 FR 61352": "67 FR 61352-61353", "68 FR 8047": "68 FR 8047-8048",
             "71 FR 45061": "71 FR 45061-45063",
             "71 FR 45061 and CBP Dec. 09-43": "2006 full list is still missing"}
    for entry in BUILTIN_LISTS:
        assert not entry.complete
        assert pages[entry.id] in _one_line(entry.gap)


def test_the_builtin_lists_cover_every_day_departures_had_to_be_registered() -> None:
    # No day from the first list to the removal of the regulation falls between two
    # lists, so no day lacks a named gap.
    spans = sorted((e.effective_from, e.effective_to) for e in BUILTIN_LISTS)
    assert spans[0][0] == date(2002, 10, 1)
    assert spans[-1][1] == date(2016, 12, 23)
    for (_, end), (start, _) in pairwise(spans):
        assert end == start


_REFERENCE_PORTS = sorted(default_policy().ports)
_FIRST, _END = date(2002, 10, 1), date(2016, 12, 23)
_ENGINE = Engine()
#: The first and last day of each built-in list: where a wrong list would first show.
_LIST_EDGES = sorted({day for entry in BUILTIN_LISTS if entry.effective_to is not None
                      for day in (entry.effective_from,
                                  entry.effective_to - timedelta(days=1))})


@settings(max_examples=150, deadline=None)
@given(day=st.one_of(st.sampled_from(_LIST_EDGES),
                     st.dates(min_value=_FIRST, max_value=_END - timedelta(days=1))),
       port=st.sampled_from(_REFERENCE_PORTS))
def test_a_departure_registered_properly_is_never_a_violation_under_the_builtin_lists(
        day: date, port: str) -> None:
    # Built in, every list is partial: a port loaded on that day is designated, any
    # other port is undetermined with that day's list and gap named.
    outcome, rules, text = _outcome(_ENGINE, day.isoformat(), port, basis="individual")
    loaded = port in default_policy().in_force(day).departure_ports
    if loaded:
        assert (outcome, rules) == ("compliant", [ids.DR_COMPLIANT, ids.DR_COMPLIANT])
    else:
        entry = _list_on(day)
        assert (outcome, rules) == ("undetermined", [ids.DR_PORT_LIST_INCOMPLETE])
        assert entry.id in text
        assert _one_line(entry.gap) in _one_line(text)

