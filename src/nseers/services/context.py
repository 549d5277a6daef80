"""The registry handle the use cases run against: sessions, the rules engine and a clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.orm import Session, sessionmaker

from nseers.core.actors import Actor, Permission
from nseers.db.audit import AUDIT_KEY_INFO, DEVELOPMENT_AUDIT_KEY
from nseers.db.uow import UnitOfWork, conflicts_translated
from nseers.rules.engine import Engine as RulesEngine
from nseers.services.mail import Sender


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

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.database.dialect.name
