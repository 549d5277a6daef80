"""The enrolled biometric galleries, held in faiss between searches (issue 13).

A 1:N search must not unseal and index everyone enrolled each time it runs: at a million
templates that is minutes, where the index answers in well under a millisecond
(``docs/biometrics.md``). A :class:`Galleries` (one per :class:`BiometricVault`, so one per
process) keeps a face index per model and the fingerprint candidate index, and brings each
up to date before a search by reading only the records enrolled since it last looked
(``id`` above the highest it holds): enrolments made by another worker process are found
as soon as they are committed.

The indexes hold record ids only. Who a record belongs to is read from the registry at
hit time, so a merge or a split (which moves records between persons) needs nothing here,
and a record erased by retention or by a person's erasure is simply not found again (its
stale entry is dropped when seen). The fingerprint stage unseals only the shortlisted
templates, to score them with Bozorth3.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from sqlalchemy import func, select

from nseers.biometrics import FaceTemplate
from nseers.biometrics.candidates import DESCRIPTOR_SIZE, descriptor
from nseers.biometrics.faces import EMBEDDING_SIZE
from nseers.biometrics.index import EXACT_LIMIT, CandidateIndex, FaceIndex, Hit
from nseers.db.uow import UnitOfWork
from nseers.registry.biometrics import BiometricRecord


class Opener(Protocol):
    """What a gallery needs of the sealer: to open a record's sealed template."""

    def open(self, sealed: bytes, context: str) -> bytes: ...


def template_context(ref: str) -> str:
    """The sealing context of a record's template (the image has its own)."""
    return f"biometric:{ref}:template"


@dataclass
class _FaceGallery:
    model: str
    index: FaceIndex = field(default_factory=lambda: FaceIndex(EMBEDDING_SIZE))


@dataclass
class _Held:
    """What one process holds of one registry's enrolments."""

    faces: dict[str, _FaceGallery] = field(default_factory=dict)
    face_seen: int = 0
    face_seen_ref: str | None = None
    fingers: CandidateIndex = field(default_factory=lambda: CandidateIndex(DESCRIPTOR_SIZE))
    finger_seen: int = 0
    finger_seen_ref: str | None = None


def _still_there(uow: UnitOfWork, record_id: int, ref: str | None) -> bool:
    """Whether the newest record held is still the one indexed. SQLite hands the highest
    id out again once its row is deleted (an erasure), and a database can be restored or
    emptied: then the ids held no longer name the same records, and all is read again."""
    if record_id == 0:
        return True
    return uow.session.scalar(select(BiometricRecord.ref).where(
        BiometricRecord.id == record_id)) == ref


def _rows(uow: UnitOfWork, modality: str, after: int) -> list[Any]:
    return list(uow.session.execute(
        select(BiometricRecord.id, BiometricRecord.ref, BiometricRecord.template_sealed)
        .where(BiometricRecord.modality == modality, BiometricRecord.id > after)
        .order_by(BiometricRecord.id)).all())


class Galleries:
    """The face indexes (by model) and the finger candidate index of one process, for
    each registry (database engine) it searches: record ids are a database's own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: weakref.WeakKeyDictionary[Any, _Held] = weakref.WeakKeyDictionary()

    def _of(self, uow: UnitOfWork) -> _Held:
        engine = uow.session.get_bind()
        held = self._held.get(engine)
        if held is None or not (_still_there(uow, held.face_seen, held.face_seen_ref)
                                and _still_there(uow, held.finger_seen, held.finger_seen_ref)):
            held = self._held[engine] = _Held()
        return held

    # ---------------------------------------------------------------- faces
    def _sync_faces(self, uow: UnitOfWork, sealer: Opener, held: _Held) -> None:
        by_model: dict[str, tuple[list[np.ndarray], list[int]]] = {}
        for record_id, ref, sealed in _rows(uow, "face", held.face_seen):
            template = FaceTemplate.from_dict(json.loads(sealer.open(sealed,
                                                                     template_context(ref))))
            vectors, ids = by_model.setdefault(template.model, ([], []))
            vectors.append(template.array())
            ids.append(record_id)
            held.face_seen, held.face_seen_ref = record_id, ref
        for model, (vectors, ids) in by_model.items():
            gallery = held.faces.setdefault(model, _FaceGallery(model))
            if len(gallery.index) == 0:
                gallery.index.build(np.stack(vectors), np.array(ids, np.int64))
            else:
                gallery.index.add(np.stack(vectors), np.array(ids, np.int64))
            if gallery.index.kind == "flat" and len(gallery.index) > EXACT_LIMIT:
                # Grown past what exact search serves quickly: index afresh, as an IVF.
                held.faces.clear()
                held.face_seen, held.face_seen_ref = 0, None
                self._sync_faces(uow, sealer, held)
                return

    def face_candidates(self, uow: UnitOfWork, sealer: Opener, probe: FaceTemplate,
                        k: int) -> list[Hit]:
        """The ``k`` enrolled faces nearest ``probe`` (of its model), nearest first."""
        with self._lock:
            held = self._of(uow)
            self._sync_faces(uow, sealer, held)
            gallery = held.faces.get(probe.model)
            if gallery is None:
                return []
            return gallery.index.search(probe.array()[None, :], k)[0]

    # -------------------------------------------------------------- fingers
    def finger_candidates(self, uow: UnitOfWork, sealer: Opener, load: Any,
                          probe: np.ndarray, k: int) -> list[Hit]:
        """The ``k`` enrolled fingers whose descriptors are most like ``probe``'s."""
        with self._lock:
            held = self._of(uow)
            rows = _rows(uow, "finger", held.finger_seen)
            if rows:
                vectors = [descriptor(load(sealer.open(sealed, template_context(ref)),
                                           f"record {record_id}").minutiae)
                           for record_id, ref, sealed in rows]
                held.fingers.add(np.stack(vectors), np.array([r[0] for r in rows], np.int64))
                held.finger_seen, held.finger_seen_ref = rows[-1][0], rows[-1][1]
            return held.fingers.shortlist(probe[None, :], k)[0]

    def forget(self, uow: UnitOfWork, record_ids: Iterable[int]) -> None:
        """Drop records that are gone (erased) from the registry's indexes."""
        ids = np.array(sorted(set(record_ids)), np.int64)
        if not len(ids):
            return
        with self._lock:
            held = self._of(uow)
            for gallery in held.faces.values():
                gallery.index.remove(ids)
            held.fingers.remove(ids)


def own_records(uow: UnitOfWork, person_id: int | None, modality: str) -> int:
    """How many records of ``modality`` ``person_id`` holds (a search skips them)."""
    if person_id is None:
        return 0
    return int(uow.session.scalar(select(func.count()).select_from(BiometricRecord).where(
        BiometricRecord.person_id == person_id, BiometricRecord.modality == modality)) or 0)
