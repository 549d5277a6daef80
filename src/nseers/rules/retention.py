"""When a person's file falls due for erasure, from its anchor dates and the dated
retention periods (the EES overlay, Regulation (EU) 2017/2226 Art. 34).

Pure: the caller finds the anchor dates (the last exit, the last day of an authorised stay
with no exit after it, the last refusal) and passes the policy; nothing here reads a clock
or a database. A file is due when *every* kind of record in it is past its period: the
latest due date wins, and a record with no end (an admission still open, or a kind whose
period is not in force on the run's date) keeps the whole file.

Readings chosen:

* A period of N years and D days ends on the N-th anniversary of the anchor (29 February
  falls on 1 March in common years, :data:`nseers.core.dates.LEAP_DAY_CONVENTION`) plus D
  days; the file is erased on that day, not before.
* A notice of M months is due M calendar months before the end (the same day of the month,
  or the month's last day when it has fewer days), and erasure comes no sooner than M
  months after the notice was actually given: a late notice delays erasure, it never
  shortens the time the recipients have to act (Art. 34(3): "three months in advance").
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Literal

from nseers.core.dates import add_days, anniversary
from nseers.rules.policy.parameters import RetentionPeriod
from nseers.rules.policy.schema import Parameter

Status = Literal["due", "notice", "notified", "held", "open", "kept"]


def months_before(day: date, months: int) -> date:
    """``day`` moved back ``months`` calendar months (clamped to the month's last day)."""
    return months_after(day, -months)


def months_after(day: date, months: int) -> date:
    """``day`` moved on ``months`` calendar months (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_end(period: RetentionPeriod, anchor: date) -> date:
    """The first day on which a record anchored on ``anchor`` is past its period."""
    return add_days(anniversary(anchor, period.years), period.days)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When one file falls due, under which rule, and what happens on the run's date."""

    status: Status
    rule: str | None = None
    kind: str | None = None
    due_on: date | None = None
    notice_from: date | None = None
    erase_on: date | None = None
    record: Parameter | None = None
    why: str = ""

    def explain(self) -> dict[str, Any]:
        """The rule, its citation and values, as every decision in nseers explains itself."""
        record = self.record
        return {
            "rule": self.rule, "kind": self.kind, "why": self.why,
            "citation": None if record is None else record.citation,
            "source": None if record is None else record.source,
            "effective": None if record is None else record.effective_from.isoformat(),
            "confidence": None if record is None else str(record.confidence),
            "values": None if record is None else asdict(record.value),
        }


def schedule_file(anchors: dict[str, date | None], rules: dict[str, Parameter | None],
                  *, as_of: date, notice_given_on: date | None = None,
                  held: bool = False) -> Schedule:
    """The schedule of one file on ``as_of``.

    ``anchors`` maps each kind of record the file holds to its anchor date (``None``: the
    record has no end yet, such as an admission for the duration of status with no exit);
    ``rules`` maps each kind to the retention period in force on ``as_of`` (``None``: none
    is). ``notice_given_on`` is when the notice of the governing rule was given, if it was.
    """
    if not anchors:
        return Schedule("kept", why="no record of a kind with a retention period")
    ends: list[tuple[date, str, Parameter]] = []
    for kind, anchor in anchors.items():
        record = rules.get(kind)
        if anchor is None:
            return Schedule("open", kind=kind, why=f"the {kind} record has no end yet")
        if record is None:
            return Schedule("kept", kind=kind,
                            why=f"no retention period for {kind} records is in force")
        ends.append((period_end(record.value, anchor), kind, record))
    due_on, kind, record = max(ends, key=lambda end: end[0])
    period: RetentionPeriod = record.value
    notice_from = None if period.notice_months is None else months_before(
        due_on, period.notice_months)
    erase_on = due_on
    if period.notice_months is not None and notice_given_on is not None:
        erase_on = max(due_on, months_after(notice_given_on, period.notice_months))
    base = Schedule("kept", rule=record.id, kind=kind, due_on=due_on,
                    notice_from=notice_from, erase_on=erase_on, record=record)
    in_window = as_of >= due_on or (notice_from is not None and as_of >= notice_from)
    if not in_window:
        return replace(base, why=f"kept until {due_on.isoformat()}")
    if held:
        return replace(base, status="held", why="a legal hold keeps the file")
    if notice_from is not None and notice_given_on is None:
        return replace(base, status="notice",
                       why=f"notice due to {', '.join(period.notify)} before erasure")
    if as_of < erase_on:
        return replace(base, status="notified",
                       why=f"notice given; erasure on {erase_on.isoformat()}")
    return replace(base, status="due",
                   why=f"past its retention period since {due_on.isoformat()}")
