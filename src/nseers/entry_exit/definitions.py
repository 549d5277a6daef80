"""The one set of definitions the overstay report follows, whatever engine computes it.

DHS's Entry/Exit Overstay Report (8 U.S.C. 1376; 8 U.S.C. 1365a(e)) counts, for a fiscal
year, the nonimmigrants admitted at air and sea ports whose stay was due to end in that
year, and how many of them left late or not at all. This module holds every definition the
report reads, so that the engines (``duckdb_engine``, and the SQL of ``sql``) only
execute them:

- **In scope**: arrivals by a mode in ``entry_exit.in_scope_modes`` (air and sea); land
  admissions are counted in a separate ``land`` table, never in the others.
- **Expected departure date (EDD)**: for a duration-of-status admission (a class in
  ``entry_exit.duration_of_status_classes`` with a ``program_end_date``) the program end
  plus its grace period (F 60 days, 8 CFR 214.2(f)(5)(iv); M 30, (m)(10)(ii); J 30,
  (j)(1)(ii)); otherwise ``admit_until``. An admission with neither is out of scope.
  Reading we chose: a D/S class with a program end uses the program end even when an
  ``admit_until`` is also present, because D/S has no fixed date.
- **Status changes** filed on or before the EDD then in force, in filing order: an
  ``extension`` moves the EDD to ``new_admit_until``; a ``change_of_status`` or an
  ``adjustment_of_status`` takes the admission out of scope. A filing after the EDD then in
  force changes nothing.
- **Fiscal year** FY: EDD from 1 October of FY-1 to 30 September of FY, both included.
- **Departure assignment**: a departure belongs to the same identity's latest arrival on
  or before the departure date; an admission's departure is the earliest departure that
  belongs to it. Departures after the as-of date are ignored.
- **Overstay classes**: out-of-country overstay = departed after the EDD; suspected
  in-country overstay = no departure by the as-of date and the as-of date is after the EDD.
  Total = both; rates = count / expected departures, in percent, to two decimals.
- **VWP membership** (8 CFR 217.2(a)) is the list in force on the last day of the fiscal
  year: a country designated during the year is reported with the program for that year.

The policy values are read from the dated policy data, never written here.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules.policy.store import Policy

Method = Literal["document", "deterministic", "probabilistic"]
METHODS: tuple[Method, ...] = ("document", "deterministic", "probabilistic")

STATUS_CHANGE_KINDS = ("extension", "change_of_status", "adjustment_of_status")
MODES = ("air", "sea", "land")
DURATION_OF_STATUS_WORDS = ("D/S", "DS")

ARRIVAL_COLUMNS = ("record_id", "surname", "given_names", "date_of_birth", "sex",
                   "citizenship", "document_number", "document_issuer", "arrival_date",
                   "port", "mode", "admission_class", "admit_until", "program_end_date")
DEPARTURE_COLUMNS = ("record_id", "surname", "given_names", "date_of_birth", "sex",
                     "citizenship", "document_number", "document_issuer", "departure_date",
                     "port", "mode", "source")
STATUS_CHANGE_COLUMNS = ("record_id", "arrival_record_id", "filed_date", "kind",
                         "new_admit_until")

REPORT_COLUMNS = ("expected_departures", "out_of_country_overstays",
                  "suspected_in_country_overstays", "total_overstays", "total_overstay_rate",
                  "suspected_in_country_overstay_rate")

TABLES = ("all", "vwp", "non_vwp", "students", "other", "canada_mexico")
"""The report's tables, in DHS's order: all in-scope nonimmigrant classes; VWP countries
(business and pleasure classes); non-VWP countries (business and pleasure); students and
exchange visitors (F, M, J); other in-scope classes; Canada and Mexico (every class).
Canada and Mexico appear only in ``all`` and their own table, as in DHS's Tables 2 to 6."""


@dataclass(frozen=True, slots=True)
class LinkageSettings:
    """How sure a probabilistic link must be: not law, the linkage model's own settings.

    ``link_threshold`` is the match probability from which a Splink pair counts as a link;
    links under ``confident_threshold`` also go to the review queue, where an analyst's
    decision overrides the model on every later run.
    """

    link_threshold: float = 0.80
    confident_threshold: float = 0.99
    seed: int = 12
    max_pairs_for_u: int = 2_000_000
    training_arrivals: int = 40_000
    """About how many arrivals (with the departures of the same sample keys) the m values
    are trained on: a sample by birth year and the lesser of day and month, so that a
    person's records stay together, and small enough that a national year trains as fast
    as a small one."""


@dataclass(frozen=True, slots=True)
class Definitions:
    """Every value the report reads for one fiscal year and as-of date, with its source."""

    fiscal_year: int
    as_of: date
    fy_start: date
    fy_end: date
    in_scope_modes: tuple[str, ...]
    grace_days: dict[str, int]
    vwp_countries: tuple[str, ...]
    business_pleasure_classes: tuple[str, ...]
    student_classes: tuple[str, ...]
    separately_reported: tuple[str, ...]
    policy_version: str
    citations: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The definitions as the snapshot manifest and the docs show them."""
        return {
            "fiscal_year": self.fiscal_year, "as_of": self.as_of.isoformat(),
            "fy_start": self.fy_start.isoformat(), "fy_end": self.fy_end.isoformat(),
            "in_scope_modes": list(self.in_scope_modes), "grace_days": dict(self.grace_days),
            "vwp_countries": list(self.vwp_countries),
            "business_pleasure_classes": list(self.business_pleasure_classes),
            "student_classes": list(self.student_classes),
            "separately_reported": list(self.separately_reported),
            "policy_version": self.policy_version, "citations": dict(self.citations),
        }


def fiscal_year_window(fiscal_year: int) -> tuple[date, date]:
    """1 October of FY-1 to 30 September of FY, both included."""
    return date(fiscal_year - 1, 10, 1), date(fiscal_year, 9, 30)


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in: from 1 October it is the next calendar year's."""
    return day.year + 1 if day.month >= 10 else day.year


_PARAMETERS = ("entry_exit.in_scope_modes", "entry_exit.grace_days_f",
               "entry_exit.grace_days_m", "entry_exit.grace_days_j",
               "entry_exit.duration_of_status_classes", "visa_waiver.program_countries",
               "entry_exit.business_pleasure_classes", "entry_exit.student_classes",
               "entry_exit.separately_reported_citizenships")


def definitions_for(policy: Policy, fiscal_year: int, as_of: date) -> Definitions:
    """The definitions in force for ``fiscal_year``, read on its last day (30 September).

    Raises :class:`InvalidInputError` naming the fiscal year when the policy data does not
    cover it, rather than reporting on law it does not hold.
    """
    fy_start, fy_end = fiscal_year_window(fiscal_year)
    law = policy.in_force(fy_end)
    missing = [p for p in _PARAMETERS if law.get(p) is None]
    if missing:
        raise InvalidInputError([FieldProblem(
            "fiscal_year", f"{fiscal_year}: the policy data holds no "
                           f"{', '.join(missing)} in force on {fy_end}")])
    families = law.value("entry_exit.duration_of_status_classes")
    grace = {cls: int(law.value(f"entry_exit.grace_days_{family}"))
             for cls, family in sorted(families.items())}
    citations = {}
    for parameter_id in _PARAMETERS:
        version = law.get(parameter_id)
        if version is not None:
            citations[parameter_id] = f"{version.citation} (from {version.effective_from})"
    return Definitions(
        fiscal_year=fiscal_year, as_of=as_of, fy_start=fy_start, fy_end=fy_end,
        in_scope_modes=tuple(law.value("entry_exit.in_scope_modes")),
        grace_days=grace,
        vwp_countries=tuple(sorted(law.value("visa_waiver.program_countries"))),
        business_pleasure_classes=tuple(law.value("entry_exit.business_pleasure_classes")),
        student_classes=tuple(law.value("entry_exit.student_classes")),
        separately_reported=tuple(
            law.value("entry_exit.separately_reported_citizenships")),
        policy_version=policy.version,
        citations=citations,
    )


def normalise_class(admission_class: str) -> str:
    """``B-2`` and ``b2`` are ``B2``: classes are compared without punctuation or case."""
    return "".join(ch for ch in admission_class.upper() if ch.isalnum())


def expected_departure_date(definitions: Definitions, admission_class: str,
                            admit_until: date | None,
                            program_end_date: date | None) -> date | None:
    """The EDD of one admission, or ``None`` when it has neither a date nor a D/S end.

    The engines compute the same in SQL (``sql.EDD``); this is the reference the tests hold
    them to.
    """
    grace = definitions.grace_days.get(normalise_class(admission_class))
    if grace is not None and program_end_date is not None:
        return program_end_date + timedelta(days=grace)
    return admit_until


def apply_status_changes(edd: date,
                         changes: list[tuple[date, str, date | None]]) -> date | None:
    """The EDD after status changes ``(filed_date, kind, new_admit_until)``, or ``None``
    when a change of status or adjustment took the admission out of scope."""
    current = edd
    for filed, kind, new_admit_until in sorted(changes, key=lambda c: (c[0], c[1])):
        if filed > current:
            continue
        if kind != "extension":
            return None
        if new_admit_until is not None:
            current = new_admit_until
    return current


def rate(count: int, expected: int) -> float:
    """A rate in percent to two decimals; zero when nothing was expected."""
    return round(100.0 * count / expected, 2) if expected else 0.0


A = TypeVar("A", bound=Hashable)
D = TypeVar("D", bound=Hashable)


def assign_departures(arrivals: Sequence[tuple[A, date]],
                      departures: Sequence[tuple[D, date]]) -> dict[A, D]:
    """One identity's departures assigned to its arrivals, ``(key, date)`` each, oldest
    first: a departure belongs to the latest arrival on or before its date (of arrivals on
    the same day, the first given, as the engines order by record id), and an arrival's
    departure is the earliest that belongs to it. A departure before every arrival belongs
    to none.

    The engines assign in SQL over every identity at once; this is the reference for one
    identity, which a person's stay (:mod:`nseers.services.stays`) reads.
    """
    assigned: dict[A, D] = {}
    for key, departed_on in sorted(departures, key=lambda d: d[1]):
        owner, owner_day = None, None
        for arrival_key, arrived_on in arrivals:
            if arrived_on <= departed_on and (owner_day is None or arrived_on > owner_day):
                owner, owner_day = arrival_key, arrived_on
        if owner is not None and owner not in assigned:
            assigned[owner] = key
    return assigned
