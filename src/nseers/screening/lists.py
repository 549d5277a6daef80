"""Reading watchlists: our CSV, FollowTheMoney JSON lines and OpenSanctions exports.

Each file is read in full before anything is stored: a malformed row is reported by line
and column and left out, the rest is returned, and the caller decides (the service stores
the whole version in one transaction, or nothing). Three formats:

* **CSV** with the header ``id,name,aliases,date_of_birth,nationality,list,reason``;
  aliases, dates of birth and nationalities may each hold several values separated by
  ``;``.
* **OpenSanctions "simple" CSV** (``targets.simple.csv``: ``id,schema,name,aliases,
  birth_date,countries,...,dataset``), recognised by its header.
* **FollowTheMoney JSON lines** (one entity per line, ``{"id", "schema", "properties"}``),
  which is also OpenSanctions' ``entities.ftm.json`` and ``targets.nested.json``. Only
  ``Person`` entities are travellers; other schemata are counted as skipped.

:func:`delta` compares two versions of a list: which persons were added, changed or
removed, kept with each version for audit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from followthemoney import model

from nseers.screening.model import ListedPerson, PartialDate

OUR_COLUMNS = ("id", "name", "aliases", "date_of_birth", "nationality", "list", "reason")
OPENSANCTIONS_COLUMNS = ("id", "schema", "name", "aliases", "birth_date", "countries")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row left out of a list, with where and why."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class ParsedList:
    """What a file held: the persons read, the rows refused, the entities skipped."""

    format: str
    persons: list[ListedPerson] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Delta:
    """What a new version of a list changes: ids added, changed and removed."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    def to_dict(self) -> dict[str, list[str]]:
        """The delta as the audit trail and the version history keep it."""
        return {"added": list(self.added), "changed": list(self.changed),
                "removed": list(self.removed)}


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def _dates(values: Iterable[str], line: int, column: str,
           problems: list[RowProblem]) -> tuple[PartialDate, ...] | None:
    dates: list[PartialDate] = []
    for value in values:
        try:
            dates.append(PartialDate.parse(value[:10]))
        except ValueError as error:
            problems.append(RowProblem(line, column, str(error)))
            return None
    return tuple(dates)


def parse_list(data: bytes, default_list: str) -> ParsedList:
    """Read a list file in any of the three formats (told apart by their first line)."""
    text = data.decode("utf-8-sig")
    first = text.lstrip()[:1]
    if first in ("{", ""):
        return _parse_ftm(text, default_list)
    return _parse_csv(text, default_list)


def _parse_csv(text: str, default_list: str) -> ParsedList:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = tuple(reader.fieldnames or ())
    if set(OUR_COLUMNS) <= set(header):
        columns: Mapping[str, str] = {c: c for c in OUR_COLUMNS}
        parsed = ParsedList("csv")
    elif set(OPENSANCTIONS_COLUMNS) <= set(header):
        columns = {"id": "id", "name": "name", "aliases": "aliases",
                   "date_of_birth": "birth_date", "nationality": "countries",
                   "list": "dataset", "reason": "sanctions"}
        parsed = ParsedList("opensanctions-csv")
    else:
        missing = [c for c in OUR_COLUMNS if c not in header]
        parsed = ParsedList("csv")
        parsed.problems.append(RowProblem(1, ",".join(missing), "missing columns; expected "
                                          "the header " + ",".join(OUR_COLUMNS)))
        return parsed
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if None in row:
            parsed.problems.append(RowProblem(line, "*", "more fields than the header has"))
            continue
        if parsed.format == "opensanctions-csv" and row.get("schema") != "Person":
            parsed.skipped += 1
            continue
        person = _from_columns(row, columns, line, default_list, seen, parsed.problems)
        if person is not None:
            parsed.persons.append(person)
    return parsed


def _from_columns(row: dict[str, Any], columns: Mapping[str, str], line: int,
                  default_list: str, seen: set[str],
                  problems: list[RowProblem]) -> ListedPerson | None:
    identifier = (row.get(columns["id"]) or "").strip()
    name = (row.get(columns["name"]) or "").strip()
    if not identifier:
        problems.append(RowProblem(line, columns["id"], "required"))
        return None
    if identifier in seen:
        problems.append(RowProblem(line, columns["id"], f"id {identifier!r} appears twice"))
        return None
    if not name:
        problems.append(RowProblem(line, columns["name"], "required"))
        return None
    dates = _dates(_split(row.get(columns["date_of_birth"])), line, columns["date_of_birth"],
                   problems)
    if dates is None:
        return None
    nationalities = _split(row.get(columns["nationality"]))
    bad = [n for n in nationalities if not n.isalpha() or not 1 <= len(n) <= 3]
    if bad:
        problems.append(RowProblem(line, columns["nationality"],
                                   f"not a country code: {bad[0]!r}"))
        return None
    seen.add(identifier)
    return ListedPerson(identifier, name, tuple(a for a in _split(row.get(columns["aliases"]))
                                                if a != name), dates,
                        tuple(n.lower() for n in nationalities),
                        (row.get(columns["list"]) or "").strip() or default_list,
                        (row.get(columns["reason"]) or "").strip())


def _parse_ftm(text: str, default_list: str) -> ParsedList:
    parsed = ParsedList("ftm")
    seen: set[str] = set()
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = orjson.loads(raw)
            proxy = model.get_proxy(data, cleaned=False)
        except (orjson.JSONDecodeError, TypeError, ValueError, KeyError) as error:
            parsed.problems.append(RowProblem(line, "*", f"not a FollowTheMoney entity: {error}"))
            continue
        if not proxy.schema.is_a("Person"):
            parsed.skipped += 1
            continue
        if not proxy.id:
            parsed.problems.append(RowProblem(line, "id", "required"))
            continue
        if proxy.id in seen:
            parsed.problems.append(RowProblem(line, "id", f"id {proxy.id!r} appears twice"))
            continue
        names = proxy.get("name")
        if not names:
            parsed.problems.append(RowProblem(line, "properties.name", "required"))
            continue
        dates = _dates(proxy.get("birthDate"), line, "properties.birthDate", parsed.problems)
        if dates is None:
            continue
        seen.add(proxy.id)
        aliases = [*names[1:], *proxy.get("alias"), *proxy.get("weakAlias")]
        datasets = data.get("datasets") or []
        reason = "; ".join([*proxy.get("topics"), *proxy.get("program"), *proxy.get("notes")][:3])
        parsed.persons.append(ListedPerson(
            proxy.id, names[0], tuple(dict.fromkeys(a for a in aliases if a != names[0])),
            dates, tuple(dict.fromkeys(c.lower() for c in
                                       [*proxy.get("nationality"), *proxy.get("citizenship")])),
            datasets[0] if datasets else default_list, reason))
    return parsed


def delta(previous: Mapping[str, ListedPerson], current: Iterable[ListedPerson]) -> Delta:
    """Which ids a new version adds, changes (any field differs) and removes."""
    now = {p.id: p for p in current}
    added = sorted(i for i in now if i not in previous)
    changed = sorted(i for i in now if i in previous and previous[i] != now[i])
    removed = sorted(i for i in previous if i not in now)
    return Delta(tuple(added), tuple(changed), tuple(removed))


def to_jsonl(persons: Iterable[ListedPerson]) -> bytes:
    """Persons as JSON lines of :meth:`ListedPerson.to_dict` (how a version is stored)."""
    return b"".join(orjson.dumps(p.to_dict()) + b"\n" for p in persons)
