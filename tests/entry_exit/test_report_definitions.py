"""The report follows the issue's definitions exactly, on small hand-made feeds."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nseers.core.errors import InvalidInputError
from nseers.entry_exit.definitions import (
    ARRIVAL_COLUMNS,
    DEPARTURE_COLUMNS,
    STATUS_CHANGE_COLUMNS,
    apply_status_changes,
    definitions_for,
    expected_departure_date,
)
from nseers.entry_exit.duckdb_engine import RunResult, run
from nseers.entry_exit.inputs import InputFileError
from nseers.rules.policy.store import default_policy

FY = 2024
AS_OF = date(2024, 12, 31)


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def arrival(record_id: str, **changes: Any) -> dict[str, Any]:
    row = {"record_id": record_id, "surname": f"SURNAME{record_id}", "given_names": "ANNA",
           "date_of_birth": "1980-05-20", "sex": "F", "citizenship": "FRA",
           "document_number": f"P{record_id}", "document_issuer": "FRA",
           "arrival_date": "2024-01-10", "port": "JFK", "mode": "air",
           "admission_class": "B2", "admit_until": "2024-07-09", "program_end_date": ""}
    row.update(changes)
    return row


def departure(record_id: str, of: dict[str, Any], **changes: Any) -> dict[str, Any]:
    row = {c: of.get(c, "") for c in DEPARTURE_COLUMNS if c in of}
    row.update({"record_id": record_id, "departure_date": "2024-07-01", "mode": "air",
                "port": "JFK", "source": "carrier_manifest"})
    row.update(changes)
    return row


def report(tmp_path: Path, arrivals: list[dict[str, Any]], departures: list[dict[str, Any]],
           changes: list[dict[str, Any]] | None = None, as_of: date = AS_OF) -> RunResult:
    defs = definitions_for(default_policy(), FY, as_of)
    a = _write(tmp_path / "arrivals.csv", ARRIVAL_COLUMNS, arrivals)
    d = _write(tmp_path / "departures.csv", DEPARTURE_COLUMNS, departures)
    s = _write(tmp_path / "changes.csv", STATUS_CHANGE_COLUMNS, changes) if changes else None
    return run(a, d, s, defs)


def totals(result: RunResult) -> tuple[int, int, int]:
    g = result.report["grand_total"]
    return (g["expected_departures"], g["out_of_country_overstays"],
            g["suspected_in_country_overstays"])


def test_duration_of_status_ends_with_the_grace_period_of_its_class() -> None:
    defs = definitions_for(default_policy(), FY, AS_OF)
    end = date(2024, 5, 1)
    assert expected_departure_date(defs, "F-1", None, end) == date(2024, 6, 30)
    assert expected_departure_date(defs, "M1", None, end) == date(2024, 5, 31)
    assert expected_departure_date(defs, "J1", None, end) == date(2024, 5, 31)
    assert expected_departure_date(defs, "B2", None, end) is None
    assert "8 CFR 214.2(f)(5)(iv)" in defs.citations["entry_exit.grace_days_f"]


def test_status_changes_count_only_when_filed_on_or_before_the_edd_in_force() -> None:
    edd = date(2024, 3, 1)
    assert apply_status_changes(edd, [(date(2024, 3, 1), "extension", date(2024, 6, 1))]) \
        == date(2024, 6, 1)
    assert apply_status_changes(edd, [(date(2024, 3, 2), "extension", date(2024, 6, 1))]) \
        == edd
    assert apply_status_changes(edd, [(date(2024, 2, 1), "change_of_status", None)]) is None


def test_departures_are_matched_and_overstays_classed(tmp_path: Path) -> None:
    on_time, late, gone, not_yet = (arrival("1"), arrival("2"), arrival("3"),
                                    arrival("4", admit_until="2025-03-01"))
    result = report(tmp_path, [on_time, late, gone, not_yet], [
        departure("d1", on_time),
        # The late leaver renewed the passport and the name is in the other order.
        departure("d2", {**late, "surname": "ANNA", "given_names": late["surname"],
                         "document_number": "NEW2"}, departure_date="2024-08-01"),
    ])
    # not_yet's EDD is in FY2025: out of this report.
    assert totals(result) == (3, 1, 1)
    methods = {d: m for _, d, m, _ in result.links}
    assert methods == {"d1": "document", "d2": "deterministic"}


def test_fiscal_year_window_includes_both_ends(tmp_path: Path) -> None:
    rows = [arrival("a", admit_until="2023-09-30", arrival_date="2023-06-01"),
            arrival("b", admit_until="2023-10-01", arrival_date="2023-06-01"),
            arrival("c", admit_until="2024-09-30"),
            arrival("d", admit_until="2024-10-01")]
    assert totals(report(tmp_path, rows, []))[0] == 2


def test_in_country_needs_the_as_of_date_after_the_edd(tmp_path: Path) -> None:
    row = arrival("1", admit_until="2024-09-30")
    assert totals(report(tmp_path, [row], [], as_of=date(2024, 9, 30))) == (1, 0, 0)
    assert totals(report(tmp_path, [row], [], as_of=date(2024, 10, 1))) == (1, 0, 1)


def test_departures_after_the_as_of_date_are_ignored(tmp_path: Path) -> None:
    row = arrival("1", admit_until="2024-09-01")
    result = report(tmp_path, [row], [departure("d", row, departure_date="2024-11-01")],
                    as_of=date(2024, 10, 15))
    assert totals(result) == (1, 0, 1)


def test_a_departure_belongs_to_the_latest_arrival_before_it(tmp_path: Path) -> None:
    first = arrival("1", arrival_date="2023-12-01", admit_until="2024-02-01")
    second = arrival("2", arrival_date="2024-03-01", admit_until="2024-05-01",
                     surname=first["surname"], document_number=first["document_number"])
    result = report(tmp_path, [first, second], [
        departure("d", first, departure_date="2024-04-01")])
    assert [(a, d) for a, d, _, _ in result.links] == [("2", "d")]
    # The first admission has no departure: a suspected in-country overstay.
    assert totals(result) == (2, 0, 1)


def test_a_document_outranks_a_namesakes_later_arrival(tmp_path: Path) -> None:
    # Two people with one name, birth date and citizenship; the departure carries the
    # first one's passport. The namesake arrived later, but the document says who left.
    holder = arrival("1", surname="GARCIA", arrival_date="2024-01-10")
    namesake = arrival("2", surname="GARCIA", arrival_date="2024-02-10",
                       document_number="PX999")
    result = report(tmp_path, [holder, namesake], [
        departure("d", holder, departure_date="2024-03-01")])
    assert [(a, d, m) for a, d, m, _ in result.links] == [("1", "d", "document")]


def test_a_name_and_birth_date_link_prefers_the_departures_sex(tmp_path: Path) -> None:
    # Two people with one name, birth date and citizenship, a woman and a man; the woman
    # leaves with a renewed passport after the man's later arrival. Only sex tells them
    # apart, and it says she left.
    woman = arrival("1", surname="GARCIA", sex="F", arrival_date="2024-01-10")
    man = arrival("2", surname="GARCIA", sex="M", arrival_date="2024-02-10",
                  document_number="PX999")
    result = report(tmp_path, [woman, man], [
        departure("d", woman, departure_date="2024-03-01", document_number="PR777")])
    assert [(a, d, m) for a, d, m, _ in result.links] == [("1", "d", "deterministic")]


def _strangers() -> list[dict[str, Any]]:
    """Twenty travellers unlike each other, so the probabilistic tier has records to learn
    from."""
    return [arrival(f"{i}", surname=f"NAME{i:03d}", given_names=given, date_of_birth=dob,
                    citizenship=cit, document_number=f"D{i:05d}")
            for i, (given, dob, cit) in enumerate(
                [(g, f"19{60 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}", c)
                 for i, (g, c) in enumerate(
                     (g, c) for g in ("ANNA", "OMAR", "LENA", "IVAN", "SARA")
                     for c in ("FRA", "IND", "MEX", "DEU"))])]


def _two_trips(tmp_path: Path, first_departs: str) -> dict[str, tuple[str, str]]:
    """A traveller's two trips among strangers: the first trip's departure (``dt1``, on
    ``first_departs``) carries the passport both arrivals share; the second trip's
    (``dt2``) a mistyped surname and a renewed passport, so only the probabilistic tier can
    place it. Each departure's (arrival, method)."""
    rows = _strangers()
    first = arrival("t1", surname="KOWALCZYK", given_names="MARTA",
                    date_of_birth="1975-03-14", citizenship="POL", document_number="PL12345",
                    arrival_date="2023-11-01", admit_until="2024-01-30")
    second = {**first, "record_id": "t2", "arrival_date": "2024-03-01",
              "admit_until": "2024-05-30"}
    departures = [departure(f"d{r['record_id']}", r) for r in rows]
    departures += [departure("dt1", first, departure_date=first_departs),
                   departure("dt2", second, departure_date="2024-05-20",
                             surname="KOWALCYZK", document_number="PL99999")]
    result = report(tmp_path, [*rows, first, second], departures)
    return {d: (a, m) for a, d, m, _ in result.links}


def test_a_second_trips_departure_with_a_new_passport_finds_the_second_arrival(
        tmp_path: Path) -> None:
    # The first trip's departure links both trips by document; the second arrival must
    # still be open to the probabilistic tier.
    links = _two_trips(tmp_path, first_departs="2024-01-20")
    assert links["dt1"] == ("t1", "document")
    assert links["dt2"] == ("t2", "probabilistic")


def test_a_second_arrival_given_the_first_trips_late_record_stays_open_to_the_second_departure(
        tmp_path: Path) -> None:
    # The first trip's departure is recorded after the second arrival, so by the rule it
    # belongs to the second arrival. The second trip's departure belongs there too: the
    # latest arrival on or before it, not the first.
    links = _two_trips(tmp_path, first_departs="2024-03-10")
    assert links["dt1"] == ("t2", "document")
    assert links["dt2"] == ("t2", "probabilistic")


def test_duration_of_status_and_status_changes_in_the_report(tmp_path: Path) -> None:
    student = arrival("s", admission_class="F1", admit_until="D/S",
                      program_end_date="2024-08-15")  # EDD 2024-10-14: FY2025
    extended = arrival("e", admit_until="2024-05-01")
    changed = arrival("c", admit_until="2024-05-01")
    late_filing = arrival("l", admit_until="2024-05-01")
    neither = arrival("n", admission_class="H1B", admit_until="")
    result = report(tmp_path, [student, extended, changed, late_filing, neither], [], [
        {"record_id": "x1", "arrival_record_id": "e", "filed_date": "2024-05-01",
         "kind": "extension", "new_admit_until": "2024-11-01"},
        {"record_id": "x2", "arrival_record_id": "c", "filed_date": "2024-04-01",
         "kind": "change_of_status"},
        {"record_id": "x3", "arrival_record_id": "l", "filed_date": "2024-05-02",
         "kind": "adjustment_of_status"},
    ])
    assert totals(result) == (1, 0, 1)
    assert result.report["by_country"][0]["country_of_citizenship"] == "FRA"


def test_tables_follow_vwp_membership_and_land_is_separate(tmp_path: Path) -> None:
    rows = [arrival("1"), arrival("2", citizenship="IND"), arrival("3", citizenship="MEX"),
            arrival("4", admission_class="J1", admit_until="", program_end_date="2024-03-01"),
            arrival("5", mode="land")]
    tables = report(tmp_path, rows, []).report["tables"]
    countries = {name: [r["country_of_citizenship"] for r in t["rows"]]
                 for name, t in tables.items()}
    assert countries["vwp"] == ["FRA"]
    assert countries["non_vwp"] == ["IND"]
    assert countries["canada_mexico"] == ["MEX"]
    assert countries["students"] == ["FRA"]
    assert tables["land"]["total"]["expected_departures"] == 1
    assert tables["all"]["total"]["expected_departures"] == 4


def test_a_bad_row_is_reported_and_the_rest_are_kept(tmp_path: Path) -> None:
    rows = [arrival("1"), arrival("2", arrival_date="2024-13-01"), arrival("3")]
    result = report(tmp_path, rows, [])
    load = result.loads[0]
    assert (load.rows_read, load.rows_kept, load.bad_rows) == (3, 2, 1)
    assert str(load.problems[0]).endswith(
        "row 2, column arrival_date: not a date (expected YYYY-MM-DD): '2024-13-01'")
    assert totals(result)[0] == 2


def test_a_file_without_a_column_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "arrivals.csv"
    path.write_text("record_id,surname\n1,X\n", encoding="utf-8")
    defs = definitions_for(default_policy(), FY, AS_OF)
    with pytest.raises(InputFileError) as caught:
        run(path, path, None, defs)
    assert f"{path}: column arrival_date: missing from the header" in str(caught.value)


def test_a_fiscal_year_the_policy_does_not_cover_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="fiscal_year: 2001"):
        definitions_for(default_policy(), 2001, AS_OF)
