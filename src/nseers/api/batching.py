"""Group commit for arrivals and departures: concurrent requests share one transaction.

Under load most of an inspection's cost is its transaction (and on SQLite only one
transaction writes at a time). While one transaction runs, the requests that arrive from
the same actor (user, role and purpose) and for the same operation queue up; the next
transaction takes them all, up to :data:`MAX_BATCH`, through the service's batch path
(:func:`nseers.services.movements.ingest`). Nothing waits on purpose: a request that finds
no transaction running starts one at once, so a lone request is a batch of one.

Each batch's transaction runs in a worker thread, one batch at a time per queue (issue 16:
a database that hangs must hold up a thread, never the event loop, so that health checks
and the load shedder keep answering). The hop to the thread is paid once per batch, not
once per request. Parallelism comes from worker processes (``nseers serve --workers``), on
PostgreSQL.

Each request still gets its own answer, audit entries and idempotency record. A batch the
service refuses (one command invalid, conflicting or failing) is run again command by
command, in order, so every request gets the answer it would have got alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from nseers.core.actors import Actor
from nseers.services.context import Registry
from nseers.services.movements import ArrivalInspection, DepartureRecord, Movement, ingest

logger = logging.getLogger("nseers.api")

#: The most commands one transaction takes.
MAX_BATCH: Final = 64

Outcome = tuple[dict[str, Any] | None, BaseException | None]


@dataclass
class _Queue:
    waiting: list[tuple[Movement, asyncio.Future[dict[str, Any]]]] = field(default_factory=list)
    draining: bool = False


class MovementBatcher:
    """Queues of pending movements, one per actor and operation, each drained in order."""

    def __init__(self, registry: Registry,
                 ingest_batch: Callable[[Registry, Actor, list[Movement]],
                                        list[dict[str, Any]]] = ingest) -> None:
        self._registry = registry
        self._ingest = ingest_batch
        self._queues: dict[tuple[Actor, type], _Queue] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, actor: Actor, command: ArrivalInspection | DepartureRecord
                     ) -> dict[str, Any]:
        """Record ``command`` as ``actor``; the answer :func:`ingest` gives for it."""
        key = (actor, type(command))
        queue = self._queues.setdefault(key, _Queue())
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        queue.waiting.append((command, future))
        if not queue.draining:
            queue.draining = True
            task = asyncio.create_task(self._drain(key, queue))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self, key: tuple[Actor, type], queue: _Queue) -> None:
        actor = key[0]
        try:
            while queue.waiting:
                batch = queue.waiting[:MAX_BATCH]
                del queue.waiting[:MAX_BATCH]
                outcomes = await asyncio.to_thread(self._run, actor, [c for c, _ in batch])
                for (_, future), (answer, error) in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if error is not None:
                        future.set_exception(error)
                    else:
                        future.set_result(answer or {})
        finally:
            queue.draining = False
            if not queue.waiting:
                self._queues.pop(key, None)
            else:
                # Cancelled (the server is stopping): no waiter is left hanging.
                for _, future in queue.waiting:
                    future.cancel()

    def _run(self, actor: Actor, commands: list[Movement]) -> list[Outcome]:
        """The batch in one transaction, or, if the service refuses it, one by one."""
        if len(commands) > 1:
            try:
                return [(answer, None) for answer in self._ingest(self._registry, actor,
                                                                  commands)]
            except Exception as error:  # noqa: BLE001 - each command is retried alone
                logger.debug("a batch of %d was refused (%s); recording one by one",
                             len(commands), type(error).__name__)
        outcomes: list[Outcome] = []
        for command in commands:
            try:
                outcomes.append((self._ingest(self._registry, actor, [command])[0], None))
            except Exception as error:  # noqa: BLE001 - delivered to the command's request
                outcomes.append((None, error))
        return outcomes
