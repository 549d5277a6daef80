"""Earlier refusals of entry as each reader sees them (issue 17), shaped from the
repository's records with no database of their own.

:mod:`nseers.services.refusal_history` (the arriving officer's warning) and
:mod:`nseers.services.self_service` (the traveller's history) both read a person's
refusal encounters through the repository (``refusal_encounters_of``) and shape them here,
so the two cannot disagree on what a refusal was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Final, Protocol

#: What a traveller is shown for a refusal recorded before coded grounds existed: the
#: officer's free-text reason is not shown, as the narrative of a coded refusal is not.
UNCODED: Final = {"title": "Refused admission (the grounds were not recorded as codes)",
                  "citation": None}


class RefusalEncounterView(Protocol):
    """A ``refusal`` encounter and its coded refusal, if one was recorded."""

    @property
    def id(self) -> int: ...
    @property
    def person_id(self) -> int: ...
    @property
    def occurred_on(self) -> date: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def port_code(self) -> str: ...
    @property
    def refusal_reason(self) -> str | None: ...
    @property
    def refusal_id(self) -> int | None: ...
    @property
    def explanation(self) -> dict[str, Any] | None: ...


def refusal_entry(record: RefusalEncounterView) -> dict[str, Any]:
    """One earlier refusal as an officer sees it. A refusal recorded as an inspection's
    ``refuse`` decision (before coded refusals existed) is a refusal too: it is listed with
    its free-text reason as its ground."""
    explanation = record.explanation or {}
    grounds = explanation.get("grounds") or [
        {"code": None, "title": record.refusal_reason or "not recorded", "citation": None}]
    return {"refusal_id": record.refusal_id, "encounter_id": record.id,
            "date": record.occurred_on.isoformat(),
            "occurred_at": record.occurred_at.isoformat(), "port": record.port_code,
            "grounds": grounds,
            "procedure": (explanation.get("procedure") or {}).get("code"),
            "disposition": (explanation.get("disposition") or {}).get("code")}


def by_person(records: Iterable[RefusalEncounterView]) -> dict[int, list[dict[str, Any]]]:
    """:func:`refusal_entry` of each record, grouped by person in the records' order."""
    found: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        found.setdefault(record.person_id, []).append(refusal_entry(record))
    return found


def as_the_traveller_sees_them(records: Sequence[RefusalEncounterView]
                               ) -> list[dict[str, Any]]:
    """The refusals a traveller sees in their own history: date, port and grounds (never
    the officer, the narrative or a registry id), newest first."""
    shown = [{"date": entry["date"], "port": entry["port"],
              "grounds": [{"title": g["title"], "citation": g["citation"]}
                          if g["code"] is not None else UNCODED for g in entry["grounds"]]}
             for entry in map(refusal_entry, records)]
    shown.reverse()
    return shown
