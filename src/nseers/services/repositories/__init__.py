"""The repository boundary: what the read paths ask of the registry, named in the domain.

Issue 15, structural fault 5: the services talked to SQLAlchemy sessions directly, so no
use case could be tried without a database. The read paths (the timeline and compliance
report, :mod:`~nseers.services.reports`; the queues, :mod:`~nseers.services.queues`; the
casework lists, the referral queue, the analysts' counts and the dashboard; the
traveller's I-94 lookup) read through these protocols instead and import no SQLAlchemy
(import contracts in ``pyproject.toml`` keep it so):

* :class:`Records`: the queries, each by the person or registration it is about and the
  date a report is made as of, answered with read-only records;
* :class:`RecordsWork`: one unit of work over them, with the time, the audit trail and
  ``commit()`` (leaving without it rolls back, as :class:`nseers.db.uow.UnitOfWork` does);
* :class:`RecordStore`: what hands out that work, checking the actor's permission first,
  and carries the rules engine.

:class:`nseers.services.context.Registry` is the store over the database
(:class:`nseers.registry.repositories.SqlRecords` answers the queries); the unit tests use
an in-memory store (``tests/fakes``), and a contract test runs the same scenarios on both
and requires equal answers, so the fake cannot drift from the database.

The records are the frozen dataclasses of :mod:`nseers.core.records`, plain values below
both the services and the registry: the database and the fake build the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from nseers.core.actors import Actor, Permission
from nseers.core.records import (
    CallInNoticeRecord,
    ChangeNoticeRecord,
    DocumentRecord,
    EncounterRecord,
    I68ApplicationRecord,
    I68MemberRecord,
    I94Entry,
    InterviewRecord,
    ObligationRecord,
    PermitRecord,
    PersonRecord,
    QueueEntry,
    ReferralListing,
    RefusalRecord,
    RegistrantName,
    RegistrationRecord,
    ViolationCase,
    ViolationRecord,
    WaiverCase,
    WaiverRecord,
)
from nseers.rules.engine import Engine as RulesEngine
from nseers.services.refusal_entries import RefusalEncounterView


class PersonRecords(Protocol):
    """A person's records, read. Lists come oldest first (ties by id), and a ``through``
    date keeps only what had happened by that day: an as-of report's view."""

    def person(self, person_id: int) -> PersonRecord | None: ...
    def encounters_of(self, person_id: int, *, through: date | None = None
                      ) -> Sequence[EncounterRecord]: ...
    def registrations_of(self, person_id: int, *, through: date | None = None
                         ) -> Sequence[RegistrationRecord]: ...
    def obligations_of(self, registration_id: int) -> Sequence[ObligationRecord]: ...
    def interviews_of(self, registration_id: int, *, through: date
                      ) -> Sequence[InterviewRecord]: ...
    def call_in_notices_of(self, registration_id: int, *, through: date
                           ) -> Sequence[CallInNoticeRecord]: ...
    def change_notices_of(self, registration_id: int, *, through: date
                          ) -> Sequence[ChangeNoticeRecord]: ...
    def waivers_of(self, registration_id: int, *, through: date) -> Sequence[WaiverRecord]: ...
    def violations_of(self, registration_id: int, *, through: date
                      ) -> Sequence[ViolationRecord]: ...
    def violations_of_person(self, person_id: int) -> Sequence[ViolationRecord]: ...
    def i94s_of(self, person_id: int, *, through: date | None = None
                ) -> Sequence[I94Entry]: ...
    def permits_of(self, person_id: int) -> Sequence[PermitRecord]: ...
    def refusals_of(self, person_id: int) -> Sequence[RefusalRecord]: ...


class CaseworkRecords(Protocol):
    """The compliance work lists (issue 17): a page at a time, oldest first (ties by id)."""

    def count_waiver_requests(self, status: str) -> int: ...
    def waiver_requests(self, status: str, *, limit: int, offset: int
                        ) -> Sequence[WaiverCase]: ...
    def count_violations(self, willfulness: str) -> int: ...
    def violations_assessed(self, willfulness: str, *, limit: int, offset: int
                            ) -> Sequence[ViolationCase]: ...


class ReferralRecords(Protocol):
    """Referrals to secondary inspection (8 CFR 235.3(b)-(c)) and the facts behind one."""

    def encounter(self, encounter_id: int) -> EncounterRecord | None: ...
    def has_encounter_after(self, person_id: int, after: datetime) -> bool: ...
    def documents_of(self, person_id: int) -> Sequence[DocumentRecord]: ...
    def referrals_awaiting_secondary(self, *, port_code: str | None, limit: int
                                     ) -> Sequence[ReferralListing]: ...


class AggregateRecords(Protocol):
    """Counts for analysts: plain tuples of codes, days and numbers, never a name."""

    def movements_by_day(self, start: date, end: date, *, port_code: str | None
                         ) -> Sequence[tuple[str, date, str, int]]: ...
    def movements_by_month(self, start: date, end: date, *, port_code: str | None
                           ) -> Sequence[tuple[str, int, int, str, int]]: ...
    def registrations_by_basis(self, start: date, end: date
                               ) -> Sequence[tuple[str, str, int]]: ...
    def refusals_by_ground(self, start: date, end: date) -> Sequence[tuple[str, str, int]]: ...
    def registration_days(self, start: date, end: date) -> Sequence[date]: ...
    def registrant_departures(self, start: date, end: date
                              ) -> Sequence[tuple[date, bool]]: ...
    def expected_departures(self, start: date, end: date
                            ) -> Sequence[tuple[date, date | None]]: ...


class TravellerRecords(Protocol):
    """What the traveller's own I-94 lookup reads (the CBP I-94 website's questions)."""

    def identity_matches(self, *, surname: str, given_names: str, date_of_birth: date,
                         document_number: str, document_kinds: frozenset[str],
                         limit: int) -> Sequence[int]: ...
    def latest_i94(self, person_id: int) -> I94Entry | None: ...
    def latest_movements(self, person_id: int, *, limit: int) -> Sequence[EncounterRecord]: ...
    def refusal_encounters_of(self, person_ids: Sequence[int], *,
                              before: datetime | None = None
                              ) -> Sequence[RefusalEncounterView]: ...


class QueueRecords(Protocol):
    """The work queues: obligations owed as of a date, and I-68 applications to decide.

    The queue's criteria: ``report_kinds`` (the reports to list; none for none),
    ``notices`` (whether call-in notices are listed), ``suspended`` (the report kinds whose
    suspension is in force on ``as_of``: a report stored as suspended owes nothing then),
    ``status`` (``due``, ``overdue`` or either), ``due_by`` and ``place``.
    """

    def count_owed(self, *, as_of: date, report_kinds: Sequence[str], notices: bool,
                   suspended: Sequence[str], status: str | None, due_by: date | None,
                   place: str | None) -> int: ...
    def owed(self, *, as_of: date, report_kinds: Sequence[str], notices: bool,
             suspended: Sequence[str], status: str | None, due_by: date | None,
             place: str | None, limit: int, offset: int) -> Sequence[QueueEntry]: ...
    def count_i68_applications(self, status: str) -> int: ...
    def i68_applications(self, status: str, *, limit: int, offset: int
                         ) -> Sequence[I68ApplicationRecord]: ...


class Records(PersonRecords, CaseworkRecords, ReferralRecords, AggregateRecords,
              TravellerRecords, QueueRecords, Protocol):
    """Every query of the repository boundary."""


class RecordsWork(Protocol):
    """One unit of work over the records: nothing is kept unless ``commit()`` is called."""

    @property
    def records(self) -> Records: ...
    @property
    def now(self) -> datetime: ...
    def audit(self, action: str, subject: object, person: object = None,
              **detail: Any) -> None: ...
    def commit(self) -> None: ...


class RecordStore(Protocol):
    """Where the converted services get their unit of work and the rules engine."""

    @property
    def rules(self) -> RulesEngine: ...
    def records_work(self, actor: Actor, permission: Permission
                     ) -> AbstractContextManager[RecordsWork]: ...


__all__ = [
    "AggregateRecords",
    "CallInNoticeRecord",
    "CaseworkRecords",
    "ChangeNoticeRecord",
    "DocumentRecord",
    "EncounterRecord",
    "I68ApplicationRecord",
    "I68MemberRecord",
    "I94Entry",
    "InterviewRecord",
    "ObligationRecord",
    "PermitRecord",
    "PersonRecord",
    "PersonRecords",
    "QueueEntry",
    "QueueRecords",
    "RecordStore",
    "Records",
    "RecordsWork",
    "ReferralListing",
    "ReferralRecords",
    "RefusalEncounterView",
    "RefusalRecord",
    "RegistrantName",
    "RegistrationRecord",
    "TravellerRecords",
    "ViolationCase",
    "ViolationRecord",
    "WaiverCase",
    "WaiverRecord",
]
