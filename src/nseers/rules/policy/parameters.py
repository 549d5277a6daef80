"""The named legal parameters the rules read, each with the type its values must have.

A parameter id that is not declared here is an error in the policy data: the rules would
never read it, so it can only be a typo or a value nobody has wired to a rule yet.
Ids are stable and never encode a paragraph letter, because paragraphs get re-lettered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Gt, MinLen

from nseers.rules.policy.schema import Alpha3, Strict, alias

if TYPE_CHECKING:
    from pydantic import TypeAdapter

Mode = Literal["air", "sea", "land"]
Basis = Literal["designated_nationality", "individual"]
IndividualBasis = Literal["consular_referral", "officer_designation", "dhs_criteria"]
Population = Literal["nonimmigrant_visa", "visa_waiver", "all_aliens"]
ExcludedPopulation = Literal["canadian_visitor_visa_exempt", "bcc_holder_without_i94"]
Modality = Literal["fingerprints", "photograph"]


class _Closed(Strict):
    """Frozen, closed values, checked as :class:`schema.Strict`'s records are, except that a
    field is read by its YAML key only."""

    __pydantic_config__: ClassVar[Any] = {"extra": "forbid", "alias_generator": alias}


@dataclass(frozen=True, kw_only=True)
class ExemptClass(_Closed):
    """An admission class exempt from biometrics, with its carve-outs.

    ``unless`` names a circumstance that takes the traveller out of the exemption (C-3
    attendants); ``only_if`` names one the exemption needs (TECRO officials on E-1).
    """

    admission_class: str
    unless: str | None = None
    only_if: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReportWindow(_Closed):
    """A report window counted in days from a starting date (day 0), both ends included."""

    first_day: Annotated[int, Ge(0)]
    last_day: Annotated[int, Ge(0)]


@dataclass(frozen=True, kw_only=True)
class AnnualWindow(_Closed):
    """An annual report window: the anniversary plus or minus ``days_either_side``."""

    days_either_side: Annotated[int, Ge(0)]


@dataclass(frozen=True, kw_only=True)
class ChangeNotice(_Closed):
    """Notice of a change of address, employer or school: how many days, on which form."""

    days: Annotated[int, Gt(0)]
    form: str


@dataclass(frozen=True, kw_only=True)
class I68Family(_Closed):
    """Who counts as a family on one Form I-68 application."""

    child_younger_than: Annotated[int, Gt(0)]
    children_must_be_unmarried: bool
    parents_of_either_spouse: bool
    same_address_required: bool


@dataclass(frozen=True, kw_only=True)
class BviVisitors(_Closed):
    """Residents of one territory admitted only to another as visitors need no Form I-94."""

    residence: str
    destination: str


@dataclass(frozen=True, kw_only=True)
class RetentionPeriod(_Closed):
    """How long a kind of record is kept after its anchor date, and who is told first.

    ``notice_months`` before the end of the period a notice goes to each of ``notify``
    (the responsible authority, the person); erasure never comes sooner than that many
    months after the notice was given.
    """

    years: Annotated[int, Ge(0)]
    days: Annotated[int, Ge(0)] = 0
    notice_months: Annotated[int, Ge(1)] | None = None
    notify: list[Literal["authority", "person"]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class UnlawfulPresenceBar(_Closed):
    """A bar that follows a departure after at least ``min_days`` of unlawful presence."""

    min_days: Annotated[int, Gt(0)]
    bar_years: Annotated[int, Gt(0)]


@dataclass(frozen=True, kw_only=True)
class CarrierReasonCodes(_Closed):
    """The code a carrier is shown for each ground the registry found (one per ground, so
    a new ground without a code is an error in the data, not a silent default)."""

    document_expired: str
    overstay_without_departure: str
    unlawful_presence_bar: str
    removal_bar: str


@dataclass(frozen=True, kw_only=True)
class QueryWindow(_Closed):
    """How far before and after the day of the query an intended date of travel may lie."""

    days_before: Annotated[int, Ge(0)]
    days_ahead: Annotated[int, Ge(0)]


@dataclass(frozen=True, kw_only=True)
class RefusalCode(_Closed):
    """One entry of a refusal's coded lists (a ground of INA 212(a), a disposition)."""

    title: str
    citation: str


@dataclass(frozen=True, kw_only=True)
class RefusalProcedure(_Closed):
    """How an inadmissible applicant leaves the port, and what may follow it."""

    title: str
    citation: str
    dispositions: Annotated[list[str], MinLen(1)]


@dataclass(frozen=True, kw_only=True)
class CorrectionPeriod(_Closed):
    """A time limit on a correction request, counted from the day it was received.

    ``counting`` is ``calendar`` (every day) or ``weekdays`` (Saturdays and Sundays not
    counted; see :mod:`nseers.rules.corrections` for the holidays we do not subtract).
    """

    days: Annotated[int, Gt(0)]
    counting: Literal["calendar", "weekdays"]


@dataclass(frozen=True)
class ParameterSpec:
    """What a parameter means and what type its values have."""

    description: str
    value_type: Any

    @cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """The validator of the values, built when first needed: building all of them costs
        a start some 40 ms, and a start that finds the validated policy kept needs none."""
        from pydantic import TypeAdapter  # noqa: PLC0415 - only when validating

        return TypeAdapter(self.value_type)


def _spec(description: str, value_type: Any) -> ParameterSpec:
    return ParameterSpec(description, value_type)


PARAMETERS: dict[str, ParameterSpec] = {
    # -- Special registration (8 CFR 264.1(f)) ---------------------------------------------
    "special_registration.individual_bases": _spec(
        "Grounds on which any nonimmigrant may be registered individually on arrival.",
        list[IndividualBasis]),
    "special_registration.excluded_class_families": _spec(
        "Nonimmigrant class families never subject to special registration.", list[str]),
    "special_registration.i94_annotation": _spec(
        "Whether a registrant's FIN is annotated on the Form I-94, so an I-94 must be issued.",
        bool),
    "special_registration.departure_reporting_bases": _spec(
        "Registration bases whose registrants must report their departure in person.",
        list[Basis]),
    "special_registration.departure_crewman_exempt": _spec(
        "Whether alien crewmen are relieved of the departure requirements.", bool),
    "special_registration.thirty_day_report": _spec(
        "The in-person report after admission, in days after admission (day 0).",
        ReportWindow),
    "special_registration.thirty_day_report_in_force": _spec(
        "Whether the 30-day report is required; judged on the report's deadline.", bool),
    "special_registration.annual_report": _spec(
        "The annual re-registration window around each anniversary.", AnnualWindow),
    "special_registration.annual_report_in_force": _spec(
        "Whether annual re-registration is required; judged on the window's deadline.", bool),
    "special_registration.change_notice": _spec(
        "Notice of a change of address, employer or school.", ChangeNotice),
    "special_registration.change_notice_bases": _spec(
        "Registration bases whose registrants must file change notices.", list[Basis]),
    "special_registration.sevis_exception_class_families": _spec(
        "Class families whose SEVIS reports of address and school stand in for AR-11 SR.",
        list[str]),
    "special_registration.call_in_notice_days": _spec(
        "Days of notice DHS gives a registrant called in for an interview.", int),
    "special_registration.call_in_notice_channels": _spec(
        "Ways DHS may give notice of a call-in interview.", list[str]),
    "special_registration.willfulness_required": _spec(
        "Whether only willful non-compliance has consequences.", bool),
    # -- Biometrics (8 CFR 235.1, US-VISIT) --------------------------------------------------
    "biometrics.covered_port_modes": _spec(
        "Kinds of port at which biometrics are collected on admission.", list[Mode]),
    "biometrics.covered_populations": _spec(
        "Which applicants for admission biometrics apply to.", list[Population]),
    "biometrics.excluded_populations": _spec(
        "Populations the covered populations leave out.", list[ExcludedPopulation]),
    "biometrics.visa_waiver_classes": _spec(
        "Admission classes of Visa Waiver Program travellers (section 217 of the Act).",
        list[str]),
    "biometrics.visitor_exempt_citizenships": _spec(
        "Citizenships whose visa-exempt visitors the 2009 rule leaves out (Canadians).",
        list[str]),
    "biometrics.canadian_visitor_classes": _spec(
        "Visitor classes of the Canadian citizens the 2009 rule leaves out.", list[str]),
    "biometrics.modalities": _spec("What is collected from a covered traveller.",
                                   list[Modality]),
    "biometrics.exempt_age_younger_than": _spec(
        "Travellers younger than this many whole years are exempt.", int),
    "biometrics.exempt_age_older_than": _spec(
        "Travellers older than this many whole years are exempt.", int),
    "biometrics.exempt_classes": _spec("Admission classes exempt from biometrics.",
                                       list[ExemptClass]),
    "biometrics.photograph_all_aliens": _spec(
        "Whether every alien is photographed, exemptions notwithstanding.", bool),
    "biometrics.departure_photograph_all_aliens": _spec(
        "Whether every departing alien is photographed at any authorized departure point.",
        bool),
    "special_registration.capture_modalities": _spec(
        "What is captured from a registrant before a FIN is issued.", list[Modality]),
    # -- Biometric matching and capture quality (nseers.biometrics) ------------------------
    "biometrics.face_match_max_distance": _spec(
        "Largest face-embedding distance at which two photographs are one person.", float),
    "biometrics.face_detection_min_score": _spec(
        "Smallest face-detector score that counts as a face in the quality gate.", float),
    "biometrics.face_min_pixels": _spec(
        "Narrowest face, in pixels, the quality gate accepts.", int),
    "biometrics.fingerprint_match_min_score": _spec(
        "Smallest Bozorth3 score at which two fingerprints are one finger.", int),
    "biometrics.fingerprint_min_nfiq2": _spec(
        "Lowest NFIQ 2 quality score the capture quality gate accepts.", int),
    "biometrics.retention_years": _spec(
        "Years biometric records are kept after the person's last encounter.", int),
    # -- Citizens' documents (8 CFR 235.1(b), WHTI) ----------------------------------------
    "inspection.citizen_documents": _spec(
        "Document sets by which a U.S. citizen meets the passport requirement, by port "
        "mode; a mode that is absent has no passport requirement.",
        dict[Mode, list[list[str]]]),
    # -- Form I-94 (8 CFR 235.1(f)) ----------------------------------------------------------
    "i94.land_border_fee_usd": _spec("Fee for a Form I-94 issued at a land border.", int),
    "i94.additional_fee_usd": _spec(
        "Additional fee for a Form I-94 application (8 U.S.C. 1807), indexed to CPI.", int),
    "i94.visa_exempt_visitor_citizenships": _spec(
        "Citizenships of the visitors described in 8 CFR 212.1(a).", list[str]),
    "i94.exempt_visitor_classes": _spec(
        "Visitor and direct-transit classes for which 212.1(a) visitors need no I-94.",
        list[str]),
    "i94.admission_classes": _spec(
        "The classes of admission an arrival may be admitted in (hyphens dropped).",
        list[str]),
    "i94.bvi_visitors": _spec("The British Virgin Islands residents' exemption.",
                              BviVisitors),
    "i94.mexican_bcc_max_stay_hours": _spec(
        "Longest stay without an I-94 for a Mexican visitor with a Border Crossing Card.",
        int),
    "i94.mexican_visa_passport_max_stay_hours": _spec(
        "Longest stay without an I-94 for a Mexican visitor with a visa and passport.", int),
    "i94.border_zone_citizenships": _spec(
        "Nationals whose border-zone visitors and diplomatic passports need no I-94.",
        list[str]),
    "i94.exempt_diplomatic_passport_issuers": _spec(
        "Issuers of diplomatic or official passports whose bearers need no I-94.",
        list[str]),
    # -- Form I-68, Canadian Border Boat Landing Permit (8 CFR 235.1) ----------------------
    "i68.family": _spec("Who may share one I-68 application.", I68Family),
    "i68.fee_per_person_usd": _spec("I-68 fee per person.", int),
    "i68.family_fee_cap_usd": _spec("Most a family pays for one I-68 application.", int),
    "i68.validity_years": _spec("How long an I-68 permit is valid.", int),
    "i68.max_visit_hours": _spec(
        "Longest visit on an I-68 for a holder who is neither a U.S. citizen nor an LPR.",
        int),
    "i68.limits_exempt_statuses": _spec(
        "Claimed statuses to which the I-68 time and distance limits do not apply.", list[str]),
    "i68.max_distance_miles": _spec("How far from the shore line an I-68 visit may go.",
                                    int),
    "i68.photo_id_age_older_than": _spec(
        "Applicants older than this many whole years present photo identification.", int),
    "i68.own_form_age_from": _spec(
        "Applicants of this age or older fill their own I-68 with photograph.", int),
    "i68.reapply_after_denial_days": _spec(
        "Days after the last denial from which a new application may be filed.", int),
    "i68.craft_max_net_tons_below": _spec(
        "A pleasure craft must be under this many net tons.", int),
    "i68.eligible_groups": _spec("Who may hold an I-68 permit.", list[str]),
    "i68.citizenship_groups": _spec(
        "The eligible I-68 group each citizenship puts an applicant in.", dict[str, str]),
    "i68.program_border": _spec(
        "The border (ports.yaml `border`) at whose ports I-68 applications are filed.", str),
    # -- Refusal of entry (INA 212(a), 235; issue 17) --------------------------------------
    "refusal.grounds": _spec(
        "The coded grounds of inadmissibility a refusal of entry may rest on.",
        dict[str, RefusalCode]),
    "refusal.procedures": _spec(
        "How an inadmissible applicant leaves the port, each with what may follow it.",
        dict[str, RefusalProcedure]),
    "refusal.dispositions": _spec(
        "What may follow a refusal: returned, withdrawn, detained, credible fear, paroled.",
        dict[str, RefusalCode]),
    "refusal.expedited_removal_grounds": _spec(
        "The grounds expedited removal may rest on; no other may be charged in it.",
        list[str]),
    # -- Correction and redress (issue 17: Privacy Act; EES overlay, Reg. (EU) 2017/2226) -
    "corrections.acknowledgement": _spec(
        "How long after a correction request is received its receipt must be acknowledged.",
        CorrectionPeriod),
    "corrections.decision": _spec(
        "How long after a correction request is received it must be decided.",
        CorrectionPeriod),
    # -- Entry-exit and the overstay report (8 U.S.C. 1376; issue 12) ----------------------
    "entry_exit.in_scope_modes": _spec(
        "Kinds of port whose admissions the overstay report's tables count.", list[Mode]),
    "entry_exit.grace_days_f": _spec(
        "Days after an F student's program ends before the stay expires.", int),
    "entry_exit.grace_days_m": _spec(
        "Days after an M student's program ends before the stay expires.", int),
    "entry_exit.grace_days_j": _spec(
        "Days after a J exchange visitor's program ends before the stay expires.", int),
    "entry_exit.duration_of_status_classes": _spec(
        "Duration-of-status classes and the grace period (f, m or j) that follows each.",
        dict[str, Literal["f", "m", "j"]]),
    "entry_exit.business_pleasure_classes": _spec(
        "Business and pleasure classes of the VWP and non-VWP tables.", list[str]),
    "entry_exit.student_classes": _spec(
        "Student and exchange-visitor classes of the F, M and J table.", list[str]),
    "entry_exit.separately_reported_citizenships": _spec(
        "Citizenships reported in their own table (Canada and Mexico).", list[str]),
    # -- The Visa Waiver Program (INA 217, 8 CFR part 217; issue 15) --------------------
    "visa_waiver.program_countries": _spec(
        "Countries designated for the Visa Waiver Program (8 CFR 217.2(a)), by passport.",
        list[Alpha3]),
    "visa_waiver.barred_nationalities": _spec(
        "Nationals who may not use the program whatever passport they bear (INA 217(a)(12)).",
        list[Alpha3]),
    # -- Periods of admission by class (8 CFR 214) ---------------------------------------
    "stay.tn_max_admission_years": _spec(
        "Longest admission of a TN professional at one time, in years (8 CFR 214.6(e)).",
        int),
    # -- Retention and erasure: the EES overlay (Regulation (EU) 2017/2226 Art. 34) --------
    "retention.ees_entry_exit": _spec(
        "How long a person's file is kept after the last exit record (EES Art. 34(1)-(2)).",
        RetentionPeriod),
    "retention.ees_overstay": _spec(
        "How long the file of a person with no exit by the end of the authorised stay is "
        "kept after that day (EES Art. 34(3)).", RetentionPeriod),
    "retention.ees_refusal": _spec(
        "How long a person's file is kept after the last refusal of entry record "
        "(EES Art. 34(1)-(2)).", RetentionPeriod),
    # -- Carrier boarding checks (issue 17; INA 212(a)(9); EES Art. 13 overlay) -----------
    "carrier.unlawful_presence_bars": _spec(
        "The bars on admission after a departure that followed unlawful presence.",
        list[UnlawfulPresenceBar]),
    "carrier.unlawful_presence_counted_from_age": _spec(
        "Days before this birthday are not counted as unlawful presence.", int),
    "carrier.unlawful_presence_counted_from": _spec(
        "The first day that can count as unlawful presence.", date),
    "carrier.removal_bar_years": _spec(
        "Years an arriving alien ordered removed is inadmissible from the removal.", int),
    "carrier.reason_codes": _spec(
        "The code a carrier sees for each ground found (EES overlay).", CarrierReasonCodes),
    "carrier.query_window_days": _spec(
        "How far from the day of the query the intended date may lie (EES overlay).",
        QueryWindow),
    # -- The traveller's own days (issue 17) -------------------------------------------------
    "traveller.code_digits": _spec("Digits of a one-time code sent to a traveller.", int),
    "traveller.code_lifetime_minutes": _spec(
        "Minutes a one-time code stays valid after it is sent.", int),
    "traveller.code_max_attempts": _spec(
        "Wrong answers after which a one-time code can no longer be used.", int),
    "traveller.max_open_codes": _spec(
        "Most codes of one person that may be usable at once; more requests send nothing.",
        int),
    "traveller.reminder_days_before": _spec(
        "Days before the admit-until date on which a reminder is sent.", list[int]),
    "ees_overlay.short_stay_max_days": _spec(
        "EES overlay: most days of short stay in any rolling window.", int),
    "ees_overlay.short_stay_window_days": _spec(
        "EES overlay: length in days of the rolling window, the day itself included.", int),
    "ees_overlay.entry_and_exit_days_count": _spec(
        "EES overlay: whether the days of entry and of exit count as days of stay.", bool),
}
