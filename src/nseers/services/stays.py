"""A person's stays: for each admission, the expected departure date, the days remaining or
over, and the departure that closed it, with the evidence (issue 12).

The figures are the overstay report's own, so that what an officer or a traveller reads
about one admission is what the Entry/Exit Overstay Report counts for it:

- the **expected departure date** (EDD) is :func:`nseers.entry_exit.definitions.
  expected_departure_date` under the definitions of the fiscal year the EDD falls in
  (:func:`~nseers.entry_exit.definitions.definitions_for`), and the days remaining or over
  are the stay calculator's (:func:`nseers.rules.stay.authorised_stay`: the admit-until
  date is the last day of the stay, 8 CFR 214.1(a)(3)(i); a duration-of-status admission
  ends the grace period after the program, 8 CFR 214.2(f)(5)(iv), (m)(10)(ii),
  (j)(1)(ii));
- the **departure** is the one the report assigns
  (:func:`~nseers.entry_exit.definitions.assign_departures`): the earliest departure on or
  after the arrival and before the next admission;
- the **status** is the report's class: departed on time, departed late (an out-of-country
  overstay), a suspected in-country overstay (no departure by the as-of date, which is
  after the EDD), still in the stay, or no EDD at all (D/S with no program end: the
  registry records no program end dates, so a D/S admission has no date to count to).

The registry records no extensions or changes of status, so none moves an EDD here; an
I-94's admit-until as amended by a correction is the date used.

A departure is never implied: a stay is closed only by a departure encounter recorded on
the person's own record, named with its port, date, mode, the user who recorded it and its
source, and with what tied it to the admission. Reading one person's stays is audited
(``person.stays_read``) and needs the permission to read persons.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from nseers.core.actors import Actor, Permission
from nseers.core.errors import InvalidInputError, NotFoundError
from nseers.entry_exit.definitions import (
    Definitions,
    assign_departures,
    definitions_for,
    expected_departure_date,
    fiscal_year_of,
)
from nseers.rules.engine import Engine as RulesEngine
from nseers.rules.stay import AuthorisedStay, authorised_stay
from nseers.services.repositories import (
    EncounterRecord,
    I94Entry,
    PersonRecords,
    RecordStore,
    RegistrationRecord,
)

#: The statuses a stay can have, in the report's words.
STATUSES: Final = ("in_stay", "departed_on_time", "departed_late",
                   "suspected_in_country_overstay", "departed", "no_edd")

#: Where the registry's departures come from: every departure encounter is recorded by a
#: user at the port (the departure service), so its source is the officer. The feeds the
#: report also reads (carrier manifests, biometric exit, I-94 surrenders) are files, not
#: registry records.
REGISTRY_DEPARTURE_SOURCE: Final = "officer"

ASSIGNMENT_RULE: Final = (
    "A departure belongs to the same person's latest admission on or before the departure "
    "date; an admission's departure is the earliest departure that belongs to it; "
    "departures after the as-of date are ignored (DHS Entry/Exit Overstay Report "
    "methodology; docs/entry-exit.md, Definitions).")


def person_stays(registry: RecordStore, actor: Actor, person_id: int,
                 as_of: date | None = None) -> dict[str, Any]:
    """Every admission of the person, newest first, as of ``as_of`` (default: today on
    the registry's clock). Audited as ``person.stays_read``; 404 for an unknown person."""
    with registry.records_work(actor, Permission.READ_PERSON) as work:
        records = work.records
        if records.person(person_id) is None:
            raise NotFoundError("person", person_id)
        day = as_of or work.now.date()
        stays = stays_of(registry.rules, records, person_id, day)
        work.audit("person.stays_read", f"persons:{person_id}", person_id, as_of=day,
                   admissions=[s["arrival"]["encounter_id"] for s in stays])
        work.commit()
        return {"person_id": person_id, "as_of": day.isoformat(), "stays": stays}


def stays_of(rules: RulesEngine, records: PersonRecords, person_id: int,
             as_of: date) -> list[dict[str, Any]]:
    """The person's admissions known on ``as_of``, newest first, each with its EDD,
    standing and closing departure. Reads only; the caller checks and audits."""
    encounters = records.encounters_of(person_id, through=as_of)
    admissions = [e for e in encounters if e.kind == "arrival" and e.outcome == "admitted"]
    departures = [e for e in encounters if e.kind == "departure"]
    i94s = {r.encounter_id: r for r in records.i94s_of(person_id, through=as_of)
            if r.encounter_id is not None}
    closing = assign_departures([(a.id, a.occurred_on) for a in admissions],
                                [(d.id, d.occurred_on) for d in departures])
    by_id = {d.id: d for d in departures}
    registrations = records.registrations_of(person_id, through=as_of)
    stays = []
    for admission in admissions:
        departure_id = closing.get(admission.id)
        departure = None if departure_id is None else by_id[departure_id]
        stays.append(_stay(rules, admission, i94s.get(admission.id), departure,
                           registrations, as_of))
    return stays[::-1]


def _stay(rules: RulesEngine, admission: EncounterRecord, i94: I94Entry | None,
          departure: EncounterRecord | None, registrations: Sequence[RegistrationRecord],
          as_of: date) -> dict[str, Any]:
    admission_class = (i94.admission_class if i94 is not None else admission.admission_class)
    admit_until = i94.admit_until if i94 is not None else admission.admit_until
    duration_of_status = (i94.duration_of_status if i94 is not None
                          else admission.duration_of_status)
    # Standing on the day the stay is judged: the departure's day when it departed,
    # else the as-of date.
    judged_on = departure.occurred_on if departure is not None else as_of
    standing = _standing(rules, judged_on, admit_until, duration_of_status, admission_class)
    edd = None if standing is None else standing.last_day
    report = _report_view(rules, admission, admission_class, admit_until, edd, as_of)
    status, days_remaining, days_over = _status(edd, departure, standing)
    return {
        "arrival": {"encounter_id": admission.id, "date": admission.occurred_on.isoformat(),
                    "port": admission.port_code, "mode": admission.mode,
                    "recorded_by": admission.officer,
                    "admission_class": admission_class},
        "i94": None if i94 is None else i94.number,
        "admit_until": None if admit_until is None else admit_until.isoformat(),
        "duration_of_status": duration_of_status,
        "expected_departure_date": None if edd is None else edd.isoformat(),
        "status": status, "days_remaining": days_remaining, "days_over": days_over,
        "judged_on": judged_on.isoformat(),
        "reasons": [] if standing is None else [r.to_dict() for r in standing.reasons],
        "report": report,
        "departure": None if departure is None else _evidence(departure, i94, registrations),
    }


def _standing(rules: RulesEngine, on: date, admit_until: date | None,
              duration_of_status: bool, admission_class: str | None) -> AuthorisedStay | None:
    if admit_until is None and not duration_of_status:
        return None
    return authorised_stay(rules.law(on), admit_until=admit_until,
                           duration_of_status=duration_of_status,
                           admission_class=admission_class)


def _status(edd: date | None, departure: EncounterRecord | None,
            standing: AuthorisedStay | None) -> tuple[str, int | None, int | None]:
    """The report's class of the stay, with the days remaining (in the stay) or over."""
    if edd is None or standing is None:
        return ("departed" if departure is not None else "no_edd"), None, None
    if departure is not None:
        if departure.occurred_on <= edd:
            return "departed_on_time", None, None
        return "departed_late", None, standing.days_over
    if standing.standing == "within":
        return "in_stay", standing.days_remaining, None
    return "suspected_in_country_overstay", None, standing.days_over


def _report_view(rules: RulesEngine, admission: EncounterRecord, admission_class: str | None,
                 admit_until: date | None, edd: date | None,
                 as_of: date) -> dict[str, Any]:
    """Where the overstay report counts the admission: its fiscal year (by the EDD), and
    whether it is in scope, with the definitions and citations used."""
    if edd is None:
        return {"fiscal_year": None, "in_scope": False, "edd": None,
                "why": "no expected departure date: neither an admit-until date nor a "
                       "duration-of-status program end is recorded, so the report leaves "
                       "the admission out", "citations": {}}
    fiscal_year = fiscal_year_of(edd)
    try:
        definitions: Definitions = definitions_for(rules.policy, fiscal_year, as_of)
    except InvalidInputError as error:
        return {"fiscal_year": fiscal_year, "in_scope": False, "edd": None,
                "why": str(error.problems[0].message), "citations": {}}
    report_edd = expected_departure_date(definitions, admission_class or "", admit_until,
                                         None)
    in_scope = admission.mode in definitions.in_scope_modes
    mode = admission.mode or "(no mode recorded)"
    why = (f"admitted by {mode}: counted in the FY {fiscal_year} report" if in_scope
           else f"admitted by {mode}: outside the report's modes "
                f"({', '.join(definitions.in_scope_modes)}); land is reported separately")
    cited = ("entry_exit.in_scope_modes", "entry_exit.duration_of_status_classes")
    return {"fiscal_year": fiscal_year, "in_scope": in_scope,
            "edd": None if report_edd is None else report_edd.isoformat(), "why": why,
            "citations": {k: v for k, v in definitions.citations.items() if k in cited},
            "policy_version": definitions.policy_version}


def _evidence(departure: EncounterRecord, i94: I94Entry | None,
              registrations: Sequence[RegistrationRecord]) -> dict[str, Any]:
    """The departure and why it is this admission's: what was recorded, by whom, from
    which source, and what tied it to the person and the admission."""
    matched = [f"recorded on the same registry person record (person {departure.person_id})"]
    if i94 is not None and i94.surrender_encounter_id == departure.id:
        matched.append(f"I-94 {i94.number} of this admission was surrendered at this "
                       "departure")
    fins = [r.fin for r in registrations if r.fin and r.registered_on <= departure.occurred_on]
    if fins:
        matched.append(f"the departure was judged against the person's registration, FIN "
                       f"{fins[-1]}")
    return {"encounter_id": departure.id, "date": departure.occurred_on.isoformat(),
            "recorded_at": departure.occurred_at.isoformat(), "port": departure.port_code,
            "mode": departure.mode, "recorded_by": departure.officer,
            "source": REGISTRY_DEPARTURE_SOURCE,
            "source_text": "a departure recorded at the port by the user named, in the "
                           "registry's departure record",
            "confidence": "certain", "matched_on": matched, "assignment": ASSIGNMENT_RULE}


def as_the_traveller_sees_them(stays: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stays without the names of the officers who recorded the arrivals and
    departures: the traveller sees what was recorded, where and when, not by whom."""
    seen = []
    for stay in stays:
        departure = stay["departure"]
        seen.append(stay | {
            "arrival": stay["arrival"] | {"recorded_by": None},
            "departure": None if departure is None else departure | {"recorded_by": None}})
    return seen
