"""A traveller's journeys as the traveller lived them: one arrival per entry.

An arrival referred to secondary inspection is recorded twice, truthfully: primary's
referral and secondary's decision are two encounters, and the officer's timeline shows
both. The traveller arrived once, so the traveller's own history (the I-94 website's
"travel history", the portal's days) lists the entry once: a referral that the next
encounter at the same port answered is a stage of that arrival, not an arrival of its own.
A referral still waiting for secondary is listed, since it is the latest thing that
happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Movement(Protocol):
    """What the rule reads of an encounter."""

    @property
    def kind(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def port_code(self) -> str: ...


M = TypeVar("M", bound=Movement)


def one_entry_per_arrival(movements: Sequence[M]) -> list[M]:
    """``movements`` (oldest first) without the referrals a later encounter at the same
    port answered."""
    kept: list[M] = []
    for index, movement in enumerate(movements):
        following = movements[index + 1] if index + 1 < len(movements) else None
        answered = (movement.kind == "arrival" and movement.outcome == "referred"
                    and following is not None and following.kind in ("arrival", "refusal")
                    and following.port_code == movement.port_code)
        if not answered:
            kept.append(movement)
    return kept
