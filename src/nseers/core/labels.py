"""Codes in words: the one place the console, the printed notices and the CLI's tables
take their labels from (issue 15: "Lpr", "I94" and "Designated nationality (Designated
nationality)" on screen).

A code with a word of its own here is shown with it (``lpr`` → "Lawful permanent
resident", ``i94`` → "Form I-94"); any other code is written out from its parts
(``not_required`` → "Not required"), so a new code is readable before it is listed.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, str]] = {
    # Claimed status (the evaluation contract's traveler.claimed_status).
    "us_citizen": "U.S. citizen",
    "lpr": "Lawful permanent resident",
    "nonimmigrant": "Nonimmigrant",
    "immigrant": "Immigrant",
    "refugee": "Refugee",
    # The five determinations.
    "inspection": "Inspection",
    "special_registration": "Special registration",
    "biometrics": "Biometrics",
    "i94": "Form I-94",
    "departure": "Departure",
    # Outcomes.
    "inspect_as_alien": "Inspect as an alien",
    "inspect_as_citizen": "Inspect as a citizen",
    "non_compliant": "Not compliant",
    "not_applicable": "Not applicable",
    # Obligations and documents.
    "thirty_day_report": "30-day report",
    "annual_report": "Annual report",
    "departure_report": "Departure report",
    "call_in": "Call-in registration",
    "call_in_registration": "Call-in registration",
    "call_in_interview": "Call-in interview",
    "change_notice": "Change of address, employment or school (AR-11 SR)",
    "i68": "Form I-68",
    "i94_number": "I-94 number",
    "bcc": "Border Crossing Card",
    "fin": "FIN",
    "poe": "Port of entry",
    "dhs_criteria": "DHS criteria",
    # A person's stay (issue 12), in the overstay report's words.
    "in_stay": "In the stay",
    "departed_on_time": "Departed on time",
    "departed_late": "Departed late (out-of-country overstay)",
    "suspected_in_country_overstay": "Suspected in-country overstay",
    "no_edd": "No expected departure date",
}


def label(code: object) -> str:
    """``code`` in words: its word from :data:`WORDS`, else its parts written out."""
    if code is None:
        return ""
    text = str(code).strip()
    word = WORDS.get(text.lower())
    if word is not None:
        return word
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:]
