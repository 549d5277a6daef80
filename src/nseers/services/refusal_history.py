"""A person's earlier refusals of entry, as a later arrival, the timeline and the traveller
see them (issue 17).

Read helpers over the ``refusals`` table and the ``refusal`` encounters, with no use case
of their own: :mod:`nseers.services.movements` and :mod:`nseers.services.refusals` show an
arriving officer the earlier refusals. They run inside the caller's unit of work, which
checks the permission and writes the audit entry. The timeline
(:mod:`nseers.services.reports`) and the traveller's history
(:mod:`nseers.services.self_service`) read the same records through the repository
boundary; :mod:`nseers.services.refusal_entries` shapes them for all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nseers.registry.refusals import Refusal
from nseers.registry.repositories import SqlRecords
from nseers.rules import ids
from nseers.services.context import Registry
from nseers.services.refusal_entries import by_person


def prior_refusals(session: Session, person_ids: Iterable[int], *,
                   before: datetime | None = None) -> dict[int, list[dict[str, Any]]]:
    """Every refusal of each person (before ``before``), oldest first, in one query per
    500 persons (:func:`nseers.services.refusal_entries.refusal_entry` says what each is).
    """
    return by_person(SqlRecords(session).refusal_encounters_of(list(person_ids),
                                                               before=before))


def prior_refusal_warning(registry: Registry, on: date,
                          refusals: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The banner an officer sees at a later arrival: the refusals and the rule behind it."""
    if not refusals:
        return None
    law = registry.rules.law(on)
    reason = law.reason(ids.REFUSAL_PRIOR,
                        f"This person was refused entry {len(refusals)} time(s) before.",
                        {"refusals": len(refusals)})
    return {"count": len(refusals), "refusals": refusals, "reason": reason.to_dict()}


def refusal_view(refusal: Refusal) -> dict[str, Any]:
    """A refusal as officers see it (the API, the console, the timeline)."""
    explanation = refusal.explanation
    return {"refusal_id": refusal.id, "encounter_id": refusal.encounter_id,
            "person_id": refusal.person_id, "port": refusal.port_code,
            "occurred_at": refusal.occurred_at.isoformat(),
            "as_of": refusal.occurred_on.isoformat(), "officer": refusal.officer,
            "grounds": explanation.get("grounds", []),
            "procedure": explanation.get("procedure", {"code": refusal.procedure}),
            "disposition": explanation.get("disposition", {"code": refusal.disposition}),
            "narrative": refusal.narrative, "policy_version": refusal.policy_version,
            "reasons": explanation.get("reasons", [])}


def person_refusals(session: Session, person_id: int) -> list[dict[str, Any]]:
    """A person's refusals for the timeline: one event each, with grounds and procedure."""
    events = []
    for refusal in session.execute(select(Refusal).where(Refusal.person_id == person_id)
                                   .order_by(Refusal.occurred_at)).scalars():
        view = refusal_view(refusal)
        events.append({"on": view["as_of"], "type": "refusal",
                       "id": refusal.id, "encounter_id": refusal.encounter_id,
                       "port": refusal.port_code, "grounds": [g["code"] for g in
                                                              view["grounds"]],
                       "procedure": refusal.procedure, "disposition": refusal.disposition,
                       "officer": refusal.officer})
    return events
