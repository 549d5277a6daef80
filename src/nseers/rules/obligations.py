"""A registrant's obligations over time (8 CFR 264.1(f)(3)-(5), as amended by 68 FR 67578).

From the date and route of registration this builds the timeline a compliance officer or
an attorney reads: the 30-day report (port-of-entry registrants: day 30 to day 40 after
admission, day 0 being the admission), the annual re-registration windows (anniversary
plus or minus 10 days, of admission for port-of-entry registrants and of registration for
call-in registrants), and the standing duties: departure reporting, change notices, and
call-in interviews on notice.

Readings we chose: the 2003 suspension covers a report whose deadline (the last day of
its window) falls on or after the suspension's effective date, so a window that straddles
it is suspended, and a deadline that passed before it stands (NC-07); a 29 February
anniversary falls on 1 March in common years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from nseers.core.codes import canonical_class, class_family
from nseers.core.dates import LEAP_DAY_CONVENTION, add_days, anniversary
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.store import Policy
from nseers.rules.result import Reason

Route = Literal["port_of_entry", "call_in"]

#: The report duties that bind only a registrant still in the United States when the
#: window opens (8 CFR 264.1(f)(3) and (f)(5): one who "remains" in the United States).
PRESENCE_BOUND_REPORTS: Final = frozenset({"thirty_day_report", "annual_report"})


@dataclass(frozen=True, slots=True)
class Obligation:
    """One duty: a dated window (reports) or a standing period (departure, changes)."""

    kind: str
    status: str
    window_start: date | None
    window_end: date | None
    reasons: tuple[Reason, ...]
    sequence: int | None = None


def registrant_obligations(policy: Policy, *, basis: str, route: Route, start: date,
                           until: date, admission_class: str | None = None
                           ) -> list[Obligation]:
    """Every obligation of a registrant registered on ``start`` (admission or registration).

    ``basis`` is ``designated_nationality`` or ``individual``; ``route`` says whether the
    person was registered at a port of entry or at a call-in; ``until`` bounds the
    annual windows generated (e.g. the departure date or the date of a report).
    """
    obligations: list[Obligation] = []
    if route == "port_of_entry":
        thirty = _thirty_day(policy, start)
        if thirty is not None:
            obligations.append(thirty)
    obligations.extend(_annual(policy, start, until, route))
    obligations.extend(_standing(policy, basis, start, admission_class))
    return obligations


def relieving_departure(kind: str, registered_on: date, window_start: date | None,
                        departures: Iterable[date]) -> date | None:
    """The departure that relieved the registrant of a report before its window opened.

    The 30-day report binds a registrant who remains in the United States 30 days after
    admission, and the annual report one who remains a year (8 CFR 264.1(f)(3), (f)(5)): a
    registrant who left before the window opened owes neither, and is not charged with
    missing it. A return is a new admission with its own registration and obligations.
    The compliance queue filters with the same test in SQL, and a test proves they agree.
    """
    if kind not in PRESENCE_BOUND_REPORTS or window_start is None:
        return None
    before = [day for day in departures if registered_on <= day < window_start]
    return min(before) if before else None


def departed_before(day: date, movements: Iterable[tuple[date, str]]) -> date | None:
    """The departure after which the registrant was outside the United States on ``day``.

    ``movements`` are (date, ``arrival`` or ``departure``) pairs since registration. An
    interview on notice is for a registrant in the United States (8 CFR 264.1(f)(4)): one
    whose last movement on or before ``day`` is a departure has left, and is not called in.
    """
    last: tuple[date, str] | None = None
    for moved_on, kind in sorted(movements):
        if moved_on <= day:
            last = (moved_on, kind)
    return last[0] if last is not None and last[1] == "departure" else None


@dataclass(frozen=True, slots=True)
class NoticeBar:
    """Why a call-in notice cannot be issued on a day: ``code`` names the bar, ``text``
    says it to the officer. ``field`` is set where the bar lies in the request itself (the
    issue date), not in the registrant's standing."""

    code: str
    text: str
    field: str | None = None


def notice_bar(law: Law, *, fin: str, interview_window: tuple[date, date | None] | None,
               departed_on: date | None) -> NoticeBar | None:
    """Whether DHS could call the registrant in on ``law``'s date, and if not, why.

    Three things must hold, and the compliance queue offers a notice only where they do,
    with the same function the service uses to refuse one (no dead end):

    - a rule of interviews on notice is in force (68 FR 67578 from 2003-12-02; before it
      the registrant re-registered on fixed dates instead, 8 CFR 264.1(f)(3), (f)(5));
    - the registrant is subject to interviews on notice that day (their
      ``call_in_interview`` obligation's window, which ends when registrants on their basis
      were relieved, 76 FR 23830, or the framework removed, 81 FR 94231);
    - the registrant is in the United States (:func:`departed_before`).
    """
    on = law.on
    if law.value("special_registration.call_in_notice_days") is None:
        return NoticeBar("no_notice_rule",
                         f"no interview on notice was provided for on this date (the call-in "
                         f"notice rule took effect on "
                         f"{law.first_effective('special_registration.call_in_notice_days')})",
                         field="issued_on")
    if interview_window is None or not (
            interview_window[0] <= on and (interview_window[1] is None
                                           or on < interview_window[1])):
        return NoticeBar("not_subject_to_call_in",
                         f"the registrant with FIN {fin} is not subject to interviews on "
                         f"notice on {on.isoformat()}")
    if departed_on is not None:
        return NoticeBar("registrant_departed",
                         f"the registrant with FIN {fin} departed the United States on "
                         f"{departed_on.isoformat()}; a call-in notice is for a registrant "
                         f"who is here")
    return None


#: The parameter whose change to false suspended each kind of report.
SUSPENSION_PARAMETERS: Final = {
    "thirty_day_report": "special_registration.thirty_day_report_in_force",
    "annual_report": "special_registration.annual_report_in_force",
}


def suspension_in_force(policy: Policy, kind: str, on: date) -> bool:
    """Whether the suspension of a report of ``kind`` had taken effect by ``on``.

    An obligation is stored as suspended when its deadline falls after the suspension
    (68 FR 67578, 2003-12-02); a view as of an earlier date must not know that yet, and
    judges the report as the law then in force required it.
    """
    parameter_id = SUSPENSION_PARAMETERS.get(kind)
    if parameter_id is None:
        return True
    version = policy.parameter(parameter_id, on)
    return version is not None and version.value is False


def _thirty_day(policy: Policy, start: date) -> Obligation | None:
    law_at_start = Law(policy, start)
    window = law_at_start.value("special_registration.thirty_day_report")
    if window is None:
        return None
    opens, closes = add_days(start, window.first_day), add_days(start, window.last_day)
    law = Law(policy, closes)
    in_force = law.value("special_registration.thirty_day_report_in_force", False)
    status = "required" if in_force else "suspended"
    text = (f"The registrant, admitted on {start.isoformat()}, must report in person between "
            f"day {window.first_day} and day {window.last_day} after admission "
            f"({opens.isoformat()} to {closes.isoformat()}, both included)"
            + ("." if in_force else f"; the report is suspended because its deadline falls "
               f"on or after the suspension of "
               f"{_became_false(policy, 'special_registration.thirty_day_report_in_force')}."))
    return Obligation("thirty_day_report", status, opens, closes, (law.parameter_reason(
        ids.OBL_THIRTY_DAY, "special_registration.thirty_day_report_in_force", text,
        {"admitted_on": start, "deadline": closes}),))


def _annual(policy: Policy, start: date, until: date, route: Route) -> list[Obligation]:
    obligations: list[Obligation] = []
    window = Law(policy, start).value("special_registration.annual_report")
    if window is None:
        return obligations
    anchor = "admission" if route == "port_of_entry" else "registration"
    years = 1
    while True:
        due = anniversary(start, years)
        opens = add_days(due, -window.days_either_side)
        closes = add_days(due, window.days_either_side)
        if opens > until:
            break
        law = Law(policy, closes)
        in_force = law.value("special_registration.annual_report_in_force", False)
        text = (f"Annual re-registration {years}: within {window.days_either_side} days of "
                f"the anniversary of {anchor} on {due.isoformat()} ({opens.isoformat()} to "
                f"{closes.isoformat()}; {LEAP_DAY_CONVENTION})"
                + ("." if in_force else "; suspended, because the deadline falls on or after "
                   "the suspension."))
        obligations.append(Obligation(
            "annual_report", "required" if in_force else "suspended", opens, closes,
            (law.parameter_reason(ids.OBL_ANNUAL, "special_registration.annual_report_in_force",
                                  text, {"anniversary": due, "deadline": closes}),), years))
        if not in_force and not _ever_again(policy, "special_registration.annual_report_in_force",
                                            closes):
            break
        years += 1
    return obligations


def _standing(policy: Policy, basis: str, start: date,
              admission_class: str | None) -> list[Obligation]:
    out: list[Obligation] = []
    law = Law(policy, start)
    departure_from = max(start, _first_including(policy, "special_registration."
                                                 "departure_reporting_bases", basis) or start)
    departure_to = _first_excluding(policy, "special_registration.departure_reporting_bases",
                                    basis, departure_from)
    out.append(Obligation(
        "departure_report", "required", departure_from, departure_to,
        (law.reason(ids.OBL_DEPARTURE,
                    "Before leaving, the registrant appears in person before an inspecting "
                    "officer at a designated port of departure on the day of departure and "
                    "leaves from that port that day"
                    + (f", until {departure_to.isoformat()}, when registrants on this basis "
                       f"were relieved." if departure_to else "."),
                    {"basis": basis, "until": departure_to}),)))
    notice = law.value("special_registration.change_notice")
    if notice is not None:
        notice_to = _first_excluding(policy, "special_registration.change_notice_bases",
                                     basis, start)
        family = class_family(canonical_class(admission_class or ""))
        sevis = law.value("special_registration.sevis_exception_class_families", [])
        sevis_text = (" Address and school changes reported through SEVIS need not also be "
                      "filed." if family in sevis else "")
        out.append(Obligation(
            "change_notice", "required", start, notice_to,
            (law.parameter_reason(
                ids.OBL_CHANGE_NOTICE, "special_registration.change_notice",
                f"Each change of address, employer or school is reported in writing on Form "
                f"{notice.form} within {notice.days} days.{sevis_text}",
                {"days": notice.days, "form": notice.form, "until": notice_to}),)))
    channels_from = _first_effective(policy, "special_registration.call_in_notice_days")
    if channels_from is not None:
        law_then = Law(policy, max(start, channels_from))
        days = law_then.value("special_registration.call_in_notice_days")
        channels = law_then.value("special_registration.call_in_notice_channels", [])
        out.append(Obligation(
            "call_in_interview", "on_notice", max(start, channels_from), departure_to,
            (law_then.parameter_reason(
                ids.OBL_CALL_IN_INTERVIEW, "special_registration.call_in_notice_days",
                f"DHS may require the registrant to appear for an interview on {days} days' "
                f"notice given by {', '.join(channels)}.",
                {"notice_days": days, "channels": channels}),)))
    return out


def _first_effective(policy: Policy, parameter_id: str) -> date | None:
    history = policy.history(parameter_id)
    return history[0].effective_from if history else None


def _became_false(policy: Policy, parameter_id: str) -> str:
    for version in policy.history(parameter_id):
        if version.value is False:
            return version.effective_from.isoformat()
    return "(never)"


def _ever_again(policy: Policy, parameter_id: str, after: date) -> bool:
    return any(v.value is True and v.effective_from > after for v in policy.history(parameter_id))


def _first_including(policy: Policy, parameter_id: str, basis: str) -> date | None:
    for version in policy.history(parameter_id):
        if basis in version.value:
            return version.effective_from
    return None


def _first_excluding(policy: Policy, parameter_id: str, basis: str, after: date) -> date | None:
    for version in policy.history(parameter_id):
        if version.effective_from > after and basis not in version.value:
            return version.effective_from
    return None
