"""The fast paths of ``nseers evaluate`` (issue 18) answer what the slow paths answer.

A well-formed case read without field paths is the case the field-by-field reader builds,
and a case with any bad field is left to that reader, so its problems are named as before;
a result encoded from cached parts is ``json.dumps`` of its dictionary, byte for byte.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nseers.cli.compact import encode
from nseers.core.errors import InvalidInputError
from nseers.rules.case import _read_case, parse_case, read_well_formed
from nseers.rules.engine import Engine
from strategies import cases, corrupted_cases

ROOT = Path(__file__).parent.parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_rules import generate  # noqa: E402 - the benchmark's generator of cases

ENGINE = Engine()
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _slow(raw: dict[str, Any]) -> Any:
    try:
        return _read_case(raw)
    except InvalidInputError as error:
        return error


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_valid_case_read_fast_is_the_case_read_field_by_field(raw: dict[str, Any]) -> None:
    fast = read_well_formed(raw)
    assert fast is not None
    assert fast == _slow(raw)


@settings(max_examples=300, deadline=None)
@given(corrupted_cases())
def test_a_case_with_a_bad_field_is_left_to_the_reader_that_names_it(
        corrupted: tuple[dict[str, Any], str]) -> None:
    raw, path = corrupted
    slow = _slow(raw)
    fast = read_well_formed(raw)
    if isinstance(slow, InvalidInputError):
        assert fast is None
        with_paths = {p.path for p in slow.problems}
        assert any(path in shown for shown in with_paths), with_paths
    else:  # a corruption the contract tolerates (e.g. a blank optional list entry)
        assert fast is None or fast == slow


def test_the_benchmarks_cases_take_the_fast_path() -> None:
    rng = random.Random(18)  # noqa: S311 - test data
    for _ in range(500):
        raw = generate(rng)
        fast = read_well_formed(copy.deepcopy(raw))
        assert fast is not None
        assert fast == _read_case(raw)


def _same_bytes(raw: dict[str, Any]) -> None:
    result = ENGINE.evaluate(parse_case(raw))
    assert encode(result) == json.dumps(result.to_dict(), ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(cases(), st.one_of(st.none(), st.text(min_size=1, max_size=8)))
def test_a_result_encoded_from_parts_is_json_dumps_of_its_dictionary(
        raw: dict[str, Any], case_id: str | None) -> None:
    if case_id is not None:
        raw["id"] = case_id  # any text: quotes, controls, non-ASCII
    with contextlib.suppress(InvalidInputError):  # a date before the policy's coverage
        _same_bytes(raw)


def test_every_example_and_an_unlisted_port_encode_as_json_dumps() -> None:
    for path in EXAMPLES:
        _same_bytes(json.loads(path.read_text(encoding="utf-8")))
    rng = random.Random(7)  # noqa: S311 - test data
    raw = generate(rng)
    raw["port"] = {"code": "ZZQ", "mode": "land", "state": "TX"}
    result = ENGINE.evaluate(parse_case(raw))
    assert result.port.reasons  # the port's own reasons are encoded too
    _same_bytes(raw)


def test_reasons_whose_values_are_equal_but_print_differently_are_not_shared() -> None:
    raw = generate(random.Random(11))  # noqa: S311 - test data
    result = ENGINE.evaluate(parse_case(raw))
    reason = result.determinations["inspection"].reasons[0]
    # True == 1 == 1.0 and -0.0 == 0.0, and each pair hashes alike: a cache of encoded
    # reasons keyed by the values alone would print the first one seen for both.
    for values in ({"n": 1}, {"n": True}, {"n": 1.0}, {"n": 0.0}, {"n": -0.0},
                   {"n": (1,)}, {"n": (True,)}):
        spoken = replace(result, determinations={
            **result.determinations, "inspection": replace(
                result.determinations["inspection"],
                reasons=(replace(reason, values=values),))})
        assert encode(spoken) == json.dumps(spoken.to_dict(), ensure_ascii=False)


def _valid() -> dict[str, Any]:
    raw = generate(random.Random(3))  # noqa: S311 - test data
    raw["date"] = "2003-01-15"
    raw["traveler"]["date_of_birth"] = "1980-01-01"
    raw["documents"] = [{"kind": "passport", "issuer": "IRN", "date_of_issue": "2001-05-01",
                         "date_of_expiry": "2011-05-01"}]
    raw["registration"] = {"basis": "individual", "date": "2002-12-01"}
    raw["departure_report"] = {"port_code": "JFK", "date": "2003-01-15"}
    return raw


SPOILT = [
    ("traveler.date_of_birth", ("traveler", "date_of_birth"), "2003-01-16"),
    ("registration.date", ("registration", "date"), "2003-01-16"),
    ("documents[0].date_of_issue", ("documents", 0, "date_of_issue"), "2003-01-16"),
    ("documents[0].date_of_expiry", ("documents", 0, "date_of_expiry"), "2001-04-30"),
    ("date", ("date",), "2003-02-30"),
    ("port.state", ("port", "state"), "ny"),
    ("traveler.citizenships[0]", ("traveler", "citizenships", 0), "iran"),
    ("itinerary.length_of_stay_days", ("itinerary", "length_of_stay_days"), True),
    ("circumstances.stowaway", ("circumstances", "stowaway"), "yes"),
    ("documents[0].issuer", ("documents", 0, "issuer"), "IR"),
    ("departure_report.port_code", ("departure_report", "port_code"), " "),
]


def test_each_spoilt_field_is_named_by_the_slow_path() -> None:
    valid = _valid()
    assert read_well_formed(copy.deepcopy(valid)) == _read_case(valid)
    for path, keys, value in SPOILT:
        raw = copy.deepcopy(valid)
        target: Any = raw
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        assert read_well_formed(raw) is None, path
        with_paths = [p.path for p in _slow(raw).problems]
        assert with_paths == [path]


def test_a_part_read_before_does_not_stand_in_for_an_equal_value_of_another_type() -> None:
    # The fast path remembers ports, documents, circumstances and itineraries by their raw
    # items; 1 == True and 0 == -0.0 hash alike, so an item read before must not answer for
    # one the reader would refuse, or one that prints differently.
    valid = _valid()
    valid["circumstances"] = {"stowaway": True}
    valid["itinerary"] = {"length_of_stay_days": 1, "max_distance_from_border_miles": 0}
    assert read_well_formed(copy.deepcopy(valid)) == _read_case(valid)
    assert read_well_formed(copy.deepcopy(valid)) == _read_case(valid)  # now remembered

    for keys, value in ((("circumstances", "stowaway"), 1),
                        (("itinerary", "length_of_stay_days"), True)):
        raw = copy.deepcopy(valid)
        raw[keys[0]][keys[1]] = value
        assert read_well_formed(raw) is None, keys
        assert [p.path for p in _slow(raw).problems] == [".".join(keys)]

    raw = copy.deepcopy(valid)
    raw["itinerary"]["max_distance_from_border_miles"] = -0.0
    fast = read_well_formed(raw)
    assert fast is not None
    assert str(fast.itinerary.max_distance_from_border_miles) == "-0.0"  # as the reader reads it
    assert str(_read_case(raw).itinerary.max_distance_from_border_miles) == "-0.0"


def test_a_determination_shared_by_cases_is_the_one_each_case_would_get_alone() -> None:
    # ``Law.constant`` keeps a determination per epoch for the first case that asks; a
    # key that left out a fact the determination shows would hand one case's facts to the
    # next. The same cases in the opposite order build every shared one from other cases.
    from nseers.rules.policy.store import load_policy  # noqa: PLC0415 - a fresh cache each

    rng = random.Random(18)  # noqa: S311 - test data
    raws = [generate(rng) for _ in range(1500)]
    forward, backward = Engine(load_policy()), Engine(load_policy())
    ahead = [forward.evaluate(parse_case(raw)).to_dict() for raw in raws]
    behind = [backward.evaluate(parse_case(raw)).to_dict() for raw in reversed(raws)]
    assert ahead == behind[::-1]


def test_an_epoch_keeps_a_bounded_number_of_constants_and_builds_the_rest_each_time() -> None:
    # A constant's key may hold a fact of the case (the I-94 answer keeps the admission
    # class): a stream of ever new classes must not grow the law's memory without end.
    from datetime import date  # noqa: PLC0415 - only here

    from nseers.rules import law as law_module  # noqa: PLC0415 - its bound
    from nseers.rules.policy.store import load_policy  # noqa: PLC0415 - a fresh cache

    law = law_module.Law(load_policy(), date(2010, 6, 1))
    bound = law_module._CONSTANTS_PER_EPOCH
    kept = [law.constant(("class", n), lambda n=n: [n]) for n in range(bound)]
    assert law.constant(("class", 7), lambda: ["rebuilt"]) is kept[7]
    assert law.constant(("class", bound), lambda: ["late"]) == ["late"]
    assert law.constant(("class", bound), lambda: ["again"]) == ["again"]
    # Another day of the same epoch shares what was kept, and keeps no more.
    other = law_module.Law(law.policy, date(2010, 6, 2))
    assert law.policy.epoch(other.on) == law.policy.epoch(law.on)  # no change of law between
    assert other.constant(("class", 7), lambda: ["rebuilt"]) is kept[7]
    assert other.constant(("class", bound + 1), lambda: ["more"]) == ["more"]
    assert other.constant(("class", bound + 1), lambda: ["once more"]) == ["once more"]


def test_a_json_lines_line_decodes_as_json_loads_decodes_it() -> None:
    from nseers.cli.stream import _decode_line  # noqa: PLC0415 - the stream's decoder

    def either(decode: Any, line: str) -> Any:
        try:
            return "value", decode(line)
        except json.JSONDecodeError as error:
            return "error", error.msg, error.pos

    lines = ['{"a": 1}\n', ' {"a": 1}\n', '{"a": 1} x\n', '{"a": 1}\r\n', '{"a": 1}\x0b\n',
             '\ufeff{"a": 1}\n', '[1, 2]', '"x"\n', '{"a": 1}  \n', '{bad\n', '1e5\n', '-\n',
             '', '{"a": 1}{"b": 2}\n']
    for line in lines:
        assert either(_decode_line, line) == either(json.loads, line), repr(line)


def test_values_and_details_of_every_kind_encode_as_json_dumps_of_the_dictionary() -> None:
    from datetime import date  # noqa: PLC0415 - only here

    raw = generate(random.Random(11))  # noqa: S311 - test data
    result = ENGINE.evaluate(parse_case(raw))
    reason = result.determinations["inspection"].reasons[0]
    day = date(2003, 1, 15)
    kinds: list[dict[str, Any]] = [
        {"on": day}, {"days": (day, date(2004, 2, 29))}, {"set": {"IRN"}},
        {"frozen": frozenset({"SYR"})}, {"nested": {"on": day, "list": [day, (1, 2.5)]}},
        {"mixed": [{"a": day}, None, True, -0.0, "ü\n\""]}]
    for values in kinds:
        inspection = replace(result.determinations["inspection"],
                             reasons=(replace(reason, values=values),), details=values)
        changed = replace(result, determinations={**result.determinations,
                                                  "inspection": inspection})
        assert encode(changed) == json.dumps(changed.to_dict(), ensure_ascii=False), values


def test_a_line_orjson_reads_gives_the_case_json_gives_and_the_rest_take_json() -> None:
    from nseers.cli.stream import _decode_line, _quick_case  # noqa: PLC0415 - the stream's

    raw = generate(random.Random(21))  # noqa: S311 - test data
    line = json.dumps(raw) + "\n"
    assert _quick_case(line) == parse_case(_decode_line(line))
    # An integer past 64 bits: orjson would read the id as a float, json as the integer.
    big = json.dumps({**raw, "id": 2**64}) + "\n"
    assert _quick_case(big) is None
    assert parse_case(_decode_line(big)).case_id == str(2**64)
    # What orjson refuses and json reads (NaN, 1e400, a lone surrogate) takes json's path;
    # so does a case the fast reader doubts, for its problems to be named.
    head = json.dumps(raw)[:-1]
    for text in (head + ', "notes": NaN}', head + ', "notes": 1e400}',
                 head + ', "notes": "\\ud800"}', json.dumps({**raw, "event": 3})):
        assert _quick_case(text) is None, text
    assert _quick_case("[1]") is None


def test_a_stream_with_ids_orjson_would_misread_prints_what_json_reads(tmp_path: Path) -> None:
    import subprocess  # noqa: PLC0415 - only here

    rng = random.Random(22)  # noqa: S311 - test data
    raws = [{**generate(rng), "id": identifier}
            for identifier in (2**64, -(2**63) - 1, 2**63, 7, 1.5, "x", None)]
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(raw) + "\n" for raw in raws))
    printed = subprocess.run([sys.executable, "-m", "nseers", "evaluate", str(path)],
                             capture_output=True, text=True, check=True).stdout
    expected = [ENGINE.evaluate(parse_case(raw)).to_dict() for raw in raws]
    assert printed == json.dumps(expected, ensure_ascii=False) + "\n"


def test_a_determination_the_law_shares_encodes_as_json_dumps_each_time() -> None:
    from nseers.rules.law import SHARED  # noqa: PLC0415 - the registry of shared values

    rng = random.Random(23)  # noqa: S311 - test data
    results = [ENGINE.evaluate(parse_case(generate(rng))) for _ in range(400)]
    shared = [r for r in results
              if any(id(d) in SHARED for d in r.determinations.values())]
    assert len(shared) > 100  # departures and citizens share several determinations
    for result in shared * 2:  # the second time from the kept text
        assert encode(result) == json.dumps(result.to_dict(), ensure_ascii=False)


def test_the_law_of_another_day_of_an_epoch_is_the_epoch_s_law_on_that_day() -> None:
    from datetime import date, timedelta  # noqa: PLC0415 - only here

    from nseers.rules.policy.store import load_policy  # noqa: PLC0415 - a fresh cache

    policy = load_policy()
    first = date(2003, 1, 10)
    shared = policy.in_force(first)
    same_epoch = [first + timedelta(days=days) for days in (1, 2, 30)
                  if policy.epoch(first + timedelta(days=days)) == policy.epoch(first)]
    assert same_epoch
    for day in same_epoch:
        law = policy.in_force(day)
        assert law.on == day
        assert shared.on == first  # the epoch's own copy is left as it was
        assert law == replace(shared, on=day)
        assert law.parameters is shared.parameters  # shared, not copied
