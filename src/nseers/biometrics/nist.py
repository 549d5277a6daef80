"""ANSI/NIST-ITL 1-2011 transactions: the files capture stations send and receive.

An enrolment travels as one transaction: a Type-1 header (transaction type, date,
originating agency, control number), a Type-2 record of descriptive text (name, date of
birth, sex, citizenship, document), a Type-10 facial image (JPEG) and one Type-14 record
per finger (PNG, 500 ppi, with its finger position). ``nistitl`` (IDEMIA's reference
reader and writer) does the record and field encoding. The Type-2 fields follow the FBI's
EBTS numbering (2.018 name, 2.022 date of birth, 2.024 sex, 2.021 citizenship), which
is what US capture stations write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from nseers.biometrics.errors import CaptureRefusedError

TRANSACTION_TYPE: Final = "NSEERS-ENROL"
_NAME, _CITIZENSHIP, _BIRTH, _SEX, _DOCUMENT = 18, 21, 22, 24, 36
#: Finger positions of ANSI/NIST-ITL Table 8: 1 right thumb ... 10 left little.
FINGER_POSITIONS: Final = range(1, 11)


@dataclass(frozen=True, slots=True)
class FingerImage:
    """One finger's image and its ANSI/NIST finger position (1-10)."""

    position: int
    image: bytes


@dataclass(frozen=True, slots=True)
class NistEnrolment:
    """What an enrolment transaction carries."""

    control_number: str
    agency: str
    captured_on: date
    name: str = ""
    date_of_birth: date | None = None
    sex: str | None = None
    citizenship: str | None = None
    document_number: str | None = None
    face: bytes | None = None
    fingers: tuple[FingerImage, ...] = field(default_factory=tuple)


def write_transaction(enrolment: NistEnrolment) -> bytes:
    """The enrolment as an ANSI/NIST-ITL 1-2011 transaction (Types 1, 2, 10, 14)."""
    import nistitl  # noqa: PLC0415

    message = nistitl.Message()
    message.TOT = TRANSACTION_TYPE
    header = message[0]
    header.DAT = enrolment.captured_on.strftime("%Y%m%d")
    header.ORI = enrolment.agency
    header.DAI = enrolment.agency
    header.TCN = enrolment.control_number
    descriptive = nistitl.AsciiRecord(2)
    descriptive.IDC = 0
    for tag, value in ((_NAME, enrolment.name), (_CITIZENSHIP, enrolment.citizenship),
                       (_BIRTH, enrolment.date_of_birth.strftime("%Y%m%d")
                        if enrolment.date_of_birth else None),
                       (_SEX, enrolment.sex), (_DOCUMENT, enrolment.document_number)):
        if value:
            descriptive += nistitl.Field(2, tag, value)
    message += descriptive
    idc = 1
    if enrolment.face is not None:
        face = nistitl.AsciiRecord(10)
        face.IDC = idc
        face.IMT = "FACE"
        face.SRC = enrolment.agency
        face.PHD = header.DAT
        face.CGA = "JPEGB"
        face.CSP = "YCC"
        face += nistitl.BinaryField(10, 999, enrolment.face)
        message += face
        idc += 1
    for finger in enrolment.fingers:
        if finger.position not in FINGER_POSITIONS:
            raise ValueError(f"finger position {finger.position} is not 1-10")
        record = nistitl.AsciiRecord(14)
        record.IDC = idc
        record.IMP = 0
        record.SRC = enrolment.agency
        record.FCD = header.DAT
        record.SLC = 1
        record.THPS = 500
        record.TVPS = 500
        record.CGA = "PNG"
        record.BPX = 8
        record.FGP = finger.position
        record += nistitl.BinaryField(14, 999, finger.image)
        message += record
        idc += 1
    return bytes(message.NIST)


def read_transaction(data: bytes, source: str) -> NistEnrolment:
    """Read an ANSI/NIST-ITL transaction; a malformed file names the problem."""
    import nistitl  # noqa: PLC0415

    message = nistitl.Message()
    try:
        message.parse(data)
    except (nistitl.NistException, ValueError, IndexError, KeyError) as error:
        raise CaptureRefusedError(source, "unreadable_transaction",
                                  f"not a valid ANSI/NIST-ITL transaction: {error}") from None
    header = message[0]
    captured = _date(_text(header, 5), source, "1.005 DAT")
    if captured is None:
        raise CaptureRefusedError(source, "unreadable_transaction",
                                  "field 1.005 DAT (date) is missing")
    descriptive = next(iter(message.iter(2)), None)
    faces = [_binary(r) for r in message.iter(10)]
    fingers = []
    for record in message.iter(14):
        position = int(_text(record, 13) or 0)
        image = _binary(record)
        if image is not None:
            fingers.append(FingerImage(position, image))
    return NistEnrolment(
        control_number=_text(header, 9) or "", agency=_text(header, 8) or "",
        captured_on=captured,
        name=_text(descriptive, _NAME) or "",
        date_of_birth=_date(_text(descriptive, _BIRTH), source, "2.022 DOB"),
        sex=_text(descriptive, _SEX), citizenship=_text(descriptive, _CITIZENSHIP),
        document_number=_text(descriptive, _DOCUMENT),
        face=next((f for f in faces if f is not None), None), fingers=tuple(fingers))


def _text(record: Any, tag: int) -> str | None:
    if record is None:
        return None
    try:
        value = record[tag].value
    except (KeyError, IndexError, AttributeError):
        return None
    if isinstance(value, list):
        value = value[0] if value else ""
    text = str(value).strip()
    return text or None


def _binary(record: Any) -> bytes | None:
    try:
        value = record[999].value
    except (KeyError, IndexError, AttributeError):
        return None
    return bytes(value) if value else None


def _date(text: str | None, source: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise CaptureRefusedError(source, "unreadable_transaction",
                                  f"field {name} is not a date: {text!r}") from None
