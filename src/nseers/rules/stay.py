"""The stay calculator: how long a traveller may stay, and how the count was made.

Three questions (and a fourth below), each answered from the policy data in force on the
day asked:

- **Admit-until.** A nonimmigrant admitted until a date departs by the end of that date
  (8 CFR 214.1(a)(3)(i); the date is on the Form I-94). Reading chosen: the admit-until
  date is the last day of the authorised stay, so on that day 0 days remain and the day
  after it is the first day over (the same reading as the I-94 look-up).
- **Duration of status.** An F, M or J student or exchange visitor is admitted for the
  duration of status (D/S) and may stay a grace period after the program ends: 60 days for
  F, 30 for M and J (8 CFR 214.2(f)(5)(iv), (m)(10)(ii), (j)(1)(ii)). The grace periods
  and the classes they follow are the overstay report's own parameters
  (``entry_exit.grace_days_*``, ``entry_exit.duration_of_status_classes``), read here,
  never copied. Without the program's end date the stay has no date to count to.
- **The EES rolling window, a policy overlay.** The EU Entry/Exit System's calculator
  (Regulation (EU) 2017/2226 Art. 11) applies the Schengen short-stay rule: at most 90
  days in any 180-day period, the day of entry and the day of exit both counting as days
  of stay (Regulation (EU) 2016/399 Art. 6(1)). The US has no such rule; the overlay
  (``ees_overlay.*``) exists so a traveller, or an officer comparing systems, can see the
  count. Reading chosen: the window ending on a day is that day and the 179 days before it;
  a day covered by two overlapping stays counts once.

A fourth, for callers that set an admission's date: the **longest admission at one time**
a class may be given, where the regulations fix one (TN professionals: one year, three
from 2008-10-16; 8 CFR 214.6(e), 73 FR 61332).

Every count explains itself: the rolling window lists each day of the window, counted or
not, and why; every answer carries the reasons (rule id, citation, values, date in force).
This module is pure: it never reads the clock; the caller says which day is "today".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from nseers.core.codes import canonical_class
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.store import Policy
from nseers.rules.result import Reason

Standing = Literal["within", "over", "open_ended"]


@dataclass(frozen=True, slots=True)
class Stay:
    """One stay: the day of entry and the day of exit (``None``: not left yet)."""

    entered_on: date
    left_on: date | None = None


@dataclass(frozen=True, slots=True)
class CountedDay:
    """One day of the rolling window: whether it counts as a day of stay, and why."""

    day: date
    counted: bool
    why: str

    def to_dict(self) -> dict[str, Any]:
        """The day as the API and the portal show it."""
        return {"day": self.day.isoformat(), "counted": self.counted, "why": self.why}


@dataclass(frozen=True, slots=True)
class AuthorisedStay:
    """Until when an admission authorises the stay, and where the traveller stands."""

    last_day: date | None
    standing: Standing
    days_remaining: int | None
    days_over: int | None
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        """The answer as the API and the portal show it."""
        return {"last_day": None if self.last_day is None else self.last_day.isoformat(),
                "standing": self.standing, "days_remaining": self.days_remaining,
                "days_over": self.days_over,
                "reasons": [reason.to_dict() for reason in self.reasons]}


@dataclass(frozen=True, slots=True)
class RollingWindow:
    """The EES overlay's count on one day: the window, the days used and each day's why."""

    on: date
    window_start: date
    max_days: int
    days_used: int
    days_over: int
    #: While the traveller is in (the last stay is open): the last day they may stay before
    #: the count passes the maximum; ``None`` when they are out or already over.
    last_day_of_stay: date | None
    days: tuple[CountedDay, ...]
    reason: Reason

    @property
    def days_left(self) -> int:
        """Days of the maximum not yet used in the window ending today."""
        return max(0, self.max_days - self.days_used)

    def to_dict(self) -> dict[str, Any]:
        """The count as the API and the portal show it."""
        return {"on": self.on.isoformat(), "window_start": self.window_start.isoformat(),
                "max_days": self.max_days, "days_used": self.days_used,
                "days_left": self.days_left, "days_over": self.days_over,
                "last_day_of_stay": (None if self.last_day_of_stay is None
                                     else self.last_day_of_stay.isoformat()),
                "days": [day.to_dict() for day in self.days],
                "reason": self.reason.to_dict()}


def authorised_stay(law: Law, *, admit_until: date | None = None,
                    duration_of_status: bool = False, admission_class: str | None = None,
                    program_end: date | None = None) -> AuthorisedStay:
    """Where a traveller stands on ``law.on`` under an admission: admit-until or D/S.

    An admission is either until a date or for the duration of status; one of the two must
    be given. For D/S the last day is the program's end plus the grace period of the
    class; a D/S class with no grace period in policy, or a D/S admission whose program
    end is unknown, is open-ended (and says so).
    """
    if admit_until is not None and not duration_of_status:
        reason = law.reason(
            ids.STAY_ADMIT_UNTIL,
            "The admit-until date is the last day of the authorised stay: on it no days "
            "remain, and the day after it is the first day over.",
            {"admit_until": admit_until, "on": law.on})
        return _standing(law.on, admit_until, (reason,))
    if not duration_of_status:
        raise InvalidInputError([FieldProblem(
            "admit_until", "give the admit-until date, or say the admission is for the "
            "duration of status")])
    return _duration_of_status(law, admission_class, program_end)


#: The classes whose longest admission at one time 8 CFR 214.6(e) fixes: TN professionals,
#: and their TD spouses and children, who are admitted for the principal's period.
_TN_CLASSES = frozenset({"TN", "TD"})
TN_MAX_ADMISSION_YEARS = "stay.tn_max_admission_years"


def max_admission_years(policy: Policy, admission_class: str, on: date) -> int | None:
    """The longest admission at one time, in whole years, that the regulations fix for
    ``admission_class`` on ``on``; ``None`` where the policy in force fixes none.

    Only TN professionals (and TD dependants) have one in the data: one year, until the
    2008 rule made it three (8 CFR 214.6(e); 73 FR 61332, in force from 2008-10-16). An
    admission on 2008-10-16 itself is under the new rule: the effective date belongs to
    the new value.
    """
    if canonical_class(admission_class) in _TN_CLASSES:
        # A bisection over the versions, not a whole Law: the demo population asks this
        # for every worker's admission.
        version = policy.parameter(TN_MAX_ADMISSION_YEARS, on)
        return None if version is None else int(version.value)
    return None


def _duration_of_status(law: Law, admission_class: str | None,
                        program_end: date | None) -> AuthorisedStay:
    classes: dict[str, str] = law.value("entry_exit.duration_of_status_classes", {}) or {}
    key = (admission_class or "").replace("-", "").upper()
    letter = classes.get(key)
    if letter is None:
        reason = law.parameter_reason(
            ids.STAY_DURATION_OF_STATUS, "entry_exit.duration_of_status_classes",
            f"Class {admission_class or '(none)'} has no grace period in the policy in "
            "force: the stay lasts as long as the status and has no date to count to.",
            {"admission_class": admission_class, "classes": sorted(classes)})
        return AuthorisedStay(None, "open_ended", None, None, (reason,))
    parameter = f"entry_exit.grace_days_{letter}"
    grace = int(law.value(parameter, 0))
    if program_end is None:
        reason = law.parameter_reason(
            ids.STAY_DURATION_OF_STATUS, parameter,
            f"Admitted for the duration of status in class {key}: the stay ends {grace} "
            "days after the program ends, and the program's end date is not known here.",
            {"admission_class": key, "grace_days": grace})
        return AuthorisedStay(None, "open_ended", None, None, (reason,))
    last_day = program_end + timedelta(days=grace)
    reason = law.parameter_reason(
        ids.STAY_DURATION_OF_STATUS, parameter,
        f"Admitted for the duration of status in class {key}: the program ends on "
        f"{program_end.isoformat()} and the {grace}-day grace period makes "
        f"{last_day.isoformat()} the last day of the stay.",
        {"admission_class": key, "program_end": program_end, "grace_days": grace,
         "last_day": last_day, "on": law.on})
    return _standing(law.on, last_day, (reason,))


def _standing(on: date, last_day: date, reasons: tuple[Reason, ...]) -> AuthorisedStay:
    if on <= last_day:
        return AuthorisedStay(last_day, "within", (last_day - on).days, None, reasons)
    return AuthorisedStay(last_day, "over", None, (on - last_day).days, reasons)


def rolling_window(law: Law, stays: Sequence[Stay]) -> RollingWindow | None:
    """The EES overlay's count on ``law.on`` over ``stays``; ``None`` when the overlay
    is not in force on that day.

    Each stay runs from its entry day to its exit day, or to ``law.on`` while open. A stay
    that ends before it begins, or that begins after the day of the count, is refused
    with the field named.
    """
    max_days = law.value("ees_overlay.short_stay_max_days")
    window_days = law.value("ees_overlay.short_stay_window_days")
    if max_days is None or window_days is None:
        return None
    edges_count = bool(law.value("ees_overlay.entry_and_exit_days_count", True))
    _check(stays, law.on)
    on = law.on
    start = on - timedelta(days=window_days - 1)
    days = tuple(_count_day(day, stays, on, edges_count)
                 for day in _days(start, on))
    used = sum(day.counted for day in days)
    last_day = _last_day_of_stay(stays, on, int(max_days), int(window_days), edges_count,
                                 used)
    reason = law.parameter_reason(
        ids.STAY_EES_ROLLING_WINDOW, "ees_overlay.short_stay_max_days",
        f"EES overlay: of the {window_days} days from {start.isoformat()} to "
        f"{on.isoformat()}, {used} count as days of stay (the days of entry and exit "
        f"{'included' if edges_count else 'excluded'}); the most allowed is {max_days}.",
        {"window_days": window_days, "max_days": max_days, "days_used": used,
         "entry_and_exit_days_count": edges_count, "on": on})
    return RollingWindow(on, start, int(max_days), used, max(0, used - int(max_days)),
                         last_day, days, reason)


def _check(stays: Sequence[Stay], on: date) -> None:
    problems = []
    for index, stay in enumerate(stays):
        if stay.left_on is not None and stay.left_on < stay.entered_on:
            problems.append(FieldProblem(f"stays[{index}].left_on",
                                         "is before the day of entry"))
        if stay.entered_on > on:
            problems.append(FieldProblem(f"stays[{index}].entered_on",
                                         f"is after the day of the count ({on.isoformat()})"))
    if problems:
        raise InvalidInputError(problems)


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _count_day(day: date, stays: Sequence[Stay], on: date, edges_count: bool) -> CountedDay:
    """Whether ``day`` counts, with the first reason that applies (a day counts once)."""
    skipped: str | None = None
    for stay in stays:
        left = stay.left_on
        end = left if left is not None else on
        if not stay.entered_on <= day <= end:
            continue
        span = (f"the stay from {stay.entered_on.isoformat()} "
                f"{'to ' + left.isoformat() if left else '(no exit recorded)'}")
        is_entry, is_exit = day == stay.entered_on, left is not None and day == left
        if is_entry or is_exit:
            edge = "entry and exit" if is_entry and is_exit else (
                "entry" if is_entry else "exit")
            if edges_count:
                return CountedDay(day, True, f"day of {edge} of {span}: counts as a day of "
                                  "stay")
            skipped = f"day of {edge} of {span}: not counted under the policy in force"
            continue
        return CountedDay(day, True, f"present during {span}")
    return CountedDay(day, False, skipped or "not present")


def _last_day_of_stay(stays: Sequence[Stay], on: date, max_days: int, window_days: int,
                      edges_count: bool, used_today: int) -> date | None:
    """While a stay is open: the last day the traveller may remain before any window's
    count passes the maximum (each later day adds one, and days fall out of the window)."""
    if used_today > max_days or not any(s.left_on is None for s in stays):
        return None
    counted = {d.day for d in (_count_day(day, stays, on, edges_count)
                               for day in _days(on - timedelta(days=window_days - 1), on))
               if d.counted}
    last = on
    for offset in range(1, max_days + 2):
        day = on + timedelta(days=offset)
        counted.add(day)
        window_start = day - timedelta(days=window_days - 1)
        if sum(1 for d in counted if d >= window_start) > max_days:
            break
        last = day
    return last
