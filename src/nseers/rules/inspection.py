"""Who is inspected how: citizens, armed forces and NATO, aliens, stowaways (8 CFR 235.1).

The order of the tests is the order in which the facts take a person out of ordinary
inspection: a stowaway is not an applicant for admission at all (235.1(d)(4)); a person
brought in after interdiction at sea is one by law (235.1(d)(3)); a citizen claim is
decided before anything else about the person (235.1(b)); armed forces and NATO members
under orders are dealt with by 235.1(c); everyone else is an alien applicant (235.1(d)(1)).
"""

from __future__ import annotations

from nseers.core.states import is_known_code
from nseers.rules import ids
from nseers.rules.case import Case
from nseers.rules.law import Law
from nseers.rules.result import Determination, Reason

ALIEN_APPLICANT = "inspect_as_alien"
#: The alien's entry documents whose expiry INA 212(a)(7)(B)(i) makes a ground of
#: inadmissibility: the passport and the visa (a Border Crossing Card is a visa).
EXPIRING_ENTRY_DOCUMENTS = frozenset({"passport", "visa", "bcc"})


def decide_inspection(case: Case, law: Law, mode: str) -> Determination:
    """The inspection determination for an arrival; ``not_applicable`` for a departure."""
    if case.event != "arrival":
        return law.constant(ids.INSPECTION_DEPARTURE, lambda: Determination(
            "not_applicable", (law.reason(
                ids.INSPECTION_DEPARTURE,
                "Inspection for admission applies to applicants arriving at a port; this is "
                "a departure."),)))
    c = case.circumstances
    status = case.traveler.claimed_status
    if c.stowaway:
        if c.fear_expressed:
            return Determination("credible_fear_referral", (law.reason(
                ids.INSPECTION_STOWAWAY_CREDIBLE_FEAR,
                "A stowaway who intends to apply for asylum or expresses a fear of "
                "persecution, torture or return is referred to an asylum officer for a "
                "credible-fear determination, not to removal proceedings under section 240."),))
        return Determination("stowaway_removal", (law.reason(
            ids.INSPECTION_STOWAWAY_REMOVAL,
            "A stowaway is not an applicant for admission, may not be admitted, and is "
            "removed under section 235(a)(2) of the Act without a section 240 hearing."),))
    if c.interdicted_at_sea:
        return Determination("applicant_for_admission_235b", (law.reason(
            ids.INSPECTION_INTERDICTED_AT_SEA,
            "An alien brought to the United States after interdiction in international or "
            "United States waters is an applicant for admission examined under section "
            "235(b), wherever and however brought."),))
    if status == "us_citizen":
        if c.citizenship_established:
            return _citizen(case, law, mode)
        return Determination(ALIEN_APPLICANT, (law.reason(
            ids.INSPECTION_CITIZEN_NOT_ESTABLISHED,
            "The person claims U.S. citizenship but has not established it to the "
            "examining officer's satisfaction, and is therefore inspected as an alien."),))
    if c.armed_forces_under_orders:
        return Determination("not_subject_to_removal", (law.reason(
            ids.INSPECTION_ARMED_FORCES,
            "An alien member of the U.S. Armed Forces coming or going under official orders "
            "or permit is not subject to the removal provisions of the Act; the entry is "
            "recorded only on request."),))
    if c.nato_force_under_orders:
        return Determination("exempt_from_control", (law.reason(
            ids.INSPECTION_NATO_FORCE,
            "A member of the force of a NATO country signatory to Article III of the Status "
            "of Forces Agreement entering under official orders is exempt from the control "
            "provisions of the Act; the entry is recorded only on request."),))
    presented_i551 = case.has_document("i551") if status == "lpr" else None

    def applicant() -> tuple[Reason, ...]:
        reason = law.reason(
            ids.INSPECTION_ALIEN_APPLICANT,
            "An alien applicant must present the documents required and establish that "
            "they are not subject to removal and are entitled to enter.",
            {"claimed_status": status})
        if presented_i551 is None:
            return (reason,)
        return reason, law.reason(
            ids.INSPECTION_LPR_DOCUMENTS,
            "A person claiming lawful permanent residence must establish it and present the "
            "documents 8 CFR 211.1 requires.",
            {"presented_i551": presented_i551})

    flags = [*_expired_documents(case, law), *_unknown_codes(case, law),
             *_unknown_classes(case, law)]
    if c.paroled:
        flags.append(law.reason(
            ids.INSPECTION_PAROLE,
            "The person is paroled under section 212(d)(5) of the Act; parole is not "
            "admission."))
    if not flags:
        # Most arrivals: the same answer for every applicant of this status (and, for a
        # permanent resident, with or without a Form I-551) in the epoch.
        return law.constant((ids.INSPECTION_ALIEN_APPLICANT, status, presented_i551),
                            lambda: Determination(ALIEN_APPLICANT, applicant()))
    return Determination(ALIEN_APPLICANT, (*applicant(), *flags))


def _expired_documents(case: Case, law: Law) -> list[Reason]:
    """A reason for each presented document that expired before the day of arrival: the
    officer sees the flag; a documentary waiver or exception is the officer's to decide."""
    return [law.reason(
        ids.INSPECTION_DOCUMENT_EXPIRED,
        f"The {document.kind} presented expired on {document.date_of_expiry.isoformat()}, "
        f"before the date of arrival {case.date.isoformat()}: it is not a valid unexpired "
        f"entry document unless a waiver or exception applies.",
        {"document": document.kind, "issuer": document.issuer,
         "date_of_expiry": document.date_of_expiry})
        for document in case.documents
        if document.date_of_expiry is not None and document.date_of_expiry < case.date
        and document.kind in EXPIRING_ENTRY_DOCUMENTS]


def _unknown_codes(case: Case, law: Law) -> list[Reason]:
    """A reason for each nationality or issuing state that no state or organization has
    (ICAO Doc 9303 Part 3): the officer sees the flag and checks the document."""
    named = [("citizenship", code) for code in case.traveler.citizenships]
    named += [(f"{d.kind} issuer", d.issuer) for d in case.documents if d.issuer]
    return [law.reason(
        ids.INSPECTION_UNKNOWN_CODE,
        f"The {what} {code!r} is not a state or organization code of ICAO Doc 9303: the "
        f"document cannot be judged valid until the code is checked.",
        {"field": what, "code": code})
        for what, code in named if not is_known_code(code)]


def _unknown_classes(case: Case, law: Law) -> list[Reason]:
    """A reason for each class of admission (asked or on a visa) that the regulations in
    force do not establish (8 CFR 214.1(a)(2), parameter ``i94.admission_classes``)."""
    known = law.value("i94.admission_classes", None)
    if known is None:
        return []
    named = [("class of admission", case.admission_class)]
    named += [(f"{d.kind} class", d.admission_class) for d in case.documents]
    return [law.parameter_reason(
        ids.INSPECTION_UNKNOWN_CLASS, "i94.admission_classes",
        f"The {what} {code!r} is not a class of admission in force on "
        f"{law.on.isoformat()} (8 CFR 214.1(a)(2)).",
        {"field": what, "class": code})
        for what, code in named if code and code.replace("-", "").upper() not in known]


def _citizen(case: Case, law: Law, mode: str) -> Determination:
    presented = {d.kind for d in case.documents}
    requirements: dict[str, list[list[str]]] = law.value(
        "inspection.citizen_documents", {})
    accepted = requirements.get(mode)
    established = law.reason(
        ids.INSPECTION_CITIZEN_ESTABLISHED,
        "The person has established U.S. citizenship to the examining officer's "
        "satisfaction and is inspected as a citizen.")
    if accepted is None:
        documents = law.parameter_reason(
            ids.INSPECTION_CITIZEN_DOCUMENTS, "inspection.citizen_documents",
            f"On {law.on.isoformat()} no passport was required of a U.S. citizen arriving "
            f"at a {mode} port.", {"mode": mode})
        return Determination("inspect_as_citizen", (established, documents),
                             {"documents": "no_passport_requirement"})
    met = [sorted(s) for s in accepted if set(s) <= presented]
    text = (
        f"At a {mode} port on {law.on.isoformat()} a U.S. citizen presents a passport or an "
        f"accepted alternative; {'the documents presented meet' if met else 'none presented meets'}"
        f" the requirement.")
    documents_reason: Reason = law.parameter_reason(
        ids.INSPECTION_CITIZEN_DOCUMENTS, "inspection.citizen_documents", text,
        {"mode": mode, "accepted": accepted, "presented": sorted(presented)})
    return Determination("inspect_as_citizen", (established, documents_reason),
                         {"documents": "requirement_met" if met else "requirement_not_met"})
