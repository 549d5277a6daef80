"""Biometrics at inspection: US-VISIT fingerprints and photographs (8 CFR 235.1, 215.8).

The rule grew in phases, each a dated value in ``biometrics.yaml``: nonimmigrant-visa
holders at air and sea ports from 2004-01-05, Visa Waiver travellers from 2004-09-30,
land ports by 2004-12-31, nearly every alien (LPRs included) from 2009-01-18, and a
photograph of every alien, with no exemption, from 2025-12-26. The exemptions (age,
class, joint and individual determinations) are judged on the date of admission.

Readings we chose: "younger than 14" means the 14th birthday has not been reached;
"older than 79" means the 80th birthday has been reached; after 2025-12-26 the age and
class exemptions still relieve a traveller of fingerprints but not of the photograph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nseers.core.codes import canonical_class
from nseers.core.dates import LEAP_DAY_CONVENTION, age_on
from nseers.rules import ids
from nseers.rules.case import Case
from nseers.rules.law import Law
from nseers.rules.result import Determination, Reason

if TYPE_CHECKING:
    from nseers.rules.policy.parameters import ExemptClass

VISA_DOCUMENTS = frozenset({"visa", "bcc"})
COVERABLE_OUTCOMES = frozenset({"inspect_as_alien", "applicant_for_admission_235b"})


def decide_biometrics(case: Case, law: Law, inspection_outcome: str, mode: str, *,
                      i94_required: bool = True) -> Determination:
    """Which biometrics are collected at this inspection (not those of special registration).

    ``i94_required`` is the I-94 determination's answer: a Border Crossing Card holder who
    needs no I-94 is outside the rule where the policy excludes that population.
    """
    if case.event != "arrival":
        return _departure(case, law)
    populations = law.value("biometrics.covered_populations")
    if populations is None:
        return _not_required(law.reason(
            ids.BIO_NOT_IN_FORCE,
            f"On {law.on.isoformat()} no biometrics were collected at inspection; US-VISIT "
            f"began on {law.first_effective('biometrics.covered_populations')}."))
    if inspection_outcome not in COVERABLE_OUTCOMES:
        return law.constant((ids.BIO_NOT_ALIEN, inspection_outcome), lambda: _not_required(
            law.reason(
                ids.BIO_NOT_ALIEN,
                "Biometrics at inspection are collected from aliens applying for admission; "
                "this traveller is not inspected as one.",
                {"inspection": inspection_outcome})))

    photograph_all = bool(law.value("biometrics.photograph_all_aliens", False))
    refusal = _fingerprint_refusal(case, law, populations, mode, i94_required)
    if refusal is None:
        # The same answer for every covered traveller at a port of this mode in the epoch.
        return law.constant((ids.BIO_REQUIRED, mode), lambda: Determination(
            "required", (law.parameter_reason(
                ids.BIO_REQUIRED, "biometrics.covered_populations",
                "The traveller is an alien applicant in a covered population at a covered "
                "port and no exemption applies.",
                {"populations": populations, "mode": mode}),),
            {"modalities": list(law.value("biometrics.modalities", []))}))
    reason, exemption = refusal
    if photograph_all:
        details: dict[str, object] = {"modalities": ["photograph"], "exempt_from": ["fingerprints"]}
        if exemption:
            details["exemption"] = exemption
        return Determination("required", (reason, law.parameter_reason(
            ids.BIO_PHOTOGRAPH_ALL, "biometrics.photograph_all_aliens",
            "Every alien applicant is photographed, whatever the age, class or other "
            "exemption; the exemption relieves the traveller of other biometrics only.")),
            details)
    return _not_required(reason, exemption)


def _not_required(reason: Reason, exemption: str | None = None) -> Determination:
    details: dict[str, object] = {"modalities": []}
    if exemption:
        details["exemption"] = exemption
    return Determination("not_required", (reason,), details)


def _fingerprint_refusal(case: Case, law: Law, populations: list[str], mode: str,
                         i94_required: bool) -> tuple[Reason, str | None] | None:
    """Why the traveller gives no fingerprints (with the exemption code), or None if they do."""
    modes = law.value("biometrics.covered_port_modes", [])
    if mode not in modes:
        return law.parameter_reason(
            ids.BIO_PORT_NOT_COVERED, "biometrics.covered_port_modes",
            f"On {law.on.isoformat()} biometrics were collected only at {', '.join(modes)} "
            f"ports designated by notice; this is a {mode} port.",
            {"mode": mode, "covered_modes": modes}), None
    if not _in_population(case, law, populations):
        return law.parameter_reason(
            ids.BIO_POPULATION_NOT_COVERED, "biometrics.covered_populations",
            f"On {law.on.isoformat()} biometrics applied to {', '.join(populations)}; the "
            f"traveller is not in a covered population.",
            {"populations": populations, "claimed_status": case.traveler.claimed_status,
             "admission_class": case.admission_class}), None
    if "canadian_visitor_visa_exempt" in law.value("biometrics.excluded_populations", []) \
            and _is_canadian_visitor(case, law):
        return law.parameter_reason(
            ids.BIO_POPULATION_EXCLUDED, "biometrics.excluded_populations",
            "Canadian citizens admitted as visitors for business or pleasure who need no "
            "visa are outside the biometrics rule.",
            {"admission_class": case.admission_class}), "canadian_visitor"
    if "bcc_holder_without_i94" in law.value("biometrics.excluded_populations", []) \
            and case.has_document("bcc") and not i94_required:
        return law.parameter_reason(
            ids.BIO_POPULATION_EXCLUDED, "biometrics.excluded_populations",
            "A Border Crossing Card holder admitted without a Form I-94 (within the border "
            "zone and the time limit) is not enrolled at inspection; enrolment comes with an "
            "I-94 in secondary.", {"documents": ["bcc"], "i94_required": False}), "bcc_holder"
    age_reason = _age_exemption(case, law)
    if age_reason is not None:
        return age_reason, "age"
    class_reason = _class_exemption(case, law)
    if class_reason is not None:
        return class_reason, "admission_class"
    if case.circumstances.biometrics_class_exempted_jointly:
        return law.reason(
            ids.BIO_EXEMPT_JOINTLY,
            "The Secretaries of Homeland Security and State have jointly exempted the "
            "traveller's class."), "joint_determination"
    if case.circumstances.biometrics_exempted_individually:
        return law.reason(
            ids.BIO_EXEMPT_INDIVIDUALLY,
            "The Secretary of Homeland Security, the Secretary of State or the Director of "
            "Central Intelligence has exempted this traveller."), "individual_determination"
    return None


def _in_population(case: Case, law: Law, populations: list[str]) -> bool:
    if "all_aliens" in populations:
        return True
    if case.traveler.claimed_status != "nonimmigrant":
        return False
    has_visa = any(d.kind in VISA_DOCUMENTS for d in case.documents)
    if "nonimmigrant_visa" in populations and has_visa and not case.circumstances.visa_exempt:
        return True
    return "visa_waiver" in populations and (case.admission_class or "") in law.value(
        "biometrics.visa_waiver_classes", [])


def _is_canadian_visitor(case: Case, law: Law) -> bool:
    return (
        bool(set(case.traveler.citizenships)
             & set(law.value("biometrics.visitor_exempt_citizenships", [])))
        and (case.admission_class or "") in law.value("biometrics.canadian_visitor_classes", [])
        and (case.circumstances.visa_exempt
             or not any(d.kind in VISA_DOCUMENTS for d in case.documents))
    )


def _age_exemption(case: Case, law: Law) -> Reason | None:
    birth = case.traveler.date_of_birth
    if birth is None:
        return None
    younger_than = law.value("biometrics.exempt_age_younger_than")
    older_than = law.value("biometrics.exempt_age_older_than")
    age = age_on(birth, case.date)
    values = {"age": age, "date_of_birth": birth, "younger_than": younger_than,
              "older_than": older_than}
    if younger_than is not None and age < younger_than:
        return law.parameter_reason(
            ids.BIO_EXEMPT_AGE, "biometrics.exempt_age_younger_than",
            f"The traveller is {age} on the date of admission, younger than {younger_than} "
            f"(the {younger_than}th birthday has not been reached; {LEAP_DAY_CONVENTION}).",
            values)
    if older_than is not None and age > older_than:
        return law.parameter_reason(
            ids.BIO_EXEMPT_AGE, "biometrics.exempt_age_older_than",
            f"The traveller is {age} on the date of admission, older than {older_than} "
            f"(the {older_than + 1}th birthday has been reached; {LEAP_DAY_CONVENTION}).",
            values)
    return None


def _class_exemption(case: Case, law: Law) -> Reason | None:
    admission_class = case.admission_class
    if not admission_class:
        return None
    exempt = _exempt_classes(law).get(admission_class)
    if exempt is not None:
        if exempt.unless and case.circumstances.holds(exempt.unless):
            return None
        if exempt.only_if and not case.circumstances.holds(exempt.only_if):
            return None
        return law.parameter_reason(
            ids.BIO_EXEMPT_CLASS, "biometrics.exempt_classes",
            f"Aliens admitted in class {admission_class} are exempt from biometrics unless "
            f"the Secretaries of State and Homeland Security jointly decide otherwise.",
            {"admission_class": admission_class})
    return None


def _exempt_classes(law: Law) -> dict[str, ExemptClass]:
    """The exempt classes in force, by canonical class: the first entry for a class is the
    one that decides. Built once per epoch (issue 18): canonicalising every entry again
    for every case was a thirtieth of the engine's time."""
    def build() -> dict[str, ExemptClass]:
        by_class: dict[str, ExemptClass] = {}
        for exempt in law.value("biometrics.exempt_classes", []):
            by_class.setdefault(canonical_class(exempt.admission_class), exempt)
        return by_class

    return law.constant("biometrics.exempt_classes by class", build)


def _departure(case: Case, law: Law) -> Determination:
    alien = case.traveler.claimed_status != "us_citizen"
    if alien and law.value("biometrics.departure_photograph_all_aliens", False):
        return Determination("required", (law.parameter_reason(
            ids.BIO_DEPARTURE, "biometrics.departure_photograph_all_aliens",
            "Every departing alien is photographed at any authorized point of departure."),),
            {"modalities": ["photograph"]})
    return _not_required(law.parameter_reason(
        ids.BIO_DEPARTURE, "biometrics.departure_photograph_all_aliens",
        f"On {law.on.isoformat()} biometrics on departure were collected only in pilot "
        f"programs at ports designated by notice, or the traveller is not an alien.",
        {"alien": alien}))
