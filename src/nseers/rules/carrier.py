"""May this passenger board? The carrier's question, answered from the registry's facts.

A carrier (an airline, a cruise line, a coach operator) asks before departure whether a
passenger may travel to the United States on an intended date, and gets one of three
answers: ``ok_to_board``, ``not_ok_to_board`` or ``no_record`` (EES Art. 13(3), with the
APIS "cleared / not cleared" of 19 CFR 122.49a as the United States analogue). Nothing
else about the passenger leaves the registry; the only other thing the carrier sees is a
code per ground from the policy overlay (``carrier.reason_codes``), which says what to do
next ("contact the border authority"), never why.

The grounds are those a registry of entries and exits can answer, judged under the law in
force on the intended date of travel:

- ``document_expired``: the passport presented has a recorded expiry before the intended
  date (INA 212(a)(7)(B)(i)(I)). Reading chosen: a passport that expires on the day of
  travel is still valid that day.
- ``overstay_without_departure``: the last admission's admit-until date has passed and no
  departure is recorded. The registry then shows the passenger still in the United States
  beyond the authorised stay: the visa used is void (INA 222(g)) and unlawful presence is
  still accruing (INA 212(a)(9)(B)), so whether a bar applies cannot be told until the
  departure is known. An admission for the duration of status (D/S) has no admit-until
  date and never counts (unlawful presence then needs a formal finding, which the registry
  does not record).
- ``unlawful_presence_bar``: a recorded departure after more than 180 days (3 years) or a
  year or more (10 years) of unlawful presence (INA 212(a)(9)(B)(i)), the bar running from
  the departure. Unlawful presence starts the day after the admit-until date and counts
  the day of departure, as the traveller's own I-94 page counts days overstayed; days
  before 1997-04-01 and before the 18th birthday are not counted (IIRIRA 301(b)(3); INA
  212(a)(9)(B)(iii)(I)). The exceptions that need facts the registry does not hold
  (asylum pending, battered spouses, tolling for an extension filed in time) are not
  applied: the answer then is "not OK", which sends the passenger to a CBP officer who
  can weigh them, never a silent "OK".
- ``removal_bar``: an arriving alien ordered removed within the last 5 years (INA
  212(a)(9)(A)(i)). A refusal or a withdrawn application for admission is not a removal.

A bar's last day is the day before its anniversary of the departure or removal (so on the
third anniversary of the departure the 3-year bar no longer applies). Every ground found
comes with a :class:`Reason` citing the value or provision in force on the intended date,
for the audit trail; the carrier sees none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from nseers.core.dates import anniversary
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.parameters import CarrierReasonCodes, UnlawfulPresenceBar
from nseers.rules.result import Reason

Answer = Literal["ok_to_board", "not_ok_to_board", "no_record"]
ANSWERS: Final[tuple[Answer, ...]] = ("ok_to_board", "not_ok_to_board", "no_record")
#: The grounds for "not OK", in the order they are reported (a field of
#: ``CarrierReasonCodes`` each, so every ground has a code in the data).
GROUNDS: Final = ("document_expired", "overstay_without_departure", "unlawful_presence_bar",
                  "removal_bar")


class CarrierPolicyMissingError(LookupError):
    """The policy in force on the date has no carrier reason codes (an earlier date)."""


@dataclass(frozen=True, slots=True)
class Stay:
    """One admission: when, until when (``None`` for duration of status), and the
    departure recorded after it, if any."""

    admitted_on: date
    admit_until: date | None
    departed_on: date | None


@dataclass(frozen=True, slots=True)
class BoardingFacts:
    """What the registry knows of the one person the carrier's details matched."""

    date_of_birth: date | None
    document_expires_on: date | None
    #: Every admission, oldest first.
    stays: tuple[Stay, ...] = ()
    #: The days the person was ordered removed on arrival.
    removals: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class BoardingDecision:
    """The answer, the carrier's codes, and (for the audit trail only) the grounds and why."""

    answer: Answer
    grounds: tuple[str, ...]
    reason_codes: tuple[str, ...]
    reasons: tuple[Reason, ...]

    def for_carrier(self) -> dict[str, object]:
        """Exactly what a carrier may see: the answer and the codes, nothing else."""
        return {"answer": self.answer, "reason_codes": list(self.reason_codes)}


def _codes(law: Law) -> CarrierReasonCodes:
    codes = law.value("carrier.reason_codes")
    if not isinstance(codes, CarrierReasonCodes):
        raise CarrierPolicyMissingError(f"no carrier reason codes are in force on {law.on}")
    return codes


def no_record(law: Law) -> BoardingDecision:
    """No one in the registry matches the document and the identity given."""
    _codes(law)
    return BoardingDecision("no_record", (), (), (law.reason(
        ids.CARRIER_NO_RECORD, "No record matches the document and identity given; the "
                               "carrier applies its usual document checks."),))


def decide_boarding(facts: BoardingFacts, law: Law) -> BoardingDecision:
    """The answer for a matched passenger travelling on ``law.on``."""
    codes = _codes(law)
    travel = law.on
    found: list[tuple[str, Reason]] = []
    if facts.document_expires_on is not None and facts.document_expires_on < travel:
        found.append(("document_expired", law.reason(
            ids.CARRIER_DOCUMENT_EXPIRED, "The passport presented expires before the "
                                          "intended date of travel.",
            {"expires_on": facts.document_expires_on, "travel_on": travel})))
    last = facts.stays[-1] if facts.stays else None
    if last is not None and last.departed_on is None and last.admit_until is not None \
            and last.admit_until < travel:
        found.append(("overstay_without_departure", law.reason(
            ids.CARRIER_OVERSTAY, "The last admission's stay ended before the intended date "
                                  "and no departure is recorded: the visa used is void and "
                                  "unlawful presence is still accruing.",
            {"admitted_on": last.admitted_on, "admit_until": last.admit_until})))
    bar = _unlawful_presence_bar(facts, law)
    if bar is not None:
        found.append(("unlawful_presence_bar", bar))
    removal = _removal_bar(facts, law)
    if removal is not None:
        found.append(("removal_bar", removal))
    if not found:
        return BoardingDecision("ok_to_board", (), (), (law.reason(
            ids.CARRIER_OK, "The registry holds no ground that stops the passenger boarding "
                            "on the intended date."),))
    grounds = tuple(ground for ground, _ in found)
    reason_codes = tuple(dict.fromkeys(getattr(codes, ground) for ground in grounds))
    return BoardingDecision("not_ok_to_board", grounds, reason_codes,
                            tuple(reason for _, reason in found))


def unlawful_presence_days(stay: Stay, date_of_birth: date | None, counted_from: date,
                           counted_from_age: int) -> int:
    """Days of unlawful presence a stay ended with (0 for D/S or without a departure)."""
    if stay.admit_until is None or stay.departed_on is None:
        return 0
    start = max(stay.admit_until + timedelta(days=1), counted_from)
    if date_of_birth is not None:
        start = max(start, anniversary(date_of_birth, counted_from_age))
    return max(0, (stay.departed_on - start).days + 1)


def _unlawful_presence_bar(facts: BoardingFacts, law: Law) -> Reason | None:
    bars: list[UnlawfulPresenceBar] = law.value("carrier.unlawful_presence_bars", [])
    counted_from: date | None = law.value("carrier.unlawful_presence_counted_from")
    counted_from_age: int | None = law.value("carrier.unlawful_presence_counted_from_age")
    if not bars or counted_from is None or counted_from_age is None:
        return None
    for stay in reversed(facts.stays):
        days = unlawful_presence_days(stay, facts.date_of_birth, counted_from,
                                      counted_from_age)
        reached = [bar for bar in bars if days >= bar.min_days]
        if not reached or stay.departed_on is None:
            continue
        bar = max(reached, key=lambda b: b.min_days)
        ends = anniversary(stay.departed_on, bar.bar_years)
        if law.on < ends:
            return law.parameter_reason(
                ids.CARRIER_UNLAWFUL_PRESENCE_BAR, "carrier.unlawful_presence_bars",
                f"A departure after {days} days of unlawful presence bars admission for "
                f"{bar.bar_years} years, until the day before {ends.isoformat()}.",
                {"unlawful_days": days, "departed_on": stay.departed_on,
                 "bar_years": bar.bar_years, "bar_ends_before": ends})
    return None


def _removal_bar(facts: BoardingFacts, law: Law) -> Reason | None:
    years: int | None = law.value("carrier.removal_bar_years")
    if years is None:
        return None
    for removed_on in sorted(facts.removals, reverse=True):
        ends = anniversary(removed_on, years)
        if removed_on <= law.on < ends:
            return law.parameter_reason(
                ids.CARRIER_REMOVAL_BAR, "carrier.removal_bar_years",
                f"An arriving alien ordered removed is inadmissible for {years} years, "
                f"until the day before {ends.isoformat()}.",
                {"removed_on": removed_on, "bar_years": years, "bar_ends_before": ends})
    return None
