"""A traveller's contact e-mail on record, captured (optionally) at inspection or on I-68.

The address is what the one-time codes and the reminders before the admit-until date go to
(:mod:`nseers.services.traveller_days`), so it is kept per person, replaced by a newer one,
and each change is audited (``person.contact_recorded``) without the address itself.
A malformed address refuses the whole command, naming ``contact_email``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.db.uow import UnitOfWork
from nseers.registry.traveller_days import TravellerContact

EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL: Final = 254
#: The forms a contact e-mail may be captured on.
CONTACT_FORMS: Final = frozenset({"inspection", "i68", "demo"})


def normalised_email(value: str | None, field: str = "email") -> str | None:
    """``value`` trimmed and lower-cased, ``None`` when blank; refuses a malformed one."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_EMAIL or not EMAIL.match(text):
        raise InvalidInputError([FieldProblem(field, "is not an e-mail address")])
    return text.lower()


def record_contacts(uow: UnitOfWork, contacts: Iterable[tuple[int, str | None, str]]) -> None:
    """Keep each ``(person_id, email, form)`` as that person's contact on record (a newer
    address replaces an older one; a blank one changes nothing)."""
    for person_id, email, form in contacts:
        address = normalised_email(email, "contact_email")
        if address is None:
            continue
        if form not in CONTACT_FORMS:
            raise InvalidInputError([FieldProblem("form", f"not one of {sorted(CONTACT_FORMS)}")])
        contact = uow.session.get(TravellerContact, person_id)
        if contact is not None and contact.email == address:
            continue
        if contact is None:
            contact = TravellerContact(person_id=person_id)
            uow.session.add(contact)
        contact.email, contact.captured_on_form = address, form
        contact.captured_at, contact.captured_by = uow.now, uow.actor.username
        uow.audit("person.contact_recorded", f"persons:{person_id}", person_id, form=form)
