"""The registry's records as the read paths see them, read from the database (issue 15).

:mod:`nseers.services.repositories` names what the services ask of the registry (a
person's registrations, the obligations of a registration, the interviews held by a
date...) as small protocols; :class:`SqlRecords` answers them with SQLAlchemy, and a test
answers them from memory (``tests/fakes``). The answers are frozen dataclasses, not ORM
objects: a read path cannot change a record by accident, cannot trigger a lazy load, and
an in-memory store can build the same values. Each query selects only the columns its
record holds, by an index on ``person_id`` or ``registration_id``.

This package imports nothing from the services: the protocols are structural, so
:class:`SqlRecords` satisfies them by its shape (mypy checks it where the services'
registry hands it over, :mod:`nseers.services.context`).
"""

from __future__ import annotations

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
    RefusalEncounterRecord,
    RefusalRecord,
    RegistrantName,
    RegistrationRecord,
    ViolationCase,
    ViolationRecord,
    WaiverCase,
    WaiverRecord,
)
from nseers.registry.repositories.counts import CountQueries
from nseers.registry.repositories.persons import PersonQueries
from nseers.registry.repositories.worklists import WorkListQueries


class SqlRecords(PersonQueries, WorkListQueries, CountQueries):
    """The read side of the registry over one SQLAlchemy session (a unit of work's)."""


__all__ = [
    "CallInNoticeRecord",
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
    "QueueEntry",
    "ReferralListing",
    "RefusalEncounterRecord",
    "RefusalRecord",
    "RegistrantName",
    "RegistrationRecord",
    "SqlRecords",
    "ViolationCase",
    "ViolationRecord",
    "WaiverCase",
    "WaiverRecord",
]
