"""Special registration on arrival (NSEERS, 8 CFR 264.1(f)).

A nonimmigrant is registered on arrival on any of four grounds: a designated nationality
(a Federal Register notice, or the INS's unpublished criteria for some countries), a
consular officer's referral, the inspecting officer's designation, or the Secretary's (the
Attorney General's before 2003) criteria. ``basis`` lists every ground that applies.

Readings we chose: "nationals or citizens" covers every citizenship a traveller holds
(dual nationals included); an age criterion counts whole years on the date of arrival;
A and G classes are excluded from designations by nationality, as the notices say.
"""

from __future__ import annotations

from nseers.core.codes import class_family
from nseers.core.dates import LEAP_DAY_CONVENTION, age_on
from nseers.rules import ids
from nseers.rules.case import Case
from nseers.rules.law import Law
from nseers.rules.policy.schema import PoeDesignation
from nseers.rules.result import Determination, Reason

INDIVIDUAL_BASES = (
    ("consular_referral", ids.SR_CONSULAR_REFERRAL,
     "a Department of State consular officer referred the traveller for registration"),
    ("officer_designation", ids.SR_OFFICER_DESIGNATION,
     ("the inspecting officer has reason to believe the traveller should be registered in "
      "the interest of law enforcement or national security")),
    ("dhs_criteria", ids.SR_DHS_CRITERIA,
     ("the traveller meets criteria established by the Secretary of Homeland Security "
      "(the Attorney General before 2003)")),
)


def decide_special_registration(case: Case, law: Law, inspection_outcome: str) -> Determination:
    """Whether the traveller must be specially registered on this arrival, and on what bases."""
    if case.event != "arrival":
        return law.constant(ids.SR_DEPARTURE, lambda: Determination(
            "not_applicable", (law.reason(
                ids.SR_DEPARTURE, "Registration at the port of entry happens on arrival; "
                "this is a departure."),), {"basis": []}))
    status = case.traveler.claimed_status
    if inspection_outcome != "inspect_as_alien" or status != "nonimmigrant":
        return law.constant((ids.SR_NOT_NONIMMIGRANT, status, inspection_outcome),
                            lambda: Determination("not_required", (law.reason(
            ids.SR_NOT_NONIMMIGRANT,
            "Special registration applies only to nonimmigrant aliens applying for "
            "admission; this traveller is not one.",
            {"claimed_status": status, "inspection": inspection_outcome}),), {"basis": []}))

    bases: list[str] = []
    reasons: list[Reason] = []
    for designation in law.in_force.poe_designations:
        if not designation.applied:
            continue
        reason = _designation(case, law, designation)
        if reason is None:
            continue
        if reason.rule == ids.SR_DESIGNATED_NATIONALITY and "designated_nationality" not in bases:
            bases.append("designated_nationality")
        reasons.append(reason)

    in_force = law.value("special_registration.individual_bases", [])
    excluded = law.value("special_registration.excluded_class_families", [])
    family = class_family(case.admission_class or "")
    for name, rule, description in INDIVIDUAL_BASES:
        if not case.circumstances.holds(name):
            continue
        if family and family in excluded:
            reasons.append(law.parameter_reason(
                ids.SR_CLASS_EXCLUDED, "special_registration.excluded_class_families",
                f"The officer recorded that {description}, but nonimmigrants in class "
                f"{family} are outside special registration.",
                {name: True, "admission_class": case.admission_class}))
        elif name in in_force:
            bases.append(name)
            reasons.append(law.parameter_reason(
                rule, "special_registration.individual_bases",
                f"The traveller is registered because {description}.", {name: True}))
        else:
            reasons.append(law.parameter_reason(
                ids.SR_NO_GROUND, "special_registration.individual_bases",
                f"The officer recorded that {description}, but on {law.on.isoformat()} that "
                f"was not a ground for special registration.", {name: True}))

    if bases:
        return Determination("required", tuple(reasons), {"basis": bases})
    reasons.append(_no_ground(case, law))
    return Determination("not_required", tuple(reasons), {"basis": []})


def _no_ground(case: Case, law: Law) -> Reason:
    """Why no ground applied, naming the change of law where one explains it: the
    delisting of every country (76 FR 23830) or the removal of the regulation (81 FR 94231),
    rather than a generic answer citing a paragraph no longer in force."""
    values = {"citizenships": list(case.traveler.citizenships)}
    provisions = law.in_force.provisions
    removed = provisions.get(ids.SR_FRAMEWORK_REMOVED)
    if removed is not None:
        return law.reason(
            ids.SR_FRAMEWORK_REMOVED,
            f"No one is specially registered on {law.on.isoformat()}: the special "
            f"registration regulation was removed effective "
            f"{removed.effective_from.isoformat()} ({removed.source}).", values)
    delisted = provisions.get(ids.SR_COUNTRIES_DELISTED)
    if delisted is not None:
        return law.reason(
            ids.SR_COUNTRIES_DELISTED,
            f"No nationality was designated for special registration on "
            f"{law.on.isoformat()}: every country was removed from the list effective "
            f"{delisted.effective_from.isoformat()} ({delisted.source}), and no individual "
            f"ground was recorded.", values)
    return law.reason(
        ids.SR_NO_GROUND,
        f"No ground for special registration applied on {law.on.isoformat()}: no designated "
        f"nationality covers the traveller and no individual ground was recorded.", values)


def _designation(case: Case, law: Law, designation: PoeDesignation) -> Reason | None:
    traveler = case.traveler
    if designation.match == "travel_document":
        held = {d.issuer for d in case.documents if d.kind == "passport" and d.issuer}
        tie = "bears a travel document issued by"
    else:
        held = set(traveler.citizenships)
        tie = "is a national or citizen of"
    countries = sorted(held.intersection(designation.countries))
    if not countries:
        return None
    family = class_family(case.admission_class or "")
    if family and family in designation.excluded_class_families:
        return law.reason(
            ids.SR_CLASS_EXCLUDED,
            f"The traveller {tie} {', '.join(countries)}, but the designation excludes "
            f"nonimmigrants in class {family}.",
            {"countries": countries, "admission_class": case.admission_class,
             "excluded_class_families": designation.excluded_class_families},
            designation)
    unmet = _unmet_criteria(case, designation)
    if unmet:
        return law.reason(ids.SR_DESIGNATION_CRITERIA_NOT_MET,
                          f"The traveller {tie} {', '.join(countries)}, but {unmet}.",
                          _criteria_values(case, designation, countries), designation)
    return law.reason(
        ids.SR_DESIGNATED_NATIONALITY,
        f"The traveller {tie} {', '.join(countries)}, designated for special registration "
        f"on arrival{_criteria_text(designation)}.",
        _criteria_values(case, designation, countries), designation)


def _unmet_criteria(case: Case, designation: PoeDesignation) -> str | None:
    traveler = case.traveler
    if designation.sex is not None and traveler.sex != designation.sex:
        return f"the designation covers only sex {designation.sex} (traveller: {traveler.sex})"
    if designation.age_min is None and designation.age_max is None:
        return None
    if traveler.date_of_birth is None:
        return "the date of birth is not given, so the age criterion cannot be met"
    age = age_on(traveler.date_of_birth, case.date)
    if designation.age_min is not None and age < designation.age_min:
        return f"the traveller is {age}, younger than {designation.age_min}"
    if designation.age_max is not None and age > designation.age_max:
        return f"the traveller is {age}, older than {designation.age_max}"
    return None


def _criteria_text(designation: PoeDesignation) -> str:
    parts = []
    if designation.sex == "M":
        parts.append("males")
    elif designation.sex == "F":
        parts.append("females")
    if designation.age_min is not None or designation.age_max is not None:
        parts.append(f"aged {designation.age_min} to {designation.age_max} in whole years "
                     f"on the date of arrival ({LEAP_DAY_CONVENTION})")
    return f" ({'; '.join(parts)})" if parts else ""


def _criteria_values(case: Case, designation: PoeDesignation,
                     countries: list[str]) -> dict[str, object]:
    values: dict[str, object] = {"countries": countries, "designation": designation.id}
    if designation.sex is not None:
        values["sex"] = case.traveler.sex
    if designation.age_min is not None or designation.age_max is not None:
        values["age_min"] = designation.age_min
        values["age_max"] = designation.age_max
        if case.traveler.date_of_birth is not None:
            values["age"] = age_on(case.traveler.date_of_birth, case.date)
    return values
