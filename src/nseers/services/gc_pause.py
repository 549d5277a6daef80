"""Python's cyclic garbage collector held off while a batch is recorded (issue 18).

A batch of a thousand inspections builds tens of thousands of objects (rows, answers,
determinations and their reasons) that all live until the batch commits. Each of them
survives the young collections it meets, so the collector promotes them and, every
couple of batches, runs a full collection over the whole heap: the loaded law, the
mappers and whatever the process holds. On a batch ingest that was a fifth of the
service's time on SQLite and on PostgreSQL alike, for nothing: the batch's objects are
freed by reference counting when it ends, and the few cycles it makes wait a moment.

:func:`paused_collection` is shared by the threads that use it: the collector is held off
from when the first one enters until the last one leaves, and is started again only if it
was running when the first one entered (a process that turned it off keeps it off). So
that overlapping batches cannot hold it off for good, a thread that leaves after the pause
has lasted :data:`MOST_PAUSED_S` collects what has gathered before it goes on.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

#: The longest the collector is held off by overlapping batches before one of them runs a
#: collection (seconds).
MOST_PAUSED_S: Final = 2.0


class _Pause:
    """Who holds the collector off, since when, and whether it is ours to restart."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.since = 0.0
        self.restart = False


_PAUSE = _Pause()


@contextmanager
def paused_collection(clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Hold the cyclic garbage collector off while the block runs (see the module)."""
    pause = _PAUSE
    with pause.lock:
        if pause.holders == 0:
            pause.restart = gc.isenabled()
            pause.since = clock()
            gc.disable()
        pause.holders += 1
    try:
        yield
    finally:
        collect = False
        with pause.lock:
            pause.holders -= 1
            if pause.holders == 0:
                if pause.restart:
                    gc.enable()
                pause.restart = False
            elif pause.restart and clock() - pause.since >= MOST_PAUSED_S:
                pause.since = clock()
                collect = True
        if collect:
            gc.collect()
