"""Idempotency keys, one mechanism for every caller: a replayed write answers like the first.

Every form of the pages and every write of the API carries an idempotency key (a form's is
made for each rendering of it, so a double submit carries one key twice). The unit of work
stores the key with the answer in the write's own transaction
(:meth:`nseers.db.uow.UnitOfWork.remember`) and replays it
(:meth:`~nseers.db.uow.UnitOfWork.replay`). Two things are done here, once, for the pages
and the API alike (issue 15, fault 4: the pages had a second scheme of their own):

* :func:`once` runs a use case's work once per key: look the key up, else do the work,
  store the answer and commit;
* :func:`first_answer` settles twins that arrive together: the database lets one store the
  key and refuses the other with ``duplicate`` once the first has committed; asked again,
  the second is answered with the first's answer (marked ``replayed``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError
from nseers.db.uow import UnitOfWork
from nseers.services.context import Registry

T = TypeVar("T")

Work = Callable[[UnitOfWork], dict[str, Any]]


def first_answer(record: Callable[[], T], key: str | None) -> T:
    """``record()``; when a twin with the same key won the race to store it, ``record()``
    again, which now replays the twin's answer. Without a key nothing is retried."""
    try:
        return record()
    except ConflictError as error:
        if key is None or error.code != "duplicate":
            raise
        return record()


def once(registry: Registry, actor: Actor, permission: Permission, *, operation: str,
         key: str | None, request: Any, work: Work) -> dict[str, Any]:
    """Run ``work(uow)`` once per idempotency ``key`` (scoped to ``actor``); a replay, or a
    twin that lost the race, returns the first answer with ``"replayed": True``.

    ``request`` is what the key's answer is bound to: the same key sent with another
    request is refused (``idempotency_key_reused``) rather than answered with the first.
    """
    def attempt() -> dict[str, Any]:
        with registry.work(actor, permission) as uow:
            stored = uow.replay(operation, key, request)
            if stored is not None:
                return stored | {"replayed": True}
            answer = work(uow)
            uow.remember(operation, key, request, answer)
            uow.commit()
            return answer
    return first_answer(attempt, key)
