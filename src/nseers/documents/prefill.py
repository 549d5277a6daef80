"""From an MRZ reading to the facts of an inspection case, ready to prefill a form.

The traveller's facts (``citizenships``, ``date_of_birth``, ``sex``) and the document's
(``kind``, ``issuer``, ``type`` of passport, ``class`` of visa) are returned as the
evaluation contract's JSON writes them (see :mod:`nseers.rules.case`), so that the API and
the web screens can merge them into a case. Names, the document number and the expiry,
which the contract does not carry, come in a separate ``identity`` section.

Only fields the reading found well formed are used: a date of birth whose check digit
failed is left for the officer to type. Readings the law needs spelled out:

* the nationality ``D`` is Germany, ``DEU``; the codes for stateless persons and refugees
  (``XXA``, ``XXB``, ``XXC``) and for an unspecified nationality (``XXX``) give no
  citizenship, and neither do the organizations (``UNO``, ``UNA``, ``UNK``, ``EUE``);
* a document code starting with ``P`` is a passport (``us_passport`` when the United States
  issued it); its second character ``D`` is a diplomatic passport, ``O`` or ``S`` an
  official (service) one, a filler or ``P`` a regular one; others say nothing (Doc 9303
  Part 4 leaves that character to the issuing state);
* a code starting with ``V`` is a visa. Doc 9303 Part 7 leaves the visa's class to the
  issuing state; a class is prefilled only when a US visa's optional data begins with a
  class symbol from :data:`US_VISA_CLASSES` followed by a filler;
* identity cards (TD1, TD2) are no document kind of the contract: they prefill the
  traveller and the identity only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from nseers.documents.reading import MrzReading
from nseers.documents.states import NO_NATIONALITY_CODES, ORGANIZATION_CODES, to_alpha3

#: Nonimmigrant visa class symbols (22 CFR 41.12), longest first so ``B1B2`` wins over ``B1``.
US_VISA_CLASSES: Final = tuple(sorted({
    "A1", "A2", "A3", "B1", "B2", "B1B2", "C1", "C1D", "C2", "C3", "D1", "D2", "E1", "E2",
    "E3", "F1", "F2", "F3", "G1", "G2", "G3", "G4", "G5", "H1B", "H1B1", "H1C", "H2A",
    "H2B", "H3", "H4", "I", "J1", "J2", "K1", "K2", "K3", "K4", "L1", "L2", "M1", "M2", "M3",
    "N8", "N9", "NATO1", "NATO2", "NATO3", "NATO4", "NATO5", "NATO6", "NATO7", "O1", "O2",
    "O3", "P1", "P2", "P3", "P4", "Q1", "R1", "R2", "TD", "TN", "U1", "U2", "U3", "U4",
    "V1", "V2", "V3",
}, key=lambda symbol: (-len(symbol), symbol)))

_PASSPORT_TYPES: Final = {"": "regular", "P": "regular", "D": "diplomatic", "O": "official",
                          "S": "official"}


@dataclass(frozen=True, slots=True)
class CasePrefill:
    """Values for a case's ``traveler`` and ``documents``, and the holder's identity."""

    traveler: dict[str, Any] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)
    identity: dict[str, Any] = field(default_factory=dict)
    valid: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The prefill as JSON-ready data."""
        return {"traveler": dict(self.traveler),
                "documents": [dict(d) for d in self.documents],
                "identity": dict(self.identity), "valid": self.valid}


def case_prefill(reading: MrzReading) -> CasePrefill:
    """The case facts ``reading`` supports (see the module's notes for the readings made)."""
    if reading.format is None:
        return CasePrefill()
    faulty = {problem.field for problem in reading.problems}
    fields = reading.fields

    def usable(name: str) -> Any:
        value = fields.get(name)
        return None if name in faulty or value in (None, "") else value

    traveler: dict[str, Any] = {}
    nationality = usable("nationality")
    if (nationality is not None and nationality not in NO_NATIONALITY_CODES
            and nationality not in ORGANIZATION_CODES):
        traveler["citizenships"] = [to_alpha3(str(nationality))]
    for name in ("date_of_birth", "sex"):
        if usable(name) is not None:
            traveler[name] = fields[name]

    documents = []
    code = str(usable("document_code") or "")
    issuer = usable("issuing_state")
    document: dict[str, Any] = {}
    if code.startswith("P"):
        document["kind"] = "us_passport" if issuer == "USA" else "passport"
        passport_type = _PASSPORT_TYPES.get(code[1:])
        if passport_type is not None and document["kind"] == "passport":
            document["type"] = passport_type
    elif code.startswith("V"):
        document["kind"] = "visa"
        visa_class = us_visa_class(str(fields.get("optional_data") or ""),
                                   reading.lines[1] if len(reading.lines) > 1 else "")
        if issuer == "USA" and visa_class is not None:
            document["class"] = visa_class
    if document:
        if issuer is not None:
            document["issuer"] = to_alpha3(str(issuer))
        documents.append(document)

    identity = {name: fields.get(name) for name in
                ("surname", "given_names", "names_truncated", "document_number",
                 "date_of_expiry", "issuing_state", "nationality")
                if name not in faulty}
    return CasePrefill(traveler, documents, identity, valid=reading.valid)


def us_visa_class(optional_data: str, line: str = "") -> str | None:
    """The class symbol a US visa's optional data begins with, if any (e.g. ``B1B2``)."""
    raw = line[28:] if line else optional_data
    for symbol in US_VISA_CLASSES:
        if raw.startswith(symbol) and (len(raw) == len(symbol) or raw[len(symbol)] == "<"):
            return symbol
    return None
