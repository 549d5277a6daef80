"""Request and response bodies of the API.

Request bodies are derived from the services' commands (:mod:`nseers.api.bodies`): the
command's dataclass is the one definition of its fields, their limits and choices, and
:func:`~nseers.api.bodies.to_command` turns a body back into the command. The field names
are the command's, so a problem the service finds (``person.surname``) has the same path as
one pydantic finds. Dates are ISO 8601; instants must carry a UTC offset. Response models
describe exactly what the services answer, so the OpenAPI document can be checked against
real responses.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, SecretStr

from nseers.api.bodies import (
    EARLIEST,
    LATEST,
    Day,
    Instant,
    RequestBody,
    body_type,
    iso_day,
    request_body,
    safe_text,
)
from nseers.core.actors import Role
from nseers.core.fields import MAX_ID
from nseers.core.limits import NAME_PART
from nseers.services import facts
from nseers.services.accounts import NewUser, SignIn
from nseers.services.facts import DocumentFacts, Itinerary, PersonFacts
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

__all__ = ["EARLIEST", "LATEST", "MAX_ID", "Day", "Instant", "RequestBody", "iso_day"]

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Name = Annotated[str, AfterValidator(safe_text), Field(max_length=NAME_PART)]
if TYPE_CHECKING:
    Mode = str
    ClaimedStatus = str
    DocumentKind = str
    Circumstance = str
else:
    # The commands' own choices (the case parser's lists), for the evaluation case too.
    Mode = body_type(facts.Mode)
    ClaimedStatus = body_type(facts.ClaimedStatus)
    DocumentKind = body_type(facts.DocumentKind)
    Circumstance = body_type(facts.Circumstance)


class ResponseBody(BaseModel):
    """Base of response bodies."""


# ------------------------------------------------------------------ commands
# Each body is its command's dataclass, read by request_body; mypy sees the base class.
if TYPE_CHECKING:
    PersonIn: TypeAlias = RequestBody
    DocumentIn: TypeAlias = RequestBody
    SwornAnswersIn: TypeAlias = RequestBody
    ItineraryIn: TypeAlias = RequestBody
    ArrivalIn: TypeAlias = RequestBody
    DepartureIn: TypeAlias = RequestBody
    CallInRegistrationIn: TypeAlias = RequestBody
    CallInNoticeIn: TypeAlias = RequestBody
    InterviewIn: TypeAlias = RequestBody
    ChangeIn: TypeAlias = RequestBody
    WaiverRequestIn: TypeAlias = RequestBody
    WaiverDecisionIn: TypeAlias = RequestBody
    AssessmentIn: TypeAlias = RequestBody
    I68MemberIn: TypeAlias = RequestBody
    I68ApplicationIn: TypeAlias = RequestBody
    I68DecisionIn: TypeAlias = RequestBody
    RevocationIn: TypeAlias = RequestBody
    I94LookupIn: TypeAlias = RequestBody
    SignInIn: TypeAlias = RequestBody
    NewUserIn: TypeAlias = RequestBody
else:
    PersonIn = request_body(PersonFacts)
    DocumentIn = request_body(DocumentFacts)
    SwornAnswersIn = request_body(SwornAnswers)
    ArrivalIn = request_body(ArrivalInspection, "ArrivalIn")
    ItineraryIn = request_body(Itinerary)
    DepartureIn = request_body(DepartureRecord, "DepartureIn")
    CallInRegistrationIn = request_body(CallInRegistrationCommand)
    CallInNoticeIn = request_body(CallInNoticeCommand)
    InterviewIn = request_body(InterviewCommand)
    ChangeIn = request_body(ChangeCommand)
    WaiverRequestIn = request_body(WaiverRequestCommand)
    WaiverDecisionIn = request_body(WaiverDecisionCommand, path=("waiver_id",))
    AssessmentIn = request_body(WillfulnessAssessment, "AssessmentIn", path=("violation_id",))
    I68MemberIn = request_body(I68MemberFacts)
    I68ApplicationIn = request_body(I68ApplicationCommand)
    I68DecisionIn = request_body(I68DecisionCommand, path=("application_id",))
    RevocationIn = request_body(RevocationCommand, path=("permit_number",))
    I94LookupIn = request_body(I94Lookup)
    SignInIn = request_body(SignIn)
    NewUserIn = request_body(NewUser)


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




class CallInNoticeAnswer(ResponseBody):
    """The notice issued and the notice period the law required."""

    notice_id: int
    fin: str
    person_id: int
    appear_by: date
    notice_days: int
    reasons: list[Reason]
    replayed: bool = False




class InterviewAnswer(ResponseBody):
    """The interview recorded, and the violation a failure to appear leaves."""

    interview_id: int
    fin: str
    person_id: int
    violation_id: int | None
    replayed: bool = False




class ChangeAnswer(ResponseBody):
    """The change notice, whether it was filed in time, and any violation."""

    change_id: int
    fin: str
    form: str
    on_time: bool
    violation_id: int | None
    reasons: list[Reason]
    replayed: bool = False




class WaiverAnswer(ResponseBody):
    """The waiver request filed."""

    waiver_id: int
    fin: str
    status: str
    replayed: bool = False




class WaiverDecisionAnswer(ResponseBody):
    """The decided request."""

    waiver_id: int
    status: str
    replayed: bool = False




class AssessmentAnswer(ResponseBody):
    """The assessment and whether the violation counts."""

    violation_id: int
    willfulness: str
    consequential: bool
    reasons: list[Reason]
    replayed: bool = False


# ------------------------------------------------------------------------ I-68




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


class StayArrival(ResponseBody):
    """The admission a stay began with: the arrival encounter and who recorded it."""

    encounter_id: int
    date: dt.date
    port: str
    mode: str | None
    #: The officer; left out of the traveller's own view.
    recorded_by: str | None = None
    admission_class: str | None


class StayReportView(ResponseBody):
    """Where the overstay report counts the admission, with the definitions it read."""

    fiscal_year: int | None
    in_scope: bool
    edd: date | None
    why: str
    citations: dict[str, str]
    policy_version: str | None = None


class DepartureEvidence(ResponseBody):
    """The departure that closed a stay: what was recorded, by whom, from which source,
    and what tied it to the person and the admission."""

    encounter_id: int
    date: dt.date
    recorded_at: AwareDatetime
    port: str
    mode: str | None
    #: The officer who recorded it; left out of the traveller's own view.
    recorded_by: str | None = None
    source: Literal["officer", "carrier_manifest", "biometric_exit", "i94_surrender"]
    source_text: str
    confidence: Literal["certain"]
    matched_on: list[str]
    assignment: str


class StayView(ResponseBody):
    """One admission: its EDD, where it stands, and the departure that closed it."""

    arrival: StayArrival
    i94: str | None
    admit_until: date | None
    duration_of_status: bool
    expected_departure_date: date | None
    status: Literal["in_stay", "departed_on_time", "departed_late",
                    "suspected_in_country_overstay", "departed", "no_edd"]
    days_remaining: int | None
    days_over: int | None
    judged_on: date
    reasons: list[Reason]
    report: StayReportView
    departure: DepartureEvidence | None


class PersonStays(ResponseBody):
    """A person's admissions, newest first, as of a date (issue 12)."""

    person_id: int
    as_of: date
    stays: list[StayView]


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
    #: Issue 12: every admission with its expected departure date, the days remaining or
    #: over, and the departure that closed it (without the officers' names).
    stays: list[StayView] = Field(default_factory=list)


# ---------------------------------------------------------------- accounts


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
