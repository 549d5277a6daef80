"""Demonstration journals of two port workstations that were offline at the same time.

What ``nseers web demo`` shows on the console's "Offline conflicts" screen (issue 17):
workstation ``IAD-WS-DEMO`` and ``SFO-WS-DEMO`` lost the link to the registry on the same
day, and both inspected the same traveller; a second traveller was seen at San Francisco
earlier than at Dulles. Forwarded through the real service, the first pair is recorded and
flagged, the second is held for review. The entries are signed as a workstation signs them
(HMAC-SHA256 under a demonstration key, chained); forwarding them again records nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from nseers.core.actors import Actor, Role
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection
from nseers.services.offline import GENESIS_MAC, JournalEntry, forward_arrival

#: Published with the demo; a real workstation's key comes from its settings.
DEMO_KEY: Final = b"demonstration workstation key, never used for real"
OFFICER: Final = Actor("primary", Role.PRIMARY_OFFICER, "forwarding an offline journal")
DAY: Final = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)

#: (workstation, port, passport, surname, minutes after DAY)
_JOURNALS: Final = {
    "IAD-WS-DEMO": [("IAD", "OFF0000001", "LEROY", 0), ("IAD", "OFF0000002", "MARTIN", 240)],
    "SFO-WS-DEMO": [("SFO", "OFF0000001", "LEROY", 180), ("SFO", "OFF0000002", "MARTIN", 60)],
}


def load_offline_journals(registry: Registry) -> list[dict[str, Any]]:
    """Forward the two demonstration journals, east first; the answers, in order."""
    answers = []
    for workstation, entries in _JOURNALS.items():
        previous = GENESIS_MAC
        for sequence, (port, passport, surname, minutes) in enumerate(entries, start=1):
            key = f"demo-offline-{workstation}-{sequence}"
            arrival = _arrival(port, passport, surname, DAY + timedelta(minutes=minutes), key)
            recorded = DAY + timedelta(minutes=minutes, seconds=30)
            sent = json.loads(json.dumps(asdict(arrival), default=str))
            mac = _sign(workstation, sequence, key, recorded, sent, previous)
            answers.append(forward_arrival(registry, OFFICER, JournalEntry(
                workstation_id=workstation, sequence=sequence, previous_mac=previous,
                mac=mac, recorded_at=recorded, arrival=arrival, sent=sent,
                inspected_by=OFFICER.username)))
            previous = mac
    return answers


def _arrival(port: str, passport: str, surname: str, at: datetime,
             key: str) -> ArrivalInspection:
    return ArrivalInspection(
        port_code=port, occurred_at=at,
        person=PersonFacts(surname=surname, given_names="Claire", date_of_birth=date(1985, 3, 3),
                           sex="F", citizenships=("FRA",)),
        documents=(DocumentFacts("passport", passport, "FRA"),), admission_class="B2",
        admit_until=at.date() + timedelta(days=90), idempotency_key=key)


def _sign(workstation: str, sequence: int, key: str, recorded: datetime,
          arrival: dict[str, Any], previous: str) -> str:
    text = json.dumps({"workstation_id": workstation, "sequence": sequence,
                       "idempotency_key": key, "officer": OFFICER.username,
                       "recorded_at": recorded.isoformat(), "arrival": arrival,
                       "previous_mac": previous},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(DEMO_KEY, text.encode(), hashlib.sha256).hexdigest()
