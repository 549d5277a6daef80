"""Departure registration of special registrants (8 CFR 264.1(f); 67 FR 61352).

A registrant leaving the United States, even for a short trip to Canada, Mexico or the
adjacent islands, appears in person before an inspecting officer at a port designated for
registrants' departures, on the day of departure, and leaves from that port that day.

Which registrants are bound changes with the date (``departure_reporting_bases``):
everyone from 2002-10-01; only individually designated registrants once the 25 countries
were delisted on 2011-04-28; no one after the regulation was removed on 2016-12-23.
Readings we chose: a registrant who has become a lawful permanent resident or a citizen
is no longer bound (an inference, confidence L); the built-in list of designated ports is
partial, so a port not on it is reported as not designated *on the list as loaded*.
"""

from __future__ import annotations

from nseers.rules import ids
from nseers.rules.case import Case
from nseers.rules.law import Law
from nseers.rules.result import Determination, PortResolution, Reason


def decide_departure_registration(case: Case, law: Law, port: PortResolution) -> Determination:
    """Whether a registrant's departure was registered as the rule requires."""
    if case.event != "departure":
        return Determination("not_applicable", (law.reason(
            ids.DR_ARRIVAL, "Departure registration applies to departures; this is an "
                            "arrival."),))
    registration = case.registration
    if registration is None:
        return Determination("not_required", (law.reason(
            ids.DR_NOT_REGISTRANT,
            "Only special registrants must register their departure; the traveller has no "
            "special registration."),))
    bases = law.value("special_registration.departure_reporting_bases", [])
    if registration.basis not in bases:
        return Determination("not_required", (law.parameter_reason(
            ids.DR_BASIS_NOT_COVERED, "special_registration.departure_reporting_bases",
            f"On {law.on.isoformat()} registrants on the basis {registration.basis} were not "
            f"required to register their departure.",
            {"basis": registration.basis, "bases_bound": bases}),))
    if case.traveler.claimed_status in ("us_citizen", "lpr"):
        return Determination("not_required", (law.reason(
            ids.DR_NOT_NONIMMIGRANT,
            "The departure requirements bind nonimmigrants; the registrant now claims "
            f"{case.traveler.claimed_status} status.",
            {"claimed_status": case.traveler.claimed_status}),))
    if case.circumstances.crewman and law.value(
            "special_registration.departure_crewman_exempt", False):
        return Determination("not_required", (law.parameter_reason(
            ids.DR_CREWMAN, "special_registration.departure_crewman_exempt",
            "Alien crewmen are not subject to the departure requirements."),))

    report = case.departure_report
    if report is None:
        return Determination("non_compliant", (law.reason(
            ids.DR_NOT_REPORTED,
            "The registrant did not appear in person before an inspecting officer to "
            "register the departure.", {"fin": registration.fin}),))
    reasons: list[Reason] = []
    if report.date != case.date:
        reasons.append(law.reason(
            ids.DR_WRONG_DAY,
            f"The departure was registered on {report.date.isoformat()}, not on the day of "
            f"departure, {case.date.isoformat()}.",
            {"reported_on": report.date, "departed_on": case.date}))
    if report.port_code != port.code:
        reasons.append(law.reason(
            ids.DR_WRONG_PORT,
            f"The departure was registered at {report.port_code} but the registrant left "
            f"from {port.code}; the registrant must leave from the port where the departure "
            f"is registered.",
            {"reported_at": report.port_code, "departed_from": port.code}))
    designated = law.in_force.departure_ports.get(port.code or "")
    if designated is None:
        known = len(law.in_force.departure_ports)
        reasons.append(law.reason(
            ids.DR_PORT_NOT_DESIGNATED,
            f"{port.code} is not on the list of ports designated for registrants' departures "
            f"in force on {law.on.isoformat()} as loaded ({known} ports); the built-in list is "
            f"partial, and an administrator can load a notice's complete list.",
            {"port": port.code, "designated_ports_known": known}))
    if reasons:
        return Determination("non_compliant", tuple(reasons))
    assert designated is not None  # noqa: S101  # narrowed: no reasons means designated
    return Determination("compliant", (
        law.reason(
            ids.DR_COMPLIANT,
            f"The registrant appeared in person at {port.code} on the day of departure and "
            f"left from that port.", {"port": port.code, "date": case.date}),
        law.reason(
            ids.DR_COMPLIANT,
            f"{designated.name} was designated for registrants' departures from "
            f"{designated.effective_from.isoformat()}.",
            {"port": port.code, "designated_from": designated.effective_from}, designated),
    ))
