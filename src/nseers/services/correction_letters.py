"""The letter to the person who asked for a correction: an acknowledgement while the
request is open, the decision once it is made (5 U.S.C. 552a(d)(2); EES Art. 52(5)-(7):
the person is told in writing what was done, or why not). One dictionary feeds the HTML
page and the plain-text print of the same letter.
"""

from __future__ import annotations

import re
from typing import Any, Final

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError, NotFoundError
from nseers.db.uow import UnitOfWork
from nseers.registry.corrections import CorrectionRequest
from nseers.registry.people import Person
from nseers.services.context import Registry
from nseers.services.correction_values import FIELD_LABELS, shown
from nseers.services.corrections import (
    IdentityProof,
    item_view,
    load_request,
    proven_person,
    reference,
    request_view,
)


def _letter(uow: UnitOfWork, request: CorrectionRequest, signer: str) -> dict[str, Any]:
    person = uow.session.get(Person, request.person_id)
    view = request_view(request, uow.now.date())
    return {
        "kind": "decision" if request.decided_on is not None else "acknowledgement",
        "request_id": request.id,
        "reference": reference(request.id),
        "dated": shown(request.decided_on or request.acknowledged_on or uow.now.date()),
        "addressee": request.representative_name or request.requester_name,
        "on_behalf_of": request.requester_name if request.representative_name else None,
        "representative_reference": request.representative_reference,
        "contact": request.contact,
        "person": (f"{person.given_names} {person.surname}".strip()
                   if person is not None else ""),
        "received_on": view["received_on"], "status": request.status,
        "decide_by": view["decide_by"], "acknowledge_by": view["acknowledge_by"],
        "decision_reasons": request.decision_reasons,
        "signed_by": request.decided_by or request.acknowledged_by or signer,
        "items": [{**item_view(i), "label": FIELD_LABELS.get(
            f"{i.record_kind}.{i.field}", i.field)} for i in request.items],
        "citations": [r.get("citation") for r in request.deadline_reasons],
    }


def correction_letter(registry: Registry, actor: Actor, request_id: int) -> dict[str, Any]:
    """The letter to the requester: an acknowledgement while the request is open, the
    decision once made, with the values before and after each accepted change, the
    reasons and where to turn next (audited as ``correction.letter_read``)."""
    with registry.work(actor, Permission.READ_PERSON) as uow:
        request = load_request(uow, request_id)
        letter = _letter(uow, request, actor.username)
        uow.audit("correction.letter_read", request, request.person_id, kind=letter["kind"])
        uow.commit()
        return letter


_REFERENCE: Final = re.compile(r"^\s*(?:COR-?)?0*(\d{1,9})\s*$", re.IGNORECASE)


def own_correction_letter(registry: Registry, actor: Actor, proof: IdentityProof,
                          case_reference: str, client: str | None = None) -> dict[str, Any]:
    """The letter of a request about the traveller's own record, found by its reference
    and the passport details that prove who they are. A wrong detail, an unknown
    reference and someone else's request are the same "not found" (audited)."""
    match = _REFERENCE.match(case_reference)
    if match is None:
        raise InvalidInputError([FieldProblem("reference", "a reference like COR-000042")])
    with registry.work(actor, Permission.SELF_SERVICE) as uow:
        try:
            person_id = proven_person(uow, proof)
            request = load_request(uow, int(match.group(1)))
            if request.person_id != person_id:
                raise NotFoundError("correction request", case_reference)
        except NotFoundError:
            uow.audit("correction.identity_not_proven", "correction_requests", None,
                      client=client, reference=case_reference)
            uow.commit()
            raise NotFoundError("correction request", "matching the details given") \
                from None
        letter = _letter(uow, request, "the district director's office")
        uow.audit("correction.own_letter_read", request, request.person_id, client=client,
                  kind=letter["kind"])
        uow.commit()
        return letter


def letter_text(letter: dict[str, Any]) -> str:
    """The letter as plain text, for printing or mailing as it is."""
    lines = [f"Reference: {letter['reference']}", f"Date: {letter['dated']}", "",
             f"To: {letter['addressee']}"]
    if letter["on_behalf_of"]:
        lines.append(f"    on behalf of {letter['on_behalf_of']}"
                     + (f" (Form G-28 {letter['representative_reference']})"
                        if letter["representative_reference"] else ""))
    if letter["contact"]:
        lines.append(f"    {letter['contact']}")
    lines += ["", (f"Your request to correct the records of {letter['person']}, received on "
                  f"{letter['received_on']}.")]
    if letter["kind"] == "acknowledgement":
        lines += ["", "We acknowledge receipt of your request."
                  + (f" It will be decided by {letter['decide_by']}."
                     if letter["decide_by"] else ""), "", "You asked us to change:"]
        lines += [f"  - {i['label']}: from {i['value_when_filed'] or '(none)'} to "
                  f"{i['requested_value']}" for i in letter["items"]]
    else:
        outcome = {"accepted": "accepted", "partly_accepted": "accepted in part",
                   "refused": "refused"}[letter["status"]]
        lines += ["", f"Your request has been {outcome}.", ""]
        for item in letter["items"]:
            if item["outcome"] == "accepted":
                lines.append(f"  - {item['label']}: corrected from "
                             f"{item['value_before'] or '(none)'} to {item['value_after']}.")
            else:
                lines.append(f"  - {item['label']}: not changed (you asked for "
                             f"{item['requested_value']}).")
            if item["note"]:
                lines.append(f"    {item['note']}")
        lines += ["", f"Reasons: {letter['decision_reasons']}", "",
                  ("If you disagree with this decision you may ask, in writing and quoting "
                  "the reference above, for it to be reviewed (5 U.S.C. 552a(d)(3)), or "
                  "seek redress through the DHS Traveler Redress Inquiry Program.")]
    lines += ["", f"District director's office: {letter['signed_by']}", "",
              "Legal basis: " + "; ".join(c for c in letter["citations"] if c
                                          and c != "not cited")]
    return "\n".join(lines) + "\n"

