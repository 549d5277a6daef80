"""A person's earlier refusals of entry, as a later arrival, the timeline and the traveller
see them (issue 17).

Read helpers over the ``refusals`` table and the ``refusal`` encounters, with no use case
of their own: :mod:`nseers.services.movements` shows an arriving officer the earlier
refusals, :mod:`nseers.services.reports` lists them on the timeline and
:mod:`nseers.services.self_service` in the traveller's history. They run inside the
caller's unit of work, which checks the permission and writes the audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from nseers.registry.encounters import Encounter
from nseers.registry.refusals import Refusal
from nseers.rules import ids
from nseers.services.context import Registry

#: What a traveller is shown for a refusal recorded before coded grounds existed: the
#: officer's free-text reason is not shown, as the narrative of a coded refusal is not.
UNCODED: Final = {"title": "Refused admission (the grounds were not recorded as codes)",
                  "citation": None}


def prior_refusals(session: Session, person_ids: Iterable[int], *,
                   before: datetime | None = None) -> dict[int, list[dict[str, Any]]]:
    """Every refusal of each person (before ``before``), oldest first, in one query.

    Refusals recorded as an inspection's ``refuse`` decision (a ``refusal`` encounter with
    a free-text reason, before coded refusals existed) are refusals too: they are listed
    with that reason as their ground.
    """
    wanted = sorted(set(person_ids))
    found: dict[int, list[dict[str, Any]]] = {}
    if not wanted:
        return found
    e = Encounter.__table__.c
    r = Refusal.__table__.c
    for start in range(0, len(wanted), 500):
        query = (select(e.person_id, e.id, e.occurred_on, e.occurred_at, e.port_code,
                        e.refusal_reason, r.id.label("refusal_id"), r.explanation)
                 .outerjoin(Refusal.__table__, r.encounter_id == e.id)
                 .where(e.kind == "refusal", e.person_id.in_(wanted[start:start + 500]))
                 .order_by(e.person_id, e.occurred_at, e.id))
        if before is not None:
            query = query.where(e.occurred_at < before)
        for row in session.execute(query):
            explanation = row.explanation or {}
            grounds = explanation.get("grounds") or [
                {"code": None, "title": row.refusal_reason or "not recorded",
                 "citation": None}]
            found.setdefault(row.person_id, []).append({
                "refusal_id": row.refusal_id, "encounter_id": row.id,
                "date": row.occurred_on.isoformat(),
                "occurred_at": row.occurred_at.isoformat(), "port": row.port_code,
                "grounds": grounds,
                "procedure": (explanation.get("procedure") or {}).get("code"),
                "disposition": (explanation.get("disposition") or {}).get("code")})
    return found


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


def traveller_refusals(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The refusals a traveller sees in their own history: date, port and grounds (never
    the officer, the narrative or a registry id), newest first."""
    shown = [{"date": r["date"], "port": r["port"],
              "grounds": [{"title": g["title"], "citation": g["citation"]}
                          if g["code"] is not None else UNCODED for g in r["grounds"]]}
             for r in prior_refusals(session, [person_id]).get(person_id, [])]
    shown.reverse()
    return shown


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
