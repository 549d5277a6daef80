"""1:N search indexes on faiss: face embeddings and the fingerprint candidate stage.

Below :data:`EXACT_LIMIT` templates the face index is exact (a flat L2 index: every
template is compared). Above it an inverted-file index with 8-bit scalar quantisation
(``IVF{nlist},SQ8``) compares only the templates in the ``nprobe`` cells nearest the
probe; the benchmark measures how often its best hit agrees with exact search
(recall@1 against exact) and picks ``nprobe`` so that it is at least 0.99. Ids are the
enrolment ids of the registry, so a hit names a record directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

#: Up to this many templates a flat (exact) index is fast enough (about 20 ms a probe at
#: 300 000 on one core); above it an IVF index is built.
EXACT_LIMIT: Final = 300_000
DEFAULT_NPROBE: Final = 24

Vectors = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]


def _faiss() -> Any:
    import faiss  # noqa: PLC0415 - native library, loaded when an index is built

    return faiss


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the enrolment id and its distance (or similarity) to the probe."""

    id: int
    distance: float


class FaceIndex:
    """Euclidean 1:N search over face templates, exact or IVF by gallery size."""

    def __init__(self, dimension: int, *, exact_limit: int = EXACT_LIMIT,
                 nprobe: int = DEFAULT_NPROBE) -> None:
        self.dimension = dimension
        self.exact_limit = exact_limit
        self.nprobe = nprobe
        self._index: Any = None
        self.kind = "empty"

    @staticmethod
    def nlist_for(count: int) -> int:
        """Number of IVF cells: about 4 sqrt(N) as a power of two, at most 4096.

        The cap keeps training (k-means over a sample of 40 per cell) to a minute on two
        cores; at 10 M templates a probe of 24-32 cells still reads under 1 % of them.
        """
        return int(min(2 ** round(math.log2(max(4 * math.sqrt(count), 64))), 4096))

    def build(self, vectors: Vectors, ids: Ids, *, training: Vectors | None = None,
              expected: int | None = None) -> None:
        """(Re)build the index for ``expected`` templates (default: those given) and add them.

        ``training`` is a sample to learn the IVF cells from (default: ``vectors``).
        """
        faiss = _faiss()
        count = expected if expected is not None else len(vectors)
        if count <= self.exact_limit:
            self._index = faiss.IndexIDMap2(faiss.IndexFlatL2(self.dimension))
            self.kind = "flat"
        else:
            nlist = self.nlist_for(count)
            quantizer = faiss.IndexFlatL2(self.dimension)
            ivf = faiss.IndexIVFScalarQuantizer(quantizer, self.dimension, nlist,
                                                faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_L2)
            sample = vectors if training is None else training
            ivf.train(np.ascontiguousarray(sample, dtype=np.float32))
            ivf.nprobe = self.nprobe
            self._index = ivf
            self.kind = f"ivf{nlist},sq8"
        if len(vectors):
            self.add(vectors, ids)

    def add(self, vectors: Vectors, ids: Ids) -> None:
        """Add templates under their enrolment ids."""
        if self._index is None:
            self.build(vectors, ids)
            return
        self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                 np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: Ids) -> int:
        """Remove templates (merged, split or past retention); returns how many went."""
        if self._index is None:
            return 0
        return int(self._index.remove_ids(np.ascontiguousarray(ids, dtype=np.int64)))

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def set_nprobe(self, nprobe: int) -> None:
        """How many IVF cells a probe visits (ignored by the exact index)."""
        self.nprobe = nprobe
        if self._index is not None and hasattr(self._index, "nprobe"):
            self._index.nprobe = nprobe

    def search(self, probes: Vectors, k: int = 5) -> list[list[Hit]]:
        """The ``k`` nearest templates of each probe, nearest first, with L2 distances."""
        if self._index is None or len(self) == 0:
            return [[] for _ in range(len(probes))]
        squared, found = self._index.search(np.ascontiguousarray(probes, dtype=np.float32),
                                            min(k, len(self)))
        return [[Hit(int(i), math.sqrt(max(float(d), 0.0))) for d, i in zip(row_d, row_i,
                                                                            strict=True)
                 if i >= 0] for row_d, row_i in zip(squared, found, strict=True)]

    def memory_bytes(self) -> int:
        """Bytes the index holds (serialised size, which is what it occupies in memory)."""
        if self._index is None:
            return 0
        return int(_faiss().serialize_index(self._index).nbytes)


class CandidateIndex:
    """The fingerprint candidate stage: inner-product search on centred pair histograms.

    The histograms of all fingers share a large common part (every finger has many pairs
    at middle distances); subtracting the gallery's mean leaves what tells fingers apart,
    which is what makes the true mate rank first instead of among the common crowd. The
    mean is learnt from the gallery itself and learnt again each time the gallery doubles.
    """

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._raw: list[Vectors] = []
        self._ids: list[Ids] = []
        self._fitted_at = 0
        self._index: Any = None
        self._mean: Vectors = np.zeros(dimension, dtype=np.float32)

    def _centre(self, vectors: Vectors) -> Vectors:
        centred = vectors - self._mean
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(centred / norms, dtype=np.float32)

    def _refit(self) -> None:
        faiss = _faiss()
        raw = np.concatenate(self._raw) if self._raw else np.zeros((0, self.dimension),
                                                                   np.float32)
        ids = np.concatenate(self._ids) if self._ids else np.zeros(0, np.int64)
        self._raw, self._ids = [raw], [ids]
        self._mean = raw.mean(axis=0).astype(np.float32) if len(raw) else self._mean
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))
        if len(raw):
            self._index.add_with_ids(self._centre(raw), ids)
        self._fitted_at = len(raw)

    def add(self, vectors: Vectors, ids: Ids) -> None:
        """Add descriptors under their enrolment ids."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        self._raw.append(vectors)
        self._ids.append(ids)
        if self._index is None or len(self) + len(vectors) >= 2 * max(self._fitted_at, 16):
            self._refit()
        else:
            self._index.add_with_ids(self._centre(vectors), ids)

    def remove(self, ids: Ids) -> int:
        """Remove descriptors by enrolment id."""
        if self._index is None:
            return 0
        gone = np.ascontiguousarray(ids, dtype=np.int64)
        raw, kept = np.concatenate(self._raw), np.concatenate(self._ids)
        keep = ~np.isin(kept, gone)
        self._raw, self._ids = [raw[keep]], [kept[keep]]
        return int(self._index.remove_ids(gone))

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def shortlist(self, probes: Vectors, k: int) -> list[list[Hit]]:
        """The ``k`` most similar enrolled fingers of each probe (similarity, not distance)."""
        if self._index is None or len(self) == 0:
            return [[] for _ in range(len(probes))]
        scores, found = self._index.search(self._centre(np.asarray(probes, np.float32)),
                                           min(k, len(self)))
        return [[Hit(int(i), float(s)) for s, i in zip(row_s, row_i, strict=True) if i >= 0]
                for row_s, row_i in zip(scores, found, strict=True)]
