"""Demonstration data for retention and erasure: one legal hold on a file that is due.

The synthetic population's movements run from 2002, so on any date after the EES overlay
takes effect (2025-10-12) many files are past their period; the dry run at
:data:`DEMO_RETENTION_AS_OF` shows them by rule. One of them gets a legal hold, placed as a
district director would, so the dry run shows a held file and the console lists a hold.
Placed with an idempotency key: loading the demo again places no second hold.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from nseers.core.actors import Actor, Role
from nseers.services.context import Registry
from nseers.services.erasure import retention_plan
from nseers.services.legal_holds import PlaceHold, place_hold

#: The as-of date the console's retention page opens on in the demonstration.
DEMO_RETENTION_AS_OF: Final = date(2026, 12, 1)
DEMO_DIRECTOR: Final = Actor("demo-director", Role.DISTRICT_DIRECTOR,
                             "synthetic demonstration data")
DEMO_ADMIN: Final = Actor("demo-admin", Role.ADMINISTRATOR, "synthetic demonstration data")


def place_demo_hold(registry: Registry, seed: int) -> int | None:
    """Hold the first file due on :data:`DEMO_RETENTION_AS_OF`; the hold's id, if any."""
    plan = retention_plan(registry, DEMO_ADMIN, DEMO_RETENTION_AS_OF)
    due = [entry["person_id"] for group in plan["rules"] for entry in group["entries"]
           if entry["status"] in ("due", "held")]
    if not due:
        return None
    answer = place_hold(registry, DEMO_DIRECTOR, PlaceHold(
        min(due), "litigation hold: the traveller's 2003 admission is in suit",
        "USDC-EDNY 26-cv-0417 (demo)", idempotency_key=f"demo-{seed}-legal-hold"))
    return int(answer["hold_id"])
