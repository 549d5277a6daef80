"""Departure registration of special registrants (8 CFR 264.1(f); 67 FR 61352).

A registrant leaving the United States, even for a short trip to Canada, Mexico or the
adjacent islands, appears in person before an inspecting officer at a port designated for
registrants' departures, on the day of departure, and leaves from that port that day.

Which registrants are bound changes with the date (``departure_reporting_bases``):
everyone from 2002-10-01; only individually designated registrants once the 25 countries
were delisted on 2011-04-28; no one after the regulation was removed on 2016-12-23.
Readings we chose: a registrant who has become a lawful permanent resident or a citizen
is no longer bound (an inference, confidence L). The lists of designated ports are
affirmative, so a port missing from one proves a violation only on dates the list is
loaded in full (``departure_port_list`` coverage records, complete); on other dates the
answer is ``undetermined`` with the gap named, never a violation (evaluation contract;
docs/decisions/0006-complete-and-partial-port-lists.md). The same-day and same-port checks
decide on their own, whatever the list.
"""

from __future__ import annotations

from datetime import date, timedelta

from nseers.rules import ids
from nseers.rules.case import Case
from nseers.rules.law import Law
from nseers.rules.result import Determination, PortResolution, Reason


def decide_departure_registration(case: Case, law: Law, port: PortResolution) -> Determination:
    """Whether a registrant's departure was registered as the rule requires."""
    if case.event != "departure":
        return law.constant(ids.DR_ARRIVAL, lambda: Determination("not_applicable", (
            law.reason(ids.DR_ARRIVAL, "Departure registration applies to departures; this "
                                       "is an arrival."),)))
    registration = case.registration
    if registration is None:
        return law.constant(ids.DR_NOT_REGISTRANT, lambda: Determination(
            "not_required", (law.reason(
                ids.DR_NOT_REGISTRANT,
                "Only special registrants must register their departure; the traveller has "
                "no special registration."),)))
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
        on_list = _port_not_on_list(law, port)
        if on_list.outcome == "non_compliant":
            reasons.extend(on_list.reasons)
        elif not reasons:
            return on_list  # undetermined: the list cannot decide, nothing else failed
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


def _port_not_on_list(law: Law, port: PortResolution) -> Determination:
    """A port missing from the loaded list: not designated only where the list is complete."""
    lists = law.in_force.departure_port_lists
    known = len(law.in_force.departure_ports)
    on = law.on.isoformat()
    complete = next((entry for entry in lists if entry.complete), None)
    if complete is not None:
        return Determination("non_compliant", (law.reason(
            ids.DR_PORT_NOT_DESIGNATED,
            f"{port.code} is not on the list of ports designated for registrants' departures "
            f"in force on {on} ({complete.source}), loaded in full ({known} ports).",
            {"port": port.code, "designated_ports_known": known, "list": complete.id},
            complete),))
    gaps = [entry for entry in lists if not entry.complete]
    if gaps:
        named = "; ".join(
            f"{entry.id} ({_span(entry.effective_from, entry.effective_to)}): {entry.gap}"
            for entry in gaps)
        record = gaps[0]
    else:
        named = f"no list of designated ports is loaded for {on}"
        record = None
    return Determination("undetermined", (law.reason(
        ids.DR_PORT_LIST_INCOMPLETE,
        f"Whether {port.code} was designated for registrants' departures on {on} cannot be "
        f"decided: it is not among the {known} ports loaded, and the list in force is not "
        f"loaded in full. The gap: {named}. This is not a violation; an administrator can "
        f"load the notice's complete list (docs/howto-load-departure-ports.md).",
        {"port": port.code, "designated_ports_known": known,
         "incomplete_lists": [entry.id for entry in gaps]}, record),))


def _span(start: date, end: date | None) -> str:
    """The dates a record covers, both ends included (``to`` is the first day after)."""
    if end is None:
        return f"from {start.isoformat()}"
    return f"{start.isoformat()} to {(end - timedelta(days=1)).isoformat()}"
