"""The time limits on a request to correct a record, from the dated policy data.

Two limits run from the day a request is received: its receipt must be acknowledged
(``corrections.acknowledgement``: the Privacy Act's ten working days, 5 U.S.C.
552a(d)(2)(A)) and it must be decided (``corrections.decision``: the EES overlay's 30 days,
Regulation (EU) 2017/2226 Art. 52(3), since United States law sets no number). Each limit is
read as in force on the day of receipt, so a later change of the law does not move the
deadline of a request already made.

Readings we chose:

* Day 0 is the day of receipt; "within 10 days" means by the end of the tenth day after it.
* ``weekdays`` skips Saturdays and Sundays. Legal public holidays (5 U.S.C. 6103) are not
  subtracted, so a weekday deadline can fall a day or two before the law's: it errs
  towards the requester.
* A request is overdue from the day after its deadline while still unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from nseers.rules.law import Law
from nseers.rules.policy.parameters import CorrectionPeriod
from nseers.rules.policy.store import Policy
from nseers.rules.result import Reason

ACKNOWLEDGEMENT: Final = "corrections.acknowledgement"
DECISION: Final = "corrections.decision"
RULE_ACKNOWLEDGE: Final = "REDRESS.correction.acknowledge_within"
RULE_DECIDE: Final = "REDRESS.correction.decide_within"


def add_period(start: date, period: CorrectionPeriod) -> date:
    """The last day of ``period`` counted from ``start`` (day 0)."""
    if period.counting == "calendar":
        return start + timedelta(days=period.days)
    day, left = start, period.days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@dataclass(frozen=True, slots=True)
class Deadlines:
    """When a request must be acknowledged and decided (``None``: no limit in force)."""

    received_on: date
    acknowledge_by: date | None
    decide_by: date | None
    reasons: tuple[Reason, ...]

    def overdue(self, on: date, *, acknowledged: bool, decided: bool) -> list[str]:
        """Which limits have passed unanswered on ``on``: ``acknowledgement``, ``decision``."""
        late = []
        if not decided and not acknowledged and self.acknowledge_by is not None \
                and on > self.acknowledge_by:
            late.append("acknowledgement")
        if not decided and self.decide_by is not None and on > self.decide_by:
            late.append("decision")
        return late


def _period(law: Law, parameter_id: str) -> CorrectionPeriod | None:
    value = law.value(parameter_id)
    if value is None:
        return None
    return value if isinstance(value, CorrectionPeriod) else CorrectionPeriod(**value)


def correction_deadlines(policy: Policy, received_on: date) -> Deadlines:
    """The acknowledgement and decision deadlines of a request received on ``received_on``,
    each with the reason that cites the policy value used."""
    law = Law(policy, received_on)
    reasons: list[Reason] = []
    found: dict[str, date | None] = {}
    for parameter_id, rule, what in ((ACKNOWLEDGEMENT, RULE_ACKNOWLEDGE, "acknowledged"),
                                     (DECISION, RULE_DECIDE, "decided")):
        period = _period(law, parameter_id)
        if period is None:
            found[parameter_id] = None
            reasons.append(Reason(rule, "not cited", "not cited",
                                  f"No time limit to have the request {what} was in force "
                                  f"on {received_on.isoformat()}.",
                                  {"received_on": received_on}))
            continue
        due = add_period(received_on, period)
        found[parameter_id] = due
        unit = "days" if period.counting == "calendar" else "weekdays"
        reasons.append(law.parameter_reason(
            rule, parameter_id,
            f"A request received on {received_on.isoformat()} is to be {what} within "
            f"{period.days} {unit}: by {due.isoformat()}.",
            {"received_on": received_on, "days": period.days, "counting": period.counting,
             "due": due}))
    return Deadlines(received_on, found[ACKNOWLEDGEMENT], found[DECISION], tuple(reasons))
