"""Concurrent checks of one account's session share one read of the account.

Every request checks its token against the account (:mod:`nseers.services.sessions`): one
read, in a worker thread so that a database that hangs holds up a thread and not the event
loop. Under load the same account sends many requests at once (a port's inspection
workstation, a carrier's manifest client), and a read per request meant as many threads,
pool checkouts and round trips, all contending for the interpreter lock with the
transactions that do the work.

Checks are therefore grouped the way commits are (:mod:`nseers.api.batching`): while one
read of an account runs, the requests that arrive for the same account wait for the *next*
read, which answers all of them. A request is never answered by a read that began before
it arrived, so a session ended (signed out, revoked, role changed) is refused to every
request that arrives after the change committed, exactly as with a read per request.
"""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from nseers.services.context import Registry
from nseers.services.sessions import SessionState, session_state


class SessionChecks:
    """One read at a time per account; the requests that wait share the next one."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        #: The read not yet begun that the next requests for an account will share.
        self._next: dict[str, asyncio.Future[SessionState | None]] = {}
        self._reading: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def state(self, username: str) -> SessionState | None:
        """The account's state, read after this call began (``None``: no such account)."""
        future = self._next.get(username)
        if future is None:
            future = self._next[username] = asyncio.get_running_loop().create_future()
            if username not in self._reading:
                self._reading.add(username)
                task = asyncio.create_task(self._read(username))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        # Shielded: one waiter cancelled (its client went away) cancels nobody else's read.
        return await asyncio.shield(future)

    async def _read(self, username: str) -> None:
        try:
            while username in self._next:
                future = self._next.pop(username)
                try:
                    state = await run_in_threadpool(session_state, self._registry, username)
                except Exception as error:  # noqa: BLE001 - delivered to every waiter
                    if not future.done():
                        future.set_exception(error)
                    # Retrieved here too, so that no waiter left (all cancelled) makes
                    # asyncio log an exception nobody retrieved.
                    future.exception()
                else:
                    if not future.done():
                        future.set_result(state)
        finally:
            self._reading.discard(username)
            pending = self._next.pop(username, None)
            if pending is not None and not pending.done():
                pending.cancel()  # the server is stopping: no waiter is left hanging
