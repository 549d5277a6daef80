"""Stable rule ids: what a reason names, what a test pins, what a lawyer quotes.

An id never encodes a paragraph letter (paragraphs get re-lettered); the citation for an
id on a date lives in the policy data (``provisions.yaml``). Policy validation refuses a
provision whose id is not listed here, and a test checks every id has a provision.
"""

from __future__ import annotations

from typing import Final

# Inspection (8 CFR 235.1(a)-(d))
INSPECTION_STOWAWAY_REMOVAL: Final = "inspection.stowaway_removal"
INSPECTION_STOWAWAY_CREDIBLE_FEAR: Final = "inspection.stowaway_credible_fear"
INSPECTION_INTERDICTED_AT_SEA: Final = "inspection.interdicted_at_sea"
INSPECTION_CITIZEN_ESTABLISHED: Final = "inspection.citizen_established"
INSPECTION_CITIZEN_NOT_ESTABLISHED: Final = "inspection.citizen_not_established"
INSPECTION_CITIZEN_DOCUMENTS: Final = "inspection.citizen_documents"
INSPECTION_ARMED_FORCES: Final = "inspection.armed_forces_under_orders"
INSPECTION_NATO_FORCE: Final = "inspection.nato_force_under_orders"
INSPECTION_ALIEN_APPLICANT: Final = "inspection.alien_applicant"
INSPECTION_LPR_DOCUMENTS: Final = "inspection.lpr_documents"
INSPECTION_DOCUMENT_EXPIRED: Final = "inspection.document_expired"
INSPECTION_UNKNOWN_CODE: Final = "inspection.unknown_code"
INSPECTION_UNKNOWN_CLASS: Final = "inspection.unknown_admission_class"
INSPECTION_PAROLE: Final = "inspection.parole"
INSPECTION_DEPARTURE: Final = "inspection.departure_not_an_application"

# Special registration on arrival (8 CFR 264.1(f))
SR_DESIGNATED_NATIONALITY: Final = "special_registration.designated_nationality"
SR_CONSULAR_REFERRAL: Final = "special_registration.consular_referral"
SR_OFFICER_DESIGNATION: Final = "special_registration.officer_designation"
SR_DHS_CRITERIA: Final = "special_registration.dhs_criteria"
SR_NOT_NONIMMIGRANT: Final = "special_registration.nonimmigrants_only"
SR_CLASS_EXCLUDED: Final = "special_registration.class_excluded"
SR_DESIGNATION_CRITERIA_NOT_MET: Final = "special_registration.designation_criteria_not_met"
SR_NO_GROUND: Final = "special_registration.no_ground"
SR_COUNTRIES_DELISTED: Final = "special_registration.countries_delisted"
SR_FRAMEWORK_REMOVED: Final = "special_registration.framework_removed"
SR_DEPARTURE: Final = "special_registration.arrival_only"

# Biometrics (8 CFR 235.1, 215.8)
BIO_NOT_IN_FORCE: Final = "biometrics.not_in_force"
BIO_NOT_ALIEN: Final = "biometrics.aliens_only"
BIO_PORT_NOT_COVERED: Final = "biometrics.port_not_covered"
BIO_POPULATION_NOT_COVERED: Final = "biometrics.population_not_covered"
BIO_POPULATION_EXCLUDED: Final = "biometrics.population_excluded"
BIO_EXEMPT_AGE: Final = "biometrics.exempt_age"
BIO_EXEMPT_CLASS: Final = "biometrics.exempt_admission_class"
BIO_EXEMPT_JOINTLY: Final = "biometrics.exempt_class_jointly"
BIO_EXEMPT_INDIVIDUALLY: Final = "biometrics.exempt_individually"
BIO_REQUIRED: Final = "biometrics.required"
BIO_PHOTOGRAPH_ALL: Final = "biometrics.photograph_all_aliens"
BIO_DEPARTURE: Final = "biometrics.departure"

# Form I-94 (8 CFR 235.1(f))
I94_REQUIRED: Final = "i94.nonimmigrant_admitted"
I94_NOT_NONIMMIGRANT: Final = "i94.nonimmigrants_only"
I94_NOT_ADMITTED: Final = "i94.not_admitted"
I94_PAROLE: Final = "i94.parole"
I94_EXEMPT_VISITOR: Final = "i94.exempt_212_1a_visitor"
I94_EXEMPT_BVI: Final = "i94.exempt_bvi_resident"
I94_EXEMPT_MEXICAN_ZONE: Final = "i94.exempt_mexican_border_zone"
I94_MEXICAN_ZONE_EXCEEDED: Final = "i94.mexican_border_zone_exceeded"
I94_EXEMPT_MEXICAN_DIPLOMATIC: Final = "i94.exempt_mexican_diplomatic_passport"
I94_SPECIAL_REGISTRANT: Final = "i94.special_registrant"
I94_LAND_FEE: Final = "i94.land_border_fee"
I94_DEPARTURE: Final = "i94.arrival_only"

# Departure registration (8 CFR 264.1(f))
DR_ARRIVAL: Final = "departure_registration.departures_only"
DR_NOT_REGISTRANT: Final = "departure_registration.not_a_registrant"
DR_BASIS_NOT_COVERED: Final = "departure_registration.basis_not_covered"
DR_CREWMAN: Final = "departure_registration.crewman_exempt"
DR_NOT_NONIMMIGRANT: Final = "departure_registration.no_longer_nonimmigrant"
DR_NOT_REPORTED: Final = "departure_registration.not_reported"
DR_WRONG_DAY: Final = "departure_registration.reported_another_day"
DR_WRONG_PORT: Final = "departure_registration.reported_at_another_port"
DR_PORT_NOT_DESIGNATED: Final = "departure_registration.port_not_designated"
DR_PORT_LIST_INCOMPLETE: Final = "departure_registration.port_list_incomplete"
DR_COMPLIANT: Final = "departure_registration.compliant"

# The Visa Waiver Program (INA 217, 8 CFR 217.2(a))
VWP_DESIGNATED_COUNTRY: Final = "visa_waiver.designated_country"
VWP_NOT_DESIGNATED: Final = "visa_waiver.not_designated"
VWP_BARRED_NATIONALITY: Final = "visa_waiver.barred_nationality"

# Port reference data
PORT_UNKNOWN: Final = "port.unknown"

# Registrant obligations and call-in registration (8 CFR 264.1(f)(3)-(5))
OBL_THIRTY_DAY: Final = "obligations.thirty_day_report"
OBL_ANNUAL: Final = "obligations.annual_report"
OBL_CHANGE_NOTICE: Final = "obligations.change_notice"
OBL_DEPARTURE: Final = "obligations.departure_report"
OBL_CALL_IN_INTERVIEW: Final = "obligations.call_in_interview"
CALL_IN_GROUP: Final = "call_in.group"

# Carrier boarding checks (issue 17; INA 212(a)(9), 222(g); EES Art. 13)
CARRIER_NO_RECORD: Final = "carrier.no_record"
CARRIER_OK: Final = "carrier.ok_to_board"
CARRIER_DOCUMENT_EXPIRED: Final = "carrier.document_expired"
CARRIER_OVERSTAY: Final = "carrier.overstay_without_departure"
CARRIER_UNLAWFUL_PRESENCE_BAR: Final = "carrier.unlawful_presence_bar"
CARRIER_REMOVAL_BAR: Final = "carrier.removal_bar"
# The traveller's stay (issue 17): admit-until, duration of status, the EES overlay
STAY_ADMIT_UNTIL: Final = "stay.admit_until"
STAY_DURATION_OF_STATUS: Final = "stay.duration_of_status_grace"
STAY_EES_ROLLING_WINDOW: Final = "stay.ees_rolling_window"
# Refusal of entry (INA 212(a), 235; issue 17)
REFUSAL_GROUND: Final = "refusal.ground"
REFUSAL_PROCEDURE: Final = "refusal.procedure"
REFUSAL_DISPOSITION: Final = "refusal.disposition"
REFUSAL_EXPEDITED_REMOVAL_GROUNDS: Final = "refusal.expedited_removal_grounds_only"
REFUSAL_PRIOR: Final = "refusal.prior_refusal"

ALL_RULE_IDS: Final = frozenset(
    value for name, value in globals().items()
    if name.isupper() and isinstance(value, str) and "." in value
)
