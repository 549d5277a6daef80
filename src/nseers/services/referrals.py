"""Referrals to secondary inspection: the queue a secondary officer works from, and the
facts of one referral to open the secondary inspection with.

A primary officer who refers a traveller (8 CFR 235.3(b)-(c); 235.1(f): secondary is where
special registration is taken) hands the traveller over; the secondary officer needs the
facts primary recorded, and the traveller's name and passport number must not travel in
an address (a URL lands in browser histories, proxies and logs). So the hand-over is a
server-side reference: the referred arrival's encounter. The queue lists the referred
arrivals that no later encounter of the same person has answered; the prefill rebuilds
the traveller and document facts from what the registry recorded. Both reads are of
personal data, by a role that registers, and both are audited.
"""

from __future__ import annotations

from typing import Any, Final

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, NotFoundError
from nseers.services.repositories import RecordStore

#: The longest queue one page shows, newest referral first.
QUEUE_LENGTH: Final = 100


def pending_referrals(registry: RecordStore, actor: Actor, *, port_code: str | None = None,
                      limit: int = QUEUE_LENGTH) -> list[dict[str, Any]]:
    """The referred arrivals awaiting secondary inspection, newest first: those no later
    encounter of the same person has answered (a secondary decision answers a referral)."""
    actor.require(Permission.READ_PERSON)
    with registry.records_work(actor, Permission.REGISTER) as work:
        port = port_code.strip().upper() if port_code else None
        rows = [{"encounter_id": r.id, "port_code": r.port_code,
                 "occurred_at": r.occurred_at.isoformat(), "referred_by": r.officer,
                 "person_id": r.person_id, "surname": r.surname,
                 "given_names": r.given_names,
                 "date_of_birth": r.date_of_birth.isoformat() if r.date_of_birth else None}
                for r in work.records.referrals_awaiting_secondary(port_code=port,
                                                                    limit=limit)]
        work.audit("referral.queue_read", "encounters", None, port=port_code,
                   returned=[r["encounter_id"] for r in rows])
        work.commit()
        return rows


def referral_facts(registry: RecordStore, actor: Actor, encounter_id: int) -> dict[str, Any]:
    """The facts primary recorded for referred arrival ``encounter_id``: the person, the
    documents (the one presented first), the port and time, the class and stay asked.

    :class:`NotFoundError` for no such referral; :class:`ConflictError` when a later
    encounter has answered it already (the traveller was inspected in secondary, or left).
    """
    actor.require(Permission.READ_PERSON)
    with registry.records_work(actor, Permission.REGISTER) as work:
        records = work.records
        encounter = records.encounter(encounter_id)
        if encounter is None or encounter.kind != "arrival" or \
                encounter.outcome != "referred":
            raise NotFoundError("referral", encounter_id)
        if records.has_encounter_after(encounter.person_id, encounter.occurred_at):
            raise ConflictError("referral_answered",
                                "a later inspection of this traveller has been recorded; "
                                "open it from the traveller's timeline")
        person = records.person(encounter.person_id)
        assert person is not None  # noqa: S101 - the foreign key guarantees it
        documents = records.documents_of(person.id)
        presented = sorted(documents, key=lambda d: d.id != encounter.document_id)
        facts = {
            "encounter_id": encounter.id, "port_code": encounter.port_code,
            "occurred_at": encounter.occurred_at.isoformat(), "referred_by": encounter.officer,
            "admission_class": encounter.admission_class,
            "admit_until": encounter.admit_until.isoformat() if encounter.admit_until
            else None, "duration_of_status": encounter.duration_of_status,
            "person": {
                "person_id": person.id, "surname": person.surname,
                "given_names": person.given_names, "surname_original": person.surname_original,
                "given_names_original": person.given_names_original, "script": person.script,
                "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth
                else None, "sex": person.sex,
                "citizenships": list(person.citizenships)},
            "documents": [{"kind": d.kind, "number": d.number, "issuer": d.issuing_state,
                           "admission_class": d.admission_class,
                           "passport_type": d.passport_type,
                           "expires_on": d.expires_on.isoformat() if d.expires_on else None}
                          for d in presented],
        }
        work.audit("referral.read", f"encounter:{encounter.id}", person.id)
        work.commit()
        return facts
