"""The registry handle the use cases run against: sessions, the rules engine and a clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.orm import Session, sessionmaker

from nseers.core.actors import Actor, Permission
from nseers.db.audit import AUDIT_KEY_INFO, DEVELOPMENT_AUDIT_KEY
from nseers.db.uow import UnitOfWork, conflicts_translated
from nseers.registry.repositories import SqlRecords
from nseers.rules.engine import Engine as RulesEngine
from nseers.services.mail import Sender
from nseers.services.repositories import Records, RecordsWork


@dataclass
class Registry:
    """What every use case needs. Built once per process by :mod:`nseers.bootstrap`."""

    database: DatabaseEngine
    rules: RulesEngine
    clock: Callable[[], datetime]
    #: The audit chain's key (kept outside the database; :mod:`nseers.db.audit`).
    audit_key: bytes = DEVELOPMENT_AUDIT_KEY
    #: The file of signed checkpoints of the chain's head (:mod:`nseers.db.anchor`).
    audit_checkpoints: Path | None = None
    #: Where e-mail to travellers goes (one-time codes, reminders: issue 17); ``None``
    #: where nothing may be sent, and asking to send is then refused.
    sender: Sender | None = None
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.database, expire_on_commit=False,
                                     info={AUDIT_KEY_INFO: self.audit_key})

    @contextmanager
    def work(self, actor: Actor, permission: Permission) -> Iterator[UnitOfWork]:
        """A unit of work for ``actor``, refused unless the role grants ``permission``."""
        actor.require(permission)
        with UnitOfWork(self.sessions, actor, self.clock) as uow, \
                conflicts_translated(uow.session):
            yield uow

    @contextmanager
    def records_work(self, actor: Actor, permission: Permission) -> Iterator[RecordsWork]:
        """:meth:`work` as the services behind the repository boundary see it: the
        records read through :class:`~nseers.registry.repositories.SqlRecords`."""
        with self.work(actor, permission) as uow:
            yield SqlRecordsWork(uow, SqlRecords(uow.session))

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.database.dialect.name


class SqlRecordsWork:
    """A database unit of work and the records read in its transaction."""

    def __init__(self, uow: UnitOfWork, records: Records) -> None:
        self._uow = uow
        self.records = records

    @property
    def now(self) -> datetime:
        """The time the work began (UTC)."""
        return self._uow.now

    def audit(self, action: str, subject: object, person: object = None,
              **detail: Any) -> None:
        """Record that the use case did ``action`` (chained onto the trail at commit)."""
        self._uow.audit(action, subject, person, **detail)

    def commit(self) -> None:
        """Chain the audit entries and commit."""
        self._uow.commit()
