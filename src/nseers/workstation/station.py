"""The port workstation's use cases: inspect (online, or offline into the journal), forward.

Order is the promise: while any journaled entry is still waiting, a new inspection is not
sent online ahead of it. The workstation first forwards the backlog; only when the whole
backlog is through does it talk to the central API directly again. Each arrival gets its
idempotency key before its first attempt and keeps it in the journal, so an arrival whose
online request got through just as the link failed is answered, not recorded, when its
journal entry is forwarded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final
from uuid import uuid4

from nseers.rules.case import parse_case
from nseers.rules.engine import Engine
from nseers.workstation.journal import Entry, Journal
from nseers.workstation.link import CentralLink, CentralRefusedError, CentralUnreachableError
from nseers.workstation.settings import WorkstationSettings

#: What a workstation cannot check while the central store is unreachable: everything that
#: needs the registry or the central indexes. The officer is shown this with every offline
#: answer, so that a case that turns on one of them goes to secondary when the link returns.
CANNOT_CHECK: Final = (
    {"check": "registry_history",
     "what": "the traveller's earlier arrivals, departures and open admissions"},
    {"check": "prior_refusals", "what": "earlier refusals of entry"},
    {"check": "watchlist_screening", "what": "watchlist (lookout) screening"},
    {"check": "biometric_identification",
     "what": "biometric 1:N identification against enrolled fingerprints and faces"},
    {"check": "fin_lookup",
     "what": "FIN lookup: no FIN can be found, and a new registration's FIN is issued "
             "only when the entry is forwarded"},
)
OFFLINE_NOTICE: Final = ("OFFLINE: the central registry is unreachable. The inspection was "
                         "evaluated here under the law of the day and journaled; it will be "
                         "forwarded when the link returns.")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workstation:
    """One port workstation: its journal, its link, the officer signed in, the law."""

    settings: WorkstationSettings
    link: CentralLink
    officer: str
    rules: Engine = field(default_factory=Engine)
    clock: Callable[[], datetime] = _now

    def __post_init__(self) -> None:
        self.journal = Journal(self.settings.journal, self.settings.workstation_id,
                               self.settings.key)

    # ---------------------------------------------------------------- inspect
    def inspect(self, arrival: dict[str, Any], idempotency_key: str | None = None
                ) -> dict[str, Any]:
        """Inspect one arrival (the body of ``POST /api/v1/arrivals``).

        Online, the answer is the central API's. Offline, the answer says so, gives the
        local evaluation and the journal entry, and lists what could not be checked. A
        case the rules cannot read is refused here (``InvalidInputError``) and journaled
        nowhere; a 4xx from the central API is raised as :class:`CentralRefusedError`.
        """
        key = idempotency_key or f"{self.settings.workstation_id}-{uuid4()}"
        evaluation = self.rules.evaluate(parse_case(local_case(arrival))).to_dict()
        backlog = self.forward() if self.journal.pending() else None
        if backlog is None or backlog["remaining"] == 0:
            try:
                answer = self.link.post("/api/v1/arrivals", arrival, idempotency_key=key)
            except CentralUnreachableError as error:
                reason = str(error)
            else:
                return {"online": True, "arrival": answer, "backlog": backlog}
        else:
            reason = str(backlog["stopped"])
        entry = self.journal.append(key, self.officer, self.clock(), arrival)
        return {"online": False, "notice": OFFLINE_NOTICE, "reason": reason,
                "journaled": {"sequence": entry.sequence, "idempotency_key": key,
                              "mac": entry.mac},
                "local_evaluation": evaluation, "cannot_check": list(CANNOT_CHECK),
                "backlog": backlog}

    # ---------------------------------------------------------------- forward
    def forward(self) -> dict[str, Any]:
        """Send every waiting entry, in order, until done or until the link fails.

        An entry is marked forwarded only after the central API has answered it; a
        refusal (4xx) stops the run there, since later entries may not overtake it.
        """
        self.journal.check()
        sent: list[dict[str, Any]] = []
        pending = self.journal.pending()
        for index, entry in enumerate(pending):
            try:
                answer = self.link.post("/api/v1/offline/arrivals", self.forward_body(entry))
            except CentralUnreachableError as error:
                return _report(sent, len(pending) - index, str(error))
            except CentralRefusedError as error:
                return _report(sent, len(pending) - index,
                               f"entry {entry.sequence} was refused: {error}",
                               refused=error.problem)
            self.journal.mark_forwarded(entry.sequence, answer, self.clock())
            sent.append({"sequence": entry.sequence, "status": answer.get("status"),
                         "replayed": bool(answer.get("replayed")),
                         "conflicts": [c.get("id") for c in answer.get("conflicts", [])]})
        return _report(sent, 0, None)

    def forward_body(self, entry: Entry) -> dict[str, Any]:
        """The request that forwards ``entry`` (``POST /api/v1/offline/arrivals``)."""
        return {"workstation_id": self.settings.workstation_id, "sequence": entry.sequence,
                "previous_mac": entry.previous_mac, "mac": entry.mac,
                "recorded_at": entry.recorded_at.isoformat(),
                "idempotency_key": entry.idempotency_key, "inspected_by": entry.officer,
                "arrival": entry.arrival}

    def status(self) -> dict[str, Any]:
        """The journal's state: waiting and forwarded entries, and whether it verifies."""
        entries = self.journal.entries()
        return {"workstation_id": self.settings.workstation_id,
                "journal": str(self.settings.journal),
                "pending": sum(1 for e in entries if e.status == "pending"),
                "forwarded": sum(1 for e in entries if e.status == "forwarded"),
                "problems": self.journal.verify()}


def _report(sent: list[dict[str, Any]], remaining: int, stopped: str | None,
            refused: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"forwarded": sent, "remaining": remaining, "stopped": stopped,
            "refused": refused}


def local_case(arrival: dict[str, Any]) -> dict[str, Any]:
    """The evaluation contract's case for an arrival, as the central service builds it
    (``services.cases``), from the request body alone: offline, the registry's facts of
    a known person (``person_id``) are not available."""
    person = arrival.get("person") or {}
    occurred = str(arrival.get("occurred_at", ""))
    try:
        on: str = datetime.fromisoformat(occurred).date().isoformat()
    except ValueError:
        on = occurred  # parse_case names the bad date
    return {
        "event": "arrival", "date": on,
        "port": {"code": arrival.get("port_code"), "mode": arrival.get("mode"),
                 "state": arrival.get("state")},
        "traveler": {"claimed_status": arrival.get("claimed_status", "nonimmigrant"),
                     "citizenships": list(person.get("citizenships") or []),
                     "date_of_birth": person.get("date_of_birth"), "sex": person.get("sex"),
                     "residence": arrival.get("residence")},
        "admission_class": arrival.get("admission_class"),
        "documents": [_case_document(d) for d in arrival.get("documents") or []],
        "circumstances": dict.fromkeys(arrival.get("circumstances") or [], True),
        "itinerary": {k: v for k, v in (arrival.get("itinerary") or {}).items()
                      if v is not None},
    }


def _case_document(document: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": document.get("kind")}
    for ours, theirs in (("issuer", "issuer"), ("admission_class", "class"),
                         ("passport_type", "type"), ("expires_on", "date_of_expiry")):
        value = document.get(ours)
        if value:
            out[theirs] = value.isoformat() if isinstance(value, date) else value
    return out
