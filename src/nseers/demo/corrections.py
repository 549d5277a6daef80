"""Demonstration correction requests (issue 17): something for the director's queue.

Three requests about people of the demonstration population who hold an I-94: one received
45 days ago and still unanswered (overdue on both deadlines), one received three days ago
(open, within time), and one already accepted, whose letter shows the value before and
after. They are filed and decided through the services, with idempotency keys, so loading
them again records nothing twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from nseers.core.actors import Actor, Role
from nseers.registry.i94 import I94Record
from nseers.registry.people import Person
from nseers.services.context import Registry
from nseers.services.corrections import (
    CorrectionDecisionCommand,
    CorrectionItemIn,
    CorrectionRequestCommand,
    ItemDecision,
    decide_correction,
    file_correction,
)

LOADER = Actor("demo-loader", Role.SYSTEM, "synthetic demonstration data")


def load_corrections(registry: Registry) -> int:
    """File the demonstration requests (and decide one); returns how many exist."""
    with registry.sessions() as session:
        rows = session.execute(
            select(I94Record.person_id, Person.given_names, Person.surname,
                   I94Record.admit_until)
            .join(Person, Person.id == I94Record.person_id)
            .where(I94Record.admit_until.is_not(None))
            .order_by(I94Record.person_id).limit(3)).all()
    if len(rows) < 3:
        return 0
    today = registry.clock().date()
    answers: list[dict[str, Any]] = []
    for index, (row, days_ago, item) in enumerate((
            (rows[0], 45, CorrectionItemIn("i94.admit_until", "")),
            (rows[1], 3, CorrectionItemIn("person.given_names", "")),
            (rows[2], 20, CorrectionItemIn("i94.admit_until", "")))):
        value = (row.given_names.title() if item.field == "person.given_names"
                 else (row.admit_until + timedelta(days=30)).isoformat())
        answers.append(file_correction(registry, LOADER, CorrectionRequestCommand(
            items=(CorrectionItemIn(item.field, value),),
            reason="The officer's entry does not match the admission stamp in the passport."
            if item.field.startswith("i94") else "My given names are spelt as in my passport.",
            requester_name=f"{row.given_names} {row.surname}", person_id=row.person_id,
            representative_name="Jordan Counsel, Esq." if index == 0 else None,
            representative_reference="G-28 filed with the request" if index == 0 else None,
            contact="c/o the address on the Form I-94", received_on=today - timedelta(
                days=days_ago), idempotency_key=f"demo-correction-{index}")))
    decided = answers[2]
    decide_correction(registry, LOADER, CorrectionDecisionCommand(
        decided["request_id"], (ItemDecision(decided["items"][0]["id"], True),),
        reasons="The admission stamp in the passport shows the later date.",
        decided_on=today - timedelta(days=5), idempotency_key="demo-correction-decision"))
    return len(answers)
