"""The Visa Waiver Program: whether a traveller may seek admission without a visa.

INA 217 (8 U.S.C. 1187) lets a national of a designated country (8 CFR 217.2(a)) seek
admission for ninety days or less as a visitor for business or pleasure without a visa.
Which countries are designated, and from when to when, is dated policy data
(``visa_waiver.program_countries``: a designation or a termination is a new version of the
whole list); so is the 2015 Act's bar on nationals of Iraq, Syria and the state sponsors
of terrorism, who may not use the program whatever passport they bear (INA
217(a)(12)(A)(ii); ``visa_waiver.barred_nationalities``).

Readings we chose:

- The program is carried by the passport: a traveller is a national of the designated
  country whose passport they present, so the issuer decides designation, and every
  citizenship the traveller holds is checked against the bar.
- The bar on those present in a country of concern since 2011-03-01 (INA
  217(a)(12)(A)(i)) turns on travel history, which is not a fact we hold; it is not
  judged here, and no answer says a traveller passes it.
- A terminated designation ends on the day the terminating rule takes effect; admissions
  made before it stand (67 FR 7943 for Argentina), which the admission's own date
  already decides.

``vwp_eligible`` answers for one date, with the reason cited from the value in force;
``vwp_periods`` gives every span of days on which the same answer is yes, from the same
data, for callers that ask about many dates (the demo population). A test holds the two
to the same answer on both sides of every date of change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.schema import Parameter
from nseers.rules.policy.store import Policy
from nseers.rules.result import Reason

PROGRAM_COUNTRIES = "visa_waiver.program_countries"
BARRED_NATIONALITIES = "visa_waiver.barred_nationalities"


@dataclass(frozen=True, slots=True)
class VwpEligibility:
    """Whether the program is open to a traveller on a date, and the reason why."""

    eligible: bool
    reason: Reason


def vwp_eligible(law: Law, passport_issuer: str, citizenships: Collection[str]
                 ) -> VwpEligibility:
    """Whether a traveller with this passport and these citizenships may use the program
    on ``law.on`` (INA 217(a); 8 CFR 217.2(a); INA 217(a)(12)(A)(ii)).

    The reason cites the version of the list that designated the country (or barred the
    nationality) for the run of days that holds ``law.on``, so an answer for a British
    passport in 2024 cites the United Kingdom's designation, not Qatar's."""
    countries = law.value(PROGRAM_COUNTRIES)
    values: dict[str, Any] = {"passport_issuer": passport_issuer, "on": law.on}
    if countries is None:
        return VwpEligibility(False, law.reason(
            ids.VWP_NOT_DESIGNATED,
            f"No country was designated for the Visa Waiver Program on {law.on}; the "
            f"program began on {law.first_effective(PROGRAM_COUNTRIES)}.", values))
    history = law.policy.history(PROGRAM_COUNTRIES)
    if passport_issuer not in countries:
        ended = _ended(history, law.on, lambda value: passport_issuer in value)
        text = (f"{passport_issuer} is not a country designated for the Visa Waiver Program "
                f"on {law.on}")
        if ended is None:
            return VwpEligibility(False, law.reason(ids.VWP_NOT_DESIGNATED, f"{text}.", values))
        return VwpEligibility(False, law.reason(
            ids.VWP_NOT_DESIGNATED,
            f"{text}: its designation ended on {ended.effective_from}.", values, ended))
    barred = sorted(set(law.value(BARRED_NATIONALITIES, ())).intersection(citizenships))
    if barred:
        since = _since(law.policy.history(BARRED_NATIONALITIES), law.on,
                       lambda value: barred[0] in value)
        return VwpEligibility(False, law.reason(
            ids.VWP_BARRED_NATIONALITY,
            f"A national of {', '.join(barred)} may not travel under the Visa Waiver "
            f"Program, even with a passport of {passport_issuer}.",
            {**values, "barred_nationalities": barred}, since))
    since = _since(history, law.on, lambda value: passport_issuer in value)
    return VwpEligibility(True, law.reason(
        ids.VWP_DESIGNATED_COUNTRY,
        f"{passport_issuer} is designated for the Visa Waiver Program from "
        f"{since.effective_from if since else law.on}: its nationals may seek admission as "
        "visitors for business or pleasure without a visa.", values, since))


def _since(history: tuple[Parameter, ...], on: date, holds: Callable[[Any], bool]
           ) -> Parameter | None:
    """The version that began the unbroken run of versions, up to ``on``, of which
    ``holds`` is true."""
    first = None
    for version in history:
        if version.effective_from > on:
            break
        first = (first or version) if holds(version.value) else None
    return first


def _ended(history: tuple[Parameter, ...], on: date, holds: Callable[[Any], bool]
           ) -> Parameter | None:
    """The version, in force by ``on``, that ended the latest run of which ``holds`` was
    true (a termination), or ``None`` when it never held."""
    ended, held = None, False
    for version in history:
        if version.effective_from > on:
            break
        if holds(version.value):
            held, ended = True, None
        elif held and ended is None:
            ended = version
    return ended


def vwp_periods(policy: Policy, passport_issuer: str, citizenships: Collection[str]
                ) -> tuple[tuple[date, date | None], ...]:
    """Every span ``[first day, first day no longer)`` (``None``: still open) on which
    :func:`vwp_eligible` says yes for this traveller, oldest first."""
    designated = _spans(policy.history(PROGRAM_COUNTRIES),
                        lambda value: passport_issuer in value)
    barred = _spans(policy.history(BARRED_NATIONALITIES),
                    lambda value: not set(value).isdisjoint(citizenships))
    periods: list[tuple[date, date]] = []
    for first, stop in designated:
        begin = first
        for cut_begin, cut_stop in barred:
            if cut_stop <= begin or stop <= cut_begin:
                continue
            if begin < cut_begin:
                periods.append((begin, cut_begin))
            begin = max(begin, cut_stop)
        if begin < stop:
            periods.append((begin, stop))
    return tuple((begin, None if stop == _OPEN else stop) for begin, stop in periods)


#: The end of a span still open: after every date a policy can hold.
_OPEN = date.max


def _spans(history: tuple[Parameter, ...], holds: Callable[[Any], bool]
           ) -> list[tuple[date, date]]:
    """The merged spans of days, oldest first, on which ``holds`` is true of the value in
    force (the versions of one parameter never overlap)."""
    spans: list[tuple[date, date]] = []
    for version in history:
        if not holds(version.value):
            continue
        begin, stop = version.effective_from, version.effective_to or _OPEN
        if spans and spans[-1][1] == begin:
            begin = spans.pop()[0]
        spans.append((begin, stop))
    return spans
