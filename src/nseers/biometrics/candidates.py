"""The fingerprint candidate stage: who is worth a Bozorth3 comparison at all.

Bozorth3 costs about a millisecond a pair, so 1:N against millions of enrolled fingers
cannot call it against everyone. Each template is summarised by a fixed-length vector
that does not change when the finger is moved or turned on the platen: a histogram of its
minutia pairs by distance and by each minutia's direction relative to the line joining
them. Inner products of these vectors (a faiss index) rank the gallery; only the best
``shortlist`` are scored by Bozorth3. The shortlist's recall (how often the true mate
is in it) is measured in ``benchmarks/bench_biometrics.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from nseers.biometrics.prints import Minutia

DISTANCE_BINS: Final = np.array([12, 30, 50, 75, 105, 140, 180, 225], dtype=np.float32)
ANGLE_BINS: Final = 8
DESCRIPTOR_SIZE: Final = (len(DISTANCE_BINS) - 1) * ANGLE_BINS * ANGLE_BINS


def pair_descriptor(points: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The unit-length pair histogram of an N x 3 array of (x, y, angle in degrees)."""
    vector = np.zeros(DESCRIPTOR_SIZE, dtype=np.float32)
    if len(points) < 2:
        return vector
    x, y, theta = points[:, 0], points[:, 1], np.deg2rad(points[:, 2])
    dx = x[None, :] - x[:, None]
    dy = y[None, :] - y[:, None]
    distance = np.hypot(dx, dy)
    line = np.arctan2(dy, dx)
    # Each ordered pair (i, j): i's direction and j's direction, both against the i->j line.
    beta_i = np.mod(theta[:, None] - line, 2 * np.pi)
    beta_j = np.mod(theta[None, :] - line, 2 * np.pi)
    keep = (distance >= DISTANCE_BINS[0]) & (distance < DISTANCE_BINS[-1])
    d_bin = np.searchsorted(DISTANCE_BINS, distance[keep], side="right") - 1
    a_bin = np.minimum((beta_i[keep] / (2 * np.pi) * ANGLE_BINS).astype(np.int64),
                       ANGLE_BINS - 1)
    b_bin = np.minimum((beta_j[keep] / (2 * np.pi) * ANGLE_BINS).astype(np.int64),
                       ANGLE_BINS - 1)
    index = (d_bin * ANGLE_BINS + a_bin) * ANGLE_BINS + b_bin
    np.add.at(vector, index, 1.0)
    vector = np.sqrt(vector)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def descriptor(minutiae: Sequence[Minutia]) -> npt.NDArray[np.float32]:
    """The candidate-stage vector of a template's minutiae."""
    points = np.array([(m.x, m.y, m.angle) for m in minutiae], dtype=np.float32).reshape(-1, 3)
    return pair_descriptor(points)
