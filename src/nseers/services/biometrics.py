"""Biometric enrolment, 1:N identification and 1:1 verification (issue 13).

Special registration took fingerprints and a photograph (8 CFR 264.1(f)); from 2004 a
traveller's biometrics are checked at inspection (8 CFR 235.1(f)). Enrolment gates the
capture, then searches everyone enrolled *before* anything is written: a hit above the
policy threshold stops the officer (:class:`BiometricHitError`, with the candidates) until
the officer chooses to attach the capture to the existing identity or to proceed with a
new one, with a reason; either choice is audited. Verification compares a traveller at
departure or re-entry with the enrolled photograph and, on failure, routes to secondary
with the scores. Every read of enrolled biometrics is audited; all of it is sealed at rest.

The quality gate (face detection and embedding, minutiae and NFIQ 2: a second or more of
CPU) runs after the permission check and before the unit of work opens, so that no
transaction, and on SQLite no one's turn to write, waits on it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from sqlalchemy import func, select

from nseers.biometrics import (
    CaptureRefusedError,
    DlibFaceMatcher,
    FaceMatcher,
    FaceQualityPolicy,
    FaceTemplate,
    NbisPrintMatcher,
    PrintMatcher,
    PrintQualityPolicy,
    PrintTemplate,
)
from nseers.biometrics.candidates import descriptor
from nseers.biometrics.nist import read_transaction
from nseers.biometrics.sealing import Sealer
from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.db.uow import UnitOfWork
from nseers.registry.biometrics import BiometricRecord
from nseers.registry.encounters import Encounter
from nseers.registry.people import Person
from nseers.rules.law import Law
from nseers.services.biometric_retention import PARAMETER, retention_span
from nseers.services.context import Registry
from nseers.services.galleries import Galleries, own_records, template_context
from nseers.services.people import get_person

#: How many enrolled fingers the candidate stage hands to Bozorth3 per probe finger.
SHORTLIST = 50
#: How many nearest enrolled faces a search considers (beyond the person's own).
FACE_CANDIDATES = 5


@dataclass
class BiometricVault:
    """The sealing key and the matchers: what the services need beyond the registry."""

    sealer: Sealer
    faces: FaceMatcher
    prints: PrintMatcher
    #: The enrolled galleries held in faiss between searches (one per process).
    galleries: Galleries = field(default_factory=Galleries)

    @classmethod
    def with_key(cls, key: bytes) -> BiometricVault:
        """The vault on dlib and NBIS under ``key`` (from the settings, never the repo)."""
        return cls(Sealer(key), DlibFaceMatcher(), NbisPrintMatcher())


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A capture to enrol for ``person_id``, and the officer's choice after a 1:N hit."""

    person_id: int
    photograph: bytes | None = None
    fingers: tuple[tuple[int, bytes], ...] = ()
    source: str = "upload"
    on_hit: str | None = None  # None (stop at a hit), "attach" or "new"
    attach_to: int | None = None
    reason: str | None = None


class BiometricHitError(ConflictError):
    """The capture matches someone already enrolled; nothing was written.

    ``hits`` are the candidates and ``subject`` the person being enrolled, each summarised
    alike (name, date of birth, documents, how many encounters; never an image or a
    template), so that the officer can set the two records side by side."""

    def __init__(self, hits: list[dict[str, Any]],
                 subject: dict[str, Any] | None = None) -> None:
        self.hits = hits
        self.subject = subject
        names = ", ".join(f"person {h['person_id']}" for h in hits)
        super().__init__("biometric_hit", f"the capture matches {names} already enrolled; "
                                          f"attach to the existing identity or proceed as "
                                          f"new, with a reason")


def _thresholds(law: Law) -> tuple[FaceQualityPolicy, PrintQualityPolicy, float, int]:
    return (FaceQualityPolicy(float(law.value("biometrics.face_detection_min_score")),
                              int(law.value("biometrics.face_min_pixels"))),
            PrintQualityPolicy(int(law.value("biometrics.fingerprint_min_nfiq2"))),
            float(law.value("biometrics.face_match_max_distance")),
            int(law.value("biometrics.fingerprint_match_min_score")))


def _gate(vault: BiometricVault, command: Enrolment, law: Law
          ) -> tuple[FaceTemplate | None, list[tuple[int, PrintTemplate, bytes]]]:
    face_q, print_q, _, _ = _thresholds(law)
    problems: list[FieldProblem] = []
    face = None
    fingers = []
    if command.photograph is not None:
        try:
            face = vault.faces.template(command.photograph, "photograph", face_q)
        except CaptureRefusedError as error:
            problems.append(FieldProblem("photograph", f"{error.detail}; {error.retake}"))
    for position, image in command.fingers:
        where = f"fingers[{position}]"
        if not 1 <= position <= 10:
            problems.append(FieldProblem(where, "finger position must be 1-10"))
            continue
        try:
            fingers.append((position, vault.prints.template(image, where, print_q), image))
        except CaptureRefusedError as error:
            problems.append(FieldProblem(where, f"{error.detail}; {error.retake}"))
    if face is None and not fingers and not problems:
        problems.append(FieldProblem("photograph", "a photograph or fingerprints are required"))
    if problems:
        raise InvalidInputError(problems)
    return face, fingers


def check_capture(registry: Registry, vault: BiometricVault, photograph: bytes | None,
                  fingers: tuple[tuple[int, bytes], ...] = ()) -> None:
    """The quality gate alone, before a registration is recorded: no FIN is issued on a
    photograph or a print nobody could match (issue 13; 8 CFR 264.1(f)). Refuses with
    :class:`InvalidInputError` naming ``photograph`` or ``fingers[N]`` and the retake
    advice; reads and writes nothing."""
    _gate(vault, Enrolment(0, photograph, fingers), registry.rules.law(registry.clock().date()))


def _enrolled(uow: UnitOfWork, vault: BiometricVault, modality: str, *,
              person_id: int | None = None) -> list[tuple[BiometricRecord, bytes]]:
    query = select(BiometricRecord).where(BiometricRecord.modality == modality)
    if person_id is not None:
        query = query.where(BiometricRecord.person_id == person_id)
    rows = uow.session.execute(query.order_by(BiometricRecord.id)).scalars().all()
    return [(row, vault.sealer.open(row.template_sealed, f"biometric:{row.ref}:template"))
            for row in rows]


def _search(uow: UnitOfWork, vault: BiometricVault, law: Law, face: FaceTemplate | None,
            fingers: list[tuple[int, PrintTemplate, bytes]], exclude: int | None
            ) -> list[dict[str, Any]]:
    """Everyone enrolled whose face or fingers match the capture, best first.

    The indexes are the vault's :class:`~nseers.services.galleries.Galleries`, kept
    between searches; who owns a record is read here, so merged, split and erased records
    are answered as they are now."""
    _, _, face_max, print_min = _thresholds(law)
    found: dict[int, dict[str, Any]] = {}
    if face is not None:
        near = vault.galleries.face_candidates(
            uow, vault.sealer, face, FACE_CANDIDATES + own_records(uow, exclude, "face"))
        within = {h.id: h.distance for h in near if h.distance <= face_max}
        for record_id, person in _owners(uow, within, vault):
            if person == exclude:
                continue
            entry = found.setdefault(person, {"person_id": person})
            entry["face_distance"] = min(within[record_id], entry.get("face_distance", 9.0))
    for _, probe, _ in fingers:
        shortlist = vault.galleries.finger_candidates(
            uow, vault.sealer, vault.prints.load, descriptor(probe.minutiae),
            SHORTLIST + own_records(uow, exclude, "finger"))
        rows = uow.session.execute(select(BiometricRecord).where(
            BiometricRecord.id.in_([h.id for h in shortlist]),
            BiometricRecord.modality == "finger")).scalars().all()
        for record in rows:
            if record.person_id == exclude:
                continue
            template = vault.prints.load(vault.sealer.open(
                record.template_sealed, template_context(record.ref)), f"record {record.id}")
            score = vault.prints.score(probe, template)
            if score >= print_min:
                entry = found.setdefault(record.person_id, {"person_id": record.person_id})
                entry["finger_score"] = max(score, entry.get("finger_score", 0))
    uow.audit("biometric.search", "biometric_records", None,
              candidates=sorted(found), face=face is not None, fingers=len(fingers))
    return sorted(found.values(), key=lambda h: (-h.get("finger_score", 0),
                                                 h.get("face_distance", 9.0)))


def _owners(uow: UnitOfWork, records: dict[int, float], vault: BiometricVault
            ) -> list[tuple[int, int]]:
    """(record, person) of the records still enrolled; erased ones leave the indexes."""
    if not records:
        return []
    owned = list(uow.session.execute(select(BiometricRecord.id, BiometricRecord.person_id)
                                     .where(BiometricRecord.id.in_(sorted(records)))).tuples())
    vault.galleries.forget(uow, set(records) - {record for record, _ in owned})
    return owned


def _hit_summary(uow: UnitOfWork, hit: dict[str, Any]) -> dict[str, Any]:
    person = uow.session.get(Person, hit["person_id"])
    if person is not None:
        encounters = uow.session.scalar(select(func.count()).select_from(Encounter).where(
            Encounter.person_id == person.id))
        hit |= {"name": f"{person.given_names} {person.surname}".strip(),
                "date_of_birth": person.date_of_birth.isoformat()
                if person.date_of_birth else None,
                "documents": [{"kind": d.kind, "number": d.number,
                               "issuing_state": d.issuing_state} for d in person.documents],
                "encounters": int(encounters or 0)}
    return hit


def enrol(registry: Registry, actor: Actor, vault: BiometricVault,
          command: Enrolment) -> dict[str, Any]:
    """Gate, search 1:N, and enrol; stop at a hit unless the officer has chosen."""
    actor.require(Permission.REGISTER)
    face, fingers = _gate(vault, command, registry.rules.law(registry.clock().date()))
    with registry.work(actor, Permission.REGISTER) as uow:
        law = registry.rules.law(uow.now.date())
        # A record merged into another (issue 13) enrols, and is searched, as the survivor.
        person = get_person(uow.session, command.person_id)
        if command.on_hit not in (None, "attach", "new"):
            raise InvalidInputError([FieldProblem("on_hit", "must be attach or new")])
        if command.on_hit and not (command.reason or "").strip():
            raise InvalidInputError([FieldProblem("reason", "required with on_hit")])
        hits = [_hit_summary(uow, h)
                for h in _search(uow, vault, law, face, fingers, person.id)]
        owner = person.id
        if hits and command.on_hit is None:
            # The officer is shown the matching identities' records: that read, and the
            # search, are audited even though nothing is enrolled until the officer chooses.
            for hit in hits:
                uow.audit("biometric.hit.shown", "persons", hit["person_id"],
                          enrolling=person.id, face_distance=hit.get("face_distance"),
                          finger_score=hit.get("finger_score"))
            enrolling = _hit_summary(uow, {"person_id": person.id})
            uow.commit()
            raise BiometricHitError(hits, enrolling)
        if hits and command.on_hit == "attach":
            if command.attach_to not in {h["person_id"] for h in hits}:
                raise InvalidInputError([FieldProblem(
                    "attach_to", "must name one of the matching identities")])
            assert command.attach_to is not None  # noqa: S101 - checked just above
            owner = command.attach_to
        if hits:
            uow.audit(f"biometric.hit.{command.on_hit}", person, owner, reason=command.reason,
                      candidates=[h["person_id"] for h in hits])
        retain = uow.now.date() + retention_span(int(law.value(PARAMETER)))
        written = []
        if face is not None:
            written.append(_store(uow, vault, owner, "face", None, face.model, face.box.score,
                                  json.dumps(face.to_dict()).encode(), command.photograph,
                                  command.source, retain))
        for position, template, image in fingers:
            written.append(_store(uow, vault, owner, "finger", position, template.model,
                                  template.nfiq2, template.iso_19794_2, image, command.source,
                                  retain))
        uow.session.flush()
        for record in written:
            uow.audit("biometric.enrol", record, owner, modality=record.modality,
                      position=record.finger_position, source=command.source)
        answer = {"person_id": owner, "records": [r.id for r in written], "hits": hits,
                  "retain_until": retain.isoformat()}
        if person.id != command.person_id:
            answer["merged_from"] = command.person_id
        uow.commit()
        return answer


def _store(uow: UnitOfWork, vault: BiometricVault, person_id: int, modality: str,
           position: int | None, model: str, quality: float | None, template: bytes,
           image: bytes | None, source: str, retain: date) -> BiometricRecord:
    ref = uuid.uuid4().hex
    record = BiometricRecord(
        ref=ref, person_id=person_id, modality=modality, finger_position=position, model=model,
        quality=quality, template_sealed=vault.sealer.seal(template, f"biometric:{ref}:template"),
        image_sealed=vault.sealer.seal(image, f"biometric:{ref}:image") if image else None,
        source=source, captured_at=uow.now, officer=uow.actor.username, retain_until=retain)
    uow.session.add(record)
    return record


def verify(registry: Registry, actor: Actor, vault: BiometricVault, person_id: int,
           photograph: bytes) -> dict[str, Any]:
    """1:1 at departure or re-entry: the traveller against the enrolled photograph.

    A person id merged into another (issue 13) is verified against the survivor, who holds
    the enrolled photographs now, as :func:`nseers.services.people.show_person` answers the
    survivor; the answer names the id asked under ``merged_from``."""
    actor.require(Permission.READ_PERSON)
    face_q, _, _, _ = _thresholds(registry.rules.law(registry.clock().date()))
    try:
        probe = vault.faces.template(photograph, "photograph", face_q)
    except CaptureRefusedError as error:
        raise InvalidInputError([FieldProblem("photograph",
                                              f"{error.detail}; {error.retake}")]) from None
    with registry.work(actor, Permission.READ_PERSON) as uow:
        _, _, face_max, _ = _thresholds(registry.rules.law(uow.now.date()))
        asked, person_id = person_id, get_person(uow.session, person_id).id
        enrolled = _enrolled(uow, vault, "face", person_id=person_id)
        if not enrolled:
            raise NotFoundError("enrolled photograph of person", person_id)
        distance = min(vault.faces.distance(probe, FaceTemplate.from_dict(json.loads(t)))
                       for _, t in enrolled)
        match = distance <= face_max
        answer = {"person_id": person_id, "match": match, "distance": round(distance, 6),
                  "threshold": face_max, "route": "continue" if match else "secondary"}
        if person_id != asked:
            answer["merged_from"] = asked
        uow.audit("biometric.verify", f"person:{person_id}", person_id, match=match,
                  distance=answer["distance"], threshold=face_max)
        uow.commit()
        return answer


def identify(registry: Registry, actor: Actor, vault: BiometricVault,
             photograph: bytes | None = None,
             fingers: tuple[tuple[int, bytes], ...] = ()) -> list[dict[str, Any]]:
    """1:N: who among everyone enrolled the capture matches (nothing is written)."""
    actor.require(Permission.REGISTER)
    face, prints = _gate(vault, Enrolment(0, photograph, fingers),
                         registry.rules.law(registry.clock().date()))
    with registry.work(actor, Permission.REGISTER) as uow:
        law = registry.rules.law(uow.now.date())
        hits = [_hit_summary(uow, h) for h in _search(uow, vault, law, face, prints, None)]
        uow.commit()
        return hits


#: The largest captured file accepted (a photograph, a finger image, an ANSI/NIST-ITL
#: transaction). ICAO portraits and 500 ppi finger images are far smaller; the API reads at
#: most one byte more than this of an upload, and its body limit bounds the whole request.
MAX_CAPTURE_BYTES: Final = 6 * 1024 * 1024


def bounded_capture(data: bytes, field: str) -> bytes:
    """``data`` if it is within :data:`MAX_CAPTURE_BYTES`, else invalid input naming ``field``."""
    if len(data) > MAX_CAPTURE_BYTES:
        raise InvalidInputError([FieldProblem(
            field, f"a captured file of at most {MAX_CAPTURE_BYTES // (1024 * 1024)} MB")])
    if not data:
        raise InvalidInputError([FieldProblem(field, "the file is empty")])
    return data


def nist_capture(data: bytes, field: str) -> tuple[bytes | None, tuple[tuple[int, bytes], ...]]:
    """The photograph (Type-10) and fingers (Type-14, by position) of an ANSI/NIST-ITL
    1-2011 transaction from a capture station; a malformed file is invalid input naming
    ``field`` and the record. The images then pass the same quality gate as an upload."""
    try:
        transaction = read_transaction(bounded_capture(data, field), field)
    except CaptureRefusedError as error:
        raise InvalidInputError([FieldProblem(field, error.detail)]) from None
    except ValueError as error:  # a field that is not what the standard says (FGP not a number)
        raise InvalidInputError([FieldProblem(
            field, f"not a valid ANSI/NIST-ITL transaction: {error}")]) from None
    return transaction.face, tuple((f.position, f.image) for f in transaction.fingers)
