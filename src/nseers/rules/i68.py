"""Form I-68, the Canadian Border Boat Landing Permit (8 CFR 235.1(e), 2004 lettering).

Pure answers to the questions a district director and a boat captain ask: who may share
one family application, what it costs, until when a permit is valid, when a denied family
may apply again, and whether a planned landing stays within the permit's limits.

Readings we chose: a child is "under 21" until the 21st birthday; "over 15" for photo
identification means the 16th birthday has been reached; a new application may be filed
from day 90 after the latest denial (day 0 being the denial); a permit valid for one year
expires the day before the anniversary of issue (a 29 February issue date's anniversary
falls on 1 March); the 72-hour limit binds only holders who are neither U.S. citizens nor
lawful permanent residents, and a visit of exactly 72 hours is within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from nseers.core.dates import add_days, age_on, anniversary
from nseers.rules.policy.schema import Port
from nseers.rules.policy.store import Policy

Relationship = Literal["principal", "spouse", "child", "parent_of_principal",
                       "parent_of_spouse", "other"]


@dataclass(frozen=True, slots=True)
class Applicant:
    """One person named on an I-68 application."""

    relationship: Relationship
    date_of_birth: date
    married: bool = False
    same_address: bool = True


@dataclass(frozen=True, slots=True)
class MemberCheck:
    """Whether one applicant may be on the family's application, and why not."""

    applicant: Applicant
    eligible: bool
    reason: str
    needs_photo_id: bool


def family_members(policy: Policy, applicants: list[Applicant], on: date) -> list[MemberCheck]:
    """Check each applicant against the family definition in force on ``on``."""
    law = policy.in_force(on)
    family = law.value("i68.family")
    photo_age = law.value("i68.photo_id_age_older_than")
    checks = []
    for applicant in applicants:
        age = age_on(applicant.date_of_birth, on)
        reason = ""
        if family.same_address_required and not applicant.same_address:
            reason = "family members must reside at the same address"
        elif applicant.relationship == "other":
            reason = ("only a husband, wife, their unmarried children under "
                      f"{family.child_younger_than} and the parents of either may share an "
                      f"application")
        elif applicant.relationship == "child":
            if age >= family.child_younger_than:
                reason = f"a child aged {age} is not under {family.child_younger_than}"
            elif family.children_must_be_unmarried and applicant.married:
                reason = "a married child applies separately"
        elif applicant.relationship.startswith("parent_of") and not family.parents_of_either_spouse:
            reason = "parents are not part of the family on this date"
        checks.append(MemberCheck(applicant, not reason, reason or "member of the family",
                                  photo_age is not None and age > photo_age))
    return checks


#: The document that shows a lawful permanent resident of the United States.
LPR_CARD = "i551"
#: The eligible groups in the words a refusal uses.
GROUP_WORDS = {"us_citizen": "U.S. citizens", "lpr": "lawful permanent residents",
               "canadian_citizen": "Canadian citizens",
               "canadian_permanent_resident": "permanent residents of Canada"}


@dataclass(frozen=True, slots=True)
class GroupCheck:
    """Which group that may hold an I-68 an applicant is in, or why none."""

    group: str | None
    reason: str


def holder_group(policy: Policy, on: date, *, citizenships: tuple[str, ...],
                 document_kinds: frozenset[str], canadian_permanent_resident: bool
                 ) -> GroupCheck:
    """The applicant's group among those 8 CFR 235.1(e) lets hold a permit on ``on``
    (U.S. citizens, LPRs, Canadian citizens and permanent residents of Canada), or why the
    applicant is in none: a British citizen living in Mexico is not (issue 15)."""
    law = policy.in_force(on)
    eligible = law.value("i68.eligible_groups", [])
    by_citizenship = law.value("i68.citizenship_groups", {})
    found = [by_citizenship[c] for c in citizenships if c in by_citizenship]
    if LPR_CARD in document_kinds:
        found.append("lpr")
    if canadian_permanent_resident:
        found.append("canadian_permanent_resident")
    for group in found:
        if group in eligible:
            return GroupCheck(group, "")
    held = ", ".join(citizenships) or "no citizenship given"
    return GroupCheck(None, f"a permit may be held only by "
                            f"{', '.join(GROUP_WORDS.get(g, g) for g in eligible)} "
                            f"({held} is none of these)")


def port_problem(policy: Policy, on: date, port: Port | None, code: str) -> str | None:
    """Why ``code`` is not a port of the I-68 program on ``on``, or ``None`` when it is:
    the program serves the northern border only (8 CFR 235.1(e))."""
    border = policy.in_force(on).value("i68.program_border")
    if port is None:
        return f"not a known port of entry: {code!r}"
    if port.border != border:
        return (f"{port.name} is not on the {border} border, where the boat landing program "
                f"applies")
    return None


def program_ports(policy: Policy, on: date) -> list[Port]:
    """The ports an I-68 may be filed at on ``on``, by name."""
    return sorted((p for p in policy.ports.values()
                   if port_problem(policy, on, p, p.code) is None), key=lambda p: p.name)


def application_fee(policy: Policy, eligible_members: int, on: date) -> int:
    """The fee for one family application filed on ``on``: per person, up to the family cap."""
    law = policy.in_force(on)
    per_person = law.value("i68.fee_per_person_usd", 0)
    cap = law.value("i68.family_fee_cap_usd")
    fee: int = per_person * eligible_members
    return min(fee, cap) if cap is not None else fee


def permit_expires(policy: Policy, issued_on: date) -> date:
    """The last day a permit issued on ``issued_on`` is valid."""
    years = policy.in_force(issued_on).value("i68.validity_years", 1)
    return add_days(anniversary(issued_on, years), -1)


def earliest_reapplication(policy: Policy, denials: list[date]) -> date | None:
    """The first day a new application may be filed, counted from the latest denial."""
    if not denials:
        return None
    latest = max(denials)
    days = policy.in_force(latest).value("i68.reapply_after_denial_days", 0)
    return add_days(latest, days)


@dataclass(frozen=True, slots=True)
class LandingCheck:
    """Whether a planned landing stays within an I-68 permit's limits."""

    permitted: bool
    problems: tuple[str, ...]


def check_landing(policy: Policy, *, on: date, holder_status: str, visit_hours: float,
                  distance_miles: float, craft_net_tons: float, merchandise: bool,
                  permit_expires_on: date) -> LandingCheck:
    """Check a landing against the permit: validity, craft, merchandise, distance, time."""
    law = policy.in_force(on)
    problems = []
    if on > permit_expires_on:
        problems.append(f"the permit expired on {permit_expires_on.isoformat()}")
    max_tons = law.value("i68.craft_max_net_tons_below")
    if max_tons is not None and craft_net_tons >= max_tons:
        problems.append(f"the craft is {craft_net_tons:g} net tons; it must be under {max_tons}")
    if merchandise:
        problems.append("merchandise may not be landed under the program")
    # 235.1(e)(5)(i): both limits bind only a holder who is not a citizen or LPR.
    limited = holder_status not in law.value("i68.limits_exempt_statuses", [])
    max_miles = law.value("i68.max_distance_miles")
    if limited and max_miles is not None and distance_miles > max_miles:
        problems.append(f"{distance_miles:g} miles is beyond {max_miles} miles of the shore line")
    max_hours = law.value("i68.max_visit_hours")
    if limited and max_hours is not None and visit_hours > max_hours:
        problems.append(f"a visit of {visit_hours:g} hours exceeds {max_hours} hours")
    return LandingCheck(not problems, tuple(problems))
