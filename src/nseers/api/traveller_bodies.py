"""Request and response bodies of the traveller's own days (issue 17): the one-time code,
the days view, and the stay calculator."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import Field

from nseers.api.bodies import Day, RequestBody, request_body
from nseers.api.schemas import ResponseBody
from nseers.services.traveller_days import CodeAnswer, CodeRequest

if TYPE_CHECKING:
    CodeRequestIn: TypeAlias = RequestBody
    CodeAnswerIn: TypeAlias = RequestBody
else:
    CodeRequestIn = request_body(CodeRequest, "CodeRequestIn")
    CodeAnswerIn = request_body(CodeAnswer, "CodeAnswerIn")




class CodeChallenge(ResponseBody):
    """The same answer whether or not anything matched: send the challenge back with the
    code received."""

    challenge: str
    expires_in_minutes: int
    message: str




class ReasonOut(ResponseBody):
    """Why: the rule, its citation and source, the values used and the date in force."""

    rule: str
    citation: str
    source: str
    text: str
    values: dict[str, Any] | None = None
    effective: date | None = None
    confidence: str | None = None


class AuthorisedStayOut(ResponseBody):
    """Until when the admission authorises the stay, and the days remaining or over."""

    last_day: date | None
    standing: Literal["within", "over", "open_ended"]
    days_remaining: int | None
    days_over: int | None
    reasons: list[ReasonOut]


class CountedDayOut(ResponseBody):
    """One day of the rolling window, counted or not, and why."""

    day: date
    counted: bool
    why: str


class RollingWindowOut(ResponseBody):
    """The EES overlay's count (Regulation (EU) 2016/399 Art. 6(1); 2017/2226 Art. 11)."""

    on: date
    window_start: date
    max_days: int
    days_used: int
    days_left: int
    days_over: int
    last_day_of_stay: date | None
    days: list[CountedDayOut]
    reason: ReasonOut


class Departure(ResponseBody):
    """The departure record that closed an I-94."""

    record: int
    date: date
    port: str


class I94Out(ResponseBody):
    """One I-94: open with its standing, or closed by the departure named."""

    number: str
    admission_class: str | None
    port: str
    admitted_on: date
    arrival_record: int
    admit_until: date | None
    duration_of_status: bool
    surrendered_on: date | None
    open: bool
    standing: AuthorisedStayOut | None
    closed_by: Departure | None


class Movement(ResponseBody):
    """An arrival or a departure."""

    kind: str
    date: date
    port: str
    record: int


class StayOut(ResponseBody):
    """A stay from the travel history: entered, and left (``null``: still in)."""

    entered_on: date
    left_on: date | None


class TravellerDays(ResponseBody):
    """Every I-94, the open admissions with their days, the travel history, the overlay."""

    as_of: date
    latest_i94: I94Out | None
    i94s: list[I94Out]
    open_admissions: list[I94Out]
    travel_history: list[Movement]
    stays: list[StayOut]
    ees_overlay: RollingWindowOut | None


class StayIn(RequestBody):
    """A stay: the day of entry and the day of exit (``null``: not left yet)."""

    entered_on: Day
    left_on: Day | None = None


class StayQuestionIn(RequestBody):
    """What to count: an admission (admit-until, or D/S with the class and the program's
    end) and/or the stays for the EES rolling window, as of a day."""

    as_of: Day
    admit_until: Day | None = None
    duration_of_status: bool = False
    admission_class: Annotated[str, Field(max_length=10)] | None = None
    program_end: Day | None = None
    stays: Annotated[list[StayIn], Field(default_factory=list, max_length=500)]


class StayAnswer(ResponseBody):
    """The admission's standing (when one was given) and the overlay's count (when stays
    were given and the overlay is in force on the day)."""

    as_of: date
    admission: AuthorisedStayOut | None
    ees_overlay: RollingWindowOut | None
