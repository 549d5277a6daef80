"""What a correction may change and how a requested value is read (issue 17).

:data:`FIELDS` is the closed list of correctable fields, ``record.field``, each with the
kind of value it takes; :func:`parse_value` reads a requested value as the record keeps
it, or names the bad field. Evidence is checked here: at most
:data:`MAX_EVIDENCE_FILES` files of at most :data:`MAX_EVIDENCE_BYTES` each, a PDF, a PNG or
JPEG image or plain text, told by the bytes (never by the name or the type the browser
sent). These limits are the system's, not the law's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final

from annotated_types import MaxLen, MinLen

from nseers.core.codes import canonical_class, is_alpha3
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.core.fields import Base64
from nseers.core.text import unsafe_character_problem
from nseers.documents.states import is_known_code
from nseers.services.context import Registry

#: The closed list of what may be corrected: ``record.field`` -> the kind of value.
FIELDS: Final = {
    "person.surname": "name",
    "person.given_names": "name",
    "person.date_of_birth": "date",
    "person.sex": "sex",
    "person.citizenships": "countries",
    "document.number": "document_number",
    "document.expires_on": "date",
    "i94.admit_until": "date",
    "i94.admission_class": "admission_class",
    "i94.port_code": "port",
    "encounter.admit_until": "date",
    "encounter.admission_class": "admission_class",
    "encounter.port_code": "port",
}
RECORD_KINDS: Final = ("person", "document", "i94", "encounter")
#: Evidence limits: these are the system's, not the law's (a stored file's size).
MAX_EVIDENCE_FILES: Final = 5
MAX_EVIDENCE_BYTES: Final = 5 * 1024 * 1024
_TYPES: Final = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                 (b"\xff\xd8\xff", "image/jpeg"))
#: Every type :func:`kind_of` can tell.
EVIDENCE_TYPES: Final = (*(media for _, media in _TYPES), "text/plain")
_DOCUMENT_NUMBER: Final = re.compile(r"^[A-Z0-9]{1,40}$")


@dataclass(frozen=True, slots=True)
class EvidenceIn:
    """A file attached to a request (PDF, PNG, JPEG or plain text), as uploaded; a request
    body carries it base64-encoded as ``content_base64``."""

    filename: Annotated[str, MinLen(1), MaxLen(300)]
    data: Annotated[bytes, Base64("content_base64")]


FIELD_LABELS: Final = {
    "person.surname": "Surname", "person.given_names": "Given names",
    "person.date_of_birth": "Date of birth", "person.sex": "Sex",
    "person.citizenships": "Citizenship", "document.number": "Document number",
    "document.expires_on": "Document expiry date", "i94.admit_until": "I-94 admit-until date",
    "i94.admission_class": "I-94 class of admission", "i94.port_code": "I-94 port of entry",
    "encounter.admit_until": "Admit-until date", "encounter.admission_class":
    "Class of admission", "encounter.port_code": "Port of entry",
}



def parse_value(registry: Registry, field: str, text: str, on: date, path: str) -> Any:
    """The typed value of ``text`` for ``field``, or :class:`InvalidInputError` at ``path``."""
    kind = FIELDS[field]
    value = text.strip()

    def bad(message: str) -> InvalidInputError:
        return InvalidInputError([FieldProblem(path, message)])

    if not value:
        raise bad("required")
    if kind == "name":
        problem = unsafe_character_problem(value)
        if problem is not None or len(value) > 200:
            raise bad(problem or "at most 200 characters")
        return value
    if kind == "date":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise bad(f"not a date: {value!r} (expected YYYY-MM-DD)") from None
        if field == "person.date_of_birth" and day > on:
            raise bad("a date of birth cannot be in the future")
        return day
    if kind == "sex":
        if value.upper() not in ("M", "F", "X"):
            raise bad(f"must be one of M, F, X, not {value!r}")
        return value.upper()
    if kind == "countries":
        codes = [c for c in re.split(r"[\s,;]+", value.upper()) if c]
        wrong = [c for c in codes if not is_alpha3(c) or not is_known_code(c)]
        if wrong or not codes:
            raise bad(f"not ICAO Doc 9303 three-letter codes: {', '.join(wrong) or value}")
        return list(dict.fromkeys(codes))
    if kind == "document_number":
        number = value.upper().replace(" ", "")
        if not _DOCUMENT_NUMBER.fullmatch(number):
            raise bad("letters and digits only, at most 40")
        return number
    if kind == "admission_class":
        admission_class = canonical_class(value)
        known = registry.rules.law(on).value("i94.admission_classes", None)
        if known is not None and admission_class not in known:
            raise bad(f"not a class of admission in force on {on.isoformat()}: {value!r} "
                      f"(policy i94.admission_classes)")
        return admission_class
    port = value.upper()
    if port not in registry.rules.policy.ports:
        raise bad(f"not a port of entry in the reference data: {value!r}")
    return port


def shown(value: Any) -> str | None:
    """A record's value as a request and a letter show it."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def kind_of(content: bytes) -> str | None:
    for magic, media_type in _TYPES:
        if content.startswith(magic):
            return media_type
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if "\x00" not in text else None


def check_evidence(evidence: tuple[EvidenceIn, ...]) -> list[tuple[EvidenceIn, str, str]]:
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise InvalidInputError([FieldProblem("evidence", f"at most {MAX_EVIDENCE_FILES} "
                                                          f"files")])
    checked, problems = [], []
    for index, item in enumerate(evidence):
        path = f"evidence[{index}]"
        kind = kind_of(item.data)
        if not item.data:
            problems.append(FieldProblem(path, f"{item.filename}: the file is empty"))
        elif len(item.data) > MAX_EVIDENCE_BYTES:
            problems.append(FieldProblem(path, f"{item.filename}: larger than "
                                               f"{MAX_EVIDENCE_BYTES // (1024 * 1024)} MB"))
        elif kind is None:
            problems.append(FieldProblem(path, f"{item.filename}: not a PDF, PNG or JPEG "
                                               f"image or plain text file"))
        else:
            checked.append((item, kind, hashlib.sha256(item.data).hexdigest()))
    if problems:
        raise InvalidInputError(problems)
    return checked


