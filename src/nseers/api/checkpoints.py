"""The server's own signed checkpoints of the audit chain, written every few minutes.

``nseers audit checkpoint`` writes one on demand; a running server also writes one every
:attr:`~nseers.serving.settings.ServerSettings.audit_checkpoint_s` seconds when the chain has
grown, so that at most that much of the trail is ever unanchored
(:mod:`nseers.db.anchor`).
The work runs in a thread; a failure is logged and tried again next time.
"""

from __future__ import annotations

import asyncio
import logging

from nseers.core.actors import Actor, Role
from nseers.services.audit import checkpoint_audit, head_seq
from nseers.services.context import Registry

logger = logging.getLogger("nseers.api")
CHECKPOINT_ACTOR = Actor("system", Role.SYSTEM, "audit checkpoint")


def start_checkpoints(registry: Registry, every_s: float) -> asyncio.Task[None] | None:
    """Start the timer (``None`` when no checkpoint file or interval is configured)."""
    if registry.audit_checkpoints is None or every_s <= 0:
        return None
    return asyncio.create_task(_every(registry, every_s))


async def _every(registry: Registry, every_s: float) -> None:
    last = -1
    while True:
        await asyncio.sleep(every_s)
        try:
            seq = await asyncio.to_thread(head_seq, registry)
            # The checkpoint's own audit entry moves the head by one.
            if seq > last + 1 or last < 0:
                last = (await asyncio.to_thread(checkpoint_audit, registry,
                                                CHECKPOINT_ACTOR)).seq
        except Exception as error:  # noqa: BLE001 - logged; the next tick tries again
            logger.error("audit checkpoint failed: %s", type(error).__name__)
