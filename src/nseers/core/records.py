"""The frozen records the registry's read side answers with (issue 15): plain values, never
ORM objects, so a read path cannot change a row or trigger a lazy load, and an in-memory
store (the unit tests') builds the same values. They sit in ``core``, below both the
services that read them (:mod:`nseers.services.repositories`) and the registry that fills
them (:mod:`nseers.registry.repositories`), so one definition serves both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person's identifying facts, with the citizenships in the order given."""

    id: int
    surname: str
    given_names: str
    surname_original: str | None
    given_names_original: str | None
    script: str | None
    date_of_birth: date | None
    sex: str | None
    citizenships: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EncounterRecord:
    """An arrival, departure or refusal, with the determinations made at the time."""

    id: int
    person_id: int
    kind: str
    outcome: str
    port_code: str
    mode: str | None
    occurred_at: datetime
    occurred_on: date
    admission_class: str | None
    admit_until: date | None
    duration_of_status: bool
    officer: str
    policy_version: str
    determinations: dict[str, Any]
    document_id: int | None
    #: The officer's free-text reason of an inspection's ``refuse`` decision.
    refusal_reason: str | None


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A travel document the registry holds for a person."""

    id: int
    person_id: int
    kind: str
    number: str
    issuing_state: str
    admission_class: str | None
    passport_type: str | None
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class ReferralListing:
    """A referred arrival awaiting secondary inspection, and whom it is about."""

    id: int
    port_code: str
    occurred_at: datetime
    officer: str
    person_id: int
    surname: str
    given_names: str
    date_of_birth: date | None


@dataclass(frozen=True, slots=True)
class RegistrationRecord:
    """A special registration event (8 CFR 264.1(f))."""

    id: int
    person_id: int
    fin: str | None
    route: str
    basis: str
    grounds: list[str]
    registered_on: date
    place: str
    call_in_group: int | None
    timeliness: str | None


@dataclass(frozen=True, slots=True)
class ObligationRecord:
    """A registrant's duty with its window, as the rules computed it at registration."""

    id: int
    registration_id: int
    kind: str
    sequence: int
    status: str
    window_start: date | None
    window_end: date | None
    reasons: list[dict[str, Any]]
    person_id: int


@dataclass(frozen=True, slots=True)
class InterviewRecord:
    """A registrant's appearance: a 30-day or annual report, or a call-in interview."""

    id: int
    registration_id: int
    notice_id: int | None
    kind: str
    held_on: date
    place: str
    outcome: str


@dataclass(frozen=True, slots=True)
class CallInNoticeRecord:
    """A notice to appear for an interview."""

    id: int
    registration_id: int
    channel: str
    issued_on: date
    appear_by: date
    person_id: int


@dataclass(frozen=True, slots=True)
class ChangeNoticeRecord:
    """A change of address, employer or school filed (Form AR-11 SR)."""

    id: int
    registration_id: int
    kind: str
    changed_on: date
    filed_on: date
    form: str
    on_time: bool


@dataclass(frozen=True, slots=True)
class WaiverRecord:
    """A request to waive one obligation and its decision."""

    id: int
    person_id: int
    registration_id: int
    obligation_id: int
    grounds: str
    status: str
    requested_on: date
    requested_by: str
    decided_on: date | None
    decided_by: str | None
    decision_reasons: str | None


@dataclass(frozen=True, slots=True)
class ViolationRecord:
    """A failure to comply and its willfulness assessment."""

    id: int
    person_id: int
    registration_id: int
    kind: str
    occurred_on: date
    description: str
    reasons: list[dict[str, Any]]
    willfulness: str
    assessment: str | None
    assessed_by: str | None
    assessed_on: date | None
    #: The departure a departure-report violation was found at, if any.
    encounter_id: int | None


@dataclass(frozen=True, slots=True)
class I94Entry:
    """A Form I-94 record: admission, class, stay and any surrender."""

    id: int
    number: str
    person_id: int
    admission_class: str | None
    port_code: str
    admitted_on: date
    admit_until: date | None
    duration_of_status: bool
    multiple_entry: bool
    land_border_fee_usd: int | None
    parole: bool
    surrendered_on: date | None
    #: The arrival encounter that issued it, and the departure that took it back (issue
    #: 12: a person's stay names the encounters behind each date).
    encounter_id: int | None = None
    surrender_encounter_id: int | None = None


@dataclass(frozen=True, slots=True)
class PermitRecord:
    """A boat landing permit (I-68) on which the person is a member."""

    number: str
    issued_on: date
    expires_on: date
    revoked_on: date | None


@dataclass(frozen=True, slots=True)
class RefusalRecord:
    """A coded refusal of entry (issue 17), with the grounds and procedure explained."""

    id: int
    person_id: int
    encounter_id: int
    port_code: str
    occurred_at: datetime
    occurred_on: date
    officer: str
    procedure: str
    disposition: str
    explanation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RefusalEncounterRecord:
    """A ``refusal`` encounter with its coded refusal where one was recorded (issue 17);
    one recorded as an inspection's ``refuse`` decision has only a free-text reason."""

    id: int
    person_id: int
    occurred_on: date
    occurred_at: datetime
    port_code: str
    refusal_reason: str | None
    refusal_id: int | None
    explanation: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class RegistrantName:
    """Whom a case is about: the FIN and the name, as a work list shows them."""

    fin: str | None
    surname: str
    given_names: str


@dataclass(frozen=True, slots=True)
class WaiverCase:
    """A waiver request with the obligation it would waive and the registrant."""

    waiver: WaiverRecord
    obligation: ObligationRecord
    registrant: RegistrantName


@dataclass(frozen=True, slots=True)
class ViolationCase:
    """A violation with the registrant it was recorded against."""

    violation: ViolationRecord
    registrant: RegistrantName


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One line of the compliance queue: a report owed or a call-in notice unanswered."""

    person_id: int
    surname: str
    given_names: str
    fin: str | None
    place: str
    kind: str
    sequence: int
    obligation_id: int | None
    notice_id: int | None
    opens_on: date | None
    deadline: date
    status: str


@dataclass(frozen=True, slots=True)
class I68MemberRecord:
    """One person named on an I-68 application, with the eligibility found."""

    person_id: int
    surname: str
    given_names: str
    date_of_birth: date | None
    relation: str
    eligible: bool
    reason: str
    needs_photo_id: bool


@dataclass(frozen=True, slots=True)
class I68ApplicationRecord:
    """A family's Form I-68 application, its members and the permit it was granted."""

    id: int
    port_code: str
    filed_on: date
    filed_by: str
    fee_usd: int
    evidence: list[dict[str, Any]]
    status: str
    decided_on: date | None
    decided_by: str | None
    decision_reasons: str | None
    members: tuple[I68MemberRecord, ...]
    permit: PermitRecord | None
