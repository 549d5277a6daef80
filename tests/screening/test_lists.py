"""Reading list files: our CSV, OpenSanctions' simple CSV, FollowTheMoney JSON lines."""

from __future__ import annotations

import orjson

from nseers.screening.lists import delta, parse_list
from nseers.screening.model import PartialDate

HEADER = "id,name,aliases,date_of_birth,nationality,list,reason\n"


def test_a_malformed_row_is_named_by_line_and_column_and_the_rest_loads() -> None:
    parsed = parse_list((HEADER
                         + "p1,Ivan Petrov,Иван Петров;I. Petrov,1970-05-17,ru,eu,fraud\n"
                         + "p2,,x,1970,ru,eu,\n"
                         + "p3,Ali Hassan,,1970-13-01,iq,eu,\n"
                         + "p4,Ali Hassan,,1970,iq;sy,eu,\n").encode(), "default")
    assert [p.id for p in parsed.persons] == ["p1", "p4"]
    assert [str(p) for p in parsed.problems] == [
        "line 3, column name: required",
        "line 4, column date_of_birth: not a date: '1970-13-01' (month 13)"]
    assert parsed.persons[0].aliases == ("Иван Петров", "I. Petrov")
    assert parsed.persons[1].nationalities == ("iq", "sy")
    assert parsed.persons[0].dates_of_birth == (PartialDate(1970, 5, 17),)


def test_a_repeated_id_is_refused() -> None:
    parsed = parse_list((HEADER + "p1,A B,,,,,\np1,C D,,,,,\n").encode(), "x")
    assert [str(p) for p in parsed.problems] == ["line 3, column id: id 'p1' appears twice"]


def test_a_file_without_the_header_says_which_columns_are_missing() -> None:
    parsed = parse_list(b"id,name\np1,A B\n", "x")
    assert not parsed.persons
    assert "date_of_birth" in parsed.problems[0].column


def test_followthemoney_json_lines_keep_persons_and_skip_companies() -> None:
    lines = [
        {"id": "os-1", "schema": "Person", "datasets": ["ru_list"],
         "properties": {"name": ["Ivan Petrov"], "alias": ["Иван Петров"],
                        "birthDate": ["1970-05"], "nationality": ["ru"],
                        "topics": ["sanction"]}},
        {"id": "co-1", "schema": "Company", "properties": {"name": ["Acme"]}},
    ]
    data = b"\n".join(orjson.dumps(x) for x in lines) + b"\n{not json\n"
    parsed = parse_list(data, "x")
    assert [p.id for p in parsed.persons] == ["os-1"]
    assert parsed.persons[0].list_name == "ru_list"
    assert parsed.persons[0].dates_of_birth == (PartialDate(1970, 5),)
    assert parsed.skipped == 1
    assert parsed.problems[0].line == 3


def test_opensanctions_simple_csv_is_recognised_by_its_header() -> None:
    data = ("id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,"
            "phones,emails,dataset,first_seen,last_seen\n"
            "NK-1,Person,Kim Jong Un,김정은;Kim Jong-un,1984-01-08,kp,,,UN SC,,,un_sc,,\n"
            "NK-2,Vessel,Some Ship,,,kp,,,,,,un_sc,,\n").encode()
    parsed = parse_list(data, "x")
    assert parsed.format == "opensanctions-csv"
    assert [p.id for p in parsed.persons] == ["NK-1"]
    assert parsed.persons[0].aliases == ("김정은", "Kim Jong-un")
    assert parsed.skipped == 1


def test_the_delta_names_added_changed_and_removed_ids() -> None:
    old = parse_list((HEADER + "a,A One,,,,,\nb,B Two,,,,,\nc,C Three,,,,,\n").encode(), "x")
    new = parse_list((HEADER + "a,A One,,,,,\nb,B Two,,1970,,,\nd,D Four,,,,,\n").encode(), "x")
    change = delta({p.id: p for p in old.persons}, new.persons)
    assert change.to_dict() == {"added": ["d"], "changed": ["b"], "removed": ["c"]}
