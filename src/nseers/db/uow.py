"""The unit of work: one transaction per use case, committed only on purpose.

Leaving the ``with`` block without ``commit()`` rolls everything back, so a request that
fails half-way leaves no partial record. ``commit()`` first chains the audit entries the
work collected onto the trail, in the same transaction, then maps the database's own
refusals (a unique key taken by a concurrent writer, a row changed under us) to
:class:`~nseers.core.errors.ConflictError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from nseers.core.actors import Actor
from nseers.core.errors import ConflictError, IdempotencyKeyReusedError
from nseers.db.audit import AuditRecord, append_entries
from nseers.db.idempotency import IdempotencyKey, request_hash

Clock = Callable[[], datetime]


class UnitOfWork:
    """A session, the acting user, the time, and the audit entries of one use case."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor, clock: Clock) -> None:
        self._sessions = sessions
        self.actor = actor
        self.now = clock().astimezone(UTC)
        self._pending: list[tuple[str, object, object, dict[str, Any]]] = []
        self._committed = False
        #: Records this unit of work has already looked up or created, by the use case's
        #: own keys, so a batch finds what an earlier command in it wrote.
        self.memo: dict[Any, Any] = {}

    def __enter__(self) -> Self:
        self.session = self._sessions()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def audit(self, action: str, subject: object, person: object = None,
              **detail: Any) -> None:
        """Record that this use case did ``action`` to ``subject`` (chained at commit).

        ``subject`` and ``person`` may be records not yet written, and ``detail`` may hold
        them: their ids are filled in at commit, after the work is flushed.
        """
        self._pending.append((action, subject, person, detail))

    def replay(self, operation: str, key: str | None, request: Any) -> dict[str, Any] | None:
        """The stored answer to an earlier request with this idempotency key, if any."""
        if key is None:
            return None
        if ("idempotency", key) in self.memo:
            row = self.memo[("idempotency", key)]
            return None if row is None else self._check(row, operation, key, request)
        row = self.session.execute(
            select(IdempotencyKey).where(IdempotencyKey.scope == self.actor.username,
                                         IdempotencyKey.key == key)).scalar_one_or_none()
        if row is None:
            return None
        return self._check(row, operation, key, request)

    @staticmethod
    def _check(row: IdempotencyKey, operation: str, key: str, request: Any) -> dict[str, Any]:
        if row.operation != operation or row.request_hash != request_hash(operation, request):
            raise IdempotencyKeyReusedError(key)
        return row.response

    def prefetch_keys(self, keys: list[str]) -> None:
        """Look up many idempotency keys in one query (a batch's)."""
        found = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            found.update({row.key: row for row in self.session.execute(
                select(IdempotencyKey).where(IdempotencyKey.scope == self.actor.username,
                                             IdempotencyKey.key.in_(chunk))).scalars()})
        for key in keys:
            self.memo[("idempotency", key)] = found.get(key)

    def remember(self, operation: str, key: str | None, request: Any,
                 response: dict[str, Any]) -> None:
        """Store the answer under the idempotency key (committed with the work)."""
        if key is None:
            return
        self.session.add(IdempotencyKey(
            scope=self.actor.username, key=key, operation=operation,
            request_hash=request_hash(operation, request), response=response,
            created_at=self.now))

    def commit(self) -> None:
        """Chain the audit entries and commit; a lost race becomes a ConflictError."""
        with conflicts_translated(self.session):
            self.session.flush()
            append_entries(self.session, self.actor, self.now, self._audit_records())
            self.session.commit()
        self._pending.clear()
        self._committed = True

    def _audit_records(self) -> list[AuditRecord]:
        return [AuditRecord(action, _subject(subject), _id(person),
                                  {k: _plain(v) for k, v in detail.items()})
                for action, subject, person, detail in self._pending]


@contextmanager
def conflicts_translated(session: Session) -> Iterator[None]:
    """Turn the database's refusals of a concurrent write into :class:`ConflictError`."""
    try:
        yield
    except StaleDataError as error:
        session.rollback()
        raise ConflictError("concurrent_update",
                            "the record was changed by another user at the same moment; "
                            "reload it and try again") from error
    except IntegrityError as error:
        session.rollback()
        raise ConflictError("duplicate", _integrity_message(error)) from error
    except OperationalError as error:
        session.rollback()
        if "could not serialize" in str(error.orig) or "deadlock" in str(error.orig):
            raise ConflictError("concurrent_update",
                                "another transaction changed the same records; "
                                "try again") from error
        raise


def _id(value: object) -> int | None:
    if value is None or isinstance(value, int):
        return value
    identifier = getattr(value, "id", None)
    return identifier if isinstance(identifier, int) else None


def _subject(value: object) -> str:
    if isinstance(value, str):
        return value
    table = getattr(value, "__tablename__", type(value).__name__)
    return f"{table}:{_id(value)}"


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: object) -> Any:
    if type(value) in _SCALARS:
        return value
    if hasattr(value, "__tablename__"):
        return _id(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _integrity_message(error: IntegrityError) -> str:
    text = str(error.orig).lower()
    if "idempotency" in text:
        return "the same request is being processed at this moment"
    return ("a record with the same unique key already exists (it may have been created "
            "by a concurrent request)")
