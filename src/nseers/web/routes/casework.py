"""Compliance casework screens (issue 17): call-in registration, waivers, violations.

- **Call-in registration** (``/compliance/call-in``): a person already in the United
  States registers under the call-in group that covers them (8 CFR 264.1(f)(4));
  :func:`nseers.services.registrants.register_call_in` judges the group and timeliness on
  the day, and a registration after the window is recorded as a violation to assess.
- **Waivers** (``/compliance/waivers``): a compliance officer or district director
  requests a waiver of one obligation; the district director grants or denies it with
  reasons (8 CFR 264.1(f); :func:`~nseers.services.registrants.request_waiver`,
  :func:`~nseers.services.registrants.decide_waiver`).
- **Violations** (``/compliance/violations``): the compliance officer assesses whether a
  failure was willful; from 2012-04-16 only willful ones count (DHS guidance;
  :func:`~nseers.services.registrants.assess_violation`).

Every form carries an idempotency key (a double submit records once) and the CSRF token;
every page checks the role's permission; every read and write is audited by its service.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request, Response

from nseers.core.actors import Permission
from nseers.core.errors import ConflictError, InvalidInputError, NotFoundError
from nseers.services.casework import WAIVER_STATUSES, WILLFULNESS, violations, waiver_requests
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import SwornAnswers
from nseers.services.registrants import (
    CallInRegistrationCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    WillfulnessAssessment,
    assess_violation,
    decide_waiver,
    register_call_in,
    request_waiver,
)
from nseers.web.forms import Form, direct
from nseers.web.routes.biometrics import enrol_registered, registration_capture
from nseers.web.routes.common import SEXES, Posted, kept_biometric, new_key, web_router
from nseers.web.site import label, site_of

router = web_router()

CALL_IN_LABELS: Final = {
    "surname": "Surname", "given_names": "Given names", "date_of_birth": "Date of birth",
    "sex": "Sex", "citizenships": "Citizenships", "passport_number": "Passport number",
    "passport_issuer": "Passport issuer", "registered_on": "Registered on",
    "place": "Place of registration", "admission_class": "Class of admission",
    "last_admitted_on": "Last admitted on", "asylum_applied_on": "Asylum applied for on",
    "us_address": "Address in the United States", "purpose": "Purpose of stay",
    "photograph": "Photograph", "fingerprints": "Fingerprints",
    "employer_or_school": "Employer or school", "itinerary": "Itinerary"}
CALL_IN_MAPPER: Final = direct(CALL_IN_LABELS, {"number": "passport_number",
                                                "issuer": "passport_issuer",
                                                "photograph_ref": "photograph",
                                                "fingerprints_ref": "fingerprints"})
WAIVER_LABELS: Final = {"fin": "FIN", "obligation_kind": "Obligation",
                        "obligation_sequence": "Which one", "grounds": "Grounds",
                        "requested_on": "Requested on", "verdict": "Decision",
                        "reasons": "Reasons", "decided_on": "Decided on"}
VIOLATION_LABELS: Final = {"verdict": "Willful?", "assessment": "Assessment",
                           "assessed_on": "Assessed on"}
#: The obligations a waiver may be asked for (the kinds the registry records).
OBLIGATION_KINDS: Final = ("thirty_day_report", "annual_report", "change_notice",
                           "departure_report", "call_in_interview")


# ------------------------------------------------------------- call-in registration
def _call_in_page(request: Request, form: Form, status: int = 200) -> Response:
    return site_of(request).render(request, "screens/call_in.html", {
        "form": form, "labels": CALL_IN_LABELS, "sexes": list(SEXES)}, status=status)


@router.get("/compliance/call-in")
def call_in_form(request: Request) -> Response:
    """The call-in registration form."""
    site = site_of(request)
    site.actor(request, Permission.REGISTER)
    form = Form({"registered_on": site.today().isoformat(), "idempotency_key": new_key()})
    return _call_in_page(request, form)


@router.post("/compliance/call-in")
def call_in(request: Request, form: Posted) -> Response:
    """Register the person under the group that covers them; late is a violation."""
    site = site_of(request)
    actor = site.actor(request, Permission.REGISTER)
    surname = form.text("surname", required=True)
    born = form.day("date_of_birth", required=True)
    sex = form.choice("sex", [s for s, _ in SEXES], required=True)
    citizenships = form.codes("citizenships")
    if not citizenships:
        form.add("citizenships", "required")
    number = form.text("passport_number", required=True, upper=True)
    issuer = form.text("passport_issuer", required=True, upper=True)
    registered_on = form.day("registered_on", required=True)
    place = form.text("place", required=True)
    last_admitted_on = form.day("last_admitted_on")
    asylum_applied_on = form.day("asylum_applied_on")
    us_address = form.text("us_address", required=True)
    purpose = form.text("purpose", required=True)
    photograph = kept_biometric(site, form, "photograph")
    fingerprints = kept_biometric(site, form, "fingerprints")
    capture = registration_capture(site, form, photograph, fingerprints)
    if form.has_errors or surname is None or registered_on is None or place is None \
            or us_address is None or purpose is None:
        return _call_in_page(request, form, 400)
    command = CallInRegistrationCommand(
        person=PersonFacts(surname=surname, given_names=form.raw("given_names").strip(),
                           date_of_birth=born, sex=sex, citizenships=citizenships),
        registered_on=registered_on, place=place,
        answers=SwornAnswers(us_address, purpose, itinerary=form.text("itinerary"),
                             employer_or_school=form.text("employer_or_school")),
        admission_class=form.text("admission_class", upper=True),
        last_admitted_on=last_admitted_on,
        documents=(DocumentFacts("passport", number, issuer),),
        asylum_applied_on=asylum_applied_on, photograph_ref=photograph,
        fingerprints_ref=fingerprints, idempotency_key=form.text("idempotency_key"))
    try:
        answer = register_call_in(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, CALL_IN_MAPPER)
        return _call_in_page(request, form, 400)
    except ConflictError as error:
        form.general.append(str(error))
        return _call_in_page(request, form, 409)
    enrolled, hit_review = enrol_registered(request, answer, capture, source="call_in",
                                            what="call-in registration")
    if hit_review is not None:
        return hit_review
    lines = [(f"Registered under call-in Group {answer['group']} with FIN {answer['fin']} "
              f"({label(answer['timeliness'])}).")]
    if answer.get("violation_id"):
        lines.append(f"Violation {answer['violation_id']} recorded: the registration came "
                     f"after the group's window. Its willfulness must be assessed.")
    if enrolled is not None:
        lines.append(f"Photograph and prints enrolled ({len(enrolled['records'])} records); "
                     f"no match among those already enrolled.")
    return site.render(request, "screens/compliance_done.html", {
        "heading": "Call-in registration recorded", "answer": answer, "lines": lines,
        "reasons": answer.get("reasons", [])})


# ------------------------------------------------------------------------- waivers
def _waivers_page(request: Request, *, form: Form | None = None, status: int = 200,
                  message: str = "") -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.REQUEST_WAIVER)
    wanted = request.query_params.get("status", "pending")
    if wanted not in WAIVER_STATUSES:
        wanted = "pending"
    page = request.query_params.get("page", "1")
    answer = waiver_requests(site.registry, actor, status=wanted,
                             page=int(page) if page.isdigit() and int(page) > 0 else 1)
    request_form = form if form is not None and form.values.get("form") == "request" else \
        Form({"requested_on": site.today().isoformat(), "obligation_sequence": "0",
              "idempotency_key": new_key()})
    decision_form = form if form is not None and form.values.get("form") == "decision" else \
        Form()
    return site.render(request, "screens/waivers.html", {
        "answer": answer, "statuses": WAIVER_STATUSES, "form": request_form,
        "decision": decision_form, "labels": WAIVER_LABELS, "message": message,
        "kinds": [(k, label(k)) for k in OBLIGATION_KINDS], "decision_key": new_key(),
        "may_decide": actor.may(Permission.DECIDE_WAIVER)}, status=status)


@router.get("/compliance/waivers")
def waivers(request: Request) -> Response:
    """Waiver requests by status, oldest first, and the form to request one."""
    site = site_of(request)
    if not request.query_params.get("fin"):
        return _waivers_page(request)
    form = Form({"fin": request.query_params.get("fin", ""), "form": "request",
                 "obligation_kind": request.query_params.get("kind", ""),
                 "obligation_sequence": request.query_params.get("sequence", "0"),
                 "requested_on": site.today().isoformat(), "idempotency_key": new_key()})
    return _waivers_page(request, form=form)


@router.post("/compliance/waivers")
def file_waiver(request: Request, form: Posted) -> Response:
    """Request a waiver of one obligation (one open request per obligation)."""
    site = site_of(request)
    actor = site.actor(request, Permission.REQUEST_WAIVER)
    form.values["form"] = "request"
    fin = form.text("fin", required=True)
    kind = form.choice("obligation_kind", OBLIGATION_KINDS, required=True)
    sequence = form.integer("obligation_sequence", default=0)
    grounds = form.text("grounds", required=True)
    requested_on = form.day("requested_on", required=True)
    if form.has_errors or fin is None or kind is None or grounds is None \
            or requested_on is None or sequence is None:
        return _waivers_page(request, form=form, status=400)
    command = WaiverRequestCommand(fin=fin, obligation_kind=kind, grounds=grounds,
                                   requested_on=requested_on, obligation_sequence=sequence,
                                   idempotency_key=form.text("idempotency_key"))
    try:
        answer = request_waiver(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, direct(WAIVER_LABELS))
        return _waivers_page(request, form=form, status=400)
    except NotFoundError as error:
        form.add("fin", str(error))
        return _waivers_page(request, form=form, status=404)
    except ConflictError as error:
        form.general.append(str(error))
        return _waivers_page(request, form=form, status=409)
    return _waivers_page(request, message=(
        f"Waiver request {answer['waiver_id']} filed for FIN {answer['fin']}: pending the "
        f"district director's decision."))


@router.post("/compliance/waivers/{waiver_id}/decision")
def waiver_decision(request: Request, waiver_id: int, form: Posted) -> Response:
    """Grant or deny a pending request, with reasons (district directors)."""
    site = site_of(request)
    actor = site.actor(request, Permission.DECIDE_WAIVER)
    form.values["form"] = "decision"
    form.values["waiver_id"] = str(waiver_id)
    verdict = form.choice("verdict", ("grant", "deny"), required=True)
    reasons = form.text("reasons", required=True)
    decided_on = form.day("decided_on") or site.today()
    if form.has_errors or verdict is None or reasons is None:
        return _waivers_page(request, form=form, status=400)
    command = WaiverDecisionCommand(waiver_id=waiver_id, granted=verdict == "grant",
                                    reasons=reasons, decided_on=decided_on,
                                    idempotency_key=form.text("idempotency_key"))
    try:
        answer = decide_waiver(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, direct(WAIVER_LABELS))
        return _waivers_page(request, form=form, status=400)
    except NotFoundError as error:
        return site.problem_page(request, 404, "No such waiver request", str(error))
    except ConflictError as error:
        form.general.append(str(error))
        return _waivers_page(request, form=form, status=409)
    return _waivers_page(request, message=f"Waiver request {waiver_id} "
                                          f"{answer['status']}.")


# ---------------------------------------------------------------------- violations
def _violations_page(request: Request, *, form: Form | None = None, status: int = 200,
                     message: str = "", reasons: list[dict[str, Any]] | None = None
                     ) -> Response:
    site = site_of(request)
    actor = site.actor(request, Permission.ASSESS_VIOLATION)
    wanted = request.query_params.get("willfulness", "unassessed")
    if wanted not in WILLFULNESS:
        wanted = "unassessed"
    page = request.query_params.get("page", "1")
    answer = violations(site.registry, actor, willfulness=wanted,
                        page=int(page) if page.isdigit() and int(page) > 0 else 1)
    return site.render(request, "screens/violations.html", {
        "answer": answer, "statuses": WILLFULNESS, "form": form or Form(),
        "labels": VIOLATION_LABELS, "message": message, "reasons": reasons or [],
        "decision_key": new_key()}, status=status)


@router.get("/compliance/violations")
def violation_queue(request: Request) -> Response:
    """Violations by willfulness, oldest first, each unassessed one with its form."""
    return _violations_page(request)


@router.post("/compliance/violations/{violation_id}/assessment")
def assess(request: Request, violation_id: int, form: Posted) -> Response:
    """Record whether the violation was willful, with the evidence that shows it."""
    site = site_of(request)
    actor = site.actor(request, Permission.ASSESS_VIOLATION)
    form.values["violation_id"] = str(violation_id)
    verdict = form.choice("verdict", ("willful", "not_willful"), required=True)
    assessment = form.text("assessment", required=True)
    assessed_on = form.day("assessed_on") or site.today()
    if form.has_errors or verdict is None or assessment is None:
        return _violations_page(request, form=form, status=400)
    command = WillfulnessAssessment(violation_id=violation_id, willful=verdict == "willful",
                                    assessment=assessment, assessed_on=assessed_on,
                                    idempotency_key=form.text("idempotency_key"))
    try:
        answer = assess_violation(site.registry, actor, command)
    except InvalidInputError as error:
        form.absorb_error(error, direct(VIOLATION_LABELS))
        return _violations_page(request, form=form, status=400)
    except NotFoundError as error:
        return site.problem_page(request, 404, "No such violation", str(error))
    except ConflictError as error:
        form.general.append(str(error))
        return _violations_page(request, form=form, status=409)
    counts = "counts" if answer["consequential"] else "does not count"
    return _violations_page(
        request, message=f"Violation {violation_id} assessed "
                         f"{label(answer['willfulness']).lower()}: it {counts}.",
        reasons=answer.get("reasons", []))
