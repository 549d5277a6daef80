"""Primary and secondary inspection of an arriving traveller, and special registration.

The officer pastes the MRZ or a photo of the data page (read by
:func:`nseers.services.documents.read_mrz`) or types the facts; the five determinations,
each with its citations, are evaluated by the rules engine
(:func:`nseers.services.law.evaluate_case`) as the facts are entered (an htmx fragment:
nothing is written). The decision (admit with class and admit-until, refer to secondary,
or refuse with a reason) is recorded by
:func:`nseers.services.movements.inspect_arrival` under an idempotency key made for each
rendering of the form, so a double submit records once.

Secondary inspection adds what special registration needs: the photograph and the
fingerprints (uploaded, or taken with the device's camera where the browser allows; kept
by content under the data directory, the services receive the reference) and the sworn
interview's answers. The new FIN is shown with a link to the printable I-94 annotation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, InvalidInputError
from nseers.services.cases import arrival_case
from nseers.services.documents import MrzAnswer, read_mrz
from nseers.services.facts import DocumentFacts, Itinerary, PersonFacts
from nseers.services.law import CIRCUMSTANCES, CLAIMED_STATUSES, PASSPORT_TYPES, evaluate_case
from nseers.services.movements import ArrivalInspection, SwornAnswers, inspect_arrival
from nseers.services.people import identity_document
from nseers.services.referrals import pending_referrals, referral_facts
from nseers.services.refusals import refusals_of_document
from nseers.web.forms import Form, PathMapper
from nseers.web.routes.biometrics import enrol_registered, registration_capture
from nseers.web.routes.common import (
    SEXES,
    Posted,
    kept_biometric,
    new_key,
    port_choices,
    read_upload,
    web_router,
)
from nseers.web.site import Site, is_htmx, label, site_of

router = web_router()

IDENTITY_KINDS: Final = (
    ("passport", "Passport"), ("us_passport", "U.S. passport"),
    ("passport_card", "U.S. passport card"), ("i551", "Permanent resident card (I-551)"),
    ("bcc", "Border crossing card"), ("nexus", "NEXUS card"), ("sentri", "SENTRI card"),
    ("fast", "FAST card"), ("edl", "Enhanced driver's licence"),
    ("mmd", "Merchant mariner document"), ("military_id", "Military identification"),
)
DECISIONS: Final = (("admit", "Admit"), ("refer", "Refer to secondary inspection"),
                    ("refuse", "Refuse admission"))
LABELS: Final = {
    "mrz": "Machine-readable zone", "mrz_image": "Photo of the data page",
    "port_code": "Port of entry", "occurred_at": "Date and time of inspection",
    "claimed_status": "Status claimed", "surname": "Surname", "given_names": "Given names",
    "surname_original": "Surname in the original script",
    "given_names_original": "Given names in the original script",
    "date_of_birth": "Date of birth", "sex": "Sex", "citizenships": "Citizenships",
    "residence": "Country of residence", "doc_kind": "Document", "doc_number": "Document number",
    "doc_issuer": "Issuing state", "doc_expires": "Date of expiry",
    "passport_type": "Passport type", "visa_class": "Visa class", "visa_number": "Visa number",
    "admission_class": "Class of admission", "admit_until": "Admit until",
    "duration_of_status": "Duration of status", "multiple_entry": "Multiple entry",
    "stay_days": "Intended stay (days)", "distance_miles": "Furthest distance from the border",
    "destination": "Destination state", "decision": "Decision",
    "refusal_reason": "Reason for refusal", "us_address": "Address in the United States",
    "purpose": "Purpose of the visit", "itinerary_text": "Itinerary",
    "employer_or_school": "Employer or school", "photograph": "Photograph",
    "fingerprints": "Fingerprints", "contact_email": "Contact e-mail",
}
#: Where the services' and the case parser's problem paths land on this form.
PATHS: Final = {
    "person.surname": "surname", "person.given_names": "given_names",
    "person.sex": "sex", "person.citizenships": "citizenships",
    "person.date_of_birth": "date_of_birth",
    "traveler.claimed_status": "claimed_status", "traveler.citizenships": "citizenships",
    "traveler.date_of_birth": "date_of_birth", "traveler.sex": "sex",
    "traveler.residence": "residence", "port": "port_code", "port.code": "port_code",
    "port.mode": "port_code", "date": "occurred_at", "occurred_at": "occurred_at",
    "admission_class": "admission_class", "admit_until": "admit_until",
    "decision": "decision", "refusal_reason": "refusal_reason",
    "contact_email": "contact_email",
    "answers": "us_address", "answers.us_address": "us_address",
    "answers.purpose": "purpose", "itinerary.length_of_stay_days": "stay_days",
    "itinerary.max_distance_from_border_miles": "distance_miles",
    "itinerary.destination": "destination", "documents": "doc_number",
}
DOCUMENT_FIELDS: Final = {"number": "number", "issuer": "issuer", "kind": "kind",
                          "class": "class", "type": "type", "expires_on": "expires"}
MAX_MRZ_IMAGE_SECONDS: Final = 30.0
SECONDARY_REQUIRED: Final = ("special registration is required: refer the traveller to "
                             "secondary inspection, where the registration is taken")


@dataclass
class Facts:
    """What the form says about the arrival, ready for the engine and the service."""

    port_code: str | None
    occurred_at: datetime | None
    person: PersonFacts
    claimed_status: str
    residence: str | None
    documents: tuple[DocumentFacts, ...]
    #: The form's prefix for each document, in order (``doc`` or ``visa``).
    document_fields: tuple[str, ...]
    admission_class: str | None
    circumstances: tuple[str, ...]
    itinerary: Itinerary = field(default_factory=Itinerary)

    def case(self) -> dict[str, Any]:
        """The evaluation contract's case for these facts (as the service builds it)."""
        return arrival_case(
            self.occurred_at.date() if self.occurred_at else None, self.port_code,
            claimed_status=self.claimed_status, citizenships=self.person.citizenships,
            date_of_birth=self.person.date_of_birth, sex=self.person.sex,
            residence=self.residence, admission_class=self.admission_class,
            documents=self.documents, circumstances=self.circumstances,
            itinerary=self.itinerary)

    def mapper(self, path: str) -> str | None:
        """The form field a problem's path names."""
        if path.startswith("documents["):
            index_text, _, rest = path[len("documents["):].partition("]")
            index = int(index_text) if index_text.isdigit() else -1
            prefix = self.document_fields[index] if 0 <= index < len(self.document_fields) \
                else "doc"
            name = rest.lstrip(".") or "number"
            if prefix == "visa":
                return "visa_class" if name == "class" else "visa_number"
            return {"type": "passport_type", "kind": "doc_kind", "issuer": "doc_issuer",
                    "expires_on": "doc_expires"}.get(name, "doc_number")
        plain = path.split("[", 1)[0]
        return PATHS.get(path) or PATHS.get(plain)


def read_facts(form: Form) -> Facts:
    """The facts typed so far; problems go on the form's fields."""
    citizenships = form.codes("citizenships")
    person = PersonFacts(
        surname=form.raw("surname").strip(), given_names=form.raw("given_names").strip(),
        date_of_birth=form.day("date_of_birth"), sex=form.choice("sex", ("M", "F", "X")),
        citizenships=citizenships, surname_original=form.text("surname_original"),
        given_names_original=form.text("given_names_original"),
        script="original" if form.text("surname_original") else None)
    documents: list[DocumentFacts] = []
    fields: list[str] = []
    kind = form.choice("doc_kind", [k for k, _ in IDENTITY_KINDS])
    machine_read = bool(form.text("mrz"))
    if kind is not None:
        documents.append(DocumentFacts(
            kind=kind, number=form.text("doc_number", upper=True),
            issuer=form.text("doc_issuer", upper=True),
            passport_type=form.choice("passport_type", sorted(PASSPORT_TYPES)),
            expires_on=form.day("doc_expires"), is_machine_read=machine_read))
        fields.append("doc")
    visa_class = form.text("visa_class", upper=True)
    visa_number = form.text("visa_number", upper=True)
    if visa_class or visa_number:
        documents.append(DocumentFacts(kind="visa", number=visa_number, issuer="USA",
                                       admission_class=visa_class))
        fields.append("visa")
    itinerary: dict[str, Any] = {}
    stay = form.number("stay_days")
    if stay is not None:
        itinerary["length_of_stay_days"] = stay
    distance = form.number("distance_miles")
    if distance is not None:
        itinerary["max_distance_from_border_miles"] = distance
    destination = form.text("destination", upper=True)
    if destination:
        itinerary["destination"] = destination
    return Facts(
        port_code=form.text("port_code", upper=True),
        occurred_at=form.moment("occurred_at"), person=person,
        claimed_status=form.choice("claimed_status", sorted(CLAIMED_STATUSES))
        or "nonimmigrant",
        residence=form.text("residence", upper=True), documents=tuple(documents),
        document_fields=tuple(fields), admission_class=form.text("admission_class", upper=True),
        circumstances=tuple(c for c in form.many("circumstance") if c in CIRCUMSTANCES),
        itinerary=Itinerary(**itinerary))


@dataclass
class Evaluation:
    """The determinations for the facts so far, or why there are none yet."""

    result: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def evaluate(site: Site, facts: Facts, form: Form) -> Evaluation:
    """Run the rules engine on the facts (no write); nothing is shown until the port
    and the date are known."""
    missing = [LABELS[name] for name, value in (("port_code", facts.port_code),
                                                ("occurred_at", facts.occurred_at))
               if value is None and name not in form.errors]
    if missing:
        return Evaluation(missing=missing)
    try:
        result = evaluate_case(site.registry, facts.case())
    except InvalidInputError as error:
        return Evaluation(problems=[(LABELS.get(facts.mapper(p.path) or "", p.path),
                                     p.message) for p in error.problems])
    return Evaluation(result=result.to_dict())


def _defaults(site: Site) -> dict[str, str]:
    now = site.now().replace(second=0, microsecond=0, tzinfo=None)
    return {"occurred_at": now.isoformat(timespec="minutes"), "claimed_status": "nonimmigrant",
            "doc_kind": "passport", "idempotency_key": new_key(),
            # No decision is preselected, at primary or secondary: the officer decides.
            "decision": ""}


def _page(request: Request, form: Form, *, secondary: bool, status: int = 200,
          notice: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.INSPECT_ARRIVAL)
    template = "screens/inspect.html"
    context = {
        "form": form, "labels": LABELS, "secondary": secondary,
        "may_register": actor.may(Permission.REGISTER), "ports": port_choices(request),
        "identity_kinds": IDENTITY_KINDS, "decisions": DECISIONS, "sexes": SEXES,
        "claimed_statuses": [(s, label(s)) for s in sorted(CLAIMED_STATUSES)],
        "passport_types": [(t, label(t)) for t in sorted(PASSPORT_TYPES)],
        "circumstances": [(c, label(c)) for c in CIRCUMSTANCES],
        "evaluation": evaluate(site, read_facts(Form(form.values, form.lists)), Form()),
        "action": "/secondary" if secondary else "/inspect", "notice": notice,
        "warning": _prior_refusals(site, actor, form),
    }
    if is_htmx(request):
        template = "partials/inspect_form.html"
    return site.render(request, template, context, status=status)


def _prior_refusals(site: Site, actor: Actor, form: Form) -> dict[str, Any] | None:
    """The earlier refusals of the passport on the form, once the form is rendered whole
    (issue 17: a later arrival of a refused identity warns the officer)."""
    if not actor.may(Permission.READ_PERSON):
        return None
    facts = read_facts(Form(form.values, form.lists))
    document = identity_document(facts.documents)
    if document is None:
        return None
    on = facts.occurred_at.date() if facts.occurred_at else site.today()
    return refusals_of_document(site.registry, actor, document, on)


def _new_form(request: Request, secondary: bool) -> Form:
    """A blank form, or, for ``/secondary?referral=ID``, one prefilled from the referred
    arrival the registry holds (the address carries a reference, never personal data)."""
    site = site_of(request)
    form = Form(_defaults(site))
    referral = Form(dict(request.query_params)).integer("referral")
    if secondary and referral is not None:
        actor = site.actor(request, Permission.INSPECT_ARRIVAL, Permission.REGISTER)
        form.with_values(**referral_values(referral_facts(site.registry, actor, referral)))
    return form


def referral_values(facts: dict[str, Any]) -> dict[str, str]:
    """The form's fields for the facts of a referral (:mod:`nseers.services.referrals`)."""
    person = facts["person"]
    values = {
        "port_code": facts["port_code"], "referral": str(facts["encounter_id"]),
        "occurred_at": facts["occurred_at"][:16], "surname": person["surname"],
        "given_names": person["given_names"],
        "surname_original": person["surname_original"] or "",
        "given_names_original": person["given_names_original"] or "",
        "date_of_birth": person["date_of_birth"] or "", "sex": person["sex"] or "",
        "citizenships": ", ".join(person["citizenships"]),
        "admission_class": facts["admission_class"] or "",
        "admit_until": facts["admit_until"] or ""}
    identity = next((d for d in facts["documents"] if d["kind"] != "visa"), None)
    if identity is not None:
        values.update(doc_kind=identity["kind"], doc_number=identity["number"],
                      doc_issuer=identity["issuer"], doc_expires=identity["expires_on"] or "",
                      passport_type=identity["passport_type"] or "")
    visas = [d for d in facts["documents"] if d["kind"] == "visa"]
    if visas:
        values.update(visa_number=visas[-1]["number"],
                      visa_class=visas[-1]["admission_class"] or "")
    return {name: value for name, value in values.items() if value}


@router.get("/inspect")
def primary_form(request: Request) -> Response:
    """A new primary inspection."""
    site_of(request).actor(request, Permission.INSPECT_ARRIVAL)
    return _page(request, _new_form(request, False), secondary=False)


@router.get("/secondary")
def secondary_form(request: Request) -> Response:
    """A new secondary inspection (facts carried from a referral prefill it)."""
    site_of(request).actor(request, Permission.INSPECT_ARRIVAL, Permission.REGISTER)
    return _page(request, _new_form(request, True), secondary=True)


@router.post("/inspect/evaluate")
def live_determinations(request: Request, form: Posted) -> Response:
    """The determinations for the facts typed so far (an htmx fragment; no write)."""
    site = site_of(request)
    site.actor(request, Permission.INSPECT_ARRIVAL)
    facts = read_facts(form)
    return site.render(request, "partials/determinations.html",
                       {"evaluation": evaluate(site, facts, form), "labels": LABELS,
                        "live_fragment": True})


def prefill_from_reading(form: Form, answer: MrzAnswer) -> None:
    """Put what the MRZ says into the form's fields; its faults go on the MRZ field."""
    for problem in answer.reading.problems:
        form.add("mrz", str(problem))
    if answer.reading.format is None:
        return
    prefill = answer.prefill
    traveler, identity = prefill.traveler, prefill.identity
    values: dict[str, Any] = {}
    if traveler.get("citizenships"):
        values["citizenships"] = ", ".join(traveler["citizenships"])
    for name in ("date_of_birth", "sex"):
        if traveler.get(name):
            values[name] = traveler[name]
    for name in ("surname", "given_names"):
        if identity.get(name):
            values[name] = identity[name]
    document = prefill.documents[0] if prefill.documents else {}
    if document.get("kind") == "visa":
        values["visa_class"] = document.get("class") or form.raw("visa_class")
        if identity.get("document_number"):
            values["visa_number"] = identity["document_number"]
    else:
        if document.get("kind"):
            values["doc_kind"] = document["kind"]
        if document.get("type"):
            values["passport_type"] = document["type"]
        if document.get("issuer"):
            values["doc_issuer"] = document["issuer"]
        if identity.get("document_number"):
            values["doc_number"] = identity["document_number"]
        if identity.get("date_of_expiry"):
            values["doc_expires"] = identity["date_of_expiry"]
    form.with_values(**values)


@router.post("/inspect/mrz")
def prefill_from_mrz(request: Request, form: Posted) -> Response:
    """Read the pasted MRZ (or a photo of the data page) and prefill the form with it."""
    site = site_of(request)
    site.actor(request, Permission.INSPECT_ARRIVAL)
    secondary = form.raw("stage") == "secondary"
    occurred = form.moment("occurred_at")
    form.errors.pop("occurred_at", None)
    reference = occurred.date() if occurred else site.today()
    image = read_upload(form, "mrz_image")
    text = form.raw("mrz").strip()
    if image is not None:
        try:
            answer = read_mrz(image, reference_date=reference, field="mrz_image",
                              timeout=MAX_MRZ_IMAGE_SECONDS)
        except InvalidInputError as error:
            for problem in error.problems:
                form.add(problem.path, problem.message)
        else:
            form.with_values(mrz="\n".join(answer.reading.lines))
            prefill_from_reading(form, answer)
    elif text:
        prefill_from_reading(form, read_mrz(text, reference_date=reference))
    else:
        form.add("mrz", "paste the two or three lines of the machine-readable zone")
    return _page(request, form, secondary=secondary, status=200)


def build_command(site: Site, form: Form, facts: Facts) -> ArrivalInspection:
    """The service command the form describes (problems collected on the form)."""
    decision = form.choice("decision", [d for d, _ in DECISIONS], required=True) or "admit"
    photograph = kept_biometric(site, form, "photograph")
    fingerprints = kept_biometric(site, form, "fingerprints")
    answers = None
    if form.text("us_address") or form.text("purpose"):
        answers = SwornAnswers(us_address=form.raw("us_address").strip(),
                               purpose=form.raw("purpose").strip(),
                               itinerary=form.text("itinerary_text"),
                               employer_or_school=form.text("employer_or_school"))
    if facts.port_code is None:
        form.add("port_code", "required")
    if facts.occurred_at is None and "occurred_at" not in form.errors:
        form.add("occurred_at", "required")
    # An unknown port or time is reported above; the placeholders never reach the service.
    return ArrivalInspection(
        port_code=facts.port_code or "",
        occurred_at=facts.occurred_at or datetime.min.replace(tzinfo=UTC),
        person=facts.person, documents=facts.documents, claimed_status=facts.claimed_status,
        admission_class=facts.admission_class, decision=decision,
        admit_until=form.day("admit_until"),
        duration_of_status=form.flag("duration_of_status"),
        refusal_reason=form.text("refusal_reason"), circumstances=facts.circumstances,
        itinerary=facts.itinerary, residence=facts.residence, answers=answers,
        photograph_ref=photograph, fingerprints_ref=fingerprints,
        multiple_entry=form.flag("multiple_entry"),
        idempotency_key=form.text("idempotency_key"),
        contact_email=form.text("contact_email"))


def _record(request: Request, form: Form, *, secondary: bool) -> Response:
    site = site_of(request)
    permissions = (Permission.INSPECT_ARRIVAL, Permission.REGISTER) if secondary else \
        (Permission.INSPECT_ARRIVAL,)
    actor = site.actor(request, *permissions)
    facts = read_facts(form)
    command = build_command(site, form, facts)
    capture = registration_capture(site, form, command.photograph_ref,
                                   command.fingerprints_ref)
    if form.has_errors:
        return _page(request, form, secondary=secondary, status=400)
    if not secondary and command.decision == "admit" and not actor.may(Permission.REGISTER):
        evaluation = evaluate(site, facts, form)
        registration = (evaluation.result or {}).get("determinations", {}).get(
            "special_registration", {})
        if registration.get("outcome") == "required":
            form.add("decision", SECONDARY_REQUIRED)
            return _page(request, form, secondary=secondary, status=409)
    try:
        answer = inspect_arrival(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, facts.mapper if secondary else _primary(facts.mapper))
        return _page(request, form, secondary=secondary, status=400)
    except ConflictError as error:
        if error.code == "idempotency_key_reused":
            form.values["idempotency_key"] = new_key()
            form.general.append("This form was already used to record an inspection and has "
                                "changed since. Check the facts and record it again as a "
                                "new inspection.")
        elif error.code == "secondary_inspection_required":
            form.add("decision", str(error))
        else:
            form.general.append(str(error))
        return _page(request, form, secondary=secondary, status=409)
    enrolled, hit_review = enrol_registered(request, answer, capture, source="inspection",
                                            what="inspection")
    if hit_review is not None:
        return hit_review
    return site.render(request, "screens/inspect_done.html", {
        "answer": answer, "form": form, "secondary": secondary, "enrolled": enrolled,
        "name": f"{facts.person.given_names} {facts.person.surname}".strip(),
    })


def _primary(mapper: PathMapper) -> PathMapper:
    """At primary there is no sworn interview: its problems belong to the decision."""
    def mapped(path: str) -> str | None:
        return "decision" if path.startswith("answers") else mapper(path)
    return mapped


@router.get("/secondary/referrals")
def referrals(request: Request) -> Response:
    """The travellers primary referred, awaiting secondary inspection, newest first."""
    site = site_of(request)
    actor = site.actor(request, Permission.INSPECT_ARRIVAL, Permission.REGISTER)
    form = Form(dict(request.query_params))
    port = form.text("port_code", upper=True)
    return site.render(request, "screens/referrals.html", {
        "form": form, "port": port,
        "referrals": pending_referrals(site.registry, actor, port_code=port)})


@router.post("/inspect")
def record_primary(request: Request, form: Posted) -> Response:
    """Record the primary inspection's decision."""
    return _record(request, form, secondary=False)


@router.post("/secondary")
def record_secondary(request: Request, form: Posted) -> Response:
    """Record the secondary inspection's decision, with the special registration."""
    return _record(request, form, secondary=True)

