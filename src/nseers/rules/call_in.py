"""Call-in ("domestic") special registration: who had to register, when, and was it timely.

Groups 1 to 4 (8 CFR 264.1(f)(4) and four notices) called in male nonimmigrants of 25
countries who were already in the United States. Each condition is applied exactly as the
notice words it: a date-of-birth cutoff (not a computed age), "last admitted on or before",
presence "at least until" a date (Groups 1, 2, 4: a departure on that date still counts as
present) or "after" it (Group 3: a departure on that date does not), and the asylum cutoff
("filed on or before", inclusive).

Readings we chose: membership is judged on the version of the group in force when its
window opened, so the notice that listed Armenia in error (rescinded before any window
opened) never makes an Armenian a registrant; whether a registration was timely is judged
on the version in force on the day of registration, so an extension published before that
day counts, and a registration in a grace window is timely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nseers.core.codes import canonical_class, class_family
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.schema import CallInGroup, Window
from nseers.rules.policy.store import Policy
from nseers.rules.result import Reason


@dataclass(frozen=True, slots=True)
class CallInFacts:
    """What the call-in notices ask about a person."""

    citizenships: tuple[str, ...]
    sex: str | None
    date_of_birth: date | None
    claimed_status: str
    admission_class: str | None
    last_admitted_on: date | None
    departed_on: date | None = None
    asylum_applied_on: date | None = None
    asylum_granted: bool = False


@dataclass(frozen=True, slots=True)
class CallInAssessment:
    """One group's answer for one person."""

    group: int
    group_id: str
    required: bool
    window: Window
    grace_window: Window | None
    timeliness: str | None
    reasons: tuple[Reason, ...]


def assess_call_in(facts: CallInFacts, policy: Policy, on: date,
                   registered_on: date | None = None) -> list[CallInAssessment]:
    """Every call-in group whose countries include one of the person's citizenships."""
    assessments = []
    law = Law(policy, on)
    ended = _call_in_ended(Law(policy, registered_on or on))
    for group_id in _group_ids(policy):
        versions = [g for g in policy.records(CallInGroup) if g.id == group_id]
        opening = _version_on(versions, versions[-1].window.start) or versions[0]
        countries = sorted(set(facts.citizenships) & set(opening.countries))
        if not countries:
            continue
        current = _version_on(versions, on) or opening
        failure = _failed_condition(facts, opening)
        required = failure is None
        if required and ended is not None:
            assessments.append(CallInAssessment(
                opening.group, group_id, False, current.window, current.grace_window, None,
                (ended,)))
            continue
        text = (f"As a national or citizen of {', '.join(countries)}, the person falls under "
                f"call-in Group {opening.group}; "
                + ("every condition of the notice is met, so the person had to register "
                   f"between {current.window.start.isoformat()} and "
                   f"{current.window.end.isoformat()}." if required else f"but {failure}."))
        reasons = [law.reason(ids.CALL_IN_GROUP, text,
                              {"group": opening.group, "countries": countries}, opening)]
        timeliness = None
        if required and registered_on is not None:
            timeliness, reason = _timeliness(law, versions, opening, registered_on)
            reasons.append(reason)
        assessments.append(CallInAssessment(
            opening.group, group_id, required, current.window, current.grace_window,
            timeliness, tuple(reasons)))
    return assessments


def _call_in_ended(law: Law) -> Reason | None:
    """Why no one registers under a call-in notice on ``law``'s date, where the law says so:
    after every country was delisted (76 FR 23830) or the regulation removed (81 FR 94231),
    a registration then is neither required nor late (issue 15: it was recorded as a late
    registration and a violation)."""
    provisions = law.in_force.provisions
    for rule in (ids.SR_FRAMEWORK_REMOVED, ids.SR_COUNTRIES_DELISTED):
        provision = provisions.get(rule)
        if provision is not None:
            return law.reason(
                rule,
                f"No one registers under a call-in notice on {law.on.isoformat()}: "
                f"{provision.title[0].lower()}{provision.title[1:]}, effective "
                f"{provision.effective_from.isoformat()} ({provision.source}).",
                {"on": law.on})
    return None


def _group_ids(policy: Policy) -> list[str]:
    seen: dict[str, None] = {}
    for group in policy.records(CallInGroup):
        seen.setdefault(group.id, None)
    return list(seen)


def _version_on(versions: list[CallInGroup], on: date) -> CallInGroup | None:
    for version in versions:
        if version.in_force_on(on):
            return version
    return None


def _failed_condition(facts: CallInFacts, group: CallInGroup) -> str | None:
    if facts.claimed_status != "nonimmigrant":
        return f"the notice covers nonimmigrants only (the person is {facts.claimed_status})"
    family = class_family(canonical_class(facts.admission_class or ""))
    if family and family in group.exempt_class_families:
        return f"class {family} nonimmigrants are exempt"
    if group.sex is not None and facts.sex != group.sex:
        return f"the notice covers only sex {group.sex}"
    if facts.date_of_birth is None:
        return "the date of birth is not known, so the age condition cannot be shown"
    if facts.date_of_birth > group.born_on_or_before:
        return (f"the person was born on {facts.date_of_birth.isoformat()}, after "
                f"{group.born_on_or_before.isoformat()}")
    if facts.last_admitted_on is None:
        return "the date of last admission is not known"
    if facts.last_admitted_on > group.last_admitted_on_or_before:
        return (f"the person was last admitted on {facts.last_admitted_on.isoformat()}, after "
                f"{group.last_admitted_on_or_before.isoformat()}")
    if facts.departed_on is not None:
        limit = group.presence.date
        if group.presence.operator == "at_least_until" and facts.departed_on < limit:
            return (f"the person left on {facts.departed_on.isoformat()}, before "
                    f"{limit.isoformat()}, and the notice covers those present at least "
                    f"until then")
        if group.presence.operator == "after" and facts.departed_on <= limit:
            return (f"the person left on {facts.departed_on.isoformat()}, and the notice "
                    f"covers only those remaining after {limit.isoformat()}")
    if facts.asylum_granted:
        return "the person has been granted asylum"
    if facts.asylum_applied_on is not None and (
            facts.asylum_applied_on <= group.asylum_applied_on_or_before):
        return (f"the person applied for asylum on {facts.asylum_applied_on.isoformat()}, on "
                f"or before {group.asylum_applied_on_or_before.isoformat()}")
    return None


def _timeliness(law: Law, versions: list[CallInGroup], opening: CallInGroup,
                registered_on: date) -> tuple[str, Reason]:
    version = _version_on(versions, registered_on) or versions[-1]
    if registered_on < opening.window.start:
        verdict, text = "early", "before the registration window opened"
    elif version.window.contains(registered_on):
        verdict, text = "timely", (f"within the window {version.window.start.isoformat()} to "
                                   f"{version.window.end.isoformat()}")
    elif version.grace_window is not None and version.grace_window.contains(registered_on):
        verdict, text = "timely_grace", (
            f"within the grace period {version.grace_window.start.isoformat()} to "
            f"{version.grace_window.end.isoformat()}")
    else:
        verdict, text = "late", (f"after the window closed on "
                                 f"{version.window.end.isoformat()}")
    reason = law.reason(
        ids.CALL_IN_GROUP,
        f"The registration on {registered_on.isoformat()} was {text}.",
        {"registered_on": registered_on, "verdict": verdict}, version)
    return verdict, reason
