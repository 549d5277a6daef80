"""Form I-94, the Arrival-Departure Record (8 CFR 235.1(f)).

Every admitted nonimmigrant gets an I-94 unless an exemption applies: visitors described
in 212.1(a) (Canadian and Bermudian citizens as visitors or in direct transit), British
Virgin Islands residents admitted only to the U.S. Virgin Islands, Mexican visitors who
stay near the border for a short time, and bearers of Mexican diplomatic or official
passports. A paroled alien gets one endorsed with the parole stamp. An I-94 issued at a
land border is issued on payment of the fee in force, and is good for multiple entries.

Readings we chose: a special registrant always gets an I-94, because the registration is
proved by the FIN annotated on it (exemptions that would otherwise apply give way); the
Mexican border-zone exemption applies to admissions at land ports on the Mexican border;
a stay is within "72 hours" when it is at most 72 hours; when the distance or length of
stay is not known the exemption cannot be shown, so an I-94 is required.
"""

from __future__ import annotations

from nseers.rules import ids
from nseers.rules.case import Case
from nseers.rules.law import Law
from nseers.rules.policy.schema import BorderZone
from nseers.rules.result import Determination, PortResolution, Reason


def decide_i94(case: Case, law: Law, inspection_outcome: str, registration_required: bool,
               port: PortResolution) -> Determination:
    """Whether a Form I-94 is issued on this arrival, and the fee where one is charged."""
    if case.event != "arrival":
        return law.constant(ids.I94_DEPARTURE, lambda: Determination("not_applicable", (
            law.reason(ids.I94_DEPARTURE,
                       "A Form I-94 is issued on arrival; this is a departure."),)))
    if case.circumstances.paroled and inspection_outcome in (
            "inspect_as_alien", "applicant_for_admission_235b"):
        return Determination("required", (law.reason(
            ids.I94_PAROLE,
            "An alien paroled under section 212(d)(5) of the Act, crewmen included, is issued "
            "a completely executed Form I-94 endorsed with the parole stamp."),),
            {"parole_stamp": True})
    if inspection_outcome != "inspect_as_alien":
        return law.constant((ids.I94_NOT_ADMITTED, inspection_outcome), lambda: Determination(
            "not_required", (law.reason(
                ids.I94_NOT_ADMITTED,
                "A Form I-94 evidences the terms of a nonimmigrant's admission; this "
                "traveller is not being admitted as a nonimmigrant.",
                {"inspection": inspection_outcome}),)))
    status = case.traveler.claimed_status
    if status != "nonimmigrant":
        return law.constant((ids.I94_NOT_NONIMMIGRANT, status), lambda: Determination(
            "not_required", (law.reason(
                ids.I94_NOT_NONIMMIGRANT,
                "A Form I-94 is issued to admitted nonimmigrants and parolees; the traveller "
                "claims another status.", {"claimed_status": status}),)))

    if registration_required and law.value("special_registration.i94_annotation", False):
        return _required(law, port, law.parameter_reason(
            ids.I94_SPECIAL_REGISTRANT, "special_registration.i94_annotation",
            "The traveller is specially registered, and the registration is proved by the "
            "FIN annotated on the Form I-94, so one is issued whatever exemption might "
            "otherwise apply."))

    exemption = _exemption(case, law, port)
    if isinstance(exemption, tuple):
        return Determination("not_required", (exemption[0],), {"exemption": exemption[1]})
    admission_class = case.admission_class

    def required(*tried: Reason) -> Determination:
        return _required(law, port, law.reason(
            ids.I94_REQUIRED,
            "Each arriving nonimmigrant who is admitted is issued a Form I-94 as evidence of "
            "the terms of admission, unless exempt.", {"admission_class": admission_class}),
            *tried)

    if exemption is None:
        # The same answer for every admitted nonimmigrant of this class in the epoch, at a
        # land port (with its fee) or at any other.
        return law.constant((ids.I94_REQUIRED, admission_class, port.mode == "land"),
                            required)
    return required(exemption)


def _required(law: Law, port: PortResolution, *reasons: Reason) -> Determination:
    details: dict[str, object] = {}
    all_reasons = list(reasons)
    if port.mode == "land":
        base = law.in_force.get("i94.land_border_fee_usd")
        added = law.in_force.get("i94.additional_fee_usd")
        fee = (base.value if base else 0) + (added.value if added else 0)
        details["fee_usd"] = fee
        details["multiple_entry"] = True
        text = f"A Form I-94 issued at a land border is issued on payment of ${fee}"
        if added is not None and base is not None:
            text += (f": the ${base.value} land-border fee and the additional ${added.value} "
                     f"in force from {added.effective_from.isoformat()}")
        all_reasons.append(law.reason(
            ids.I94_LAND_FEE, text + "; it is good for multiple entries unless annotated.",
            {"base_fee_usd": base.value if base else None,
             "additional_fee_usd": added.value if added else None, "fee_usd": fee},
            added or base))
    else:
        details["multiple_entry"] = False
    return Determination("required", tuple(all_reasons), details)


def _exemption(case: Case, law: Law, port: PortResolution) -> tuple[Reason, str] | Reason | None:
    """An exemption as (reason, code); a bare reason when an exemption was tried and failed."""
    traveler = case.traveler
    admission_class = case.admission_class or ""
    visitor_classes = law.value("i94.exempt_visitor_classes", [])

    citizenships = set(traveler.citizenships)
    exempt_citizenships = set(law.value("i94.visa_exempt_visitor_citizenships", []))
    if citizenships & exempt_citizenships and admission_class in visitor_classes:
        return law.parameter_reason(
            ids.I94_EXEMPT_VISITOR, "i94.visa_exempt_visitor_citizenships",
            f"A {', '.join(sorted(citizenships & exempt_citizenships))} citizen described in "
            f"8 CFR 212.1(a) admitted as a visitor or in direct transit ({admission_class}) "
            f"needs no Form I-94.",
            {"citizenships": sorted(citizenships), "admission_class": admission_class}
        ), "212_1a_visitor"

    bvi = law.value("i94.bvi_visitors")
    if (bvi is not None and traveler.residence == bvi.residence
            and case.itinerary.destination == bvi.destination
            and admission_class in visitor_classes):
        return law.parameter_reason(
            ids.I94_EXEMPT_BVI, "i94.bvi_visitors",
            "A resident of the British Virgin Islands admitted only to the U.S. Virgin "
            "Islands as a visitor for business or pleasure needs no Form I-94.",
            {"residence": traveler.residence, "destination": case.itinerary.destination}
        ), "bvi_resident"

    if not citizenships & set(law.value("i94.border_zone_citizenships", [])):
        return None
    diplomatic_issuers = law.value("i94.exempt_diplomatic_passport_issuers", [])
    if any(d.kind == "passport" and d.issuer in diplomatic_issuers
           and d.passport_type in ("diplomatic", "official") for d in case.documents):
        return law.parameter_reason(
            ids.I94_EXEMPT_MEXICAN_DIPLOMATIC, "i94.exempt_diplomatic_passport_issuers",
            "A bearer of a Mexican diplomatic or official passport needs no Form I-94."
        ), "mexican_diplomatic_passport"
    if admission_class not in visitor_classes or not _at_mexican_border(law, port):
        return None
    return _border_zone(case, law, port)


def _at_mexican_border(law: Law, port: PortResolution) -> bool:
    """A land port on the Mexican border; an unknown one if its state has such ports."""
    if port.mode != "land":
        return False
    if port.known:
        return port.border == "mexico"
    return any(p.border == "mexico" and p.state == port.state
               for p in law.in_force.ports.values())


def _zone_for(law: Law, port: PortResolution) -> BorderZone | None:
    def rank(zone: BorderZone) -> int:
        if zone.ports:
            return 3 if port.code in zone.ports else -1
        if zone.state:
            return 2 if zone.state == port.state else -1
        return 1
    ranked = [(rank(z), z) for z in law.in_force.border_zones]
    ranked = [(score, zone) for score, zone in ranked if score > 0]
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


def _border_zone(case: Case, law: Law, port: PortResolution) -> tuple[Reason, str] | Reason:
    zone = _zone_for(law, port)
    has_bcc = case.has_document("bcc")
    limit_id = ("i94.mexican_bcc_max_stay_hours" if has_bcc
                else "i94.mexican_visa_passport_max_stay_hours")
    max_hours = law.value(limit_id)
    distance = case.itinerary.max_distance_from_border_miles
    hours = case.itinerary.length_of_stay_in_hours
    destination = case.itinerary.destination
    values = {
        "zone": zone.id if zone else None, "zone_miles": zone.miles if zone else None,
        "document": "bcc" if has_bcc else "visa_and_passport", "max_stay_hours": max_hours,
        "distance_miles": distance, "stay_hours": hours, "port_state": port.state,
    }
    problems = []
    if zone is None or max_hours is None:
        problems.append("no border zone is in force for this port")
    else:
        if distance is None:
            problems.append("the distance from the border is not given")
        elif distance > zone.miles:
            problems.append(f"{distance:g} miles is beyond the {zone.miles}-mile zone")
        if hours is None:
            problems.append("the length of stay is not given")
        elif hours > max_hours:
            problems.append(f"a stay of {hours:g} hours exceeds {max_hours} hours")
        if zone.within_state and destination and destination != port.state:
            problems.append(f"the zone is limited to {port.state}, not {destination}")
    if problems:
        return law.reason(
            ids.I94_MEXICAN_ZONE_EXCEEDED,
            f"A Mexican visitor is exempt only within the border zone and time limit, but "
            f"{'; '.join(problems)}.", values, zone)
    assert zone is not None  # noqa: S101  # narrowed: no problems means a zone was found
    where = f"within {port.state}, " if zone.within_state else ""
    return law.reason(
        ids.I94_EXEMPT_MEXICAN_ZONE,
        f"A Mexican national admitted as a visitor to stay {where}within {zone.miles} miles of "
        f"the border for at most {max_hours} hours "
        f"({'Border Crossing Card' if has_bcc else 'visa and passport'}) needs no Form I-94.",
        values, zone), "mexican_border_zone"
