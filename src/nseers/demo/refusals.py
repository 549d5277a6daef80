"""Refusals of entry in the demonstration population (issue 17).

A few travellers were refused entry once before their first admission: a month before it,
at the same port, with the passport they later arrive with. So the demonstration shows a
refusal in the timeline, in the dashboard's refusals by ground and port and in the
traveller's own history, and an officer who inspects one of them again sees the
prior-refusal banner. The grounds, procedures and dispositions are a fixed cycle of
combinations the law allows; the travellers are picked by their place in the population,
so the same seed refuses the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Final

from nseers.core.actors import Actor
from nseers.core.errors import NseersError
from nseers.demo.population import SyntheticTraveller
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.refusals import RefusalCommand, record_refusal

#: Every how many travellers one is refused (400 travellers: 10 refusals).
EVERY: Final = 40
#: How long before the first admission the refusal happened.
BEFORE: Final = timedelta(days=30)
#: (grounds, procedure, disposition, narrative), each a combination the law allows.
CASES: Final = (
    (("nonimmigrant_documents",), "expedited_removal", "returned",
     "No visa for the class sought."),
    (("fraud_or_misrepresentation",), "expedited_removal", "credible_fear_referral",
     "Altered visa foil; the applicant expressed fear of return."),
    (("nonimmigrant_documents",), "withdrawal", "withdrawn_and_returned",
     "Passport expired; permitted to withdraw and returned on the next flight."),
    (("criminal",), "notice_to_appear", "detained", "Conviction record confirmed."),
    (("public_charge",), "withdrawal", "withdrawn_and_returned",
     "No means of support for the stay; withdrew the application."),
    (("unlawful_presence", "nonimmigrant_documents"), "notice_to_appear", "paroled",
     "Earlier overstay; paroled for the hearing."),
)


@dataclass
class PickedTraveller:
    """A traveller to refuse: who, with which passport, where and when."""

    traveller: SyntheticTraveller
    index: int


def picks(traveller: SyntheticTraveller, index: int) -> PickedTraveller | None:
    """Whether the ``index``-th traveller of the population is one the demo refuses."""
    arrivals = [e for e in traveller.events if e.kind == "arrival"]
    passports = [d for d in traveller.person.documents if d.kind == "passport"]
    if index % EVERY != EVERY // 2 or not arrivals or not passports:
        return None
    return PickedTraveller(traveller, index)


def record_demo_refusals(registry: Registry, actor: Actor, picked: list[PickedTraveller],
                         seed: int) -> tuple[int, list[str]]:
    """Record the picked travellers' refusals (once per seed and traveller): how many, and
    why any was refused."""
    recorded, problems = 0, []
    for number, pick in enumerate(picked):
        person = pick.traveller.person
        first = next(e for e in pick.traveller.events if e.kind == "arrival")
        passport = next(d for d in person.documents if d.kind == "passport")
        grounds, procedure, disposition, narrative = CASES[number % len(CASES)]
        command = RefusalCommand(
            port_code=first.port_code or "JFK",
            occurred_at=(first.at - BEFORE).replace(tzinfo=UTC),
            person=PersonFacts(surname=person.surname, given_names=person.given_names,
                               date_of_birth=person.date_of_birth, sex=person.sex,
                               citizenships=person.citizenships),
            documents=(DocumentFacts("passport", passport.number, passport.issuer),),
            grounds=grounds, procedure=procedure, disposition=disposition,
            narrative=narrative, mode=first.mode,
            idempotency_key=f"demo-{seed}-{person.key}-refusal")
        try:
            record_refusal(registry, actor, command)
            recorded += 1
        except NseersError as error:
            problems.append(f"{person.key} refusal: {error}")
    return recorded, problems
