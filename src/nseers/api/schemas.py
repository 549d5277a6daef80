"""Request and response bodies: pydantic models that mirror the services' commands and answers.

A request model converts itself into the service's frozen command (``command()``); the
field names are the command's, so a problem the service finds (``person.surname``) has the
same path as one pydantic finds. Lengths match the registry's columns, so an over-long
value is refused here rather than by the database. Dates are ISO 8601; instants must carry
a UTC offset. Response models describe exactly what the services answer, so the OpenAPI
document can be checked against real responses.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
)

from nseers.core.actors import Role
from nseers.core.limits import DOCUMENT_NUMBER, NAME_PART
from nseers.core.text import unsafe_character_problem
from nseers.rules.case import CIRCUMSTANCES, DOCUMENT_KINDS
from nseers.services.accounts import NewUser, SignIn
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.i68 import (
    I68ApplicationCommand,
    I68DecisionCommand,
    I68MemberFacts,
    RevocationCommand,
)
from nseers.services.movements import ArrivalInspection, DepartureRecord, SwornAnswers
from nseers.services.passwords import MIN_PASSWORD_LENGTH
from nseers.services.registrants import (
    CallInNoticeCommand,
    CallInRegistrationCommand,
    ChangeCommand,
    InterviewCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    WillfulnessAssessment,
)
from nseers.services.self_service import I94Lookup

# The registry keeps dates between these; outside them no rule has anything to say, and
# date arithmetic (windows of ten years) must stay within what a date can hold.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MAX_ID = 2**31 - 1


def _in_range(value: datetime) -> datetime:
    if not EARLIEST <= value.date() <= LATEST:
        raise ValueError(f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: object) -> object:
    """Dates are ``YYYY-MM-DD`` strings only: a number (``315532800``, ``0``) is not a date,
    however the parser could read it (issue 16)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("a date as YYYY-MM-DD")
    return value


def _safe_name(value: str) -> str:
    problem = unsafe_character_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Day = Annotated[date, BeforeValidator(iso_day), Field(ge=EARLIEST, le=LATEST)]
Instant = Annotated[AwareDatetime, AfterValidator(_in_range),
                    Field(description="ISO 8601 with a UTC offset, e.g. "
                                      "2003-06-15T10:00:00-05:00")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Country = Annotated[str, Field(min_length=1, max_length=3,
                               description="ICAO / ISO 3166-1 alpha-3 code")]
ClassCode = Annotated[str, Field(min_length=1, max_length=10)]
PortCode = Annotated[str, Field(min_length=1, max_length=40)]
Fin = Annotated[str, Field(min_length=1, max_length=20,
                           description="Fingerprint Identification Number, with or without "
                                       "hyphens")]
Text = Annotated[str, Field(max_length=4000)]
Name = Annotated[str, AfterValidator(_safe_name), Field(max_length=NAME_PART)]
Mode = Literal["air", "sea", "land"]
ClaimedStatus = Literal["us_citizen", "lpr", "nonimmigrant", "immigrant", "refugee", "none"]
if TYPE_CHECKING:
    DocumentKind = str
    Circumstance = str
else:
    # The case parser's own lists, so the documented choices cannot drift from it.
    DocumentKind = Literal[tuple(sorted(DOCUMENT_KINDS))]
    Circumstance = Literal[CIRCUMSTANCES]


def _has_nul(value: object) -> bool:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class RequestBody(BaseModel):
    """Base of request bodies: unknown fields are errors, as in the evaluation contract, and
    no text may hold a NUL character (PostgreSQL cannot store one; SQLite could, so the
    two databases would answer differently)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


class ResponseBody(BaseModel):
    """Base of response bodies."""


# ------------------------------------------------------------------ shared parts
class PersonIn(RequestBody):
    """Who the traveller is; give ``person_id`` for a person the registry knows."""

    surname: Name = ""
    given_names: Name = ""
    date_of_birth: Day | None = None
    sex: Literal["M", "F", "X"] | None = None
    citizenships: list[Country] = Field(default_factory=list, max_length=10)
    surname_original: Name | None = Field(None, description="the surname in its original "
                                                            "script")
    given_names_original: Name | None = None
    script: str | None = Field(None, max_length=4, description="ISO 15924 code, e.g. Arab")
    person_id: Id | None = None

    def facts(self) -> PersonFacts:
        return PersonFacts(
            surname=self.surname, given_names=self.given_names,
            date_of_birth=self.date_of_birth, sex=self.sex,
            citizenships=tuple(self.citizenships), surname_original=self.surname_original,
            given_names_original=self.given_names_original, script=self.script,
            person_id=self.person_id)


class DocumentIn(RequestBody):
    """A document presented."""

    kind: DocumentKind
    number: str | None = Field(None, max_length=DOCUMENT_NUMBER)
    issuer: Country | None = None
    admission_class: ClassCode | None = Field(None, description="a visa's class")
    passport_type: Literal["regular", "diplomatic", "official"] | None = None
    expires_on: Day | None = None
    is_machine_read: bool = False

    def facts(self) -> DocumentFacts:
        return DocumentFacts(kind=self.kind, number=self.number, issuer=self.issuer,
                             admission_class=self.admission_class,
                             passport_type=self.passport_type, expires_on=self.expires_on,
                             is_machine_read=self.is_machine_read)


Documents = Annotated[list[DocumentIn], Field(max_length=20)]


def _documents(documents: list[DocumentIn]) -> tuple[DocumentFacts, ...]:
    return tuple(d.facts() for d in documents)


class SwornAnswersIn(RequestBody):
    """The registrant's answers under oath (8 CFR 264.1(f)(2))."""

    us_address: Text
    purpose: Text
    itinerary: Text | None = None
    employer_or_school: Text | None = None

    def answers(self) -> SwornAnswers:
        return SwornAnswers(self.us_address, self.purpose, self.itinerary,
                            self.employer_or_school)


class ItineraryIn(RequestBody):
    """How far from the border and how long the traveller means to go."""

    max_distance_from_border_miles: float | None = Field(None, ge=0, le=100_000)
    length_of_stay_days: float | None = Field(None, ge=0, le=100_000)
    length_of_stay_hours: float | None = Field(None, ge=0, le=10_000_000)
    destination: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class Reason(ResponseBody):
    """Why part of a determination came out as it did."""

    rule: str
    citation: str
    source: str
    text: str
    values: dict[str, Any] | None = None
    effective: date | None = None
    confidence: str | None = None


class Determination(ResponseBody):
    """One question answered: its outcome, extra facts (``basis``, ``modalities``,
    ``exemption``, ``fee_usd``...) and its reasons."""

    model_config = ConfigDict(extra="allow")

    outcome: str
    reasons: list[Reason]
    basis: list[str] | None = None
    modalities: list[str] | None = None
    exemption: str | None = None
    fee_usd: int | None = None
    multiple_entry: bool | None = None


class Determinations(ResponseBody):
    """The five determinations of the evaluation contract."""

    inspection: Determination
    special_registration: Determination
    biometrics: Determination
    i94: Determination
    departure_registration: Determination


# ---------------------------------------------------------------- evaluations
class CasePort(RequestBody):
    """The port: a code from the reference data, or the mode and state of another."""

    code: str | None = None
    mode: Mode | None = None
    state: str | None = None


class CaseTraveler(RequestBody):
    """The traveller as the case describes them."""

    claimed_status: ClaimedStatus
    citizenships: list[str] = Field(default_factory=list)
    date_of_birth: date | None = None
    sex: Literal["M", "F", "X"] | None = None
    residence: str | None = None


class CaseDocument(RequestBody):
    """A document presented (``class``: a visa's class; ``type``: a passport's type)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: DocumentKind
    issuer: str | None = None
    visa_class: str | None = Field(None, alias="class")
    passport_type: Literal["regular", "diplomatic", "official"] | None = Field(None,
                                                                                alias="type")


class CaseRegistration(RequestBody):
    """An existing special registration."""

    basis: Literal["designated_nationality", "individual"]
    date: dt.date
    fin: str | None = None


class CaseDepartureReport(RequestBody):
    """Where and when a registrant reported a departure in person."""

    port_code: str
    date: dt.date


class EvaluationCase(RequestBody):
    """A case of the evaluation contract (see docs/api.md). It is read by the rules
    engine's own parser, which reports every bad field by its path."""

    event: Literal["arrival", "departure"]
    date: dt.date
    port: CasePort
    traveler: CaseTraveler
    admission_class: str | None = None
    documents: list[CaseDocument] = Field(default_factory=list)
    circumstances: dict[Circumstance, bool] = Field(default_factory=dict)
    itinerary: ItineraryIn | None = None
    registration: CaseRegistration | None = None
    departure_report: CaseDepartureReport | None = None
    id: str | None = None
    name: str | None = None
    description: str | None = None
    notes: str | None = None


class PortView(ResponseBody):
    """How the engine understood the port."""

    code: str | None
    known: bool
    mode: str
    state: str | None
    name: str | None = None
    reasons: list[Reason] | None = None


class EvaluationResult(ResponseBody):
    """The evaluation contract's result, plus ``id``, ``as_of``, ``policy_version`` and
    ``port``."""

    id: str | None = None
    date: dt.date
    event: str
    as_of: dt.date
    policy_version: str
    port: PortView
    determinations: Determinations


class PolicyInForce(ResponseBody):
    """The law in force on a date: every record, with its citation and dates."""

    as_of: date
    policy_version: str
    parameters: list[dict[str, Any]]
    provisions: list[dict[str, Any]]
    port_of_entry_designations: list[dict[str, Any]]
    call_in_groups: list[dict[str, Any]]
    departure_ports: list[dict[str, Any]]
    border_zones: list[dict[str, Any]]


# ------------------------------------------------------------------ movements
class ArrivalIn(RequestBody):
    """An officer's inspection of an arriving traveller and the decision taken."""

    port_code: PortCode
    occurred_at: Instant
    person: PersonIn
    documents: Documents = Field(default_factory=list)
    claimed_status: ClaimedStatus = "nonimmigrant"
    admission_class: ClassCode | None = None
    decision: Literal["admit", "refuse", "refer"] = "admit"
    admit_until: Day | None = None
    duration_of_status: bool = False
    refusal_reason: Text | None = None
    mode: Mode | None = None
    state: str | None = Field(None, max_length=2)
    circumstances: list[Circumstance] = Field(default_factory=list, max_length=20)
    itinerary: ItineraryIn = Field(default_factory=ItineraryIn)
    residence: Country | None = None
    answers: SwornAnswersIn | None = None
    photograph_ref: str | None = Field(None, max_length=300)
    fingerprints_ref: str | None = Field(None, max_length=300)
    multiple_entry: bool = False
    contact_email: str | None = Field(
        None, max_length=254, description="Optional: where one-time codes and reminders "
                                          "before the admit-until date go (issue 17).")

    def command(self, idempotency_key: str | None) -> ArrivalInspection:
        return ArrivalInspection(
            port_code=self.port_code, occurred_at=self.occurred_at, person=self.person.facts(),
            documents=_documents(self.documents), claimed_status=self.claimed_status,
            admission_class=self.admission_class, decision=self.decision,
            admit_until=self.admit_until, duration_of_status=self.duration_of_status,
            refusal_reason=self.refusal_reason, mode=self.mode, state=self.state,
            circumstances=tuple(self.circumstances),
            itinerary=self.itinerary.model_dump(exclude_none=True),
            residence=self.residence,
            answers=self.answers.answers() if self.answers else None,
            photograph_ref=self.photograph_ref, fingerprints_ref=self.fingerprints_ref,
            multiple_entry=self.multiple_entry, idempotency_key=idempotency_key,
            contact_email=self.contact_email)


class ArrivalAnswer(ResponseBody):
    """What an inspection recorded: the encounter, any FIN and I-94, the determinations."""

    encounter_id: int
    person_id: int
    outcome: Literal["admitted", "refused", "referred"]
    fin: str | None
    i94_number: str | None
    as_of: date
    policy_version: str
    determinations: Determinations
    #: Issue 14: whether the watchlist screen refers the traveller to secondary (the hit
    #: itself is shown only to the secondary officer).
    screening: dict[str, Any] | None = None
    #: Issue 17: the person's earlier refusals of entry (date, port, grounds), if any.
    prior_refusals: dict[str, Any] | None = None
    replayed: bool = False


class DepartureIn(RequestBody):
    """A departure; name the person by ``person_id``, ``fin`` or a known document."""

    port_code: PortCode
    occurred_at: Instant
    person_id: Id | None = None
    fin: Fin | None = None
    documents: Documents = Field(default_factory=list)
    reported_at_port: PortCode | None = Field(None, description="where the registrant "
                                                                "reported in person")
    reported_on: Day | None = None
    mode: Mode | None = None
    state: str | None = Field(None, max_length=2)

    def command(self, idempotency_key: str | None) -> DepartureRecord:
        return DepartureRecord(
            port_code=self.port_code, occurred_at=self.occurred_at, person_id=self.person_id,
            fin=self.fin, documents=_documents(self.documents),
            reported_at_port=self.reported_at_port, reported_on=self.reported_on,
            mode=self.mode, state=self.state, idempotency_key=idempotency_key)


class DepartureAnswer(ResponseBody):
    """What a departure recorded, and the departure report's compliance."""

    encounter_id: int
    person_id: int
    compliance: str
    fin: str | None
    violation_id: int | None
    i94_surrendered: str | None
    as_of: date
    policy_version: str
    determinations: Determinations
    replayed: bool = False


# ---------------------------------------------------------------- registrants
class CallInRegistrationIn(RequestBody):
    """Registration of a person already in the United States under a call-in notice."""

    person: PersonIn
    registered_on: Day
    place: Annotated[str, Field(max_length=120)]
    answers: SwornAnswersIn
    admission_class: ClassCode | None = None
    last_admitted_on: Day | None = None
    documents: Documents = Field(default_factory=list)
    claimed_status: ClaimedStatus = "nonimmigrant"
    asylum_applied_on: Day | None = None
    asylum_granted: bool = False
    photograph_ref: str | None = Field(None, max_length=300)
    fingerprints_ref: str | None = Field(None, max_length=300)

    def command(self, idempotency_key: str | None) -> CallInRegistrationCommand:
        return CallInRegistrationCommand(
            person=self.person.facts(), registered_on=self.registered_on, place=self.place,
            answers=self.answers.answers(), admission_class=self.admission_class,
            last_admitted_on=self.last_admitted_on, documents=_documents(self.documents),
            claimed_status=self.claimed_status, asylum_applied_on=self.asylum_applied_on,
            asylum_granted=self.asylum_granted, photograph_ref=self.photograph_ref,
            fingerprints_ref=self.fingerprints_ref, idempotency_key=idempotency_key)


class CallInRegistrationAnswer(ResponseBody):
    """The new registration: FIN, call-in group, timeliness, any violation."""

    registration_id: int
    person_id: int
    fin: str
    group: int
    timeliness: str
    violation_id: int | None
    reasons: list[Reason]
    replayed: bool = False


class CallInNoticeIn(RequestBody):
    """Require a registrant to appear for an interview."""

    fin: Fin
    channel: Annotated[str, Field(max_length=20, description="federal_register, mail, "
                                                             "email or in_person")]
    issued_on: Day
    office: Annotated[str, Field(max_length=200)]
    appear_by: Day | None = None

    def command(self, idempotency_key: str | None) -> CallInNoticeCommand:
        return CallInNoticeCommand(fin=self.fin, channel=self.channel, issued_on=self.issued_on,
                                   office=self.office, appear_by=self.appear_by,
                                   idempotency_key=idempotency_key)


class CallInNoticeAnswer(ResponseBody):
    """The notice issued and the notice period the law required."""

    notice_id: int
    fin: str
    person_id: int
    appear_by: date
    notice_days: int
    reasons: list[Reason]
    replayed: bool = False


class InterviewIn(RequestBody):
    """A registrant's appearance (or failure to appear)."""

    fin: Fin
    kind: Literal["thirty_day_report", "annual_report", "call_in_interview"]
    held_on: Day
    place: Annotated[str, Field(max_length=200)]
    outcome: Literal["completed", "failed_to_appear"] = "completed"
    notice_id: Id | None = None
    notes: Text | None = None

    def command(self, idempotency_key: str | None) -> InterviewCommand:
        return InterviewCommand(fin=self.fin, kind=self.kind, held_on=self.held_on,
                                place=self.place, outcome=self.outcome,
                                notice_id=self.notice_id, notes=self.notes,
                                idempotency_key=idempotency_key)


class InterviewAnswer(ResponseBody):
    """The interview recorded, and the violation a failure to appear leaves."""

    interview_id: int
    fin: str
    person_id: int
    violation_id: int | None
    replayed: bool = False


class ChangeIn(RequestBody):
    """A change of address, employer or school (Form AR-11 SR, or SEVIS)."""

    fin: Fin
    kind: Literal["address", "employer", "school"]
    new_value: Text
    changed_on: Day
    filed_on: Day
    via_sevis: bool = False

    def command(self, idempotency_key: str | None) -> ChangeCommand:
        return ChangeCommand(fin=self.fin, kind=self.kind, new_value=self.new_value,
                             changed_on=self.changed_on, filed_on=self.filed_on,
                             via_sevis=self.via_sevis, idempotency_key=idempotency_key)


class ChangeAnswer(ResponseBody):
    """The change notice, whether it was filed in time, and any violation."""

    change_id: int
    fin: str
    form: str
    on_time: bool
    violation_id: int | None
    reasons: list[Reason]
    replayed: bool = False


class WaiverRequestIn(RequestBody):
    """A request to waive one of a registrant's obligations."""

    fin: Fin
    obligation_kind: Annotated[str, Field(max_length=30)]
    grounds: Text
    requested_on: Day
    obligation_sequence: int = Field(0, ge=0, le=1000)

    def command(self, idempotency_key: str | None) -> WaiverRequestCommand:
        return WaiverRequestCommand(fin=self.fin, obligation_kind=self.obligation_kind,
                                    grounds=self.grounds, requested_on=self.requested_on,
                                    obligation_sequence=self.obligation_sequence,
                                    idempotency_key=idempotency_key)


class WaiverAnswer(ResponseBody):
    """The waiver request filed."""

    waiver_id: int
    fin: str
    status: str
    replayed: bool = False


class WaiverDecisionIn(RequestBody):
    """The district director's decision on a waiver request."""

    granted: bool
    reasons: Text
    decided_on: Day

    def command(self, waiver_id: int, idempotency_key: str | None) -> WaiverDecisionCommand:
        return WaiverDecisionCommand(waiver_id=waiver_id, granted=self.granted,
                                     reasons=self.reasons, decided_on=self.decided_on,
                                     idempotency_key=idempotency_key)


class WaiverDecisionAnswer(ResponseBody):
    """The decided request."""

    waiver_id: int
    status: str
    replayed: bool = False


class AssessmentIn(RequestBody):
    """Whether a violation was willful, and the evidence (DHS guidance of 2012-04-16)."""

    willful: bool
    assessment: Text
    assessed_on: Day

    def command(self, violation_id: int, idempotency_key: str | None) -> WillfulnessAssessment:
        return WillfulnessAssessment(violation_id=violation_id, willful=self.willful,
                                     assessment=self.assessment, assessed_on=self.assessed_on,
                                     idempotency_key=idempotency_key)


class AssessmentAnswer(ResponseBody):
    """The assessment and whether the violation counts."""

    violation_id: int
    willfulness: str
    consequential: bool
    reasons: list[Reason]
    replayed: bool = False


# ------------------------------------------------------------------------ I-68
class I68MemberIn(RequestBody):
    """One person named on an I-68 application."""

    person: PersonIn
    relationship: Literal["principal", "spouse", "child", "parent_of_principal",
                          "parent_of_spouse", "other"]
    married: bool = False
    same_address: bool = True
    documents: Documents = Field(default_factory=list)

    def facts(self) -> I68MemberFacts:
        return I68MemberFacts(person=self.person.facts(), relationship=self.relationship,
                              married=self.married, same_address=self.same_address,
                              documents=_documents(self.documents))


class I68ApplicationIn(RequestBody):
    """A family's application for a boat landing permit, filed at a port; the first
    member is the principal applicant."""

    port_code: PortCode
    filed_on: Day
    members: list[I68MemberIn] = Field(min_length=1, max_length=20)
    evidence: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list,
                                                                  max_length=20)
    contact_email: str | None = Field(
        None, max_length=254, description="Optional: the principal's e-mail for one-time "
                                          "codes and reminders (issue 17); kept only when "
                                          "an officer files.")

    def command(self, idempotency_key: str | None) -> I68ApplicationCommand:
        return I68ApplicationCommand(port_code=self.port_code, filed_on=self.filed_on,
                                     members=tuple(m.facts() for m in self.members),
                                     evidence=tuple(self.evidence),
                                     idempotency_key=idempotency_key,
                                     contact_email=self.contact_email)


class I68MemberAnswer(ResponseBody):
    """A member and whether the family definition admits them (``person_id`` is shown to
    officers only: a traveller never sees anyone's registry id)."""

    person_id: int | None = None
    relationship: str
    eligible: bool
    reason: str
    needs_photo_id: bool


class I68ApplicationAnswer(ResponseBody):
    """The application filed and its fee."""

    application_id: int
    status: str
    fee_usd: int
    members: list[I68MemberAnswer]
    replayed: bool = False


class I68DecisionIn(RequestBody):
    """Approve (a permit is issued) or deny with reasons."""

    approve: bool
    decided_on: Day
    reasons: Text = ""

    def command(self, application_id: int, idempotency_key: str | None) -> I68DecisionCommand:
        return I68DecisionCommand(application_id=application_id, approve=self.approve,
                                  decided_on=self.decided_on, reasons=self.reasons,
                                  idempotency_key=idempotency_key)


class PermitView(ResponseBody):
    """A boat landing permit: validity and conditions."""

    number: str
    issued_on: date
    expires_on: date
    conditions: list[str]


class I68DecisionAnswer(ResponseBody):
    """The decision, and the permit where approved."""

    application_id: int
    status: str
    permit: PermitView | None
    replayed: bool = False


class RevocationIn(RequestBody):
    """A district director's revocation of a permit."""

    revoked_on: Day
    reason: Text

    def command(self, permit_number: str, idempotency_key: str | None) -> RevocationCommand:
        return RevocationCommand(permit_number=permit_number, revoked_on=self.revoked_on,
                                 reason=self.reason, idempotency_key=idempotency_key)


class RevocationAnswer(ResponseBody):
    """The revoked permit."""

    permit_number: str
    revoked_on: date
    replayed: bool = False


# -------------------------------------------------------------------- persons
class PersonSummary(ResponseBody):
    """A person's identifying facts."""

    id: int
    surname: str
    given_names: str
    surname_original: str | None
    given_names_original: str | None
    script: str | None
    date_of_birth: date | None
    sex: str | None
    citizenships: list[str]


class DocumentView(ResponseBody):
    """A document the registry holds."""

    kind: str
    number: str
    issuing_state: str
    admission_class: str | None
    expires_on: date | None


class RegistrationSummary(ResponseBody):
    """One registration of a person."""

    id: int
    fin: str | None
    basis: str
    route: str
    registered_on: date
    place: str


class PersonRecord(PersonSummary):
    """A person's identity, documents and registrations."""

    documents: list[DocumentView]
    registrations: list[RegistrationSummary]


class TimelineEvent(ResponseBody):
    """One event of a person's timeline; the other fields depend on ``type``."""

    model_config = ConfigDict(extra="allow")

    on: date
    type: Literal["encounter", "registration", "i94", "violation", "boat_landing_permit",
                  "refusal"]


class Timeline(ResponseBody):
    """Everything the registry holds about a person, oldest first."""

    person: PersonSummary
    events: list[TimelineEvent]


class EncounterView(ResponseBody):
    """An arrival, departure or refusal."""

    id: int
    kind: str
    outcome: str
    port: str
    mode: str | None
    occurred_at: AwareDatetime
    admission_class: str | None
    admit_until: date | None
    duration_of_status: bool
    officer: str
    policy_version: str


class I94View(ResponseBody):
    """An I-94 record."""

    number: str
    admission_class: str | None
    port: str
    admitted_on: date
    admit_until: date | None
    duration_of_status: bool
    multiple_entry: bool
    land_border_fee_usd: int | None
    parole: bool
    surrendered_on: date | None


class ObligationReport(ResponseBody):
    """One obligation, judged as of the report's date, with its evidence."""

    kind: str
    sequence: int
    window_start: date | None
    window_end: date | None
    status: Literal["met", "missed", "suspended", "waived", "due", "upcoming", "standing",
                    "ended", "undetermined"]
    evidence: list[dict[str, Any]]
    reasons: list[Reason]


class ViolationView(ResponseBody):
    """A violation and its willfulness assessment."""

    id: int
    kind: str
    occurred_on: date
    description: str
    willfulness: str
    assessment: str | None


class WaiverView(ResponseBody):
    """A waiver request and its decision."""

    id: int
    status: str
    requested_on: date
    decided_on: date | None
    reasons: str | None


class RegistrationReport(ResponseBody):
    """A registration and its obligations, violations and waivers."""

    fin: str | None
    route: str
    basis: str
    grounds: list[str]
    registered_on: date
    place: str
    call_in_group: int | None
    timeliness: str | None
    obligations: list[ObligationReport]
    violations: list[ViolationView]
    waivers: list[WaiverView]


class ComplianceSummary(ResponseBody):
    """Counts over the report."""

    registrations: int
    obligations: dict[str, int]
    violations: int
    willful_violations: int


class ComplianceReport(ResponseBody):
    """Every obligation of every registration of a person, judged as of a date."""

    person: PersonSummary
    as_of: date
    policy_version: str
    summary: ComplianceSummary
    registrations: list[RegistrationReport]
    encounters: list[EncounterView]
    i94_records: list[I94View]


# ---------------------------------------------------------------- audit, stats
class AuditEntryView(ResponseBody):
    """One attributable access: who, in which role, why, what, to whom, when."""

    seq: int
    at: AwareDatetime
    actor: str
    role: str
    purpose: str
    action: str
    subject: str
    person_id: int | None
    detail: dict[str, Any]
    hash: str


class ChainProblemView(ResponseBody):
    """Where the audit chain is broken."""

    seq: int
    message: str


class AuditVerification(ResponseBody):
    """The outcome of recomputing the audit trail's hash chain."""

    entries: int
    intact: bool
    problems: list[ChainProblemView]


class MovementCount(ResponseBody):
    """Movements at one port on one day."""

    port: str
    day: date
    arrivals: int
    departures: int
    refusals: int


class RegistrationCount(ResponseBody):
    """Registrations of one basis by one route."""

    basis: str
    route: str
    registrations: int


# --------------------------------------------------------------- self-service
class I94LookupIn(RequestBody):
    """Name, date of birth and document number exactly as in the passport."""

    surname: Annotated[str, Field(min_length=1, max_length=200)]
    given_names: Name = ""
    date_of_birth: Day
    document_number: Annotated[str, Field(min_length=1, max_length=40)]

    def query(self, client: str | None) -> I94Lookup:
        return I94Lookup(surname=self.surname, given_names=self.given_names,
                         date_of_birth=self.date_of_birth,
                         document_number=self.document_number, client=client)


class I94Summary(ResponseBody):
    """The traveller's most recent I-94."""

    number: str
    admission_class: str | None
    port: str
    admitted_on: date
    admit_until: date | None
    duration_of_status: bool
    surrendered_on: date | None


class TravelEvent(ResponseBody):
    """One arrival or departure."""

    kind: Literal["arrival", "departure"]
    date: dt.date
    port: str


class RefusalGroundShown(ResponseBody):
    """A ground of a refusal, as the traveller sees it."""

    title: str
    citation: str | None


class TravellerRefusal(ResponseBody):
    """A refusal of entry in the traveller's own history."""

    date: dt.date
    port: str
    grounds: list[RefusalGroundShown]


class I94Standing(ResponseBody):
    """The most recent I-94, where the traveller stands today, and the travel history."""

    as_of: date
    status: Literal["admitted", "overstayed", "duration_of_status", "departed", "no_i94"]
    days_remaining: int | None
    days_overstayed: int | None
    i94: I94Summary | None
    travel_history: list[TravelEvent]
    #: Issue 17: the traveller's own refusals of entry: date, port, grounds (no officer).
    refusals: list[TravellerRefusal] = Field(default_factory=list)


# ---------------------------------------------------------------- accounts
class SignInIn(RequestBody):
    """Username, password, and the authenticator code where the account has one."""

    username: Annotated[str, Field(min_length=1, max_length=120)]
    password: Annotated[SecretStr, Field(min_length=1, max_length=1024)]
    totp: Annotated[str, Field(max_length=10)] | None = None

    def command(self, client: str | None) -> SignIn:
        return SignIn(self.username, self.password.get_secret_value(), self.totp, client)


class TokenAnswer(ResponseBody):
    """A bearer token for the ``Authorization`` header."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int
    expires_at: AwareDatetime
    username: str
    role: Role


class TotpEnrolment(ResponseBody):
    """The new TOTP secret and the ``otpauth://`` URI for an authenticator app."""

    secret: str
    uri: str


class PasswordChangeIn(RequestBody):
    """The current password, the new one (at least 12 characters, not blank or invisible,
    not the username, not a common password), and the authenticator code when the account
    has a second factor."""

    current_password: Annotated[SecretStr, Field(min_length=1, max_length=1024)]
    new_password: Annotated[SecretStr, Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)]
    totp: Annotated[str, Field(max_length=10)] | None = None


class NewUserIn(RequestBody):
    """An account to create; its password follows the same policy as a changed one (at
    least 12 characters, not blank or invisible, not the username, not a common password)."""

    username: Annotated[str, Field(min_length=1, max_length=120)]
    role: Role
    password: Annotated[SecretStr, Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)]

    def command(self, idempotency_key: str | None) -> NewUser:
        return NewUser(self.username, self.role, self.password.get_secret_value(),
                       idempotency_key)


class UserView(ResponseBody):
    """An account (never its password hash or TOTP secret)."""

    id: int
    username: str
    role: Role
    active: bool
    totp_enrolled: bool
    locked_until: AwareDatetime | None
    created_at: AwareDatetime
    replayed: bool = False


class Health(ResponseBody):
    """Whether the service and its database answer, and the schema revision."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]
    schema_revision: str | None
    expected_revision: str | None


class FieldError(ResponseBody):
    """One bad field."""

    path: str
    message: str


class Problem(ResponseBody):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    code: str | None = None
